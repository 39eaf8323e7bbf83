import { expect, type Locator, type Page } from '@playwright/test'

/** The Scenarios view: payoff and heatmap, the stress library with its cascade, the VaR histogram. */
export class ScenariosPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-scenarios').click()
    await expect(this.page.getByRole('heading', { name: 'Scenarios', level: 1 })).toBeVisible()
  }

  chart(testid: string): Locator {
    return this.page.getByTestId(testid).locator('canvas').first()
  }

  stressRow(name: string): Locator {
    return this.page.getByTestId('stress-table').locator('tbody tr').filter({ hasText: name })
  }

  async pick(name: string): Promise<Locator> {
    await this.stressRow(name).click()
    const panel = this.page.getByTestId('cascade-panel')
    await expect(panel.getByRole('heading', { level: 2 })).toContainText(name)
    return panel
  }
}
