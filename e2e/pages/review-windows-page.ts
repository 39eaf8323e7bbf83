import { expect, type Locator, type Page } from '@playwright/test'

/** The Review windows view: rows per position with an expiry, their reminders and lead times. */
export class ReviewWindowsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-review-windows').click()
    await expect(this.page.getByRole('heading', { name: 'Review windows', level: 1 })).toBeVisible()
  }

  /** The soonest expiry's row, with its position id and expiry (epoch ms). */
  async soonest(): Promise<{ row: Locator; positionId: string; expiryMs: number }> {
    const row = this.page.locator('[data-testid^="review-row-"]').first()
    await expect(row).toBeVisible()
    const positionId = (await row.getAttribute('data-testid'))!.slice('review-row-'.length)
    const expiryMs = Date.parse((await row.getAttribute('data-expiry'))!)
    return { row: this.row(positionId), positionId, expiryMs }
  }

  row(positionId: string): Locator {
    return this.page.getByTestId(`review-row-${positionId}`)
  }

  reminder(positionId: string, leadTime: string): Locator {
    return this.row(positionId).locator(`[data-testid="reminder"][data-lead="${leadTime}"]`)
  }

  async setLeadTimes(positionId: string, leadTimes: string): Promise<void> {
    const row = this.row(positionId)
    await row.getByTestId('edit-lead-times').click()
    await row.getByTestId('input-lead-times').fill(leadTimes)
    await row.getByTestId('save-lead-times').click()
    await expect(row.getByTestId('input-lead-times')).toBeHidden()
  }
}
