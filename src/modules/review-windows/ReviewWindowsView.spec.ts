/**
 * Seam: the book and report in the stores, the clock; out: the countdown a trader reads. A countdown
 * that crosses zero must say "expired" and turn the row from urgent to past, with the clock alone.
 */
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ReviewWindowsView from './ReviewWindowsView.vue'
import { useBookStore } from '@/stores/use-book-store'
import { setApiForTests } from '@/api'
import type { FulcrumApi } from '@shared/api-contract'
import type { BookView, RiskReportView } from '@shared/api-contract'

const NOW = Date.parse('2026-12-04T07:59:57Z')
const EXPIRY = '2026-12-04T08:00:00Z'

function seed(): void {
  const book = useBookStore()
  const position = {
    id: 'opt',
    account: 'dr',
    instrument: { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', optionType: 'put', strike: '85000', expiry: EXPIRY, symbol: 'BTC-4DEC26-85000-P' },
    quantity: '2',
    entryPrice: '0.0105',
  }
  book.setBook({
    revision: 1,
    demo: { present: false, accountIds: [], positionIds: [] },
    document: {
      format: 'fulcrum.portfolio/1',
      asOf: '2026-12-04T07:00:00Z',
      accounts: [{ id: 'dr', venue: 'deribit', marginMode: 'cross', collateral: [] }],
      positions: [position],
      market: { underlyings: {}, instruments: {}, rates: {}, correlations: {} },
      settings: { varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: [] },
    },
  } as unknown as BookView)
  book.setReport({
    revision: 1,
    warnings: [],
    report: { reviewWindows: [{ positionId: 'opt', account: 'dr', kind: 'option', expiry: EXPIRY, secondsLeft: 3, expired: false, reminders: [] }], positions: [] },
  } as unknown as RiskReportView)
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
  vi.setSystemTime(NOW)
  setActivePinia(createPinia())
  // Reminder lists and the like answer empty: this spec is about the clock.
  setApiForTests(
    new Proxy({} as FulcrumApi, {
      get: (_t, m: string) => (m === 'onEvent' ? () => () => undefined : async () => ({ ok: true, value: [] })),
    }),
  )
})
afterEach(() => vi.useRealTimers())

describe('Review windows countdown', () => {
  it('ticks every second and says "expired" once it crosses zero', async () => {
    seed()
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: ReviewWindowsView }] })
    await router.push('/')
    const w = mount(ReviewWindowsView, { global: { plugins: [router] } })
    await flushPromises()
    const row = (): ReturnType<typeof w.find> => w.find('[data-testid="review-row-opt"]')
    expect(row().find('[data-testid="countdown"]').text()).toBe('00:00:03')
    expect(row().classes()).toContain('hour')
    await vi.advanceTimersByTimeAsync(1000)
    expect(row().find('[data-testid="countdown"]').text()).toBe('00:00:02')
    await vi.advanceTimersByTimeAsync(3000)
    expect(row().find('[data-testid="countdown"]').text()).toBe('expired')
    expect(row().classes()).toContain('past')
    expect(row().classes()).not.toContain('hour')
    w.unmount()
  })
})
