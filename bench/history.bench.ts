/**
 * The History view's read path on a year of snapshots at one a minute (525,600 rows, the most the
 * recorder writes): the service's way (a SQL stride pre-thins to ≤ 10,000 rows, then LTTB picks 2,000
 * points per series) against the naive way (every row read into objects, then LTTB). Both on a real
 * SQLite file; items are snapshots in the range. Also LTTB alone on 1M points against a plain stride.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BenchSuite } from './harness'
import { closeDatabase, openDatabase } from '../electron/store/database'
import { BookRepository } from '../electron/store/book-repository'
import { MarketRepository, type SnapshotRecord } from '../electron/store/market-repository'
import { lttb } from '../electron/shared/lttb'

const ROWS = 525_600
const T0 = Date.parse('2026-01-01T00:00:00Z')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-history-'))
const opened = openDatabase(path.join(dir, 'bench.sqlite'))
const clock = { now: () => new Date(T0) }
const repo = new MarketRepository(opened.db, new BookRepository(opened.db, clock), clock)
process.on('exit', () => {
  closeDatabase(opened.db)
  fs.rmSync(dir, { recursive: true, force: true })
})

const base: Omit<SnapshotRecord, 'at' | 'atMs' | 'equity' | 'leverage'> = {
  reason: 'change',
  revision: 1,
  grossNotional: 500_000,
  marginRatio: 0.2,
  worstVenueMarginRatio: 0.3,
  netDeltaUsd: -20_000,
  var: 12_000,
  es: 15_000,
  varMethod: 'historical',
  varConfidence: 0.99,
  varHorizonDays: 1,
  stale: false,
  venues: { binance: { equity: 100_000, marginRatio: 0.2, leverage: 2 }, deribit: { equity: 50_000, marginRatio: 0.3, leverage: 3 } },
  underlyings: { BTC: { delta: -0.3, deltaUsd: -20_000, gamma: 0.0001, vega: 50, theta: -20 } },
}
let equity = 250_000
const rows: SnapshotRecord[] = []
for (let i = 0; i < ROWS; i++) {
  equity *= 1 + 0.0004 * Math.sin(i * 0.37) + 0.0003 * Math.cos(i * 1.91)
  rows.push({ ...base, at: new Date(T0 + i * 60_000).toISOString(), atMs: T0 + i * 60_000, equity, leverage: 2 + Math.sin(i / 5000) })
}
repo.insertSnapshots(rows)
rows.length = 0

const series = (list: SnapshotRecord[]): number => {
  let n = 0
  for (const pick of [(s: SnapshotRecord) => s.equity, (s: SnapshotRecord) => s.leverage, (s: SnapshotRecord) => s.marginRatio, (s: SnapshotRecord) => s.var, (s: SnapshotRecord) => s.venues.binance?.marginRatio]) {
    const pts: Array<[number, number]> = []
    for (const s of list) {
      const v = pick(s)
      if (v !== null && v !== undefined) pts.push([s.atMs, v])
    }
    n += lttb(pts, 2000).length
  }
  return n
}

const big = Array.from({ length: 1_000_000 }, (_, i) => [i, Math.sin(i / 1000) + 0.1 * Math.sin(i)] as [number, number])

const suite: BenchSuite = {
  title: `History chart: ${ROWS.toLocaleString('en-US')} snapshots read and downsampled to 2,000 points × 5 series`,
  item: 'snapshot',
  baseline: 'every row read, then LTTB',
  options: { warmupMs: 0, samples: 3, minSampleMs: 0 },
  cases: [
    { name: 'every row read, then LTTB', itemsPerRun: ROWS, run: () => series(repo.snapshots()) },
    { name: 'stride to ≤10k in SQL, then LTTB (the service)', itemsPerRun: ROWS, run: () => series(repo.snapshots(-Infinity, Infinity, Math.ceil(ROWS / 10_000))) },
    { name: 'LTTB alone, 1M points → 2,000', itemsPerRun: 1_000_000, run: () => lttb(big, 2000).length },
  ],
}

export default suite
