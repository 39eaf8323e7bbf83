import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { closeDatabase, openDatabase, type OpenedDatabase } from '../../store/database'
import { BookRepository } from '../../store/book-repository'
import { MarketRepository } from '../../store/market-repository'
import { computeRiskReport } from '../../engine'
import { demoDocument } from '../demo'
import { parsePortfolioDocument } from '../../shared/portfolio-document'
import { SnapshotRecorder, snapshotFromReport, systemMarketTimers } from './snapshots'

const START = new Date('2026-11-24T08:00:00Z').getTime()
const clock = { now: () => new Date(Date.now()) }

let dir: string
let opened: OpenedDatabase
let book: BookRepository
let repo: MarketRepository
let recorder: SnapshotRecorder
let reportCalls: number
let failReport: boolean

/** The book as the service hands it to the engine: settings completed with their defaults. */
function doc() {
  const r = parsePortfolioDocument(book.toDocument())
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.value
}

beforeEach(() => {
  vi.useFakeTimers({ now: START })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-snap-'))
  opened = openDatabase(path.join(dir, 'm.sqlite'))
  book = new BookRepository(opened.db, clock)
  repo = new MarketRepository(opened.db, book, clock)
  book.loadDocument(demoDocument(new Date(START)), { replace: false, demo: true })
  reportCalls = 0
  failReport = false
  recorder = new SnapshotRecorder({
    repo,
    clock,
    timers: systemMarketTimers,
    revision: () => book.revision(),
    report: () => {
      reportCalls++
      if (failReport) throw new Error('cannot price')
      return computeRiskReport(doc(), { now: clock.now() })
    },
  })
})
afterEach(async () => {
  await recorder.stop()
  vi.useRealTimers()
  closeDatabase(opened.db)
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A book write, as a feed poll or an edit makes one. */
function touch(price: string): void {
  book.saveUnderlying('BTC', { price })
  recorder.notifyChange()
}

async function settle(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

describe('snapshot recorder', () => {
  it('takes one at start when there is none, then coalesces a burst of changes into one', async () => {
    recorder.start()
    await settle(0)
    expect(repo.snapshots().map((s) => s.reason)).toEqual(['start'])

    await settle(120_000)
    for (let i = 0; i < 5; i++) {
      touch(String(93_000 + i))
      await settle(300)
    }
    expect(repo.snapshotCount()).toBe(1)
    await settle(1_999)
    expect(repo.snapshotCount()).toBe(2)
    const last = repo.snapshots().at(-1)!
    expect(last.reason).toBe('change')
    expect(last.revision).toBe(book.revision())
    // Debounced from the last change: 2 s after it, not after the first.
    expect(last.atMs).toBe(START + 120_000 + 4 * 300 + 2_000)
  })

  it('keeps changes at least a minute apart', async () => {
    recorder.start()
    await settle(0)
    // A change right after the start snapshot waits for the minute to pass.
    touch('93900')
    await settle(2_000)
    expect(repo.snapshotCount()).toBe(1)
    await settle(58_000)
    expect(repo.snapshots().at(-1)!.atMs).toBe(START + 60_000)
    await settle(120_000)
    touch('94000')
    await settle(2_000)
    const first = repo.snapshots().at(-1)!
    expect(first.reason).toBe('change')
    touch('94100')
    await settle(10_000)
    expect(repo.snapshotCount()).toBe(3)
    await settle(first.atMs + 60_000 - Date.now() - 1)
    expect(repo.snapshotCount()).toBe(3)
    await settle(1)
    expect(repo.snapshotCount()).toBe(4)
    expect(repo.snapshots().at(-1)!.atMs).toBe(first.atMs + 60_000)
  })

  it('does not snapshot the same revision twice', async () => {
    recorder.start()
    await settle(0)
    touch('94000')
    await settle(60_000)
    const n = repo.snapshotCount()
    recorder.notifyChange() // nothing was written since
    await settle(120_000)
    expect(repo.snapshotCount()).toBe(n)
  })

  it('takes one a day when nothing changes', async () => {
    recorder.start()
    await settle(0)
    await settle(23 * 3_600_000)
    expect(repo.snapshotCount()).toBe(1)
    await settle(3_600_000)
    expect(repo.snapshots().map((s) => s.reason)).toEqual(['start', 'daily'])
  })

  it('takes none when the book cannot be priced, and recovers', async () => {
    const errors: unknown[] = []
    recorder = new SnapshotRecorder({
      repo,
      clock,
      timers: systemMarketTimers,
      revision: () => book.revision(),
      report: () => {
        if (failReport) throw new Error('cannot price')
        return computeRiskReport(doc(), { now: clock.now() })
      },
      onError: (e) => errors.push(e),
    })
    failReport = true
    recorder.start()
    await settle(0)
    expect(repo.snapshotCount()).toBe(0)
    expect(errors).toHaveLength(1)
    failReport = false
    touch('95000')
    await settle(2_000)
    expect(repo.snapshotCount()).toBe(1)
  })

  it('stores the figures the report shows', async () => {
    const report = computeRiskReport(doc(), { now: clock.now(), staleAfterSeconds: 3600 })
    const s = snapshotFromReport(report, 7, 'manual', START)
    expect(s.equity).toBe(report.portfolio.equity)
    expect(s.leverage).toBe(report.portfolio.leverage)
    expect(s.marginRatio).toBe(report.portfolio.marginRatio)
    expect(Object.keys(s.venues).sort()).toEqual(['binance', 'bybit', 'deribit'])
    expect(s.venues.deribit!.marginRatio).toBe(report.venues.find((v) => v.venue === 'deribit')!.worstAccountMarginRatio)
    const btcDelta = report.positions.filter((p) => p.underlying === 'BTC').reduce((a, p) => a + p.delta, 0)
    expect(s.underlyings.BTC!.delta).toBeCloseTo(btcDelta, 12)
    // The historical figure wins when the report has one; without any VaR the snapshot has none.
    const noVar = { ...report, portfolio: { ...report.portfolio, var: { ...report.portfolio.var, historical: null, parametric: null, monteCarlo: null } } }
    expect(snapshotFromReport(noVar, 7, 'manual', START)).toMatchObject({ var: null, es: null, varMethod: null })
    const withVar = { ...report, portfolio: { ...report.portfolio, var: { ...report.portfolio.var, historical: 1234, parametric: 999 }, expectedShortfall: { historical: 1500, parametric: 1100, monteCarlo: null } } }
    expect(snapshotFromReport(withVar, 7, 'manual', START)).toMatchObject({ var: 1234, es: 1500, varMethod: 'historical' })
    repo.insertSnapshot(s)
    expect(repo.snapshots()[0]).toEqual(s)
  })

  it('reads long ranges thinned by a stride, keeping both ends', () => {
    const base = snapshotFromReport(computeRiskReport(doc(), { now: clock.now() }), 1, 'change', START)
    repo.insertSnapshots(Array.from({ length: 1000 }, (_, i) => ({ ...base, atMs: START + i * 60_000, at: new Date(START + i * 60_000).toISOString(), equity: i })))
    const thin = repo.snapshots(-Infinity, Infinity, 10)
    expect(thin[0]!.equity).toBe(0)
    expect(thin.at(-1)!.equity).toBe(999)
    expect(thin.length).toBe(101)
    expect(repo.snapshots(START + 10 * 60_000, START + 19 * 60_000).map((s) => s.equity)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(reportCalls).toBe(0)
  })
})
