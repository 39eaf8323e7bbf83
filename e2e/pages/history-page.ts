import { expect, type Page } from '@playwright/test'

/** The History view: charts of the stored risk snapshots. */
export class HistoryPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-history').click()
    await expect(this.page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible()
  }

  snapshotCount(): Promise<number> {
    return this.page.getByTestId('kpi-snapshots').getByTestId('kpi-value').innerText().then((t) => Number(t.replace(/[^\d]/g, '')))
  }
}
