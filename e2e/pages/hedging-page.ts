import { expect, type Locator, type Page } from '@playwright/test'

/** The Hedging view as a trader works it: candidates by underlying and rank, the what-if panel, planned hedges. */
export class HedgingPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-hedging').click()
    await expect(this.page.getByRole('heading', { name: 'Hedging', level: 1 })).toBeVisible()
  }

  candidate(underlying: string, rank: number): Locator {
    return this.page.getByTestId(`hedge-row-${underlying}-${rank}`)
  }

  async whatIf(underlying: string, rank: number): Promise<Locator> {
    await this.page.getByTestId(`whatif-${underlying}-${rank}`).click()
    const panel = this.page.getByTestId('whatif-panel')
    await expect(panel.getByTestId('whatif-net-delta')).toBeVisible()
    return panel
  }

  plannedRows(): Locator {
    return this.page.getByTestId('planned-hedges').locator('tbody tr')
  }
}
