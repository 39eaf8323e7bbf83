/**
 * Market data (issue 8): marks and their age, price history and its CSV import, risk snapshots over
 * time, and the optional live public feed. A feature module: its handlers join the service table,
 * `start` begins the snapshot recorder and (when the user turned it on) the feed, `stop` ends both.
 *
 * Every write that changes the figures (a mark by hand, a feed poll, imported closes) is one
 * transaction that bumps the book's revision and then calls `changed()`, so every view re-prices and
 * the recorder takes a (coalesced) snapshot.
 */
import type { RiskReport } from '../engine/report-types'
import { computeRiskReport } from '../engine'
import { parsePriceHistory, type ParsedPriceHistory } from '../importers/price-history'
import { ImportError } from '../importers/types'
import { toCsv, type ExportColumn } from '../importers/csv-export'
import { lttb } from '../shared/lttb'
import { openPositions } from '../shared/portfolio-document'
import {
  FEED_VENUES,
  MARKET_FEED_DEFAULTS,
  marketFeedSettingsSchema,
  type FeedVenue,
  type InstrumentMarks,
  type MarketFeedSettings,
  type MarketView,
  type PriceHistoryPreview,
  type SnapshotSeries,
  type SnapshotsView,
  type UnderlyingMarks,
} from '../shared/market-contract'
import { MarketRepository, type SnapshotRecord } from '../store/market-repository'
import { workerPool } from '../workers/pool'
import { ServiceError, invalid, type FeatureModule, type ServiceDeps } from './service-kit'
import { MarketFeed, type FeedTargets } from './market/feed/feed'
import type { BaseUrlKey } from './market/feed/venues'
import type { FetchLike } from './market/feed/http'
import { SnapshotRecorder, systemMarketTimers, type MarketTimers, type SnapshotPolicy } from './market/snapshots'

type MarketMethod =
  | 'marketGet'
  | 'markSave'
  | 'priceHistoryGet'
  | 'priceHistoryPreview'
  | 'priceHistoryImport'
  | 'snapshotsGet'
  | 'snapshotsExport'
  | 'snapshotTake'

export interface MarketFeatureOptions {
  /** The report snapshots store: the app passes its riskReport handler, so VaR lands when the report has it. */
  report?: () => RiskReport | Promise<RiskReport>
  timers?: MarketTimers
  snapshotPolicy?: Partial<SnapshotPolicy>
  feed?: { baseUrls?: Partial<Record<BaseUrlKey, string>>; fetch?: FetchLike; requestGapMs?: number; random?: () => number }
  /** Revalue the demo book over its generated history (in a worker) when the demo is present. Default: not in tests. */
  demoHistory?: boolean
}

const USD_LIKE = new Set(['USD', 'USDT', 'USDC'])
/** Files above this are parsed in a worker thread; smaller ones parse in a few milliseconds. */
const WORKER_PARSE_BYTES = 1_000_000
/** Snapshots read before LTTB: beyond this a stride pre-thins the range in SQL. */
const MAX_ROWS_READ = 10_000

const ISO = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/** `FULCRUM_MARKET_FEED_URL=http://127.0.0.1:PORT` points every venue at one server (a fake one, for trying the feed offline). */
function baseUrlsFromEnv(): Partial<Record<BaseUrlKey, string>> | undefined {
  const origin = process.env.FULCRUM_MARKET_FEED_URL
  if (!origin) return undefined
  const keys: BaseUrlKey[] = ['binance-spot', 'binance-usdm', 'binance-coinm', 'binance-options', 'bybit', 'okx', 'deribit']
  return Object.fromEntries(keys.map((k) => [k, origin.replace(/\/$/, '')]))
}

export function createMarketFeature(deps: ServiceDeps, options: MarketFeatureOptions = {}): FeatureModule<MarketMethod> {
  const repo = new MarketRepository(deps.db, deps.book, deps.clock)
  const timers = options.timers ?? systemMarketTimers
  const nowMs = (): number => deps.clock.now().getTime()
  const staleAfterSeconds = (): number => deps.settings().staleMarkMinutes * 60
  const feedSettings = (): MarketFeedSettings => {
    const raw = (deps.settings() as { marketFeed?: unknown }).marketFeed
    const parsed = marketFeedSettingsSchema.safeParse(raw ?? {})
    return parsed.success ? parsed.data : MARKET_FEED_DEFAULTS
  }
  const report = options.report ?? (() => computeRiskReport(deps.document(), { now: deps.clock.now(), staleAfterSeconds: staleAfterSeconds() }))

  const ageOf = (updatedAt: string | null): { ageSeconds: number | null; stale: boolean } => {
    if (updatedAt === null) return { ageSeconds: null, stale: false }
    const ageSeconds = Math.max(0, Math.floor((nowMs() - Date.parse(updatedAt)) / 1000))
    return { ageSeconds, stale: ageSeconds > staleAfterSeconds() }
  }

  // -------------------------------------------------------------------------------------------
  // Snapshots

  const recorder = new SnapshotRecorder({
    repo,
    clock: deps.clock,
    timers,
    revision: () => deps.book.revision(),
    report,
    policy: options.snapshotPolicy,
    onSnapshot: (at) => deps.events.emit({ type: 'history.snapshot', at }),
    onError: (error) => {
      // A book the engine cannot price has no figures to keep; the views show why.
      if (deps.ctx.mode !== 'test') console.warn('fulcrum: no risk snapshot:', (error as Error).message)
    },
  })

  const demoPresent = (): boolean => deps.book.demoIds().accountIds.length > 0
  let demoHistoryRun: Promise<void> | null = null
  let demoHistoryAbort: AbortController | null = null
  let stopped = false
  const maybeDemoHistory = (): void => {
    if (!(options.demoHistory ?? deps.ctx.mode !== 'test')) return
    if (demoHistoryRun || !demoPresent() || repo.hasGeneratedSnapshots()) return
    const document = deps.document()
    const abort = new AbortController()
    demoHistoryAbort = abort
    demoHistoryRun = workerPool()
      .run('demoSnapshots', { document }, { signal: abort.signal })
      .then((rows) => {
        // The demo may have gone (or the app closed) while the worker ran.
        if (stopped || !demoPresent()) return
        repo.insertSnapshots(rows)
        deps.events.emit({ type: 'history.snapshot', at: ISO(nowMs()) })
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) console.warn('fulcrum: demo risk history not generated:', (error as Error).message)
      })
      .finally(() => {
        demoHistoryRun = null
        demoHistoryAbort = null
      })
  }

  // -------------------------------------------------------------------------------------------
  // Feed

  const targets = (): FeedTargets => {
    const doc = deps.document()
    const venueOf = new Map(doc.accounts.map((a) => [a.id, a.venue]))
    const open = openPositions(doc)
    const wanted = new Set<string>()
    for (const p of open) {
      wanted.add(p.instrument.underlying)
      wanted.add(p.instrument.quote)
    }
    for (const a of doc.accounts) for (const c of a.collateral) wanted.add(c.asset)
    const indices = [...wanted].filter((u) => !USD_LIKE.has(u) && doc.market.underlyings[u] !== undefined)
    const instruments = open
      .map((position) => ({ position, venue: venueOf.get(position.account) as FeedVenue }))
      .filter((t) => (FEED_VENUES as readonly string[]).includes(t.venue))
    const history = indices
      .map((symbol) => ({ symbol, summary: repo.historySummary(symbol) }))
      .filter((h) => !h.summary.generated)
      .map((h) => ({ symbol: h.symbol, lastDay: h.summary.lastDay }))
    return { indices, instruments, history }
  }

  const feed = new MarketFeed({
    clock: deps.clock,
    timers,
    settings: feedSettings,
    staleAfterMs: () => staleAfterSeconds() * 1000,
    targets,
    apply: (quotes) => {
      if (repo.applyQuotes(quotes) > 0) deps.changed()
    },
    applyHistory: (symbol, closes, source) => {
      const r = repo.writeHistory(symbol, closes, { mode: 'merge', onConflict: 'keep', source })
      if (r.added > 0) deps.changed()
    },
    onStatus: (status) => deps.events.emit({ type: 'market.feed', status }),
    baseUrls: options.feed?.baseUrls ?? baseUrlsFromEnv(),
    fetch: options.feed?.fetch,
    requestGapMs: options.feed?.requestGapMs,
    random: options.feed?.random,
  })

  // -------------------------------------------------------------------------------------------
  // Views

  const instrumentRows = (): InstrumentMarks[] => {
    const doc = deps.document()
    const marks = repo.marks()
    const venueOf = new Map(doc.accounts.map((a) => [a.id, a.venue]))
    return openPositions(doc).map((p) => {
      const m = marks.get(p.id)
      const ins = p.instrument
      const updatedAt = m?.updatedAt ?? null
      return {
        positionId: p.id,
        account: p.account,
        venue: venueOf.get(p.account) ?? 'other',
        label: ins.symbol ?? `${ins.underlying}${ins.quote} ${ins.kind}`,
        kind: ins.kind,
        underlying: ins.underlying,
        quote: ins.quote,
        settlement: ins.settlement,
        mark: m?.mark ?? null,
        iv: m?.iv ?? null,
        forward: m?.forward ?? null,
        fundingRate: m?.fundingRate ?? null,
        fundingIntervalHours: m?.fundingIntervalHours ?? null,
        updatedAt,
        ...ageOf(updatedAt),
        source: typeof m?.extra.source === 'string' ? m.extra.source : m ? 'document' : null,
      }
    })
  }

  const underlyingRows = (): UnderlyingMarks[] => {
    const doc = deps.document()
    const open = openPositions(doc)
    return repo.underlyings().map((u) => ({
      symbol: u.symbol,
      price: u.price,
      vol: u.vol,
      updatedAt: u.updatedAt,
      ...ageOf(u.updatedAt),
      source: typeof u.extra.priceSource === 'string' ? u.extra.priceSource : 'document',
      demo: u.demo,
      openPositions: open.filter((p) => p.instrument.underlying === u.symbol).length,
      history: repo.historySummary(u.symbol, u.extra),
    }))
  }

  // -------------------------------------------------------------------------------------------
  // Price history import

  const decode = (contentBase64: string): Uint8Array => {
    const bytes = Buffer.from(contentBase64, 'base64')
    if (bytes.length === 0) throw invalid('The file is empty', [{ path: 'contentBase64', message: 'the file is empty (0 bytes)' }])
    return bytes
  }

  const parse = async (bytes: Uint8Array, fileName: string): Promise<ParsedPriceHistory> => {
    try {
      if (bytes.length > WORKER_PARSE_BYTES) return await workerPool().run('parsePriceHistory', { bytes, fileName })
      return parsePriceHistory(bytes, fileName)
    } catch (error) {
      const message = error instanceof ImportError || (error as Error).name === 'WorkerTaskError' ? (error as Error).message : `The file could not be read: ${(error as Error).message}`
      throw invalid(message, [{ path: 'file', message }])
    }
  }

  const knownUnderlying = (symbol: string): boolean => deps.book.hasUnderlying(symbol)

  const snapshotSeries = (rows: SnapshotRecord[], maxPoints: number): SnapshotSeries[] => {
    const series: SnapshotSeries[] = []
    const add = (key: string, label: string, group: SnapshotSeries['group'], unit: SnapshotSeries['unit'], pick: (s: SnapshotRecord) => number | null | undefined): void => {
      const points: Array<[number, number]> = []
      for (const s of rows) {
        const v = pick(s)
        if (v !== null && v !== undefined && Number.isFinite(v)) points.push([s.atMs, v])
      }
      if (points.length) series.push({ key, label, group, unit, points: lttb(points, maxPoints) })
    }
    add('equity', 'Equity', 'portfolio', 'usd', (s) => s.equity)
    add('leverage', 'Gross leverage', 'portfolio', 'times', (s) => s.leverage)
    add('marginRatio', 'Margin ratio (summed)', 'portfolio', 'ratio', (s) => s.marginRatio)
    add('worstVenueMarginRatio', 'Margin ratio (weakest venue)', 'portfolio', 'ratio', (s) => s.worstVenueMarginRatio)
    add('netDeltaUsd', 'Net delta', 'portfolio', 'usd', (s) => s.netDeltaUsd)
    add('var', 'VaR', 'risk', 'usd', (s) => s.var)
    add('es', 'Expected shortfall', 'risk', 'usd', (s) => s.es)
    const venues = [...new Set(rows.flatMap((s) => Object.keys(s.venues)))].sort()
    for (const v of venues) add(`marginRatio:${v}`, v, 'venue', 'ratio', (s) => s.venues[v]?.marginRatio)
    const unds = [...new Set(rows.flatMap((s) => Object.keys(s.underlyings)))].sort()
    for (const u of unds) {
      add(`delta:${u}`, `${u} delta`, 'underlying', 'coin', (s) => s.underlyings[u]?.delta)
      add(`deltaUsd:${u}`, `${u} delta (USD)`, 'underlying', 'usd', (s) => s.underlyings[u]?.deltaUsd)
      add(`gamma:${u}`, `${u} gamma`, 'underlying', 'coin', (s) => s.underlyings[u]?.gamma)
      add(`vega:${u}`, `${u} vega`, 'underlying', 'usd', (s) => s.underlyings[u]?.vega)
      add(`theta:${u}`, `${u} theta`, 'underlying', 'usd', (s) => s.underlyings[u]?.theta)
    }
    return series
  }

  const range = (from?: string, to?: string): [number, number] => [from ? Date.parse(from) : -Infinity, to ? Date.parse(to) : Infinity]

  const handlers: FeatureModule<MarketMethod>['handlers'] = {
    marketGet: (): MarketView => ({
      asOf: ISO(nowMs()),
      staleAfterSeconds: staleAfterSeconds(),
      underlyings: underlyingRows(),
      instruments: instrumentRows(),
      feed: feed.status(),
    }),

    markSave: ({ positionId, ...patch }) => {
      const position = deps.book.listPositions().find((p) => p.id === positionId)
      if (!position) throw new ServiceError('not_found', `No position "${positionId}"`)
      if (position.closedAt) throw new ServiceError('conflict', `Position "${positionId}" is closed; its marks no longer matter`)
      if (position.instrument.kind === 'spot' && patch.mark !== undefined && patch.mark !== null) {
        throw invalid('A spot position is marked at its index price', [{ path: 'mark', message: 'set the index price of the underlying instead' }])
      }
      repo.patchMark(positionId, patch, 'manual')
      deps.changed()
      return instrumentRows().find((r) => r.positionId === positionId)!
    },

    priceHistoryGet: ({ underlying }) => {
      if (!knownUnderlying(underlying)) throw new ServiceError('not_found', `The book has no underlying ${underlying}`)
      return {
        underlying,
        points: repo.historyPoints(underlying).map((p) => [p.day, p.close] as [string, string]),
        summary: repo.historySummary(underlying),
      }
    },

    priceHistoryPreview: async ({ fileName, contentBase64, underlying }): Promise<PriceHistoryPreview> => {
      const parsed = await parse(decode(contentBase64), fileName)
      const symbol = underlying ?? parsed.underlying
      const existingPoints = symbol && knownUnderlying(symbol) ? repo.historyPoints(symbol) : []
      const existing = new Map(existingPoints.map((p) => [p.day, p.close]))
      const summary = symbol && knownUnderlying(symbol) ? repo.historySummary(symbol) : null
      const merge = { added: 0, unchanged: 0, changed: 0 }
      for (const [day, close] of parsed.closes) {
        const old = existing.get(day)
        if (old === undefined) merge.added++
        else if (old === close) merge.unchanged++
        else merge.changed++
      }
      const warnings = [...parsed.warnings]
      if (symbol && !knownUnderlying(symbol)) warnings.push(`The book has no underlying ${symbol}: choose one of the book's underlyings.`)
      const sample = parsed.closes.length <= 10 ? parsed.closes : [...parsed.closes.slice(0, 5), ...parsed.closes.slice(-5)]
      return {
        fileName,
        format: parsed.format,
        underlying: symbol,
        underlyingFrom: underlying ? 'input' : parsed.underlyingFrom,
        encoding: parsed.encoding,
        delimiter: parsed.delimiter,
        rows: parsed.rows,
        days: parsed.closes.length,
        firstDay: parsed.closes[0]?.[0] ?? null,
        lastDay: parsed.closes.at(-1)?.[0] ?? null,
        sample,
        duplicates: parsed.duplicates,
        gaps: parsed.gaps,
        missingDays: parsed.missingDays,
        issues: parsed.issues,
        warnings,
        existing: {
          count: summary?.count ?? 0,
          firstDay: summary?.firstDay ?? null,
          lastDay: summary?.lastDay ?? null,
          generated: summary?.generated ?? false,
        },
        merge,
        suggestedMode: summary?.generated ? 'replace' : 'merge',
      }
    },

    priceHistoryImport: async ({ fileName, contentBase64, underlying, mode, onConflict }) => {
      if (!knownUnderlying(underlying)) {
        throw invalid(`The book has no underlying ${underlying}`, [{ path: 'underlying', message: `is not in the book; add ${underlying} or choose another` }])
      }
      const parsed = await parse(decode(contentBase64), fileName)
      if (parsed.closes.length === 0) {
        throw invalid('The file has no daily close to import', [{ path: 'file', message: 'no row could be read as a date and a close' }])
      }
      const name = fileName.split(/[\\/]/).pop() || 'file'
      const r = repo.writeHistory(underlying, parsed.closes, { mode, onConflict, source: `csv:${name}` })
      if (r.added + r.changed + r.removed > 0) deps.changed()
      const skippedDays = new Set(parsed.duplicates.filter((d) => d.conflicting).map((d) => d.day))
      return { underlying, ...r, skipped: skippedDays.size + parsed.issues.length, summary: repo.historySummary(underlying) }
    },

    snapshotsGet: ({ from, to, maxPoints }): SnapshotsView => {
      const [lo, hi] = range(from, to)
      const count = repo.snapshotCount(lo, hi)
      const stride = count > MAX_ROWS_READ ? Math.ceil(count / MAX_ROWS_READ) : 1
      const rows = repo.snapshots(lo, hi, stride)
      const series = snapshotSeries(rows, maxPoints)
      return {
        count,
        from: rows[0]?.at ?? null,
        to: rows.at(-1)?.at ?? null,
        downsampled: stride > 1 || series.some((s) => s.points.length < rows.length && s.points.length === maxPoints),
        generated: repo.hasGeneratedSnapshots(lo, hi),
        generatedUntil: repo.generatedUntil(lo, hi),
        series,
        lastAt: rows.at(-1)?.at ?? null,
      }
    },

    snapshotsExport: ({ from, to }) => {
      const [lo, hi] = range(from, to)
      const rows = repo.snapshots(lo, hi)
      const venues = [...new Set(rows.flatMap((s) => Object.keys(s.venues)))].sort()
      const unds = [...new Set(rows.flatMap((s) => Object.keys(s.underlyings)))].sort()
      const num = (header: string, value: (s: SnapshotRecord) => number | null | undefined): ExportColumn<SnapshotRecord> => ({ header, type: 'number', value })
      const columns: ExportColumn<SnapshotRecord>[] = [
        { header: 'at', type: 'text', value: (s) => s.at },
        { header: 'reason', type: 'text', value: (s) => s.reason },
        num('equity_usd', (s) => s.equity),
        num('gross_notional_usd', (s) => s.grossNotional),
        num('leverage', (s) => s.leverage),
        num('margin_ratio', (s) => s.marginRatio),
        num('worst_venue_margin_ratio', (s) => s.worstVenueMarginRatio),
        num('net_delta_usd', (s) => s.netDeltaUsd),
        num('var_usd', (s) => s.var),
        num('es_usd', (s) => s.es),
        { header: 'var_method', type: 'text', value: (s) => s.varMethod },
        num('var_confidence', (s) => s.varConfidence),
        num('var_horizon_days', (s) => s.varHorizonDays),
        { header: 'stale_marks', type: 'text', value: (s) => (s.stale ? 'yes' : 'no') },
        ...venues.flatMap((v) => [num(`${v}_equity_usd`, (s) => s.venues[v]?.equity), num(`${v}_margin_ratio`, (s) => s.venues[v]?.marginRatio)]),
        ...unds.flatMap((u) => [
          num(`${u}_delta`, (s) => s.underlyings[u]?.delta),
          num(`${u}_delta_usd`, (s) => s.underlyings[u]?.deltaUsd),
          num(`${u}_gamma`, (s) => s.underlyings[u]?.gamma),
          num(`${u}_vega_usd`, (s) => s.underlyings[u]?.vega),
          num(`${u}_theta_usd_per_day`, (s) => s.underlyings[u]?.theta),
        ]),
      ]
      const day = ISO(nowMs()).slice(0, 10).replaceAll('-', '')
      return { fileName: `fulcrum-risk-history-${day}.csv`, csv: toCsv(columns, rows, { bom: true }), rows: rows.length }
    },

    snapshotTake: async () => ({ at: await recorder.take('manual') }),
  }

  // Marks go stale by the clock, not by a write: when the set of stale inputs changes, say the figures
  // changed (their stale flags did), so every view reloads the report without waiting for an edit.
  const staleSignature = (): string =>
    JSON.stringify([
      repo.underlyings().filter((u) => ageOf(u.updatedAt).stale).map((u) => u.symbol),
      [...repo.marks().values()].filter((m) => ageOf(m.updatedAt).stale).map((m) => m.positionId),
    ])
  let lastStale = ''
  let staleTimer: object | null = null
  const checkStale = (): void => {
    const sig = staleSignature()
    if (sig !== lastStale) {
      lastStale = sig
      deps.changed()
    }
  }

  let unsubscribe: (() => void) | null = null
  return {
    handlers,
    start: () => {
      stopped = false
      maybeDemoHistory()
      recorder.start()
      unsubscribe = deps.events.subscribe((event) => {
        if (event.type === 'book.changed') {
          recorder.notifyChange()
          if (!demoPresent() && repo.hasGeneratedSnapshots()) {
            repo.deleteGeneratedSnapshots()
            deps.events.emit({ type: 'history.snapshot', at: ISO(nowMs()) })
          } else maybeDemoHistory()
        } else if (event.type === 'settings.changed') {
          feed.reconfigure()
        }
      })
      feed.reconfigure()
      lastStale = staleSignature()
      staleTimer = timers.setInterval(checkStale, 30_000)
    },
    stop: async () => {
      stopped = true
      if (staleTimer) timers.clearInterval(staleTimer)
      staleTimer = null
      unsubscribe?.()
      unsubscribe = null
      feed.stop()
      await feed.whenIdle()
      // Quitting must not wait a second for the demo's generated history: it is simply made next time.
      demoHistoryAbort?.abort()
      await recorder.stop()
      await demoHistoryRun
    },
  }
}
