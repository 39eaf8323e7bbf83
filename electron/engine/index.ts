/**
 * The risk engine. Pure: no Electron, no SQLite, no I/O; data files are static JSON imports.
 *
 * - computeRiskReport(doc, options): the report the Dashboard, the Margin view and `fulcrum risk` show.
 * - prepareBook + revalue: the reusable full revaluation for VaR, stress and hedging. Prepare once,
 *   then revalue(book, scenario, out) as often as needed; it allocates nothing.
 */
export { computeRiskReport, type RiskReportOptions } from './report'
export * from './report-types'
export { RiskInputError } from './errors'
export { prepareBook, type PreparedBook, type PreparedAccount, type PrepareOptions } from './book'
export {
  revalue,
  baseScenario,
  createRevaluation,
  evaluateAccount,
  createAccountEval,
  portfolioMaintenanceUsd,
  type Scenario,
  type Revaluation,
  type AccountEval,
} from './revalue'
export { crossLiquidation, isolatedLiquidationPrice, isolatedMarginRatioAtMark, accountRiskFactors, type LiquidationSearch } from './liquidation'
