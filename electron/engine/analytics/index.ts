/**
 * Risk analytics on top of the engine core: VaR and ES three ways, stress scenarios, liquidation
 * cascades, venue outages, volatility-adjusted leverage caps, collateral quality, hedge suggestions
 * and margin-call prevention. Pure, like the rest of the engine.
 *
 * - computeRiskReport (report.ts) carries the fast part (fast.ts);
 * - completeRiskReport adds the heavy part in this thread (the CLI);
 * - the app runs the heavy part as chunks in worker threads (var.ts: createVarContext, runVarChunk,
 *   assembleVar) and merges it with mergeHeavyAnalytics, so both paths produce the same report.
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import { prepareBook, type PreparedBook } from '../book'
import { computeRiskReport, type RiskReportOptions } from '../report'
import type { RiskReport } from '../report-types'
import { reportNumberOrNull } from '../seam'
import { runCascade, type CascadeResult } from './cascade'
import { marketHistory } from './history'
import { venueOutage, type VenueOutage } from './outage'
import { analyticsSettingsOf } from './settings'
import { allScenarios, worstHistoricalDay, type StressScenario } from './stress'
import { computeVar, type VarBreakdownRow, type VarKernel, type VarResult } from './var'

export * from './var'
export * from './stress'
export * from './cascade'
export * from './outage'
export * from './hedges'
export * from './margin-calls'
export * from './caps'
export * from './collateral'
export * from './payoff'
export * from './types'
export * from './whatif'
export { analyticsSettingsOf } from './settings'
export { accountExposures } from './exposures'

export interface HeavyAnalytics {
  var: VarResult
  cascades: CascadeResult[]
  venueOutages: VenueOutage[]
}

/** The scenarios of a document: library, the trader's own, the worst day of its history. */
export function scenariosOf(doc: PortfolioDocument, book: PreparedBook = prepareBook(doc)): StressScenario[] {
  const settings = analyticsSettingsOf(doc)
  return allScenarios(settings.stressScenarios, worstHistoricalDay(book, marketHistory(doc, book, settings.varHorizonDays)))
}

/** Cascades along every scenario, and each venue frozen in the scenario that hurts the book most. */
export function cascadesAndOutages(doc: PortfolioDocument, book: PreparedBook = prepareBook(doc)): Pick<HeavyAnalytics, 'cascades' | 'venueOutages'> {
  const scenarios = scenariosOf(doc, book)
  const cascades = scenarios.map((s) => runCascade(doc, book, s))
  let worst: StressScenario | null = null
  let worstPnl = Infinity
  cascades.forEach((c, i) => {
    if (c.finalPnlWithoutLiquidationsUsd < worstPnl) {
      worstPnl = c.finalPnlWithoutLiquidationsUsd
      worst = scenarios[i]!
    }
  })
  const venues = [...new Set(book.accounts.map((a) => a.venue))] as Venue[]
  const venueOutages = worst && venues.length > 1 ? venues.map((v) => venueOutage(doc, book, worst!, v)) : []
  return { cascades, venueOutages }
}

export function heavyAnalytics(doc: PortfolioDocument, book: PreparedBook = prepareBook(doc), kernel: VarKernel = 'compiled'): HeavyAnalytics {
  return { var: computeVar(doc, book, ['historical', 'monteCarlo'], kernel), ...cascadesAndOutages(doc, book) }
}

const rounded = (row: VarBreakdownRow): VarBreakdownRow => ({
  id: row.id,
  venue: row.venue,
  var: { historical: reportNumberOrNull(row.var.historical), parametric: reportNumberOrNull(row.var.parametric), monteCarlo: reportNumberOrNull(row.var.monteCarlo) },
  expectedShortfall: {
    historical: reportNumberOrNull(row.expectedShortfall.historical),
    parametric: reportNumberOrNull(row.expectedShortfall.parametric),
    monteCarlo: reportNumberOrNull(row.expectedShortfall.monteCarlo),
  },
})

/** The fast report with the heavy results merged in: the complete report. */
export function mergeHeavyAnalytics(report: RiskReport, heavy: Partial<HeavyAnalytics>): RiskReport {
  const v = heavy.var
  const next: RiskReport = { ...report }
  if (v) {
    const total = rounded({ id: 'total', venue: 'other', var: v.var, expectedShortfall: v.expectedShortfall })
    next.portfolio = {
      ...report.portfolio,
      var: {
        ...report.portfolio.var,
        historical: total.var.historical,
        parametric: total.var.parametric,
        monteCarlo: total.var.monteCarlo,
        historicalScenarios: v.historicalScenarios,
        historicalFrom: v.historicalFrom,
        historicalTo: v.historicalTo,
        monteCarloPaths: v.monteCarloPaths,
        monteCarloSeed: v.monteCarloSeed,
      },
      expectedShortfall: total.expectedShortfall,
    }
    next.varBreakdown = { accounts: v.byAccount.map(rounded), venues: v.byVenue.map(rounded) }
    next.pnlDistribution = v.distribution
    const known = new Set(report.warnings)
    next.warnings = [...report.warnings, ...v.warnings.filter((w) => !known.has(w))]
  }
  if (heavy.cascades) next.cascades = heavy.cascades
  if (heavy.venueOutages) next.venueOutages = heavy.venueOutages
  next.analytics = v && heavy.cascades && heavy.venueOutages ? 'complete' : report.analytics
  return next
}

/** Everything, in this thread: what `fulcrum risk` prints. */
export function completeRiskReport(doc: PortfolioDocument, options: RiskReportOptions = {}): RiskReport {
  const report = computeRiskReport(doc, options)
  const book = prepareBook(doc, options.staleAfterSeconds === undefined ? {} : { staleAfterSeconds: options.staleAfterSeconds })
  return mergeHeavyAnalytics(report, heavyAnalytics(doc, book))
}
