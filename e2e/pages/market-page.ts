import { expect, type Locator, type Page } from '@playwright/test'

/** The Market data view as a user works it: rows found by their content, cells by data-testid. */
export class MarketPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-market').click()
    await expect(this.page.getByRole('heading', { name: 'Market data', level: 1 })).toBeVisible()
  }

  underlying(symbol: string): Locator {
    return this.page.getByTestId('underlyings-table').locator('tbody tr').filter({ has: this.page.locator('td.sym', { hasText: new RegExp(`^${symbol}$`) }) })
  }

  instrument(label: string, account: string): Locator {
    return this.page.getByTestId('instruments-table').locator('tbody tr').filter({ hasText: label }).filter({ hasText: account })
  }

  async editMark(row: Locator, mark: string): Promise<void> {
    await row.getByTestId('edit-mark').click()
    await row.getByTestId('input-mark').fill(mark)
    await row.getByTestId('save-mark').click()
    await expect(row.getByTestId('input-mark')).toBeHidden()
  }

  async importHistory(file: { name: string; text: string }, into: string, mode: 'merge' | 'replace'): Promise<void> {
    await this.page.getByTestId('history-file').setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.text) })
    const preview = this.page.getByTestId('history-preview')
    await expect(preview).toBeVisible()
    await preview.getByTestId('preview-underlying').selectOption(into)
    await preview.getByTestId('preview-mode').selectOption(mode)
    await preview.getByTestId('history-import').click()
    await expect(this.page.getByTestId('history-import-result')).toBeVisible()
  }
}
