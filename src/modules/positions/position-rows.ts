/**
 * The positions table's rows: one view model per position, joined from the book (what was entered)
 * and the risk report (what the engine makes of it), then filtered, sorted and grouped. Pure, so the
 * table's behaviour is specified without a DOM.
 */
import type { Account, Position, Venue } from '@shared/portfolio-document'
import type { PositionReport } from '@engine/report-types'
import { instrumentLabel, kindLabel } from '@/lib/instruments'

export interface PositionRow {
  id: string
  position: Position
  label: string
  kindLabel: string
  kind: Position['instrument']['kind']
  underlying: string
  accountId: string
  accountName: string
  venue: Venue
  /** Exact ledger values as entered. */
  quantity: string
  entryPrice: string
  quantityNum: number
  side: 'long' | 'short'
  /** Engine figures (float64, USD unless noted); null when the engine has none. */
  mark: number | null
  notional: number | null
  unrealizedPnl: number | null
  delta: number | null
  gamma: number | null
  vega: number | null
  theta: number | null
  liquidationPrice: number | null
  liquidationDistance: number | null
  fundingPerDay: number | null
  expiry: string | null
  isolated: boolean
  /** Market data (issue 8): the position's index, mark or funding is older than the stale threshold. */
  stale: boolean
}

export type SortKey =
  | 'label'
  | 'account'
  | 'quantity'
  | 'mark'
  | 'notional'
  | 'unrealizedPnl'
  | 'delta'
  | 'gamma'
  | 'vega'
  | 'theta'
  | 'liquidationPrice'
  | 'liquidationDistance'
  | 'expiry'
export type SortDir = 'asc' | 'desc'
export type GroupBy = 'none' | 'venue' | 'underlying'

export interface RowFilter {
  text: string
  venue: Venue | ''
  kind: Position['instrument']['kind'] | ''
}

export function buildRows(
  positions: readonly Position[],
  accounts: ReadonlyMap<string, Account>,
  report: readonly PositionReport[] | undefined,
): PositionRow[] {
  const byId = new Map((report ?? []).map((r) => [r.id, r]))
  return positions.map((p) => {
    const r = byId.get(p.id)
    const a = accounts.get(p.account)
    const q = Number(p.quantity)
    return {
      id: p.id,
      position: p,
      label: instrumentLabel(p.instrument),
      kindLabel: kindLabel(p.instrument),
      kind: p.instrument.kind,
      underlying: p.instrument.underlying,
      accountId: p.account,
      accountName: a?.name || p.account,
      venue: a?.venue ?? 'other',
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      quantityNum: q,
      side: q < 0 ? 'short' : 'long',
      mark: r?.mark ?? null,
      notional: r?.notional ?? null,
      unrealizedPnl: r?.unrealizedPnl ?? null,
      delta: r?.delta ?? null,
      gamma: r?.gamma ?? null,
      vega: r?.vega ?? null,
      theta: r?.theta ?? null,
      liquidationPrice: r?.liquidationPrice ?? null,
      liquidationDistance: r?.liquidationDistance ?? null,
      fundingPerDay: r?.fundingPerDay ?? null,
      expiry: p.instrument.expiry ?? null,
      isolated: p.marginMode === 'isolated',
      stale: r?.stale ?? false,
    }
  })
}

export function filterRows(rows: readonly PositionRow[], f: RowFilter): PositionRow[] {
  const needle = f.text.trim().toLowerCase()
  return rows.filter(
    (r) =>
      (!f.venue || r.venue === f.venue) &&
      (!f.kind || r.kind === f.kind) &&
      (!needle ||
        r.label.toLowerCase().includes(needle) ||
        r.accountName.toLowerCase().includes(needle) ||
        r.underlying.toLowerCase().includes(needle) ||
        r.id.toLowerCase().includes(needle)),
  )
}

function sortValue(r: PositionRow, key: SortKey): number | string | null {
  switch (key) {
    case 'label':
      return r.label
    case 'account':
      return r.accountName
    case 'quantity':
      return r.quantityNum
    case 'expiry':
      return r.expiry
    default:
      return r[key]
  }
}

/** Stable sort; rows without a value (null) always go last, whatever the direction. */
export function sortRows(rows: readonly PositionRow[], key: SortKey, dir: SortDir): PositionRow[] {
  const sign = dir === 'asc' ? 1 : -1
  return rows
    .map((row, i) => ({ row, i, v: sortValue(row, key) }))
    .sort((a, b) => {
      if (a.v === null && b.v === null) return a.i - b.i
      if (a.v === null) return 1
      if (b.v === null) return -1
      const c = typeof a.v === 'string' ? a.v.localeCompare(b.v as string) : a.v - (b.v as number)
      return c !== 0 ? sign * c : a.i - b.i
    })
    .map((x) => x.row)
}

export interface GroupHeader {
  type: 'group'
  key: string
  label: string
  count: number
  notional: number
  unrealizedPnl: number
  delta: number | null
}
export type TableItem = GroupHeader | { type: 'row'; row: PositionRow }

/** Rows interleaved with group headers (kept in the sorted order of each group's first row). */
export function groupRows(rows: readonly PositionRow[], by: GroupBy, venueLabel: (v: Venue) => string): TableItem[] {
  if (by === 'none') return rows.map((row) => ({ type: 'row', row }))
  const groups = new Map<string, PositionRow[]>()
  for (const r of rows) {
    const k = by === 'venue' ? r.venue : r.underlying
    groups.set(k, [...(groups.get(k) ?? []), r])
  }
  const out: TableItem[] = []
  for (const [key, members] of groups) {
    const sameUnderlying = by === 'underlying'
    out.push({
      type: 'group',
      key,
      label: by === 'venue' ? venueLabel(key as Venue) : key,
      count: members.length,
      notional: members.reduce((s, r) => s + (r.notional ?? 0), 0),
      unrealizedPnl: members.reduce((s, r) => s + (r.unrealizedPnl ?? 0), 0),
      // Deltas in coin add up only within one underlying.
      delta: sameUnderlying ? members.reduce((s, r) => s + (r.delta ?? 0), 0) : null,
    })
    for (const row of members) out.push({ type: 'row', row })
  }
  return out
}
