/**
 * The portfolio document, version 1 (../shared/docs/portfolio-format.md is the contract: names and
 * units here must not drift from it). Used by the CLI, the store's import/export, the engine's
 * input and the renderer's forms, so a field is validated the same way everywhere.
 *
 * Decimals that are money, prices or quantities stay strings (canonical plain notation) and are
 * parsed with decimal.js where they are used; model inputs (vols, rates, correlations) are numbers.
 */
import { z } from 'zod'
import { Decimal, DECIMAL_RE, canonicalDecimal } from './decimal'

// Plain-language messages for the two most common problems in hand-written documents; schemas with
// their own `error` keep theirs. (Global to zod in this process, which is what we want: one voice.)
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required'
    if (issue.code === 'invalid_type') {
      const what = issue.expected === 'array' ? 'list' : String(issue.expected)
      return `must be ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`
    }
    if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`
    return undefined
  },
})

export const PORTFOLIO_FORMAT = 'fulcrum.portfolio/1'

export const VENUES = ['binance', 'bybit', 'okx', 'deribit', 'defi', 'other'] as const
export const ACCOUNT_MARGIN_MODES = ['cross', 'isolated', 'portfolio'] as const
export const POSITION_MARGIN_MODES = ['cross', 'isolated'] as const
export const INSTRUMENT_KINDS = ['spot', 'perpetual', 'future', 'option'] as const
export const SETTLEMENTS = ['linear', 'inverse'] as const
export const OPTION_TYPES = ['call', 'put'] as const

export type Venue = (typeof VENUES)[number]
export type AccountMarginMode = (typeof ACCOUNT_MARGIN_MODES)[number]
export type PositionMarginMode = (typeof POSITION_MARGIN_MODES)[number]
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number]
export type Settlement = (typeof SETTLEMENTS)[number]
export type OptionType = (typeof OPTION_TYPES)[number]

const DECIMAL_HINT = 'must be a decimal number written as a string, e.g. "65000.5"'

/** A decimal string in plain notation, normalised ("65000.50" -> "65000.5"). */
export const decimalString = z
  .string({ error: DECIMAL_HINT })
  .trim()
  .regex(DECIMAL_RE, { error: DECIMAL_HINT })
  .transform(canonicalDecimal)

export const positiveDecimal = decimalString.refine((s) => new Decimal(s).gt(0), {
  error: 'must be greater than 0',
})
export const nonNegativeDecimal = decimalString.refine((s) => new Decimal(s).gte(0), {
  error: 'must not be negative',
})
export const nonZeroDecimal = decimalString.refine((s) => !new Decimal(s).isZero(), {
  error: 'must not be zero (positive is long, negative is short)',
})

const finite = z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be finite' })
export const fraction01 = finite.refine((n) => n >= 0 && n <= 1, { error: 'must be between 0 and 1' })
const nonNegativeNumber = finite.refine((n) => n >= 0, { error: 'must not be negative' })
const positiveNumber = finite.refine((n) => n > 0, { error: 'must be greater than 0' })

/** ISO 8601 instant with an explicit zone; stored and compared as UTC. */
export const isoInstant = z
  .string({ error: 'must be an ISO 8601 date-time, e.g. "2026-12-25T08:00:00Z"' })
  .trim()
  .pipe(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. "2026-12-25T08:00:00Z"' }))
  .transform((s) => new Date(s).toISOString().replace('.000Z', 'Z'))

export const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' })
export const isoDuration = z.iso.duration({ error: 'must be an ISO 8601 duration, e.g. "P1D" or "PT1H"' })

const assetCode = z
  .string({ error: 'must be an asset code such as "BTC"' })
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, { error: 'must be an asset code such as "BTC" (letters and digits)' })
  .transform((s) => s.toUpperCase())

const identifier = z
  .string({ error: 'must be a non-empty string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(120, { error: 'must be at most 120 characters' })

export const collateralSchema = z.looseObject({
  asset: assetCode,
  amount: nonNegativeDecimal,
  haircut: fraction01.optional(),
  liquidationThreshold: fraction01.optional(),
})
export const debtSchema = z.looseObject({ asset: assetCode, amount: nonNegativeDecimal })

export const accountSchema = z.looseObject({
  id: identifier,
  name: z.string().trim().max(120).optional(),
  venue: z.enum(VENUES, { error: `must be one of ${VENUES.join(', ')}` }),
  marginMode: z.enum(ACCOUNT_MARGIN_MODES, { error: `must be one of ${ACCOUNT_MARGIN_MODES.join(', ')}` }),
  collateral: z.array(collateralSchema).default([]),
  debts: z.array(debtSchema).optional(),
})

export const instrumentSchema = z
  .looseObject({
    kind: z.enum(INSTRUMENT_KINDS, { error: `must be one of ${INSTRUMENT_KINDS.join(', ')}` }),
    settlement: z.enum(SETTLEMENTS, { error: `must be one of ${SETTLEMENTS.join(', ')}` }).default('linear'),
    underlying: assetCode,
    quote: assetCode,
    contractSize: positiveDecimal.optional(),
    expiry: isoInstant.optional(),
    optionType: z.enum(OPTION_TYPES, { error: 'must be call or put' }).optional(),
    strike: positiveDecimal.optional(),
    symbol: z.string().trim().max(80).optional(),
  })
  .superRefine((ins, ctx) => {
    const need = (field: keyof typeof ins, why: string): void => {
      if (ins[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required ${why}` })
    }
    if (ins.kind === 'future' || ins.kind === 'option') need('expiry', ins.kind === 'option' ? 'for an option' : 'for a future')
    if (ins.kind === 'option') {
      need('optionType', 'for an option')
      need('strike', 'for an option')
    }
    if (ins.settlement === 'inverse' && (ins.kind === 'perpetual' || ins.kind === 'future')) {
      need('contractSize', 'for inverse contracts (USD per contract)')
    }
    if (ins.kind === 'spot' && ins.settlement === 'inverse') {
      ctx.addIssue({ code: 'custom', path: ['settlement'], message: 'spot is always linear' })
    }
  })

export const marginTierSchema = z.looseObject({
  maxNotional: positiveDecimal,
  maintenanceRate: fraction01,
  maintenanceAmount: decimalString.default('0'),
  maxLeverage: positiveNumber,
})

const positionShape = z.looseObject({
  id: identifier,
  account: identifier,
  instrument: instrumentSchema,
  quantity: nonZeroDecimal,
  entryPrice: positiveDecimal,
  marginMode: z.enum(POSITION_MARGIN_MODES, { error: 'must be cross or isolated' }).optional(),
  isolatedMargin: nonNegativeDecimal.optional(),
  leverage: positiveNumber.optional(),
  marginTiers: z.array(marginTierSchema).min(1).optional(),
  openedAt: isoInstant.optional(),
  closedAt: isoInstant.optional(),
  closePrice: positiveDecimal.optional(),
  note: z.string().max(2000).optional(),
  /** Expiry reminder lead times of this position, overriding settings.reminderLeadTimes ([] = none). */
  reminderLeadTimes: z.array(isoDuration).max(20, { error: 'at most 20 lead times' }).optional(),
})

function refinePosition(p: z.output<typeof positionShape> | z.output<typeof positionDraftShape>, ctx: z.RefinementCtx): void {
  if (p.marginMode === 'isolated' && p.isolatedMargin === undefined && p.leverage === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['isolatedMargin'],
      message: 'is required for an isolated position (or give its leverage)',
    })
  }
  if (p.marginTiers) {
    for (let i = 1; i < p.marginTiers.length; i++) {
      const prev = p.marginTiers[i - 1]!
      const cur = p.marginTiers[i]!
      if (!new Decimal(cur.maxNotional).gt(prev.maxNotional)) {
        ctx.addIssue({
          code: 'custom',
          path: ['marginTiers', i, 'maxNotional'],
          message: 'tiers must be sorted by maxNotional, strictly increasing',
        })
      }
    }
  }
}

const positionDraftShape = positionShape.extend({ id: identifier.optional() })

export const positionSchema = positionShape.superRefine(refinePosition)
/** A position as a form or an import submits it: the id may be left to the store. */
export const positionDraftSchema = positionDraftShape.superRefine(refinePosition)

const historyPoint = z.tuple([isoDate, positiveDecimal], { error: 'must be a [date, close] pair' })

export const underlyingMarketSchema = z.looseObject({
  price: positiveDecimal,
  vol: nonNegativeNumber.optional(),
  history: z.array(historyPoint).optional(),
  updatedAt: isoInstant.optional(),
})

export const instrumentMarketSchema = z.looseObject({
  mark: positiveDecimal.optional(),
  iv: nonNegativeNumber.optional(),
  forward: positiveDecimal.optional(),
  fundingRate: finite.optional(),
  fundingIntervalHours: positiveNumber.optional(),
  updatedAt: isoInstant.optional(),
})

export const marketSchema = z.looseObject({
  underlyings: z.record(z.string(), underlyingMarketSchema).default({}),
  instruments: z.record(z.string(), instrumentMarketSchema).default({}),
  rates: z.record(z.string(), finite).default({}),
  correlations: z
    .record(
      z.string().regex(/^[A-Za-z0-9]+\/[A-Za-z0-9]+$/, { error: 'must be a pair like "BTC/ETH"' }),
      finite.refine((n) => n >= -1 && n <= 1, { error: 'must be between -1 and 1' }),
    )
    .default({}),
  fx: z.record(z.string(), positiveDecimal).optional(),
})

export const settingsSchema = z.looseObject({
  varConfidence: finite.refine((n) => n > 0.5 && n < 1, { error: 'must be between 0.5 and 1' }).default(0.99),
  varHorizonDays: z.number().int({ error: 'must be a whole number of days' }).min(1).max(250).default(1),
  reminderLeadTimes: z.array(isoDuration).default(['P1D', 'PT1H']),
})

export const portfolioDocumentSchema = z
  .looseObject({
    format: z.literal(PORTFOLIO_FORMAT, { error: `must be "${PORTFOLIO_FORMAT}"` }),
    asOf: isoInstant,
    accounts: z.array(accountSchema),
    positions: z.array(positionSchema),
    market: marketSchema.default({ underlyings: {}, instruments: {}, rates: {}, correlations: {} }),
    settings: settingsSchema.default({ varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: ['P1D', 'PT1H'] }),
  })
  .superRefine((doc, ctx) => {
    const accountIds = new Map<string, number>()
    doc.accounts.forEach((a, i) => {
      if (accountIds.has(a.id)) {
        ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `duplicates accounts[${accountIds.get(a.id)}].id "${a.id}"` })
      } else accountIds.set(a.id, i)
    })
    const positionIds = new Map<string, number>()
    doc.positions.forEach((p, i) => {
      if (positionIds.has(p.id)) {
        ctx.addIssue({ code: 'custom', path: ['positions', i, 'id'], message: `duplicates positions[${positionIds.get(p.id)}].id "${p.id}"` })
      } else positionIds.set(p.id, i)
      if (!accountIds.has(p.account)) {
        ctx.addIssue({ code: 'custom', path: ['positions', i, 'account'], message: `refers to an unknown account "${p.account}"` })
      }
    })
  })

export type Collateral = z.output<typeof collateralSchema>
export type Debt = z.output<typeof debtSchema>
export type Account = z.output<typeof accountSchema>
export type Instrument = z.output<typeof instrumentSchema>
export type MarginTier = z.output<typeof marginTierSchema>
export type Position = z.output<typeof positionSchema>
export type PositionDraft = z.output<typeof positionDraftSchema>
export type UnderlyingMarket = z.output<typeof underlyingMarketSchema>
export type InstrumentMarket = z.output<typeof instrumentMarketSchema>
export type Market = z.output<typeof marketSchema>
export type PortfolioSettings = z.output<typeof settingsSchema>
export type PortfolioDocument = z.output<typeof portfolioDocumentSchema>
/** What a producer may write: defaults not yet applied, decimals not yet normalised. */
export type PortfolioDocumentInput = z.input<typeof portfolioDocumentSchema>

/** One validation problem, its place given as a JSON path: `positions[3].instrument.strike`. */
export interface ValidationIssue {
  path: string
  message: string
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out || '(document)'
}

export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] }

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const result = schema.safeParse(input)
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toValidationIssues(result.error) }
}

export function parsePortfolioDocument(input: unknown): ParseResult<PortfolioDocument> {
  return parseWith(portfolioDocumentSchema, input)
}

/** Positions that are still open: a closed position stays in the book's history but carries no risk. */
export function openPositions(doc: Pick<PortfolioDocument, 'positions'>): Position[] {
  return doc.positions.filter((p) => p.closedAt === undefined)
}
