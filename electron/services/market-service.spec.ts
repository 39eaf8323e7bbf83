/**
 * The market-data calls through the in-process transport: real SQLite file, the demo book, a clock the
 * test moves, real CSV files, and the live feed against a fake venue server on 127.0.0.1.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FulcrumApi, FulcrumEvent, Result } from '../shared/api-contract'
import { createInProcessApi } from '../transports/in-process'
import { startBackend, type Backend } from './backend'
import { FakeVenueServer, ManualTimers } from './market/feed/fake-venues'
import { closeDatabase, openDatabase } from '../store/database'
import { BookRepository } from '../store/book-repository'
import { MarketRepository } from '../store/market-repository'
import { appSettingsSchema } from '../shared/api-contract'
import { EventBus } from './event-bus'
import { createMarketFeature } from './market-service'
import { demoDocument } from './demo'
import { computeRiskReport } from '../engine'

let nowMs = Date.parse('2026-11-24T09:30:00Z')
const clock = { now: () => new Date(nowMs) }

let dir: string
let backend: Backend
let api: FulcrumApi
let events: FulcrumEvent[]

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`)
  return r.value
}
function start(): void {
  backend = startBackend({ dataFile: path.join(dir, 'book.sqlite'), mode: 'test', seedDemoOnCreate: true, clock })
  api = createInProcessApi(backend.service.table, backend.events)
  events = []
  api.onEvent((e) => events.push(e))
}
const fixture = (name: string): string => fs.readFileSync(new URL(`../importers/__fixtures__/price-history/${name}`, import.meta.url)).toString('base64')
const csv = (text: string): string => Buffer.from(text).toString('base64')

beforeEach(() => {
  nowMs = Date.parse('2026-11-24T09:30:00Z')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-market-'))
  start()
})
afterEach(async () => {
  await backend?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('marks and their age', () => {
  it('lists every underlying and open instrument with its age; the demo history is labelled generated', async () => {
    const view = value(await api.marketGet({}))
    expect(view.staleAfterSeconds).toBe(3600)
    const btc = view.underlyings.find((u) => u.symbol === 'BTC')!
    expect(btc).toMatchObject({ price: '93000', updatedAt: '2026-11-24T09:30:00Z', ageSeconds: 0, stale: false, demo: true })
    expect(btc.history).toMatchObject({ count: 400, generated: true, lastDay: '2026-11-23', gaps: [], missingDays: 0 })
    expect(btc.history.label).toMatch(/^generated \(demo\)/)
    // Realized vol of the generated walk (55 % implied, with jump days): a year-of-crypto figure, annualised.
    expect(btc.history.realizedVol30d).toBeGreaterThan(0.1)
    expect(btc.history.realizedVol90d).toBeLessThan(2)
    const perp = view.instruments.find((i) => i.positionId === 'demo-bn-btc-perp')!
    expect(perp).toMatchObject({ venue: 'binance', label: 'BTCUSDT', mark: '93012.3', fundingRate: 0.0001, stale: false })
  })

  it('flags marks older than the threshold, in the market view and in the risk report', async () => {
    nowMs += 61 * 60_000
    const view = value(await api.marketGet({}))
    expect(view.underlyings.every((u) => u.stale && u.ageSeconds === 3660)).toBe(true)
    const report = value(await api.riskReport({})).report
    expect(report.marketData.staleAfterSeconds).toBe(3600)
    expect(report.positions.every((p) => p.stale)).toBe(true)
    // The user's threshold decides.
    value(await api.settingsUpdate({ patch: { staleMarkMinutes: 120 } }))
    expect(value(await api.riskReport({})).report.positions.some((p) => p.stale)).toBe(false)
  })

  it('re-prices with a mark set by hand, stamps its time and source, and bumps the revision', async () => {
    const before = value(await api.riskReport({}))
    const saved = value(await api.markSave({ positionId: 'demo-bn-btc-perp', mark: '95000.5' }))
    expect(saved).toMatchObject({ mark: '95000.5', fundingRate: 0.0001, source: 'manual', updatedAt: '2026-11-24T09:30:00Z' })
    const after = value(await api.riskReport({}))
    expect(after.revision).toBe(before.revision + 1)
    const p = after.report.positions.find((x) => x.id === 'demo-bn-btc-perp')!
    expect(p.mark).toBe(95000.5)
    expect(events.some((e) => e.type === 'book.changed')).toBe(true)
    // The document export carries who set it.
    const doc = value(await api.portfolioExport({}))
    expect(doc.market.instruments['demo-bn-btc-perp']).toMatchObject({ mark: '95000.5', source: 'manual' })
  })

  it('clears a field with null and refuses unknown or closed positions', async () => {
    value(await api.markSave({ positionId: 'demo-bn-btc-perp', fundingRate: null }))
    expect(value(await api.marketGet({})).instruments.find((i) => i.positionId === 'demo-bn-btc-perp')!.fundingRate).toBeNull()
    const missing = await api.markSave({ positionId: 'nope', mark: '1' })
    expect(missing.ok ? null : missing.error.code).toBe('not_found')
    const bad = await api.markSave({ positionId: 'demo-bn-btc-perp', mark: '-3' })
    expect(bad.ok ? null : bad.error.issues?.[0]?.path).toBe('mark')
  })

  it('keeps the history label when the index price is edited by hand', async () => {
    value(await api.underlyingSave({ symbol: 'BTC', price: '94000' }))
    const btc = value(await api.marketGet({})).underlyings.find((u) => u.symbol === 'BTC')!
    expect(btc).toMatchObject({ price: '94000', source: 'manual' })
    expect(btc.history.generated).toBe(true)
  })
})

describe('price history import', () => {
  it('previews what a merge would do, with gaps and duplicates, and writes nothing', async () => {
    const preview = value(await api.priceHistoryPreview({ fileName: 'sol-closes.csv', contentBase64: fixture('sol-closes.csv') }))
    expect(preview).toMatchObject({
      underlying: 'SOL',
      underlyingFrom: 'file name',
      format: { id: 'date-close' },
      days: 5,
      firstDay: '2026-10-01',
      lastDay: '2026-10-09',
      existing: { count: 400, generated: true },
      suggestedMode: 'replace',
      // The demo's generated history covers October 2026: these days exist, with other closes.
      merge: { added: 0, unchanged: 0, changed: 5 },
    })
    expect(preview.gaps).toHaveLength(2)
    expect(preview.duplicates.map((d) => [d.day, d.conflicting])).toEqual([
      ['2026-10-02', false],
      ['2026-10-07', true],
    ])
    expect(value(await api.priceHistoryGet({ underlying: 'SOL' })).points).toHaveLength(400)
  })

  it('replaces generated history, says it is imported, and importing again changes nothing', async () => {
    const varBefore = value(await api.riskReport({})).report.portfolio.var
    const file = fixture('BTCUSDT-1d-2026-10.csv')
    const first = value(await api.priceHistoryImport({ fileName: 'BTCUSDT-1d-2026-10.csv', contentBase64: file, underlying: 'BTC', mode: 'replace' }))
    // 2026-10-01..05 were generated days too: a replace keeps none of the generated closes.
    expect(first).toMatchObject({ added: 0, changed: 5, removed: 395, unchanged: 0 })
    const hist = value(await api.priceHistoryGet({ underlying: 'BTC' }))
    expect(hist.points).toEqual([
      ['2026-10-01', '64420.55'],
      ['2026-10-02', '65010'],
      ['2026-10-03', '64120.3'],
      ['2026-10-04', '64700'],
      ['2026-10-05', '65880.25'],
    ])
    expect(hist.summary).toMatchObject({ generated: false, label: 'imported from BTCUSDT-1d-2026-10.csv', count: 5 })
    // VaR rests on this history: the report's figure moves with it (five days cannot carry a 99 % VaR).
    const varAfter = value(await api.riskReport({})).report.portfolio.var
    expect(varBefore.parametric).toEqual(expect.any(Number))
    expect(varAfter.parametric).not.toEqual(varBefore.parametric)
    const rev = value(await api.riskReport({})).revision
    const again = value(await api.priceHistoryImport({ fileName: 'BTCUSDT-1d-2026-10.csv', contentBase64: file, underlying: 'BTC', mode: 'merge' }))
    expect(again).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 5 })
    expect(value(await api.riskReport({})).revision).toBe(rev)
    // The export carries it.
    const doc = value(await api.portfolioExport({}))
    expect(doc.market.underlyings.BTC!.history).toEqual(hist.points)
    expect(doc.market.underlyings.BTC).not.toHaveProperty('historySource')
  })

  it('merges, keeping or replacing a different stored close as asked, and reports the gap it leaves', async () => {
    const base = csv('date,close\n2026-11-20,1\n2026-11-21,2\n')
    value(await api.priceHistoryImport({ fileName: 'a.csv', contentBase64: base, underlying: 'ETH', mode: 'replace' }))
    const next = csv('date,close\n2026-11-21,2.5\n2026-11-24,4\n')
    const kept = value(await api.priceHistoryImport({ fileName: 'b.csv', contentBase64: next, underlying: 'ETH', mode: 'merge', onConflict: 'keep' }))
    expect(kept).toMatchObject({ added: 1, kept: 1, changed: 0 })
    expect(kept.summary.gaps).toEqual([{ from: '2026-11-22', to: '2026-11-23', days: 2 }])
    const replaced = value(await api.priceHistoryImport({ fileName: 'b.csv', contentBase64: next, underlying: 'ETH', mode: 'merge', onConflict: 'replace' }))
    expect(replaced).toMatchObject({ added: 0, changed: 1, unchanged: 1 })
    expect(value(await api.priceHistoryGet({ underlying: 'ETH' })).points).toEqual([
      ['2026-11-20', '1'],
      ['2026-11-21', '2.5'],
      ['2026-11-24', '4'],
    ])
  })

  it('refuses a file that is not a price history and an underlying the book does not hold, naming why', async () => {
    const notPrices = await api.priceHistoryPreview({ fileName: 'trades.csv', contentBase64: csv('id,amount\n1,2\n') })
    expect(notPrices.ok ? null : notPrices.error).toMatchObject({ code: 'invalid_input', issues: [{ path: 'file' }] })
    const unknown = await api.priceHistoryImport({ fileName: 'x.csv', contentBase64: csv('date,close\n2026-11-01,1\n'), underlying: 'DOGE' })
    expect(unknown.ok ? null : unknown.error.issues?.[0]?.path).toBe('underlying')
  })
})

describe('risk snapshots', () => {
  it('stores a snapshot on demand and charts it with every series', async () => {
    const taken = value(await api.snapshotTake({}))
    expect(taken.at).toBe('2026-11-24T09:30:00Z')
    const view = value(await api.snapshotsGet({}))
    expect(view.count).toBeGreaterThanOrEqual(1)
    const keys = view.series.map((s) => s.key)
    expect(keys).toEqual(expect.arrayContaining(['equity', 'leverage', 'marginRatio', 'marginRatio:binance', 'marginRatio:bybit', 'marginRatio:deribit', 'delta:BTC', 'vega:BTC']))
    const report = value(await api.riskReport({})).report
    expect(view.series.find((s) => s.key === 'equity')!.points.at(-1)).toEqual([nowMs, report.portfolio.equity])
    expect(events.some((e) => e.type === 'history.snapshot')).toBe(true)
  })

  it('downsamples a long range to the requested points, keeping both ends', async () => {
    const repo = new MarketRepository(backend.database.db, backend.service.book, clock)
    value(await api.snapshotTake({}))
    const base = repo.snapshots()[0]!
    const t0 = Date.parse('2026-01-01T00:00:00Z')
    repo.insertSnapshots(
      Array.from({ length: 25_000 }, (_, i) => ({ ...base, reason: 'change' as const, atMs: t0 + i * 60_000, at: new Date(t0 + i * 60_000).toISOString(), equity: 100_000 + i })),
    )
    const view = value(await api.snapshotsGet({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', maxPoints: 500 }))
    expect(view.count).toBe(25_000)
    expect(view.downsampled).toBe(true)
    const equity = view.series.find((s) => s.key === 'equity')!.points
    expect(equity).toHaveLength(500)
    expect(equity[0]).toEqual([t0, 100_000])
    expect(equity.at(-1)).toEqual([t0 + 24_999 * 60_000, 124_999])
    // Pre-thinned by a stride in SQL (every 3rd row here), so a one-row spike may fall between the
    // rows read: LTTB keeps the spikes of what it is given (lttb.spec.ts), not of what was skipped.
    for (let i = 1; i < equity.length; i++) expect(equity[i]![0]).toBeGreaterThan(equity[i - 1]![0])
  })

  it('exports them as CSV that a spreadsheet reads as numbers and cannot run', async () => {
    value(await api.snapshotTake({}))
    const out = value(await api.snapshotsExport({}))
    expect(out.fileName).toBe('fulcrum-risk-history-20261124.csv')
    const [header, ...lines] = out.csv.replace(/^\uFEFF/, '').trim().split('\r\n')
    const cols = header!.split(',')
    expect(cols.slice(0, 4)).toEqual(['at', 'reason', 'equity_usd', 'gross_notional_usd'])
    expect(cols).toEqual(expect.arrayContaining(['binance_margin_ratio', 'BTC_delta', 'BTC_theta_usd_per_day']))
    const last = lines.at(-1)!.split(',')
    expect(last[1]).toBe('manual')
    const theta = Number(last[cols.indexOf('BTC_theta_usd_per_day')])
    // Negative numbers stay numbers (no formula guard on numeric columns).
    expect(theta).toBeLessThan(0)
    expect(last[cols.indexOf('BTC_theta_usd_per_day')]).toMatch(/^-\d/)
  })
})

describe('live feed through the service', () => {
  let server: FakeVenueServer
  beforeEach(async () => {
    server = new FakeVenueServer()
    await server.start()
    await backend.close()
    process.env.FULCRUM_MARKET_FEED_URL = server.origin
    start()
  })
  afterEach(async () => {
    delete process.env.FULCRUM_MARKET_FEED_URL
    await backend.close()
    await server.stop()
  })

  it('is off by default and asks nothing', async () => {
    const view = value(await api.marketGet({}))
    expect(view.feed).toMatchObject({ enabled: false, state: 'off' })
    expect(server.hits).toEqual([])
  })

  it('when turned on, prices the book from the venues and clears stale marks', async () => {
    Object.assign(server.market.index, { BTC: '95001.5', ETH: '3100.25', SOL: '140.5' })
    Object.assign(server.market.mark, { BTCUSDT: '95010', 'BTC-PERPETUAL': '95020.5' })
    nowMs += 2 * 3_600_000
    expect(value(await api.riskReport({})).report.marketData.stale).toBe(true)
    const online = new Promise<void>((resolve) => {
      api.onEvent((e) => {
        if (e.type === 'market.feed' && e.status.venues.filter((v) => v.state !== 'off').every((v) => v.state === 'online') && e.status.venues.some((v) => v.state === 'online')) resolve()
      })
    })
    value(await api.settingsUpdate({ patch: { marketFeed: { enabled: true, venues: ['binance', 'deribit'], pollSeconds: 30 } } }))
    await online
    const view = value(await api.marketGet({}))
    expect(view.feed.state).toBe('online')
    expect(view.underlyings.find((u) => u.symbol === 'BTC')).toMatchObject({ price: '95001.5', source: 'feed:binance', stale: false })
    expect(view.instruments.find((i) => i.positionId === 'demo-bn-btc-perp')).toMatchObject({ mark: '95010', source: 'feed:binance', stale: false })
    expect(view.instruments.find((i) => i.positionId === 'demo-dr-btc-perp')).toMatchObject({ mark: '95020.5', fundingIntervalHours: 8 })
    // Bybit was not enabled: its BTC perp keeps the demo's mark, and is still stale.
    expect(view.instruments.find((i) => i.positionId === 'demo-by-btc-perp')).toMatchObject({ mark: '93008.8', stale: true })
    expect(server.hits.some((h) => h.path.startsWith('/v5/'))).toBe(false)
  })
})

describe('marks going stale by the clock', () => {
  it('tells every view to reload when an input crosses the threshold, without any write', async () => {
    // The feature alone, on timers the test moves (the app checks every 30 s).
    const opened = openDatabase(path.join(dir, 'alone.sqlite'))
    const timers = new ManualTimers(nowMs)
    const clockT = timers.clock
    const book = new BookRepository(opened.db, clockT)
    const bus = new EventBus<FulcrumEvent>()
    const settings = () => appSettingsSchema.parse(book.getSettings())
    book.loadDocument(demoDocument(clockT.now()), { replace: false, demo: true })
    const feature = createMarketFeature(
      {
        ctx: { db: opened.db, dataFile: opened.file, schemaVersion: opened.schemaVersion, clock: clockT, mode: 'test', version: '0', events: bus },
        db: opened.db,
        clock: clockT,
        book,
        events: bus,
        changed: () => bus.emit({ type: 'book.changed', revision: book.revision() }),
        settings,
        document: () => ({ ...book.toDocument(), settings: settings() }),
        valueBook: (doc, now) => computeRiskReport(doc, { now }),
        report: async (now) => computeRiskReport({ ...book.toDocument(), settings: settings() }, { now: now ?? clockT.now() }),
      },
      { timers },
    )
    const seen: FulcrumEvent[] = []
    bus.subscribe((e) => seen.push(e))
    feature.start!()
    const revision = book.revision()
    timers.advance(59 * 60_000)
    expect(seen.filter((e) => e.type === 'book.changed')).toEqual([])
    timers.advance(2 * 60_000 + 30_000)
    // Once: the flags changed, the book did not.
    expect(seen.filter((e) => e.type === 'book.changed')).toEqual([{ type: 'book.changed', revision }])
    timers.advance(10 * 60_000)
    expect(seen.filter((e) => e.type === 'book.changed')).toHaveLength(1)
    await feature.stop!()
    closeDatabase(opened.db)
  })
})
