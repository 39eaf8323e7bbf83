import { test, expect } from '../fixtures'
import { PositionsPage } from '../pages/positions-page'

test.describe('first start', () => {
  test('shows the labelled demo workstation without console errors', async ({ app }) => {
    const { page } = app
    await expect(page.getByTestId('demo-banner')).toBeVisible()
    await expect(page.getByTestId('kpi-equity').getByTestId('kpi-value')).not.toHaveText('—')
    // Three venues, the weakest one called out.
    await expect(page.getByTestId('venue-table').locator('tbody tr')).toHaveCount(3)
    await expect(page.getByTestId('venue-table').locator('.weakest-badge')).toHaveCount(1)
    await expect(page.getByTestId('next-expiries').locator('li')).toHaveCount(3)

    const positions = new PositionsPage(page)
    await positions.open()
    await expect(positions.rowFor('BTC-PERPETUAL')).toHaveCount(1)
    await expect(positions.rowFor('BTCUSD_261225')).toHaveCount(1)
    await expect(positions.rowFor('BTC-PERPETUAL').getByTestId('cell-liq')).not.toHaveText('—')
    expect(app.consoleErrors).toEqual([])
  })

  test('one action removes the demo and it stays removed', async ({ app }) => {
    const { page } = app
    await page.getByTestId('remove-demo').click()
    await expect(page.getByTestId('demo-banner')).toBeHidden()
    await expect(page.getByTestId('dashboard-empty')).toBeVisible()
    await app.restart()
    await expect(page.getByTestId('dashboard-empty')).toBeVisible()
    await expect(page.getByTestId('demo-banner')).toBeHidden()
  })
})

test.describe('positions kept offline', () => {
  test.use({ demo: false })

  test('an account and a position added through the form survive a restart', async ({ app }) => {
    const positions = new PositionsPage(app.page)
    await positions.open()
    await expect(app.page.getByTestId('positions-empty')).toBeVisible()
    await positions.addAccount({ name: 'Bybit main', venue: 'bybit', asset: 'USDT', amount: '25000' })
    const form = await positions.fillPosition({ underlying: 'BTC', side: 'short', size: '0.75', entryPrice: '95120', indexPrice: '93000' })
    await form.getByTestId('save-position').click()
    await expect(form).toBeHidden()
    const row = positions.rowFor('BTCUSDT perp')
    await expect(row).toHaveCount(1)
    await expect(row.getByTestId('cell-quantity')).toHaveText('−0.75')
    await expect(row.getByTestId('cell-entry')).toHaveText('95,120')
    // Figures from the engine: notional 0.75 × 93,000 (marked at the index).
    await expect(row.getByTestId('cell-notional')).toHaveText('69,750')

    await app.restart()
    await positions.open()
    await expect(positions.rowFor('BTCUSDT perp').getByTestId('cell-quantity')).toHaveText('−0.75')
    await app.page.getByTestId('tab-accounts').click()
    await expect(app.page.getByTestId('account-card-bybit-main')).toContainText('25,000')
    expect(app.consoleErrors).toEqual([])
  })

  test('an invalid entry shows the error beside its field and saves nothing', async ({ app }) => {
    const positions = new PositionsPage(app.page)
    await positions.open()
    await positions.addAccount({ name: 'Deribit', venue: 'deribit', asset: 'BTC', amount: '2' })
    const form = await positions.fillPosition({ kind: 'option', underlying: 'BTC', size: '1', entryPrice: 'abc', indexPrice: '93000', strike: '-70000' })
    await form.getByTestId('save-position').click()
    await expect(form.getByTestId('error-entryPrice')).toContainText('decimal number')
    await expect(form.getByTestId('error-strike')).toContainText('greater than 0')
    await expect(form.getByTestId('error-expiry')).toContainText('required for an option')
    // The error sits with its field.
    await expect(form.getByTestId('field-entryPrice').getByTestId('error-entryPrice')).toBeVisible()
    await form.getByRole('button', { name: 'Cancel' }).click()

    await app.restart()
    await positions.open()
    await expect(app.page.getByTestId('positions-empty')).toBeVisible()
  })
})

test.describe('browser mode security', () => {
  test('refuses requests without the token', async ({ app, request }, testInfo) => {
    test.skip(testInfo.project.name !== 'browser', 'browser mode only')
    const origin = app.origin!
    const page = await request.get(`${origin}/`)
    expect(page.status()).toBe(401)
    expect(await page.text()).toContain('access token')
    const api = await request.post(`${origin}/api/call/bookGet`, { data: {} })
    expect(api.status()).toBe(401)
    const wrong = await request.post(`${origin}/api/call/bookGet`, { data: {}, headers: { Authorization: 'Bearer wrong' } })
    expect(wrong.status()).toBe(401)
    const withToken = await request.post(`${origin}/api/call/bookGet`, {
      data: {},
      headers: { Authorization: `Bearer ${new URL(app.url!).searchParams.get('token')}` },
    })
    expect(withToken.status()).toBe(200)
  })
})

test.describe('desktop security', () => {
  test('the renderer has no Node and sees only the API verbs', async ({ app }, testInfo) => {
    test.skip(testInfo.project.name !== 'electron', 'desktop only')
    const probe = await app.page.evaluate(() => {
      const w = window as unknown as { require?: unknown; process?: unknown; fulcrum?: object }
      return { require: typeof w.require, process: typeof w.process, api: Object.keys(w.fulcrum ?? {}).sort() }
    })
    expect(probe.require).toBe('undefined')
    expect(probe.process).toBe('undefined')
    expect(probe.api).toContain('bookGet')
    expect(probe.api).not.toContain('invoke')
  })
})
