/**
 * The risk report, version 1 (shared/docs/portfolio-format.md is the contract). Field names of the
 * contract keep their exact meaning; fields added here carry their unit in the name or in `units`.
 * All figures are float64 JSON numbers in USD unless the name or `units` says otherwise; null means
 * "does not exist" (no liquidation price in (0, 100·S), no debt, equity not positive...).
 */
import type { AccountMarginMode, InstrumentKind, Settlement, Venue } from '../shared/portfolio-document'
import type { AnalyticsReportFields } from './analytics/types'

export const REPORT_FORMAT = 'fulcrum.report/1'

/** Margin health of an account or venue, by its margin ratio (maintenance / equity). */
export type MarginStatus = 'ok' | 'warning' | 'danger' | 'liquidatable' | 'no-exposure'

export interface PositionReport {
  id: string
  account: string
  venue: Venue
  kind: InstrumentKind
  settlement: Settlement
  underlying: string
  quote: string
  symbol: string | null
  /** Exact document values, echoed as strings. */
  quantity: string
  entryPrice: string
  contractSize: string
  /** Index price of the underlying, USD. */
  index: number
  /** Mark in the instrument's own convention: quote currency, or coin per unit for inverse options. */
  mark: number
  /** True when the mark is the model value (option without a quoted mark) or the index (no mark given). */
  markIsModel: boolean
  /** Options: position value at the mark, USD (q × size × unit value). Delta-one: 0. */
  valueUsd: number
  notional: number
  unrealizedPnl: number
  /** Greeks of the position in USD terms (contract): delta in underlying units, gamma per 1 USD, vega per vol point, theta per day. */
  delta: number
  deltaUsd: number
  /** Inverse options: the exchange-style coin delta net of the premium (options module's definition); else null. */
  premiumAdjustedDeltaCoin: number | null
  gamma: number
  vega: number
  theta: number
  /** Options: the volatility used (iv, else the underlying's vol, else implied by the mark); else null. */
  vol: number | null
  marginMode: 'cross' | 'isolated' | 'portfolio'
  /** Isolated margin in USD (null when cross). */
  isolatedMargin: number | null
  initialMargin: number
  maintenanceMargin: number
  /** Isolated positions: maintenance / (isolated margin + PnL) by the venue's rule; null when cross. */
  marginRatio: number | null
  /** Isolated: the MARK at which the position is liquidated; cross: the account's INDEX liquidation price for this underlying. */
  liquidationPrice: number | null
  liquidationPriceBasis: 'mark' | 'index'
  /** |reference − liquidationPrice| / reference, the reference being the mark (isolated) or index (cross). */
  liquidationDistance: number | null
  fundingRate: number
  fundingIntervalHours: number
  /** USD per funding interval and per day; negative when the position pays. */
  fundingPerInterval: number
  fundingPerDay: number
  /** Delta-one positions: the same figures in exact decimal arithmetic from the document's strings (null for options). */
  notionalExact: string | null
  unrealizedPnlExact: string | null
  fundingPerDayExact: string | null
  expiry: string | null
  secondsToExpiry: number | null
  /** Key of the margin table used (e.g. `binance-usdm:BTC`, `position:p1`, `deribit-futures`, `option-standard`). */
  marginTable: string | null
  /** Market data (issue 8): true when an input of this position is older than the stale threshold. */
  stale: boolean
  /** Document paths of the stale inputs, e.g. `market.underlyings.BTC`, `market.instruments.p1`. */
  staleInputs: string[]
  /** The oldest `updatedAt` among the position's market inputs (null when none carries a time). */
  marketDataUpdatedAt: string | null
}

export interface LiquidationCrossings {
  below: number | null
  above: number | null
}

export interface AccountReport {
  id: string
  venue: Venue
  marginMode: AccountMarginMode
  equity: number
  collateralValue: number
  unrealizedPnl: number
  debt: number
  initialMargin: number
  maintenanceMargin: number
  /** maintenanceMargin / equity; liquidation at 1. DeFi accounts: 1 / healthFactor. Null when equity ≤ 0. */
  marginRatio: number | null
  /** equity − initialMargin. */
  availableMargin: number
  grossNotional: number
  leverage: number | null
  /** Cross (index) liquidation price per underlying; null where none exists in (0, 100 × index). */
  liquidationPrice: Record<string, number | null>
  liquidationDistance: Record<string, number | null>
  /** Both nearest crossings around the index, for books that can be liquidated either way. */
  liquidationCrossings: Record<string, LiquidationCrossings>
  healthFactor: number | null
  fundingPerDay: number
  status: MarginStatus
  positions: string[]
  /** Market data (issue 8): one of its positions, or a collateral coin's price, is stale. */
  stale: boolean
}

export interface VenueReport {
  venue: Venue
  accounts: string[]
  equity: number
  initialMargin: number
  maintenanceMargin: number
  /** Summed over the venue's accounts; see worstAccountMarginRatio: accounts do not share collateral either. */
  marginRatio: number | null
  worstAccount: string | null
  worstAccountMarginRatio: number | null
  /** Smallest liquidation distance of any account or isolated position at this venue. */
  minLiquidationDistance: number | null
  grossNotional: number
  leverage: number | null
  status: MarginStatus
}

export interface PortfolioReport {
  equity: number
  grossNotional: number
  /** Σ over underlyings of |net delta × index|. */
  netNotional: number
  leverage: number | null
  netLeverage: number | null
  netDelta: Record<string, number>
  netDeltaUsd: number
  /** Coin held as collateral less coin owed, per underlying (delta the positions do not show). */
  collateralDelta: Record<string, number>
  gamma: number
  vega: number
  theta: number
  notionalByVenue: Record<string, number>
  notionalByUnderlying: Record<string, number>
  initialMargin: number
  maintenanceMargin: number
  /** Σ maintenance / Σ equity. Collateral does NOT net across venues: read it next to the worst ones. */
  marginRatio: number | null
  worstVenueMarginRatio: number | null
  weakestVenue: Venue | null
  worstAccountMarginRatio: number | null
  weakestAccount: string | null
  /** The liquidation nearest in price across the whole book: which account (or isolated position) dies first, and where. */
  minLiquidationDistance: {
    account: string
    venue: Venue
    underlying: string
    position: string | null
    distance: number
    /** The liquidation price, USD: an index price for a cross account, a mark for an isolated position. */
    price: number
    basis: 'index' | 'mark'
  } | null
  fundingPerDay: number
  status: MarginStatus
  var: {
    confidence: number
    horizonDays: number
    historical: number | null
    parametric: number | null
    monteCarlo: number | null
    // Analytics (engine/analytics/var.ts): what the figures rest on. Null where not computed.
    historicalScenarios: number
    historicalFrom: string | null
    historicalTo: string | null
    monteCarloPaths: number | null
    monteCarloSeed: number | null
  }
  expectedShortfall: { historical: number | null; parametric: number | null; monteCarlo: number | null }
}

export interface ReviewWindow {
  positionId: string
  account: string
  kind: InstrumentKind
  expiry: string
  secondsLeft: number
  expired: boolean
  /** Reminder instants from settings.reminderLeadTimes, soonest last. */
  reminders: Array<{ leadTime: string; at: string; due: boolean }>
}

export interface HedgeSuggestion {
  underlying: string
  account: string
  instrument: Record<string, unknown>
  quantity: string
  dailyCost: number
  reason: string
  // Analytics (engine/analytics/hedges.ts): the candidate it is, and its terms.
  venue: Venue
  candidateId: string
  /** Price the hedge is assumed to trade at (its mark), quote currency per unit. */
  price: string
  marginUsedUsd: number
  feeOpenUsd: number
  fundingPerDay: number
  /** The underlying's hedged delta after the trade (underlying units). */
  deltaAfter: number
}

export interface MarginTableUse {
  key: string
  status: string
  source: string | null
}

export interface RiskReport extends AnalyticsReportFields {
  format: typeof REPORT_FORMAT
  asOf: string
  /** The clock review windows were measured against. */
  now: string
  currency: 'USD'
  positions: PositionReport[]
  accounts: AccountReport[]
  venues: VenueReport[]
  weakestVenue: Venue | null
  portfolio: PortfolioReport
  reviewWindows: ReviewWindow[]
  hedges: HedgeSuggestion[]
  marginTables: MarginTableUse[]
  warnings: string[]
  /** Units and bases of the figures, so the report explains itself. */
  units: Record<string, string>
  /** Age of every market input and which figures rest on stale ones (issue 8). */
  marketData: MarketDataFreshness
}

/** Age of one market input, measured against asOf. */
export interface MarketDataAge {
  updatedAt: string | null
  /** Seconds between updatedAt and asOf; null when the input carries no time. */
  ageSeconds: number | null
  stale: boolean
}

export interface MarketDataFreshness {
  /** Inputs older than this many seconds before asOf are stale. */
  staleAfterSeconds: number
  /** True when any figure of the report rests on stale market data. */
  stale: boolean
  underlyings: Record<string, MarketDataAge>
  /** Keyed by position id, like `market.instruments`. */
  instruments: Record<string, MarketDataAge>
  stalePositions: string[]
  staleAccounts: string[]
}
