/**
 * The demo's risk history: the demo book revalued at each day of its generated price history, so a
 * newcomer's History view shows a year of equity, leverage and margin instead of one dot (weekly,
 * then daily for the last month). Generated,
 * like the prices it rests on, and stored as such (reason 'demo'); removing the demo removes it.
 *
 * Pure (document in, snapshots out): it runs in a worker thread, as ~400 full reports take about a
 * second.
 */
import { computeRiskReport } from '../../engine'
import type { PortfolioDocument } from '../../shared/portfolio-document'
import { Decimal, decToString } from '../../shared/decimal'
import type { SnapshotRecord } from '../../store/market-repository'
import { snapshotFromReport } from './snapshots'

export function demoSnapshots(payload: { document: PortfolioDocument; maxDays?: number; dailyDays?: number }): SnapshotRecord[] {
  const doc = payload.document
  const names = Object.keys(doc.market.underlyings)
  const byDay = new Map<string, Map<string, string>>()
  for (const name of names) {
    for (const [day, close] of doc.market.underlyings[name]!.history ?? []) {
      let m = byDay.get(day)
      if (!m) byDay.set(day, (m = new Map()))
      m.set(name, close)
    }
  }
  // Days where every underlying has a close, the most recent maxDays of them, oldest first: daily for
  // the last month, weekly before it (a full report costs ~25 ms; 400 of them would keep a newcomer
  // waiting for their History chart).
  const all = [...byDay]
    .filter(([, m]) => m.size === names.length)
    .map(([day]) => day)
    .sort()
    .slice(-(payload.maxDays ?? 400))
  const daily = payload.dailyDays ?? 30
  const days = all.filter((_, i) => i >= all.length - daily || (all.length - 1 - i) % 7 === 0)
  const out: SnapshotRecord[] = []
  for (const day of days) {
    const closes = byDay.get(day)!
    const asOf = `${day}T00:00:00Z`
    const underlyings: PortfolioDocument['market']['underlyings'] = {}
    for (const name of names) {
      const u = doc.market.underlyings[name]!
      underlyings[name] = { price: closes.get(name)!, vol: u.vol, updatedAt: asOf }
    }
    // A quoted mark keeps its ratio to the index (the engine's scenario rule for delta-one marks).
    const instruments: PortfolioDocument['market']['instruments'] = {}
    for (const [id, m] of Object.entries(doc.market.instruments)) {
      const p = doc.positions.find((x) => x.id === id)
      const u = p && doc.market.underlyings[p.instrument.underlying]
      const close = p && closes.get(p.instrument.underlying)
      const scaled =
        m.mark !== undefined && u && close && p.instrument.kind !== 'option'
          ? decToString(new Decimal(m.mark).mul(close).div(u.price).toDecimalPlaces(8))
          : undefined
      instruments[id] = { ...m, mark: p?.instrument.kind === 'option' ? undefined : (scaled ?? m.mark), updatedAt: asOf }
    }
    const at = Date.parse(asOf)
    try {
      const report = computeRiskReport({ ...doc, asOf, market: { ...doc.market, underlyings, instruments } }, { now: new Date(at) })
      out.push(snapshotFromReport(report, 0, 'demo', at))
    } catch {
      // A day the book cannot be valued on (a position past its expiry then) is simply not charted.
    }
  }
  return out
}
