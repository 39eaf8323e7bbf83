import { test, expect } from '../fixtures'
import { HistoryPage } from '../pages/history-page'
import { MarketPage } from '../pages/market-page'
import { PositionsPage } from '../pages/positions-page'
import { FakeVenueServer } from '../../electron/services/market/feed/fake-venues'

/** Daily closes for the last `days` days before today (UTC), a gentle walk around `level`. */
function closesCsv(days: number, level: number): string {
  const lines = ['date,close']
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate())
  for (let i = days; i >= 1; i--) {
    const day = new Date(today - i * 86_400_000).toISOString().slice(0, 10)
    lines.push(`${day},${(level * (1 + 0.02 * Math.sin(i))).toFixed(2)}`)
  }
  return lines.join('\n') + '\n'
}

test.describe('market data and history', () => {
  test('on a fresh database the demo shows a History chart, labelled as generated', async ({ app }) => {
    // The demo's revalued history is computed in a worker thread; on a loaded machine that takes a while.
    test.setTimeout(120_000)
    const history = new HistoryPage(app.page)
    await history.open()
    await expect(app.page.getByTestId('history-equity-chart').locator('canvas')).toBeVisible()
    await expect(app.page.getByTestId('history-margin-chart').locator('canvas')).toBeVisible()
    // The demo's year of revalued history arrives from a worker thread shortly after start.
    await expect.poll(() => history.snapshotCount(), { timeout: 45_000 }).toBeGreaterThan(80)
    await expect(app.page.getByTestId('history-generated')).toBeVisible()

    const market = new MarketPage(app.page)
    await market.open()
    await expect(market.underlying('BTC').getByTestId('cell-history')).toHaveText('400 days')
    await expect(app.page.getByTestId('history-generated')).toContainText('generated')
    expect(app.consoleErrors).toEqual([])
  })

  test('importing a price-history CSV replaces the generated history and says so', async ({ app }) => {
    const market = new MarketPage(app.page)
    await market.open()
    await app.page.getByTestId('history-underlying').selectOption('SOL')
    await expect(app.page.getByTestId('history-generated')).toBeVisible()
    await market.importHistory({ name: 'SOLUSDT-1d.csv', text: closesCsv(120, 140) }, 'SOL', 'replace')
    await expect(app.page.getByTestId('history-import-result')).toContainText('Now 120 days')
    await expect(app.page.getByTestId('history-summary')).toContainText('120 days')
    await expect(app.page.getByTestId('history-generated')).toBeHidden()
    await expect(app.page.getByTestId('history-label')).toHaveText('imported from SOLUSDT-1d.csv')
    await expect(market.underlying('SOL').getByTestId('cell-history')).toHaveText('120 days')

    // The same file again changes nothing.
    await market.importHistory({ name: 'SOLUSDT-1d.csv', text: closesCsv(120, 140) }, 'SOL', 'merge')
    await expect(app.page.getByTestId('history-import-result')).toContainText('0 added, 0 replaced, 120 unchanged')
    expect(app.consoleErrors).toEqual([])
  })

  test('an old mark shows as stale everywhere, and editing it re-prices every view', async ({ app }) => {
    const { page } = app
    // Arrange: the same book, its Binance BTC perp marked three hours ago.
    const doc = await app.call<{ market: { instruments: Record<string, { updatedAt?: string }> } }>('portfolioExport')
    doc.market.instruments['demo-bn-btc-perp']!.updatedAt = new Date(Date.now() - 3 * 3_600_000).toISOString()
    await app.call('portfolioImport', { document: doc })

    await expect(page.getByTestId('stale-notice')).toContainText('1 position')
    const positions = new PositionsPage(page)
    await positions.open()
    const row = page.getByTestId('position-row-demo-bn-btc-perp')
    await expect(row.getByTestId('stale-flag')).toBeVisible()

    const market = new MarketPage(page)
    await market.open()
    const perp = market.instrument('BTCUSDT', 'Binance USD-M')
    await expect(perp.getByTestId('stale-flag')).toBeVisible()
    await expect(perp.getByTestId('cell-age')).toHaveText('3 h ago')
    await expect(page.getByTestId('stale-banner')).toBeVisible()

    await market.editMark(perp, '100000')
    await expect(perp.getByTestId('cell-mark')).toHaveText('100,000')
    await expect(perp.getByTestId('cell-source')).toHaveText('by hand')
    await expect(perp.getByTestId('stale-flag')).toBeHidden()

    await positions.open()
    await expect(row.getByTestId('cell-mark')).toHaveText('100,000')
    await expect(row.getByTestId('stale-flag')).toBeHidden()
    await expect(page.getByTestId('stale-notice')).toBeHidden()
    expect(app.consoleErrors).toEqual([])
  })
})

test.describe('live feed against a local fake of the venues', () => {
  const venues = new FakeVenueServer()
  test.beforeAll(async () => {
    await venues.start()
    Object.assign(venues.market.index, { BTC: '95001.5', ETH: '3100.25', SOL: '140.5' })
    Object.assign(venues.market.mark, { BTCUSDT: '95010', 'BTC-PERPETUAL': '95020.5' })
    // `fulcrum serve` (started per test by the fixture) inherits this and sends every venue there.
    process.env.FULCRUM_MARKET_FEED_URL = venues.origin
  })
  test.afterAll(async () => {
    delete process.env.FULCRUM_MARKET_FEED_URL
    await venues.stop()
  })

  test('marks update live, and a dropped connection recovers by itself', async ({ app }) => {
    test.setTimeout(120_000)
    const { page } = app
    const market = new MarketPage(page)
    await market.open()
    const chip = page.locator('header').getByTestId('feed-status')
    await expect(chip).toHaveAttribute('data-state', 'off')
    expect(venues.hits).toEqual([])

    await page.getByTestId('feed-poll').selectOption('10')
    await page.getByTestId('feed-enabled').check()
    await expect(chip).toHaveAttribute('data-state', 'online', { timeout: 20_000 })
    await expect(market.underlying('BTC').getByTestId('cell-price')).toHaveText('95,001.5')
    await expect(market.underlying('BTC').getByTestId('cell-source')).toHaveText('feed · Binance')
    await expect(market.instrument('BTCUSDT', 'Binance USD-M').getByTestId('cell-mark')).toHaveText('95,010')
    await expect(page.getByTestId('sidebar-feed')).toBeVisible()

    // The venues go away: the feed says so and keeps retrying.
    venues.outage = { drop: 'before-headers' }
    await expect(chip).toHaveAttribute('data-state', 'offline', { timeout: 25_000 })
    await expect(page.getByTestId('feed-venue-row-binance').getByTestId('cell-state')).toHaveText('offline')
    // They come back, with a new price: no click needed.
    venues.market.index.BTC = '96000'
    venues.outage = null
    await expect(chip).toHaveAttribute('data-state', 'online', { timeout: 25_000 })
    await expect(market.underlying('BTC').getByTestId('cell-price')).toHaveText('96,000', { timeout: 15_000 })
    expect(app.consoleErrors).toEqual([])
  })
})
