/**
 * Settings and scenario shapes of the risk analytics (VaR, stress, caps, hedges, margin calls).
 * Shared by the engine (which reads them from a portfolio document's `settings`, so `fulcrum risk`
 * sees what the app sees) and by the API contract (appSettingsSchema extends this shape), so the
 * defaults exist exactly once. Exported with the document like every other setting.
 */
import { z } from 'zod'

const finite = z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be finite' })

/** Underlying code or `*` (every priced crypto factor not named). */
const scenarioKey = z
  .string()
  .trim()
  .regex(/^(\*|[A-Za-z0-9]{1,20})$/, { error: 'must be an asset code such as "BTC", or "*" for every other underlying' })
  .transform((s) => s.toUpperCase())

/**
 * A stress scenario: relative price moves per underlying (−0.2 = −20 %), absolute implied-vol shifts
 * (0.10 = +10 vol points) and calendar days forward. `*` applies to every underlying not named.
 */
export const stressScenarioSchema = z
  .object({
    id: z.string().trim().min(1).max(80).regex(/^[A-Za-z0-9._:-]+$/, { error: 'must be letters, digits, . _ : -' }),
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(500).optional(),
    priceMoves: z.record(scenarioKey, finite.refine((n) => n > -1 && n <= 10, { error: 'must be a fraction above −1 (−100 %) and at most 10 (+1000 %)' })).default({}),
    volShift: z.record(scenarioKey, finite.refine((n) => n >= -2 && n <= 5, { error: 'must be an absolute vol shift between −2 and 5 (−200 to +500 points)' })).default({}),
    daysForward: finite.refine((n) => n >= 0 && n <= 3650, { error: 'must be between 0 and 3650 days' }).default(0),
  })
  .strict()
export type StressScenarioInput = z.input<typeof stressScenarioSchema>
export type StressScenarioDef = z.output<typeof stressScenarioSchema>

export const HEDGE_DELTA_BASES = ['positions', 'equity'] as const
export type HedgeDeltaBasis = (typeof HEDGE_DELTA_BASES)[number]

/** The analytics' settings, each with its default. */
export const analyticsSettingsShape = {
  /** Monte Carlo VaR: number of paths and the seed of the generator (same seed, same figures). */
  monteCarloPaths: z.number().int({ error: 'must be a whole number' }).min(100).max(1_000_000).default(10_000),
  monteCarloSeed: z.number().int({ error: 'must be a whole number' }).min(0).max(4_294_967_295).default(1),
  /** k of the volatility-adjusted leverage caps: a k-sigma daily move must stay clear of maintenance. */
  capSigmaMultiple: finite.refine((n) => n > 0 && n <= 20, { error: 'must be between 0 and 20' }).default(3),
  /** Days of history the realized volatility of the caps is measured over. */
  capVolWindowDays: z.number().int({ error: 'must be a whole number of days' }).min(5).max(2000).default(30),
  /** Margin ratio (maintenance / equity) the margin-call suggestions bring an account back to. */
  marginRatioTarget: finite.refine((n) => n > 0 && n < 1, { error: 'must be between 0 and 1 (exclusive)' }).default(0.3),
  /**
   * What a hedge neutralises: the positions' net delta (`portfolio.netDelta`, the contract's
   * definition) or the delta of equity (positions plus coin collateral net of haircuts, less debts).
   */
  hedgeDeltaBasis: z.enum(HEDGE_DELTA_BASES, { error: 'must be "positions" or "equity"' }).default('positions'),
  /** Days over which a hedge's opening and closing fees are spread in its cost per day. */
  hedgeHorizonDays: finite.refine((n) => n >= 1 && n <= 3650, { error: 'must be between 1 and 3650 days' }).default(7),
  /** The trader's own stress scenarios, run next to the built-in library. */
  stressScenarios: z.array(stressScenarioSchema).max(200).default([]),
}

export const analyticsSettingsSchema = z.object(analyticsSettingsShape)
export type AnalyticsSettings = z.output<typeof analyticsSettingsSchema>
