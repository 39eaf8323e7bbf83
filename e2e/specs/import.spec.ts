import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from '../fixtures'
import { ImportPage } from '../pages/import-page'
import { ROOT } from '../electron-binary'

const FIXTURES = path.join(ROOT, 'electron', 'importers', '__fixtures__')

test.describe('exchange CSV import', () => {
  test.use({ demo: false })

  test('drop an export, read the preview, confirm, see the positions, undo the batch', async ({ app }, testInfo) => {
    // Binance names the zone in the file name; keep the name a user would download.
    const file = testInfo.outputPath('Binance-Futures-Trade-History-202611240800(UTC+3).csv')
    fs.copyFileSync(path.join(FIXTURES, 'binance-usdm-trades.csv'), file)
    const imports = new ImportPage(app.page)
    await imports.open()
    await imports.choose(file)

    await expect(imports.preview).toBeVisible()
    await expect(app.page.getByTestId('preview-format')).toHaveText('Binance USD-M futures trade history')
    await expect(app.page.getByTestId('preview-rows')).toContainText('4 rows · 4 valid · 0 rejected')
    await expect(app.page.getByTestId('preview-new')).toContainText('6 new · 0 already there')
    await expect(app.page.getByTestId('new-account-id')).toHaveValue('binance-900000001')
    await expect(imports.previewRowFor('1000PEPEUSDT').first().getByTestId('cell-quantity')).toHaveText('−100,000')
    await app.page.getByTestId('confirm-ledger-import').click()
    await expect(app.page.getByTestId('ledger-done')).toContainText('Imported 6 entries into binance-900000001')
    await expect(imports.ledgerPositionFor('BTCUSDT').getByTestId('cell-quantity')).toHaveText('0.005')
    await expect(imports.ledgerPositionFor('BTCUSDT').getByTestId('cell-status')).toHaveText('in the book')

    await imports.openPositions()
    await expect(imports.bookRowFor('BTCUSDT')).toHaveCount(1)
    await expect(imports.bookRowFor('BTCUSDT').getByTestId('cell-quantity')).toHaveText('0.005')
    await expect(imports.bookRowFor('ETHUSDT_261225')).toHaveCount(1)
    await expect(imports.bookRowFor('1000PEPEUSDT').getByTestId('cell-quantity')).toHaveText('−100,000')

    await imports.open()
    await imports.undo('Binance-Futures-Trade-History-202611240800(UTC+3).csv')
    await imports.openPositions()
    await expect(imports.bookRowFor('BTCUSDT')).toHaveCount(0)
    expect(app.consoleErrors).toEqual([])
  })

  test('a damaged file lists its rejected rows and "Import nothing" writes nothing', async ({ app }, testInfo) => {
    const file = testInfo.outputPath('okx.csv')
    fs.writeFileSync(file, fs.readFileSync(path.join(FIXTURES, 'okx-trades.csv'), 'utf8').replace('66000,10,-0.33', '66000,ten,-0.33'))
    const imports = new ImportPage(app.page)
    await imports.open()
    await imports.choose(file)
    await expect(imports.preview).toBeVisible()
    await expect(app.page.getByTestId('preview-rows')).toContainText('1 rejected')
    await expect(imports.rejectedRowFor(4).getByTestId('cell-column')).toHaveText('PnL')
    await app.page.getByTestId('import-nothing').click()
    await expect(app.page.getByTestId('ledger-wizard')).toBeHidden()
    await expect(app.page.getByTestId('batches-empty')).toBeVisible()
    expect(app.consoleErrors).toEqual([])
  })
})
