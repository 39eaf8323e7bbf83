/**
 * Risk analytics on the demo portfolio in browser mode: the dashboard's VaR/ES (parametric at once,
 * historical and Monte Carlo from worker threads), a hedge and its what-if, the Scenarios view's
 * charts and a stress case's cascade. Figures are read back from the same backend through the API.
 */
import type { AnalyticsVarView } from '../../electron/shared/analytics-contract'
import type { RiskReportView } from '../../electron/shared/api-contract'
import { test, expect } from '../fixtures'
import { HedgingPage } from '../pages/hedging-page'
import { ScenariosPage } from '../pages/scenarios-page'

const MINUS = '\u2212'
const usd = (n: number): string => Math.round(n).toLocaleString('en-US').replace(/^-/, MINUS)

// Worker threads start from the TypeScript sources on first use: give the first VaR time to land.
const WORKERS = { timeout: 90_000 }
const num = (text: string | null): number => Number((text ?? '').replace(MINUS, '-').replace(/,/g, ''))

test('the dashboard shows VaR and ES, historical once the workers are done', async ({ app }) => {
  test.setTimeout(150_000)
  const { page } = app
  const card = page.getByTestId('kpi-var')
  await expect(card.getByTestId('kpi-value')).not.toHaveText('—')
  await expect(card.getByTestId('var-es')).toContainText('ES')
  await expect(card.getByTestId('var-method')).toHaveText(/hist\./, WORKERS)
  const view = await app.call<AnalyticsVarView>('analyticsVar')
  expect(view.status).toBe('ready')
  await expect(card.getByTestId('kpi-value')).toHaveText(usd(view.result!.var.historical!))
  await expect(card.getByTestId('var-es')).toHaveText(`ES ${usd(view.result!.expectedShortfall.historical!)}`)
  expect(view.result!.expectedShortfall.historical!).toBeGreaterThanOrEqual(view.result!.var.historical!)
  expect(app.consoleErrors).toEqual([])
})

test('the Hedging view lists a suggestion; its what-if changes the figures; planning records it', async ({ app }) => {
  const { page } = app
  const { report } = await app.call<RiskReportView>('riskReport')
  const hedging = new HedgingPage(page)
  await hedging.open()
  const best = report.hedgeCandidates.find((c) => c.underlying === 'BTC' && c.rank === 1)!
  const row = hedging.candidate('BTC', 1)
  await expect(row).toContainText(best.instrument.symbol!)
  await expect(row.getByTestId('cell-cost')).toHaveText(best.dailyCost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/^-/, MINUS))

  const panel = await hedging.whatIf('BTC', 1)
  const netDelta = panel.getByTestId('whatif-net-delta')
  // The demo's marks move with the clock, so "before" is today's book, within a hair of the report read above.
  const before = num(await netDelta.getByTestId('before').textContent())
  expect(Math.abs(before - report.portfolio.netDeltaUsd)).toBeLessThan(0.01 * Math.abs(report.portfolio.netDeltaUsd))
  // Selling the BTC delta takes its USD value off the book's net delta.
  const afterUsd = num(await netDelta.getByTestId('after').textContent())
  const btcIndex = report.positions.find((p) => p.underlying === 'BTC')!.index
  expect(Math.abs(afterUsd - (before - best.deltaBefore * btcIndex))).toBeLessThanOrEqual(best.deltaPerLot * btcIndex + 0.01 * Math.abs(before))
  // The hedged underlying's delta goes to within one lot of zero.
  const after = num(await panel.getByTestId('whatif-row-BTC').getByTestId('after-delta').textContent())
  expect(Math.abs(after)).toBeLessThanOrEqual(best.deltaPerLot)
  await expect(panel.getByTestId(`whatif-account-${best.account}`)).toBeVisible()

  await panel.getByTestId('whatif-plan').click()
  await expect(hedging.plannedRows()).toHaveCount(1)
  await expect(hedging.plannedRows().first()).toContainText(best.instrument.symbol!)
  await expect(hedging.plannedRows().first()).toContainText('planned')
  expect(app.consoleErrors).toEqual([])
})

test('the Scenarios view draws its charts and the cascade of a stress case', async ({ app }) => {
  const { page } = app
  const scenarios = new ScenariosPage(page)
  await scenarios.open()
  await expect(scenarios.chart('payoff-chart')).toBeVisible()
  await expect(scenarios.chart('heatmap-chart')).toBeVisible()
  await expect(scenarios.chart('var-histogram')).toBeVisible(WORKERS)

  // A crash liquidates the Binance account; the cascade says what that leaves unhedged.
  const crash = await scenarios.pick('Crypto −30 %, vol +50')
  await expect(scenarios.chart('cascade-chart')).toBeVisible()
  await expect(crash.getByTestId('cascade-event-1')).toContainText(/BTC −2\d\.\d % liquidates Binance, after which .* unhedged/)

  // A squeeze: the isolated ETH short first, then Bybit's short.
  const squeeze = await scenarios.pick('Short squeeze +25 %, vol +25')
  await expect(squeeze.getByTestId('cascade-event-1')).toContainText('liquidates demo-bn-eth-perp')
  await expect(squeeze.getByTestId('cascade-event-2')).toContainText('liquidates Bybit')

  // The same shock with Deribit failing too.
  await page.getByTestId('outage-venue').selectOption('deribit')
  await expect(page.getByTestId('outage-result')).toContainText('Deribit frozen')
  expect(app.consoleErrors).toEqual([])
})
