/**
 * The analytics' fields of the risk report (report-types.ts extends RiskReport with them). Units:
 * money in USD, moves and ratios as fractions, deltas in underlying units, per-day figures per
 * calendar day. See UNITS in index.ts for the report's own explanation.
 */
import type { CascadeResult } from './cascade'
import type { CollateralQuality } from './collateral'
import type { HedgeCandidate, HedgeTarget } from './hedges'
import type { LeverageCaps } from './caps'
import type { MarginCallPlan } from './margin-calls'
import type { VenueOutage } from './outage'
import type { StressResult } from './stress'
import type { VarBreakdownRow, VarResult } from './var'

export type AnalyticsCompleteness = 'fast' | 'complete'

export interface AnalyticsReportFields {
  /**
   * `fast`: what computeRiskReport computes inline (parametric VaR, stress, hedges, caps, collateral,
   * margin calls). `complete`: also historical and Monte Carlo VaR, the P&L distribution, cascades
   * and venue outages (completeRiskReport, `fulcrum risk`, the app's worker threads).
   */
  analytics: AnalyticsCompleteness
  /** VaR and ES per account and per venue, the same three ways as portfolio.var. */
  varBreakdown: { accounts: VarBreakdownRow[]; venues: VarBreakdownRow[] }
  /** The simulated P&L (USD) for a histogram; null in a `fast` report. */
  pnlDistribution: VarResult['distribution'] | null
  /** The deltas the hedges neutralise, and every ranked candidate (hedges[] holds the best per underlying). */
  hedgeTargets: HedgeTarget[]
  hedgeCandidates: HedgeCandidate[]
  stress: StressResult[]
  /** Liquidation cascades along every stress scenario's path; [] in a `fast` report. */
  cascades: CascadeResult[]
  /** Each venue frozen during the worst crash scenario; [] in a `fast` report. */
  venueOutages: VenueOutage[]
  leverageCaps: LeverageCaps
  collateralQuality: CollateralQuality
  marginCalls: MarginCallPlan[]
}
