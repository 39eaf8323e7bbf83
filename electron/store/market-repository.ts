/**
 * Market data in SQLite beyond what the book's document carries: who set a price and when, the
 * price history per underlying with where each close came from, and the risk snapshots over time.
 *
 * Writes that change what the figures are (prices, marks, closes) go through BookRepository.write,
 * so they are one transaction and bump the book's revision like every other book write. Snapshots
 * describe the book and do not change it: they are written without a revision bump.
 */
import type { Db } from './database'
import type { BookRepository, Clock } from './book-repository'
import { findGaps } from '../shared/calendar-days'
import { realizedVolatility } from '../shared/realized-vol'
import type { HistorySummary } from '../shared/market-contract'

export interface UnderlyingRow {
  symbol: string
  price: string
  vol: number | null
  updatedAt: string | null
  demo: boolean
  /** Extra fields of the document's underlying (historySource, priceSource...). */
  extra: Record<string, unknown>
}

export interface MarkRow {
  positionId: string
  mark: string | null
  iv: number | null
  forward: string | null
  fundingRate: number | null
  fundingIntervalHours: number | null
  updatedAt: string | null
  extra: Record<string, unknown>
}

export type MarkPatch = Partial<Record<'mark' | 'forward', string | null> & Record<'iv' | 'fundingRate' | 'fundingIntervalHours', number | null>>

export interface HistoryWriteResult {
  added: number
  changed: number
  unchanged: number
  kept: number
  removed: number
}

export type SnapshotReason = 'change' | 'daily' | 'start' | 'manual' | 'demo'

export interface SnapshotRecord {
  at: string
  atMs: number
  reason: SnapshotReason
  revision: number
  equity: number | null
  grossNotional: number | null
  leverage: number | null
  marginRatio: number | null
  worstVenueMarginRatio: number | null
  netDeltaUsd: number | null
  var: number | null
  es: number | null
  varMethod: string | null
  varConfidence: number | null
  varHorizonDays: number | null
  stale: boolean
  venues: Record<string, { equity: number | null; marginRatio: number | null; leverage: number | null }>
  underlyings: Record<string, { delta: number; deltaUsd: number; gamma: number; vega: number; theta: number }>
}

/** The demo's history says what it is in `historySource`; anything reading "generated" is not market data. */
export function isGeneratedLabel(label: unknown): label is string {
  return typeof label === 'string' && /generated/i.test(label)
}

const SOURCE_LABEL: Record<string, string> = { document: 'from the portfolio document', manual: 'entered by hand' }

function sourceLabel(source: string): string {
  if (source.startsWith('csv:')) return `imported from ${source.slice(4)}`
  if (source.startsWith('feed:')) return `live feed (${source.slice(5)})`
  return SOURCE_LABEL[source] ?? source
}

function parseExtra(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export class MarketRepository {
  constructor(
    private readonly db: Db,
    private readonly book: BookRepository,
    private readonly clock: Clock,
  ) {}

  private nowIso(): string {
    return this.clock.now().toISOString().replace('.000Z', 'Z')
  }

  // -------------------------------------------------------------------------------------------
  // Prices and marks

  underlyings(): UnderlyingRow[] {
    const rows = this.db.prepare('SELECT symbol, price, vol, updated_at, is_demo, extra FROM underlyings ORDER BY ord, symbol').all() as {
      symbol: string
      price: string
      vol: number | null
      updated_at: string | null
      is_demo: number
      extra: string
    }[]
    return rows.map((r) => ({ symbol: r.symbol, price: r.price, vol: r.vol, updatedAt: r.updated_at, demo: r.is_demo === 1, extra: parseExtra(r.extra) }))
  }

  marks(): Map<string, MarkRow> {
    const rows = this.db.prepare('SELECT * FROM instrument_marks').all() as {
      position_id: string
      mark: string | null
      iv: number | null
      forward: string | null
      funding_rate: number | null
      funding_interval_hours: number | null
      updated_at: string | null
      extra: string
    }[]
    return new Map(
      rows.map((r) => [
        r.position_id,
        {
          positionId: r.position_id,
          mark: r.mark,
          iv: r.iv,
          forward: r.forward,
          fundingRate: r.funding_rate,
          fundingIntervalHours: r.funding_interval_hours,
          updatedAt: r.updated_at,
          extra: parseExtra(r.extra),
        },
      ]),
    )
  }

  /**
   * Sets some of an instrument's market inputs, keeping the others, and stamps the time and who set
   * them (`source` lands in the document as `market.instruments[id].source`).
   */
  patchMark(positionId: string, patch: MarkPatch, source: string, at = this.nowIso()): MarkRow {
    return this.book.write(() => this.patchMarkRow(positionId, patch, source, at))
  }

  private patchMarkRow(positionId: string, patch: MarkPatch, source: string, at: string): MarkRow {
    const cur = this.marks().get(positionId)
    const next: MarkRow = {
      positionId,
      mark: patch.mark !== undefined ? patch.mark : (cur?.mark ?? null),
      iv: patch.iv !== undefined ? patch.iv : (cur?.iv ?? null),
      forward: patch.forward !== undefined ? patch.forward : (cur?.forward ?? null),
      fundingRate: patch.fundingRate !== undefined ? patch.fundingRate : (cur?.fundingRate ?? null),
      fundingIntervalHours: patch.fundingIntervalHours !== undefined ? patch.fundingIntervalHours : (cur?.fundingIntervalHours ?? null),
      updatedAt: at,
      extra: { ...(cur?.extra ?? {}), source },
    }
    this.db
      .prepare(
        `INSERT INTO instrument_marks(position_id, mark, iv, forward, funding_rate, funding_interval_hours, updated_at, extra)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(position_id) DO UPDATE SET mark = excluded.mark, iv = excluded.iv, forward = excluded.forward,
           funding_rate = excluded.funding_rate, funding_interval_hours = excluded.funding_interval_hours,
           updated_at = excluded.updated_at, extra = excluded.extra`,
      )
      .run(positionId, next.mark, next.iv, next.forward, next.fundingRate, next.fundingIntervalHours, at, JSON.stringify(next.extra))
    return next
  }

  /** One feed poll's results in one transaction: index prices and instrument inputs. */
  applyQuotes(
    quotes: { indices: Array<{ symbol: string; price: string; source: string }>; marks: Array<{ positionId: string; patch: MarkPatch; source: string }> },
    at = this.nowIso(),
  ): number {
    if (quotes.indices.length === 0 && quotes.marks.length === 0) return 0
    return this.book.write(() => {
      let n = 0
      const up = this.db.prepare(
        `UPDATE underlyings SET price = ?, updated_at = ?, extra = json_set(extra, '$.priceSource', ?) WHERE symbol = ?`,
      )
      for (const q of quotes.indices) n += up.run(q.price, at, q.source, q.symbol).changes
      for (const m of quotes.marks) {
        this.patchMarkRow(m.positionId, m.patch, m.source, at)
        n++
      }
      return n
    })
  }

  // -------------------------------------------------------------------------------------------
  // Price history

  historyPoints(symbol: string): Array<{ day: string; close: string; source: string }> {
    return this.db.prepare('SELECT day, close, source FROM price_history WHERE underlying = ? ORDER BY day').all(symbol) as {
      day: string
      close: string
      source: string
    }[]
  }

  historySummary(symbol: string, extra?: Record<string, unknown>): HistorySummary {
    const points = this.historyPoints(symbol)
    const ext = extra ?? this.underlyings().find((u) => u.symbol === symbol)?.extra ?? {}
    const counts = new Map<string, number>()
    for (const p of points) counts.set(p.source, (counts.get(p.source) ?? 0) + 1)
    const fromDocument = counts.get('document') ?? 0
    const generated = fromDocument > 0 && isGeneratedLabel(ext.historySource)
    const sources = [...counts].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count)
    const label =
      points.length === 0
        ? null
        : sources
            .map((s) => (s.source === 'document' && typeof ext.historySource === 'string' ? ext.historySource : sourceLabel(s.source)) + (sources.length > 1 ? ` (${s.count} days)` : ''))
            .join('; ')
    const { gaps, missingDays } = findGaps(points.map((p) => p.day))
    const pairs = points.map((p) => [p.day, p.close] as const)
    return {
      count: points.length,
      firstDay: points[0]?.day ?? null,
      lastDay: points.at(-1)?.day ?? null,
      generated,
      label,
      sources,
      gaps,
      missingDays,
      realizedVol30d: realizedVolatility(pairs, 30)?.vol ?? null,
      realizedVol90d: realizedVolatility(pairs, 90)?.vol ?? null,
    }
  }

  /**
   * Writes closes for one underlying in one transaction. `merge` adds the days and, per
   * `onConflict`, replaces or keeps a stored close that differs; `replace` makes `rows` the whole
   * history. Writing the same rows twice changes nothing the second time.
   */
  writeHistory(
    symbol: string,
    rows: ReadonlyArray<readonly [string, string]>,
    opts: { mode: 'merge' | 'replace'; onConflict: 'replace' | 'keep'; source: string },
  ): HistoryWriteResult {
    const existing = new Map(this.historyPoints(symbol).map((p) => [p.day, p.close]))
    const result: HistoryWriteResult = { added: 0, changed: 0, unchanged: 0, kept: 0, removed: 0 }
    const toDelete: string[] = []
    const toWrite: Array<readonly [string, string]> = []
    if (opts.mode === 'replace') {
      const incoming = new Set(rows.map((r) => r[0]))
      for (const day of existing.keys()) if (!incoming.has(day)) toDelete.push(day)
      result.removed = toDelete.length
    }
    for (const row of rows) {
      const old = existing.get(row[0])
      if (old === undefined) {
        toWrite.push(row)
        result.added++
      } else if (old === row[1]) {
        result.unchanged++
      } else if (opts.mode === 'replace' || opts.onConflict === 'replace') {
        toWrite.push(row)
        result.changed++
      } else {
        result.kept++
      }
    }
    // Writing what is already there is no change: no transaction, no revision bump.
    if (toDelete.length === 0 && toWrite.length === 0) return result
    this.book.write(() => {
      const del = this.db.prepare('DELETE FROM price_history WHERE underlying = ? AND day = ?')
      for (const day of toDelete) del.run(symbol, day)
      const upsert = this.db.prepare(
        `INSERT INTO price_history(underlying, day, close, source) VALUES (?, ?, ?, ?)
         ON CONFLICT(underlying, day) DO UPDATE SET close = excluded.close, source = excluded.source`,
      )
      for (const [day, close] of toWrite) upsert.run(symbol, day, close, opts.source)
      // Once no generated close is left, the underlying's label must stop calling its history generated.
      const left = this.db.prepare("SELECT count(*) AS n FROM price_history WHERE underlying = ? AND source = 'document'").get(symbol) as { n: number }
      if (left.n === 0) {
        this.db.prepare("UPDATE underlyings SET extra = json_remove(extra, '$.historySource') WHERE symbol = ?").run(symbol)
      }
    })
    return result
  }

  // -------------------------------------------------------------------------------------------
  // Risk snapshots

  insertSnapshot(s: SnapshotRecord): void {
    this.db
      .prepare(
        `INSERT INTO risk_snapshots(at, at_ms, reason, revision, equity, gross_notional, leverage, margin_ratio, worst_venue_margin_ratio,
           net_delta_usd, var, es, var_method, var_confidence, var_horizon_days, stale, venues, underlyings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...snapshotParams(s))
  }

  /** Many snapshots in one transaction (the demo's back-filled history). */
  insertSnapshots(list: readonly SnapshotRecord[]): void {
    const ins = this.db.prepare(
      `INSERT INTO risk_snapshots(at, at_ms, reason, revision, equity, gross_notional, leverage, margin_ratio, worst_venue_margin_ratio,
         net_delta_usd, var, es, var_method, var_confidence, var_horizon_days, stale, venues, underlyings)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.db.transaction(() => {
      for (const s of list) ins.run(...snapshotParams(s))
    })()
  }

  lastSnapshot(): { atMs: number; revision: number; reason: SnapshotReason } | undefined {
    const r = this.db.prepare('SELECT at_ms, revision, reason FROM risk_snapshots ORDER BY at_ms DESC, id DESC LIMIT 1').get() as
      | { at_ms: number; revision: number; reason: SnapshotReason }
      | undefined
    return r && { atMs: r.at_ms, revision: r.revision, reason: r.reason }
  }

  snapshotCount(fromMs = -Infinity, toMs = Infinity): number {
    return (this.db.prepare('SELECT count(*) AS n FROM risk_snapshots WHERE at_ms >= ? AND at_ms <= ?').get(clampMs(fromMs), clampMs(toMs)) as { n: number }).n
  }

  /**
   * Snapshots in a time range, oldest first. With `stride` > 1 only every stride-th row is read (the
   * first and last always): a cheap pre-thinning for ranges far longer than any chart can show,
   * before LTTB picks the points that keep each series' shape.
   */
  snapshots(fromMs = -Infinity, toMs = Infinity, stride = 1): SnapshotRecord[] {
    const lo = clampMs(fromMs)
    const hi = clampMs(toMs)
    if (stride <= 1) {
      return (this.db.prepare('SELECT * FROM risk_snapshots WHERE at_ms >= ? AND at_ms <= ? ORDER BY at_ms, id').all(lo, hi) as SnapshotDbRow[]).map(rowToSnapshot)
    }
    // Ids grow with time (rows are appended as they happen), so every k-th id is an even thinning that
    // the index on at_ms serves without sorting or numbering the whole range; both ends are added.
    const k = Math.floor(stride)
    const rows = this.db
      .prepare(
        `SELECT * FROM risk_snapshots WHERE at_ms >= ? AND at_ms <= ? AND id % ${k} = 0
         UNION SELECT * FROM (SELECT * FROM risk_snapshots WHERE at_ms >= ? AND at_ms <= ? ORDER BY at_ms, id LIMIT 1)
         UNION SELECT * FROM (SELECT * FROM risk_snapshots WHERE at_ms >= ? AND at_ms <= ? ORDER BY at_ms DESC, id DESC LIMIT 1)
         ORDER BY at_ms, id`,
      )
      .all(lo, hi, lo, hi, lo, hi) as SnapshotDbRow[]
    return rows.map(rowToSnapshot)
  }

  /** Time of the last generated (demo) snapshot in the range, if any. */
  generatedUntil(fromMs = -Infinity, toMs = Infinity): string | null {
    const r = this.db.prepare("SELECT max(at_ms) AS m FROM risk_snapshots WHERE reason = 'demo' AND at_ms >= ? AND at_ms <= ?").get(clampMs(fromMs), clampMs(toMs)) as { m: number | null }
    return r.m === null ? null : new Date(r.m).toISOString().replace('.000Z', 'Z')
  }

  hasGeneratedSnapshots(fromMs = -Infinity, toMs = Infinity): boolean {
    return this.db.prepare("SELECT 1 FROM risk_snapshots WHERE reason = 'demo' AND at_ms >= ? AND at_ms <= ? LIMIT 1").get(clampMs(fromMs), clampMs(toMs)) !== undefined
  }

  deleteGeneratedSnapshots(): number {
    return this.db.prepare("DELETE FROM risk_snapshots WHERE reason = 'demo'").run().changes
  }
}

function clampMs(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms) : ms > 0 ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER
}

interface SnapshotDbRow {
  at: string
  at_ms: number
  reason: SnapshotReason
  revision: number
  equity: number | null
  gross_notional: number | null
  leverage: number | null
  margin_ratio: number | null
  worst_venue_margin_ratio: number | null
  net_delta_usd: number | null
  var: number | null
  es: number | null
  var_method: string | null
  var_confidence: number | null
  var_horizon_days: number | null
  stale: number
  venues: string
  underlyings: string
}

function rowToSnapshot(r: SnapshotDbRow): SnapshotRecord {
  return {
    at: r.at,
    atMs: r.at_ms,
    reason: r.reason,
    revision: r.revision,
    equity: r.equity,
    grossNotional: r.gross_notional,
    leverage: r.leverage,
    marginRatio: r.margin_ratio,
    worstVenueMarginRatio: r.worst_venue_margin_ratio,
    netDeltaUsd: r.net_delta_usd,
    var: r.var,
    es: r.es,
    varMethod: r.var_method,
    varConfidence: r.var_confidence,
    varHorizonDays: r.var_horizon_days,
    stale: r.stale === 1,
    venues: parseExtra(r.venues) as SnapshotRecord['venues'],
    underlyings: parseExtra(r.underlyings) as SnapshotRecord['underlyings'],
  }
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null
}

function snapshotParams(s: SnapshotRecord): Array<string | number | null> {
  return [
    s.at,
    s.atMs,
    s.reason,
    s.revision,
    finiteOrNull(s.equity),
    finiteOrNull(s.grossNotional),
    finiteOrNull(s.leverage),
    finiteOrNull(s.marginRatio),
    finiteOrNull(s.worstVenueMarginRatio),
    finiteOrNull(s.netDeltaUsd),
    finiteOrNull(s.var),
    finiteOrNull(s.es),
    s.varMethod,
    finiteOrNull(s.varConfidence),
    s.varHorizonDays,
    s.stale ? 1 : 0,
    JSON.stringify(s.venues),
    JSON.stringify(s.underlyings),
  ]
}
