/**
 * Seam: WhatIfPanel's props (the hedge and the book digested before and after it) in; what the
 * trader reads (before → after, changed figures marked) and the `plan` event out.
 */
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import WhatIfPanel from './WhatIfPanel.vue'
import type { HedgeWhatIf, ReportDigest } from '@engine/analytics'
import type { HedgeCandidate } from '@shared/analytics-contract'

const digest = (netDeltaUsd: number, btcDelta: number, ratio: number, distance: number): ReportDigest => ({
  equity: 100_000,
  netDeltaUsd,
  gamma: 0,
  vega: 12.5,
  theta: -3,
  fundingPerDay: -4,
  varParametric: Math.abs(netDeltaUsd) * 0.07,
  esParametric: Math.abs(netDeltaUsd) * 0.08,
  underlyings: [{ underlying: 'BTC', delta: btcDelta, deltaUsd: netDeltaUsd, gamma: 0, vega: 12.5, theta: -3, hedgeDelta: btcDelta }],
  accounts: [
    { id: 'by', venue: 'bybit', equity: 10_000, initialMargin: 2_000, availableMargin: 8_000, marginRatio: ratio, status: 'ok', liquidationPrice: { BTC: 80_000 }, liquidationDistance: { BTC: distance } },
    { id: 'dr', venue: 'deribit', equity: 90_000, initialMargin: 9_000, availableMargin: 81_000, marginRatio: 0.1, status: 'ok', liquidationPrice: { BTC: null }, liquidationDistance: { BTC: null } },
  ],
})
const hedge = { id: 'BTC:by:BTCUSDT', venue: 'bybit', account: 'by', quantity: '-0.4', feasible: true, instrument: { symbol: 'BTCUSDT' } } as unknown as HedgeCandidate
const result: HedgeWhatIf = { hedges: [hedge], before: digest(37_200, 0.4, 0.05, 0.12), after: digest(0, 0, 0.08, 0.09) }

beforeEach(() => setActivePinia(createPinia()))

describe('WhatIfPanel', () => {
  it('shows each figure before and after the hedge, marking what it changes', () => {
    const w = mount(WhatIfPanel, { props: { hedges: [hedge], result, loading: false, error: null, applying: null } })
    expect(w.text()).toContain('Sell 0.4 BTCUSDT on Bybit')
    const delta = w.find('[data-testid="whatif-net-delta"]')
    expect(delta.find('[data-testid="before"]').text()).toBe('37,200')
    expect(delta.find('[data-testid="after"]').text()).toBe('0')
    expect(delta.find('[data-testid="after"]').classes()).toContain('changed')
    // Funding is the same before and after: not marked.
    expect(w.find('[data-testid="whatif-funding"] [data-testid="after"]').classes()).not.toContain('changed')
    // The hedged account comes first and its liquidation distance moves from 12 % to 9 %.
    const rows = w.findAll('[data-testid^="whatif-account-"]')
    expect(rows[0]!.attributes('data-testid')).toBe('whatif-account-by')
    expect(rows[0]!.find('[data-testid="after-distance"]').text()).toBe('9.0%')
    expect(w.find('[data-testid="whatif-row-BTC"] [data-testid="after-delta"]').text()).toBe('0')
  })

  it('plans the hedge on request, and not while it is being applied', async () => {
    const w = mount(WhatIfPanel, { props: { hedges: [hedge], result, loading: false, error: null, applying: null } })
    await w.find('[data-testid="whatif-plan"]').trigger('click')
    expect(w.emitted('plan')).toEqual([['BTC:by:BTCUSDT']])
    await w.setProps({ applying: 'BTC:by:BTCUSDT' })
    expect(w.find('[data-testid="whatif-plan"]').attributes('disabled')).toBeDefined()
  })

  it('says it is working while there is no result yet, and shows an error instead of figures', async () => {
    const w = mount(WhatIfPanel, { props: { hedges: [hedge], result: null, loading: true, error: null, applying: null } })
    expect(w.find('[data-testid="whatif-loading"]').exists()).toBe(true)
    await w.setProps({ loading: false, error: 'The book cannot be valued' })
    expect(w.find('[role="alert"]').text()).toBe('The book cannot be valued')
    expect(w.find('[data-testid="whatif-net-delta"]').exists()).toBe(false)
  })
})
