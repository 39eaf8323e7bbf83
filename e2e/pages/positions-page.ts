import { expect, type Locator, type Page } from '@playwright/test'

/** The Positions view as a user works it: forms by label/test id, rows found by their content. */
export class PositionsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-positions').click()
    await expect(this.page.getByRole('heading', { name: 'Positions', level: 1 })).toBeVisible()
  }

  rowFor(text: string): Locator {
    return this.page.getByTestId('positions-table').locator('[data-position-id]').filter({ hasText: text })
  }

  async addAccount(a: { name: string; id?: string; venue: string; marginMode?: string; asset: string; amount: string }): Promise<void> {
    await this.page.getByTestId('add-account').click()
    const form = this.page.getByTestId('account-form')
    await form.getByTestId('input-name').fill(a.name)
    if (a.id) await form.getByTestId('input-id').fill(a.id)
    await form.getByTestId('input-venue').selectOption(a.venue)
    if (a.marginMode) await form.getByTestId('input-marginMode').selectOption(a.marginMode)
    await form.getByTestId('input-collateral-0-asset').fill(a.asset)
    await form.getByTestId('input-collateral-0-amount').fill(a.amount)
    await form.getByTestId('save-account').click()
    await expect(form).toBeHidden()
  }

  async fillPosition(p: {
    account?: string
    kind?: string
    settlement?: string
    underlying: string
    quote?: string
    side?: 'long' | 'short'
    size: string
    entryPrice: string
    indexPrice?: string
    expiry?: string
    optionType?: string
    strike?: string
    contractSize?: string
  }): Promise<Locator> {
    await this.page.getByTestId('add-position').click()
    const form = this.page.getByTestId('position-form')
    if (p.account) await form.getByTestId('input-account').selectOption(p.account)
    if (p.kind) await form.getByTestId('input-kind').selectOption(p.kind)
    if (p.settlement) await form.getByTestId('input-settlement').selectOption(p.settlement)
    await form.getByTestId('input-underlying').fill(p.underlying)
    if (p.quote) await form.getByTestId('input-quote').fill(p.quote)
    if (p.indexPrice) await form.getByTestId('input-indexPrice').fill(p.indexPrice)
    if (p.expiry) await form.getByTestId('input-expiry').fill(p.expiry)
    if (p.optionType) await form.getByTestId('input-optionType').selectOption(p.optionType)
    if (p.strike) await form.getByTestId('input-strike').fill(p.strike)
    if (p.contractSize) await form.getByTestId('input-contractSize').fill(p.contractSize)
    if (p.side) await form.getByTestId('input-side').selectOption(p.side)
    await form.getByTestId('input-size').fill(p.size)
    await form.getByTestId('input-entryPrice').fill(p.entryPrice)
    return form
  }
}
