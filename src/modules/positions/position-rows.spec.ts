import { describe, expect, it } from 'vitest'
import type { Account, Position } from '@shared/portfolio-document'
import type { PositionReport } from '@engine/report-types'
import { buildRows, filterRows, groupRows, sortRows } from './position-rows'

const accounts = new Map<string, Account>([
  ['bn', { id: 'bn', name: 'Binance main', venue: 'binance', marginMode: 'cross', collateral: [] }],
  ['dr', { id: 'dr', name: 'Deribit', venue: 'deribit', marginMode: 'cross', collateral: [] }],
])
const pos = (id: string, account: string, underlying: string, quantity: string, kind: Position['instrument']['kind'] = 'perpetual'): Position => ({
  id,
  account,
  instrument: { kind, settlement: 'linear', underlying, quote: 'USDT', ...(kind === 'future' ? { expiry: '2026-12-25T08:00:00Z' } : {}) },
  quantity,
  entryPrice: '100',
})
const report = (id: string, notional: number | null, delta: number, pnl = 0): PositionReport =>
  ({ id, notional, delta, unrealizedPnl: pnl, mark: 1, liquidationPrice: null, liquidationDistance: null } as unknown as PositionReport)

const positions = [pos('a', 'bn', 'BTC', '1'), pos('b', 'dr', 'ETH', '-2'), pos('c', 'bn', 'ETH', '3', 'future'), pos('d', 'dr', 'BTC', '0.5')]
const rows = buildRows(positions, accounts, [report('a', 500, 1, 10), report('b', 300, -2, -5), report('c', 900, 3, 1)])

describe('position rows', () => {
  it('joins book and report, keeping exact quantities and a null where the engine has no figure', () => {
    expect(rows.map((r) => [r.id, r.quantity, r.side, r.venue, r.notional])).toEqual([
      ['a', '1', 'long', 'binance', 500],
      ['b', '-2', 'short', 'deribit', 300],
      ['c', '3', 'long', 'binance', 900],
      ['d', '0.5', 'long', 'deribit', null],
    ])
  })

  it('sorts both ways, stable, with missing figures last either way', () => {
    expect(sortRows(rows, 'notional', 'desc').map((r) => r.id)).toEqual(['c', 'a', 'b', 'd'])
    expect(sortRows(rows, 'notional', 'asc').map((r) => r.id)).toEqual(['b', 'a', 'c', 'd'])
    expect(sortRows(rows, 'quantity', 'asc').map((r) => r.id)).toEqual(['b', 'd', 'a', 'c'])
    expect(sortRows(rows, 'account', 'asc').map((r) => r.id)).toEqual(['a', 'c', 'b', 'd'])
  })

  it('filters by text over instrument, account and underlying, and by venue and kind', () => {
    expect(filterRows(rows, { text: 'eth', venue: '', kind: '' }).map((r) => r.id)).toEqual(['b', 'c'])
    expect(filterRows(rows, { text: 'deribit', venue: '', kind: '' }).map((r) => r.id)).toEqual(['b', 'd'])
    expect(filterRows(rows, { text: '', venue: 'binance', kind: 'future' }).map((r) => r.id)).toEqual(['c'])
    expect(filterRows(rows, { text: 'nothing-matches', venue: '', kind: '' })).toEqual([])
  })

  it('groups by underlying with subtotals, adding deltas only within one underlying', () => {
    const items = groupRows(sortRows(rows, 'notional', 'desc'), 'underlying', (v) => v)
    const groups = items.filter((i) => i.type === 'group')
    expect(groups.map((g) => g.type === 'group' && [g.key, g.count, g.notional, g.delta])).toEqual([
      ['ETH', 2, 1200, 1],
      ['BTC', 2, 500, 1],
    ])
    const byVenue = groupRows(rows, 'venue', (v) => v.toUpperCase()).filter((i) => i.type === 'group')
    expect(byVenue.map((g) => g.type === 'group' && [g.label, g.delta])).toEqual([
      ['BINANCE', null],
      ['DERIBIT', null],
    ])
  })
})
