/**
 * The analytics computeRiskReport carries inline: cheap enough for every refresh of the UI (a
 * covariance, a few dozen small what-ifs, one revaluation per stress scenario). Historical and Monte
 * Carlo VaR, the P&L distribution, cascades and venue outages are the heavy part (index.ts:
 * completeRiskReport, or the app's worker threads), merged into the same report shape.
 */
import type { PortfolioDocument } from '../../shared/portfolio-document'
import type { PreparedBook } from '../book'
import type { RiskReport } from '../report-types'
import { reportNumberOrNull } from '../seam'
import { leverageCaps } from './caps'
import { collateralQuality } from './collateral'
import { hedgeAnalysis } from './hedges'
import { marketHistory } from './history'
import { marginCallPlans } from './margin-calls'
import { analyticsSettingsOf } from './settings'
import { allScenarios, runStress, stressBase, worstHistoricalDay } from './stress'
import type { AnalyticsReportFields } from './types'
import { parametricFigures, type VarBreakdownRow } from './var'
import type { Venue } from '../../shared/portfolio-document'

export type CoreReport = Omit<RiskReport, keyof AnalyticsReportFields>

export function attachFastAnalytics(doc: PortfolioDocument, book: PreparedBook, core: CoreReport): RiskReport {
  const settings = analyticsSettingsOf(doc)
  const history = marketHistory(doc, book, settings.varHorizonDays)
  const venues: Venue[] = []
  const venueOfAccount = new Int32Array(book.accounts.length)
  book.accounts.forEach((acc, a) => {
    let v = venues.indexOf(acc.venue)
    if (v < 0) v = venues.push(acc.venue) - 1
    venueOfAccount[a] = v
  })
  const para = parametricFigures({ book, history, venues, venueOfAccount, settings })
  const noExposure = history.usable && history.factors.length === 0
  const pv = (s: number): number | null => (noExposure ? 0 : para ? reportNumberOrNull(para.var[s]!) : null)
  const pe = (s: number): number | null => (noExposure ? 0 : para ? reportNumberOrNull(para.es[s]!) : null)
  const A = book.accounts.length
  const row = (id: string, venue: Venue, s: number): VarBreakdownRow => ({
    id,
    venue,
    var: { historical: null, parametric: pv(s), monteCarlo: null },
    expectedShortfall: { historical: null, parametric: pe(s), monteCarlo: null },
  })
  const portfolio = {
    ...core.portfolio,
    var: {
      ...core.portfolio.var,
      parametric: pv(0),
      historicalScenarios: history.nHorizon,
      historicalFrom: history.nHorizon > 0 ? history.dates[0]! : null,
      historicalTo: history.nHorizon > 0 ? history.dates[history.dates.length - 1]! : null,
    },
    expectedShortfall: { ...core.portfolio.expectedShortfall, parametric: pe(0) },
  }
  const hedging = hedgeAnalysis({ doc, book, settings, positions: core.positions, accounts: core.accounts })
  const scenarios = allScenarios(settings.stressScenarios, worstHistoricalDay(book, history))
  const base = stressBase(book)
  return {
    ...core,
    portfolio,
    hedges: hedging.hedges,
    warnings: [...core.warnings, ...history.warnings],
    units: { ...core.units, ...ANALYTICS_UNITS },
    analytics: 'fast',
    varBreakdown: {
      accounts: book.accounts.map((acc, a) => row(acc.id, acc.venue, 1 + a)),
      venues: venues.map((v, i) => row(v, v, 1 + A + i)),
    },
    pnlDistribution: null,
    hedgeTargets: hedging.targets,
    hedgeCandidates: hedging.candidates,
    stress: scenarios.map((s) => runStress(doc, book, s, base)),
    cascades: [],
    venueOutages: [],
    leverageCaps: leverageCaps(doc, book, history, settings, core.accounts),
    collateralQuality: collateralQuality(doc, book, history, settings),
    marginCalls: marginCallPlans(doc, book, settings, core.accounts),
  }
}

export const ANALYTICS_UNITS: Record<string, string> = {
  'portfolio.var': 'USD, positive = loss, at settings.varConfidence over settings.varHorizonDays (portfolio-format.md: historical, parametric delta-normal, Monte Carlo)',
  'portfolio.expectedShortfall': 'USD, mean loss beyond VaR',
  varBreakdown: 'VaR and ES per account and per venue (venue = the sum of its accounts scenario by scenario), USD',
  pnlDistribution: 'P&L per historical scenario (USD, negative = loss, dated by its last day) and histograms (bin edges in USD)',
  hedges: 'the best feasible trade per underlying that brings its delta (settings.hedgeDeltaBasis: positions = portfolio.netDelta, equity = with coin collateral) within one lot of zero; quantity in contracts; dailyCost USD/day, positive = cost',
  hedgeCandidates: 'every candidate, ranked per underlying; marginUsedUsd = initial margin added to its account; fundingPerDay USD/day, negative = pays; carryPerDay USD/day from a dated future converging to the index',
  stress: 'priceMoves fractions (−0.2 = −20 %), volShift absolute (0.1 = +10 vol points), daysForward calendar days; pnlUsd = equity change; marginRatio = maintenance / equity (liquidation at 1)',
  cascades: 'liquidations in path order; t = fraction of the scenario path; lossUsd = equity at asOf of what is liquidated minus what it keeps; netDelta in underlying units',
  venueOutages: 'a venue frozen in the worst crash scenario: P&L (USD) if it reopens and if it fails (its equity lost)',
  leverageCaps: 'maxLeverage = 1 / (k·σ_daily + maintenance rate) per position, gross notional / (k·σ$ + maintenance) per account; daily vols as fractions',
  collateralQuality: 'values in USD after haircut; correlationWithPositions > 0.3 = wrong-way; stressedValueUsd after a k-sigma daily fall',
  marginCalls: 'accounts above settings.marginRatioTarget: add collateral (amount in the asset, USD value) or cut a position (contracts, signed like the trade), costUsd in USD, liquidationDistanceAfter a fraction of the index',
}
