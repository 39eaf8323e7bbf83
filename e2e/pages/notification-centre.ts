import { expect, type Locator, type Page } from '@playwright/test'

/** The bell, the notification panel and the toasts. */
export class NotificationCentre {
  constructor(readonly page: Page) {}

  get bell(): Locator {
    return this.page.getByTestId('notification-bell')
  }
  get count(): Locator {
    return this.page.getByTestId('notification-count')
  }
  get panel(): Locator {
    return this.page.getByTestId('notification-panel')
  }

  /** Toasts of one reminder, found by its position and lead time. */
  toastFor(positionId: string, leadTime: string): Locator {
    return this.page.locator(`[data-testid="toast"][data-position="${positionId}"][data-lead="${leadTime}"]`)
  }

  async open(tab: 'open' | 'all' = 'all'): Promise<void> {
    if (!(await this.panel.isVisible())) await this.bell.click()
    await expect(this.panel).toBeVisible()
    await this.panel.getByTestId(`tab-${tab}`).click()
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape')
    await expect(this.panel).toBeHidden()
  }

  item(id: string): Locator {
    return this.panel.locator(`[data-testid="notification-item"][data-id="${id}"]`)
  }

  itemsFor(positionId: string): Locator {
    return this.panel.locator(`[data-testid="notification-item"][data-position="${positionId}"]`)
  }
}
