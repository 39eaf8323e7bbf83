/**
 * Seam: PositionsTable's props (rows, sort state) in, `sort`/`edit`/`close` events and positionSave
 * calls out. The API is a recording fake installed with setApiForTests.
 */
import { mount } from '@vue/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import PositionsTable from './PositionsTable.vue'
import { buildRows } from './position-rows'
import { setApiForTests } from '@/api'
import type { FulcrumApi } from '@shared/api-contract'
import type { Account, Position } from '@shared/portfolio-document'

const accounts = new Map<string, Account>([['bn', { id: 'bn', venue: 'binance', marginMode: 'cross', collateral: [] }]])
function positions(n: number): Position[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    account: 'bn',
    instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT' },
    quantity: String(i + 1),
    entryPrice: '100',
  }))
}

function fakeApi(calls: unknown[]): FulcrumApi {
  return new Proxy({} as FulcrumApi, {
    get: (_t, method: string) =>
      method === 'onEvent'
        ? () => () => undefined
        : async (input: unknown) => {
            calls.push([method, input])
            return { ok: true, value: (input as { position?: unknown }).position ?? {} }
          },
  })
}

// happy-dom lays nothing out; give every box the size of a typical viewport (the virtualiser reads
// clientHeight/clientWidth) so it has rows to show.
const saved = {
  h: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight'),
  w: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
}
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 })
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 })
})
afterAll(() => {
  if (saved.h) Object.defineProperty(HTMLElement.prototype, 'clientHeight', saved.h)
  if (saved.w) Object.defineProperty(HTMLElement.prototype, 'clientWidth', saved.w)
})

describe('PositionsTable', () => {
  it('renders only the rows in view out of 10,000', () => {
    const w = mount(PositionsTable, {
      props: { rows: buildRows(positions(10_000), accounts, []), groupBy: 'none', sortKey: 'notional', sortDir: 'desc' },
    })
    const rendered = w.findAll('[data-position-id]').length
    expect(rendered).toBeGreaterThan(5)
    expect(rendered).toBeLessThan(100)
    expect(w.find('[data-testid="positions-table"]').attributes('aria-rowcount')).toBe('10001')
  })

  it('asks for a sort when a header is clicked or activated with Enter, and marks the sorted column', async () => {
    const w = mount(PositionsTable, {
      props: { rows: buildRows(positions(3), accounts, []), groupBy: 'none', sortKey: 'delta', sortDir: 'asc' },
    })
    await w.find('[data-testid="sort-notional"]').trigger('click')
    await w.find('[data-testid="sort-label"]').trigger('keydown', { key: 'Enter' })
    expect(w.emitted('sort')).toEqual([['notional'], ['label']])
    expect(w.find('[data-testid="sort-delta"]').attributes('aria-sort')).toBe('ascending')
    expect(w.find('[data-testid="sort-notional"]').attributes('aria-sort')).toBe('none')
  })

  it('moves the selection with the arrow keys and opens the edit form with Enter', async () => {
    const w = mount(PositionsTable, {
      props: { rows: buildRows(positions(5), accounts, []), groupBy: 'none', sortKey: 'notional', sortDir: 'desc' },
    })
    const scroller = w.find('[data-testid="positions-scroller"]')
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    expect(w.find('.selected').attributes('data-position-id')).toBe('p1')
    await scroller.trigger('keydown', { key: 'Enter' })
    await scroller.trigger('keydown', { key: 'c' })
    expect((w.emitted('edit')![0]![0] as { id: string }).id).toBe('p1')
    expect((w.emitted('close')![0]![0] as { id: string }).id).toBe('p1')
  })

  it('edits a quantity inline: rejects junk beside the cell, saves a valid decimal string', async () => {
    const calls: unknown[] = []
    setApiForTests(fakeApi(calls))
    const w = mount(PositionsTable, {
      props: { rows: buildRows(positions(2), accounts, []), groupBy: 'none', sortKey: 'notional', sortDir: 'desc' },
      attachTo: document.body,
    })
    await w.find('[data-position-id="p0"] [data-testid="cell-quantity"]').trigger('dblclick')
    const input = w.find('[data-testid="inline-input"]')
    await input.setValue('1,5')
    await input.trigger('keydown', { key: 'Enter' })
    expect(w.find('[data-testid="inline-error"]').text()).toMatch(/decimal number/)
    expect(calls).toEqual([])
    await input.setValue('-1.50')
    await input.trigger('keydown', { key: 'Enter' })
    await new Promise((r) => setTimeout(r, 0))
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject(['positionSave', { position: { id: 'p0', quantity: '-1.5', entryPrice: '100' } }])
    w.unmount()
  })
})
