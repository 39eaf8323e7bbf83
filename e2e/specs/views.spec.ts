/**
 * Every view on the demo portfolio: it renders the engine's own figures (read back from the same
 * backend through the API), shows no console errors, and leaves a 1280×800 screenshot as an artifact.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { RiskReportView } from '../../electron/shared/api-contract'
import type { Page } from '@playwright/test'
import { test, expect } from '../fixtures'

const SHOTS = path.join('e2e', '.artifacts', 'screenshots')
const MINUS = '\u2212'
const usd = (n: number): string => Math.round(n).toLocaleString('en-US').replace(/^-/, MINUS)
const pct = (f: number): string => `${(f * 100).toFixed(1)}%`.replace(/^-/, MINUS)

async function shoot(page: Page, name: string, project: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${project}-${name}.png`) })
}

test('every view shows the risk report’s figures for the demo book', async ({ app }, testInfo) => {
  const { page } = app
  const project = testInfo.project.name
  const { report } = await app.call<RiskReportView>('riskReport')

  // Dashboard: total equity, weakest venue, next expiries.
  await expect(page.getByTestId('kpi-equity').getByTestId('kpi-value')).toHaveText(usd(report.portfolio.equity))
  const weakest = report.venues.find((v) => v.venue === report.portfolio.weakestVenue)!
  await expect(page.getByTestId(`venue-row-${weakest.venue}`).locator('.weakest-badge')).toBeVisible()
  await expect(page.getByTestId(`venue-row-${weakest.venue}`).getByTestId('venue-margin-ratio')).toHaveText(pct(weakest.worstAccountMarginRatio!))
  // Which account dies first, and at what price.
  const nearest = report.portfolio.minLiquidationDistance!
  const firstCard = page.getByTestId('kpi-first-liquidation')
  await expect(firstCard.getByTestId('kpi-value')).toHaveText(`${nearest.underlying} ${nearest.price >= 1000 ? usd(nearest.price) : String(nearest.price)}`)
  await expect(firstCard).toContainText(`${pct(nearest.distance)} away`)
  await shoot(page, 'dashboard', project)

  // Positions: each row's notional and liquidation distance are the report's.
  await page.getByTestId('nav-positions').click()
  for (const p of report.positions) {
    const row = page.getByTestId(`position-row-${p.id}`)
    await expect(row.getByTestId('cell-notional')).toHaveText(usd(p.notional))
    if (p.liquidationDistance !== null) await expect(row.getByTestId('cell-liq-distance')).toHaveText(pct(p.liquidationDistance))
  }
  await shoot(page, 'positions', project)

  // Margin: each account's margin ratio.
  await page.getByTestId('nav-margin').click()
  for (const a of report.accounts) {
    if (a.marginRatio === null) continue
    await expect(page.getByTestId(`margin-account-${a.id}`)).toContainText(pct(a.marginRatio))
  }
  await expect(page.getByTestId('margin-bars').locator('canvas')).toBeVisible()
  await shoot(page, 'margin', project)

  // Review windows: every position with an expiry, ticking.
  await page.getByTestId('nav-review-windows').click()
  for (const w of report.reviewWindows) await expect(page.getByTestId(`review-row-${w.positionId}`)).toBeVisible()
  const first = page.getByTestId(`review-row-${report.reviewWindows[0]!.positionId}`).getByTestId('countdown')
  const before = await first.textContent()
  await expect(first).not.toHaveText(before!, { timeout: 3000 })
  await shoot(page, 'review-windows', project)

  for (const view of ['hedging', 'import', 'settings']) {
    await page.getByTestId(`nav-${view}`).click()
    await expect(page.locator('h1').first()).toBeVisible()
    await shoot(page, view, project)
  }
  expect(app.consoleErrors).toEqual([])
})

test('keyboard moves between views', async ({ app }) => {
  const { page } = app
  await page.keyboard.press('Alt+2')
  await expect(page.getByRole('heading', { name: 'Positions', level: 1 })).toBeVisible()
  await page.keyboard.press('Alt+3')
  await expect(page.getByRole('heading', { name: 'Margin', level: 1 })).toBeVisible()
  await page.keyboard.press('Alt+1')
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
})

test('the positions table sorts, filters and edits inline', async ({ app }) => {
  const { page } = app
  await page.getByTestId('nav-positions').click()
  await page.getByTestId('filter-text').fill('BTCUSDT')
  await expect(page.getByTestId('row-count')).toHaveText('2 of 9')
  await page.getByTestId('filter-text').fill('')
  await page.getByTestId('sort-quantity').click() // notional desc -> quantity desc
  const firstId = await page.locator('[data-position-id]').first().getAttribute('data-position-id')
  expect(firstId).toBe('demo-bn-btc-quarter') // 400 contracts, the largest quantity
  const qty = page.getByTestId('position-row-demo-bn-btc-perp').getByTestId('cell-quantity')
  await qty.dblclick()
  await page.getByTestId('inline-input').fill('1.25')
  await page.getByTestId('inline-input').press('Enter')
  await expect(qty).toHaveText('1.25')
  const { document } = await app.call<{ document: { positions: { id: string; quantity: string }[] } }>('bookGet')
  expect(document.positions.find((p) => p.id === 'demo-bn-btc-perp')!.quantity).toBe('1.25')
})
