/**
 * Seam: InstrumentMarksTable's rows and `save` prop. Edits typed as a user types them (percent for
 * vols and funding) must reach `markSave` as the contract's units (fractions), and a field left empty
 * must clear it (null), not be dropped.
 */
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { MethodInput } from '@shared/api-contract'
import type { InstrumentMarks } from '@shared/market-contract'
import InstrumentMarksTable from './InstrumentMarksTable.vue'

const base: Omit<InstrumentMarks, 'positionId' | 'kind' | 'label'> = {
  account: 'bn',
  venue: 'binance',
  underlying: 'BTC',
  quote: 'USDT',
  settlement: 'linear',
  mark: '93012.3',
  iv: null,
  forward: null,
  fundingRate: 0.0001,
  fundingIntervalHours: 8,
  updatedAt: '2026-11-24T08:00:00Z',
  ageSeconds: 7200,
  stale: true,
  source: 'document',
}
const rows: InstrumentMarks[] = [
  { ...base, positionId: 'perp', kind: 'perpetual', label: 'BTCUSDT' },
  { ...base, positionId: 'call', kind: 'option', label: 'BTC-27NOV26-100000-C', settlement: 'inverse', mark: null, iv: 0.52, fundingRate: null, fundingIntervalHours: null, stale: false, ageSeconds: 60 },
]

beforeEach(() => setActivePinia(createPinia()))

function mountTable(calls: MethodInput<'markSave'>[]) {
  return mount(InstrumentMarksTable, {
    props: {
      rows,
      save: async (input: MethodInput<'markSave'>) => {
        calls.push(input)
      },
    },
  })
}

describe('InstrumentMarksTable', () => {
  it('flags the stale row and shows the option as model-valued', () => {
    const w = mountTable([])
    expect(w.get('[data-testid="instrument-perp"]').find('[data-testid="stale-flag"]').exists()).toBe(true)
    expect(w.get('[data-testid="instrument-call"]').find('[data-testid="stale-flag"]').exists()).toBe(false)
    expect(w.get('[data-testid="instrument-call"] [data-testid="cell-mark"]').text()).toBe('model')
    expect(w.get('[data-testid="instrument-perp"] [data-testid="cell-funding"]').text()).toContain('0.0100 %')
  })

  it('saves a perpetual mark with funding typed in percent as a fraction per interval', async () => {
    const calls: MethodInput<'markSave'>[] = []
    const w = mountTable(calls)
    const row = w.get('[data-testid="instrument-perp"]')
    await row.get('[data-testid="edit-mark"]').trigger('click')
    await row.get('[data-testid="input-mark"]').setValue('95000.5')
    await row.get('[data-testid="input-funding"]').setValue('0,025')
    await row.get('[data-testid="input-interval"]').setValue('4')
    await row.get('[data-testid="save-mark"]').trigger('click')
    expect(calls).toEqual([{ positionId: 'perp', mark: '95000.5', fundingRate: 0.00025, fundingIntervalHours: 4 }])
  })

  it('saves an option vol typed in vol points, and clears an emptied mark', async () => {
    const calls: MethodInput<'markSave'>[] = []
    const w = mountTable(calls)
    const row = w.get('[data-testid="instrument-call"]')
    await row.get('[data-testid="edit-mark"]').trigger('click')
    expect((row.get('[data-testid="input-iv"]').element as HTMLInputElement).value).toBe('52')
    await row.get('[data-testid="input-iv"]').setValue('61.5')
    await row.get('[data-testid="save-mark"]').trigger('click')
    expect(calls).toEqual([{ positionId: 'call', mark: null, iv: 0.615 }])
  })

  it('refuses a vol that is not a number, saying where', async () => {
    const calls: MethodInput<'markSave'>[] = []
    const w = mountTable(calls)
    const row = w.get('[data-testid="instrument-call"]')
    await row.get('[data-testid="edit-mark"]').trigger('click')
    await row.get('[data-testid="input-iv"]').setValue('high')
    await row.get('[data-testid="save-mark"]').trigger('click')
    expect(calls).toEqual([])
    expect(row.text()).toContain('must be a number')
  })
})
