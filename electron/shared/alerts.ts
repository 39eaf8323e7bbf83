/**
 * Risk alert rules (issue 7): what may be watched, on which level of the book, and the defaults.
 * Shared by the backend (validation, evaluation) and the renderer (the rule editor), so a rule means
 * the same thing on both sides. Rules live in the app settings, so they are exported with the
 * portfolio document and a backup restores them.
 */
import { z } from 'zod'
import { VENUES } from './portfolio-document'

export const ALERT_METRICS = ['marginRatio', 'leverage', 'liquidationDistance', 'healthFactor', 'netDelta', 'fundingCostPerDay'] as const
export type AlertMetric = (typeof ALERT_METRICS)[number]

export const ALERT_SCOPES = ['account', 'venue', 'total'] as const
export type AlertScope = (typeof ALERT_SCOPES)[number]

export const ALERT_DIRECTIONS = ['above', 'below'] as const
export type AlertDirection = (typeof ALERT_DIRECTIONS)[number]

/** Settings a rule may follow instead of a number of its own: change the limit and the rule moves with it. */
export const ALERT_LIMIT_SETTINGS = ['leverageLimit', 'marginRatioLimit'] as const
export type AlertLimitSetting = (typeof ALERT_LIMIT_SETTINGS)[number]

/**
 * How each metric reads and in which unit its threshold is written. `fraction` thresholds are stored
 * as fractions (0.5) and shown as percentages; `usd` and `usdPerDay` as dollars; `ratio` as plain numbers.
 */
export const ALERT_METRIC_INFO: Record<
  AlertMetric,
  { label: string; unit: 'fraction' | 'ratio' | 'times' | 'usd' | 'usdPerDay'; direction: AlertDirection; describe: string }
> = {
  marginRatio: {
    label: 'Margin ratio',
    unit: 'fraction',
    direction: 'above',
    describe: 'maintenance margin / equity; liquidation at 100 %',
  },
  leverage: { label: 'Leverage', unit: 'times', direction: 'above', describe: 'gross notional / equity' },
  liquidationDistance: {
    label: 'Liquidation distance',
    unit: 'fraction',
    direction: 'below',
    describe: 'how far the price may move before the nearest liquidation, as a fraction of the price',
  },
  healthFactor: {
    label: 'Health factor',
    unit: 'ratio',
    direction: 'below',
    describe: 'DeFi accounts: collateral × liquidation threshold / debt; liquidation below 1',
  },
  netDelta: { label: 'Net delta', unit: 'usd', direction: 'above', describe: 'absolute net delta of the positions in USD' },
  fundingCostPerDay: {
    label: 'Funding cost per day',
    unit: 'usdPerDay',
    direction: 'above',
    describe: 'funding paid per day in USD (received funding counts as a negative cost)',
  },
}

const ruleId = z
  .string({ error: 'must be a short identifier' })
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,60}$/, { error: 'must be 1–60 letters, digits or _ . : -' })

export const alertRuleSchema = z
  .object({
    id: ruleId,
    /** Shown in notifications; defaults to the metric's label. */
    name: z.string().trim().max(80).optional(),
    metric: z.enum(ALERT_METRICS, { error: `must be one of ${ALERT_METRICS.join(', ')}` }),
    scope: z.enum(ALERT_SCOPES, { error: 'must be account, venue or total' }),
    /** An account id (scope account) or a venue (scope venue); absent: every account or every venue, each on its own. */
    target: z.string().trim().min(1).max(120).optional(),
    direction: z.enum(ALERT_DIRECTIONS, { error: 'must be above or below' }),
    /** A number in the metric's unit (fractions for ratios and distances), or the name of the setting to follow. */
    threshold: z.union([
      z.number({ error: 'must be a number or leverageLimit / marginRatioLimit' }).refine(Number.isFinite, { error: 'must be finite' }),
      z.enum(ALERT_LIMIT_SETTINGS),
    ]),
    /**
     * Width of the band, as a fraction of the threshold, that the value must move back through before
     * the alert re-arms: a value flickering around the threshold alerts once, not on every tick.
     */
    hysteresis: z.number().min(0, { error: 'must not be negative' }).max(1, { error: 'must be at most 1 (100 %)' }).default(0.05),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.scope === 'venue' && r.target !== undefined && !(VENUES as readonly string[]).includes(r.target)) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: `must be one of ${VENUES.join(', ')}` })
    }
    if (r.scope === 'total' && r.target !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'must be empty for a rule on the whole book' })
    }
    if (r.metric === 'healthFactor' && r.scope !== 'account') {
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'a health factor belongs to one DeFi account: use scope account' })
    }
  })

export type AlertRule = z.output<typeof alertRuleSchema>
export type AlertRuleInput = z.input<typeof alertRuleSchema>

/** The rules a new book starts with: the user's own limits, plus two that warn before a liquidation. */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
  { id: 'margin-ratio-limit', metric: 'marginRatio', scope: 'account', direction: 'above', threshold: 'marginRatioLimit', hysteresis: 0.05, enabled: true },
  { id: 'leverage-limit', metric: 'leverage', scope: 'total', direction: 'above', threshold: 'leverageLimit', hysteresis: 0.05, enabled: true },
  { id: 'liquidation-distance', metric: 'liquidationDistance', scope: 'account', direction: 'below', threshold: 0.05, hysteresis: 0.1, enabled: true },
  { id: 'health-factor', metric: 'healthFactor', scope: 'account', direction: 'below', threshold: 1.1, hysteresis: 0.02, enabled: true },
]

export const alertRulesSchema = z
  .array(alertRuleSchema)
  .max(100, { error: 'at most 100 rules' })
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>()
    rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicates rule ${seen.get(r.id)} "${r.id}"` })
      else seen.set(r.id, i)
    })
  })

/** The number a rule compares against, its setting followed where it names one. */
export function ruleThreshold(rule: Pick<AlertRule, 'threshold'>, limits: Record<AlertLimitSetting, number>): number {
  return typeof rule.threshold === 'number' ? rule.threshold : limits[rule.threshold]
}
