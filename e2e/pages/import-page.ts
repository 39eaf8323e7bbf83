import { expect, type Locator, type Page } from '@playwright/test'

/** The Import view as a user works it: choose a file, read the preview, confirm, undo a batch. */
export class ImportPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-import').click()
    await expect(this.page.getByRole('heading', { name: 'Import & export', level: 1 })).toBeVisible()
  }

  async choose(file: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(file)
  }

  get preview(): Locator {
    return this.page.getByTestId('ledger-preview')
  }

  previewRowFor(text: string): Locator {
    return this.page.getByTestId('preview-table').locator('tbody tr').filter({ hasText: text })
  }

  rejectedRowFor(line: number): Locator {
    return this.page.getByTestId('rejected-table').locator('tbody tr').filter({ has: this.page.getByTestId('cell-line').getByText(String(line), { exact: true }) })
  }

  batchFor(fileName: string): Locator {
    return this.page.getByTestId('ledger-batches').locator('tbody tr').filter({ hasText: fileName })
  }

  ledgerPositionFor(symbol: string): Locator {
    return this.page.getByTestId(`ledger-pos-${symbol}`)
  }

  /** A row of the Positions view (a table or a grid: rows by role, found by content). */
  bookRowFor(text: string): Locator {
    return this.page.getByTestId('positions-table').getByRole('row').filter({ hasText: text })
  }

  async openPositions(): Promise<void> {
    await this.page.getByTestId('nav-positions').click()
    await expect(this.page.getByRole('heading', { name: 'Positions', level: 1 })).toBeVisible()
  }

  /** Alerts the new positions raise (e.g. an account with no collateral) pop up as toasts over the list. */
  async dismissToasts(): Promise<void> {
    const close = this.page.getByTestId('toast-close')
    for (let i = 0; i < 10 && (await close.count()) > 0; i++) await close.first().click()
  }

  async undo(fileName: string): Promise<void> {
    await this.dismissToasts()
    const row = this.batchFor(fileName)
    await row.getByTestId('undo-batch').click()
    await expect(row.getByTestId('undo-batch')).toContainText('Remove')
    await row.getByTestId('undo-batch').click()
    await expect(row.getByTestId('cell-status')).toContainText('undone')
  }
}
