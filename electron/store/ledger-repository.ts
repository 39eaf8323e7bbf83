/**
 * The trade ledger in SQLite: import batches, the entries they added, the positions derived from them and
 * how those positions meet the hand-entered book.
 *
 * Identity and duplicates. An entry is unique per (account, dedupe key): keys come from the venue's own ids
 * where the export has them, else from a content hash (importers/pipeline.ts), and they are unique per
 * account, not globally (a self-trade between two sub-accounts carries the same trade id in both exports).
 * Bybit lets a user download the same fills twice in different shapes (trade history and transaction log);
 * when the log has no TradeId column its keys are content hashes that cannot meet the trade history's ids,
 * so fills and funding of the venues listed in OVERLAPPING_FORMATS also carry a fingerprint (instrument,
 * side, size, price, minute, occurrence) and an entry whose fingerprint an entry of the other format already
 * has is skipped as a duplicate and reported.
 *
 * Reconciliation with hand-entered positions (the rule, so nothing is ever counted twice):
 * - A ledger position is derived per (account, instrument) and shown in the book as ONE position of that
 *   account, linked by `ledger_positions.position_id`, marked `origin: "ledger"` in the document.
 * - If the account already holds an open hand-entered position of the same instrument (same kind,
 *   settlement, underlying, quote, expiry, type and strike), the ledger does not add its own: the pair is a
 *   `conflict` and the book keeps the hand-entered one until the user decides. "Use the ledger" (adopt)
 *   turns that very position into the ledger's (same id, so marks, margin settings and notes stay);
 *   "Keep mine" (keep) leaves the ledger's figures out of the book for good (status `manual`).
 * - A linked position follows the ledger: updated when fills arrive, closed at the last price when the
 *   ledger goes flat, reopened when it trades again. A user who deletes a linked position takes it out of
 *   the book: the pair becomes `manual`.
 * - A position whose underlying has no price in the book gets the last fill price of a future or perpetual
 *   of that underlying as a provisional index price; an options-only underlying with no price is held back
 *   (`unpriced`) rather than break the risk report, until a price exists and the ledger is refreshed.
 * - The ledger never has a foreign key to the book: deleting an account or replacing the book keeps the
 *   ledger; its positions show as `no-account` until an account with that id exists again.
 *
 * Undo removes the entries a batch added (not those it skipped as duplicates: they belong to the batch that
 * added them first). Undoing an earlier batch therefore also removes entries that a later, overlapping
 * batch skipped; importing that later file again restores them (its other entries dedupe).
 */
import { createHash } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { Db } from './database'
import type { BookRepository, Clock } from './book-repository'
import type { Instrument, Position } from '../shared/portfolio-document'
import type { LedgerBatchView } from '../shared/ledger-contract'
import type { FormatId, LedgerEntry, LedgerEntryKind } from '../importers/types'
import { PositionFold, instrumentIdentity, type DerivationEntry, type DerivedPosition } from '../importers/derive-positions'

/** Venues whose two export shapes can hold the same fills under different keys. */
export const OVERLAPPING_FORMATS: Readonly<Partial<Record<string, readonly FormatId[]>>> = {
  bybit: ['bybit-trades', 'bybit-transactions'],
}

export type LedgerPositionStatus = 'linked' | 'conflict' | 'manual' | 'flat' | 'unpriced' | 'no-account'

/** A batch as the ledger keeps it: the very shape the API sends (see LedgerBatchView). */
export type BatchRecord = LedgerBatchView

export interface NewBatch {
  accountId: string
  fileName: string
  fileSha256: string
  fileBytes: number
  format: string
  formatLabel?: string | null
  mapping?: unknown
  plan?: unknown
}

export interface BatchTotals {
  rowsTotal: number
  rowsRejected: number
  dateFrom: string | null
  dateTo: string | null
  warnings: string[]
}

export interface LedgerEntryRecord {
  id: number
  accountId: string
  batchId: number
  kind: LedgerEntryKind
  time: string
  symbol: string | null
  instrumentKey: string | null
  side: 'buy' | 'sell' | null
  quantity: string | null
  price: string | null
  fee: string | null
  feeAsset: string | null
  amount: string | null
  asset: string | null
  liquidity: string | null
  externalId: string | null
  orderId: string | null
  subtype: string | null
  format: string
  line: number
  dedupeKey: string
}

export interface LedgerPositionRecord {
  accountId: string
  instrumentKey: string
  symbol: string
  venue: string
  instrument: Instrument
  status: LedgerPositionStatus
  positionId: string | null
  conflictWith: string | null
  derived: DerivedPosition
  updatedAt: string
}

export interface EntryFilter {
  accountId?: string
  batchId?: number
}

interface PairKey {
  accountId: string
  instrumentId: number
}

const pairId = (p: PairKey): string => `${p.accountId}\u001f${p.instrumentId}`

/** Instrument key: venue + contract identity + size, so two spellings of one contract share a position. */
export function instrumentKeyOf(venue: string, ins: Instrument): string {
  return `${venue}|${instrumentIdentity(ins)}|${ins.contractSize ?? '1'}`
}

/**
 * What identifies a fill or a funding payment across a venue's two exports (without its occurrence index):
 * instrument, side, size and price, to the minute (Bybit's trade history writes minutes only). Null for
 * entries that are not matched across exports.
 */
export function fingerprintBase(e: Pick<LedgerEntry, 'kind' | 'quantity' | 'price' | 'side' | 'time'>, instrumentKey: string): string | null {
  if (e.kind === 'trade' && e.quantity && e.price) {
    const q = e.quantity.startsWith('-') ? e.quantity.slice(1) : e.quantity
    return `T|${instrumentKey}|${e.side ?? ''}|${q}|${e.price}|${e.time.slice(0, 16)}`
  }
  if (e.kind === 'funding') return `F|${instrumentKey}|${e.time.slice(0, 16)}`
  return null
}

/** What a batch writer reports as it goes, and at the end. */
export interface BatchProgress {
  inserted: number
  duplicates: number
  crossFormatDuplicates: number
}

/**
 * Writes one batch's entries. Must run inside a transaction (the import job wraps the whole import in one):
 * every row it writes, and the batch row itself, disappear together if anything fails or is cancelled.
 */
export class BatchWriter {
  readonly counts: BatchProgress = { inserted: 0, duplicates: 0, crossFormatDuplicates: 0 }
  readonly touched = new Map<string, PairKey>()
  private readonly instrumentIds = new Map<string, number>()
  private readonly fingerprintSeen = new Map<string, number>()
  private readonly insert: Statement<unknown[]>
  private readonly fingerprintHit: Statement<unknown[]>
  private readonly overlapping: boolean

  constructor(
    private readonly repo: LedgerRepository,
    private readonly db: Db,
    readonly batchId: number,
    readonly accountId: string,
    readonly venue: string,
    private readonly format: string,
  ) {
    this.insert = db.prepare(
      `INSERT INTO ledger_entries(account_id, batch_id, dedupe_key, kind, time, instrument_id, side, quantity, price, fee,
         fee_asset, amount, asset, liquidity, external_id, order_id, subtype, format, line, fingerprint)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(account_id, dedupe_key) DO NOTHING`,
    )
    this.fingerprintHit = db.prepare('SELECT 1 FROM ledger_entries WHERE account_id = ? AND fingerprint = ? AND format <> ? LIMIT 1')
    this.overlapping = OVERLAPPING_FORMATS[venue]?.includes(format as FormatId) ?? false
  }

  private fingerprint(e: LedgerEntry, instrumentKey: string | undefined): string | null {
    if (!this.overlapping || !instrumentKey) return null
    const base = fingerprintBase(e, instrumentKey)
    if (base === null) return null
    const k = this.fingerprintSeen.get(base) ?? 0
    this.fingerprintSeen.set(base, k + 1)
    return `${base}#${k}`
  }

  /** Adds one entry; false when the ledger already had it. */
  add(e: LedgerEntry): boolean {
    let instrumentId: number | null = null
    let key: string | undefined
    if (e.instrument) {
      key = instrumentKeyOf(this.venue, e.instrument)
      let id = this.instrumentIds.get(key)
      if (id === undefined) {
        id = this.repo.internInstrument(this.venue, e.symbol ?? e.instrument.symbol ?? key, e.instrument)
        this.instrumentIds.set(key, id)
      }
      instrumentId = id
    }
    const fp = this.fingerprint(e, key)
    if (fp !== null && this.fingerprintHit.get(this.accountId, fp, this.format) !== undefined) {
      this.counts.duplicates++
      this.counts.crossFormatDuplicates++
      return false
    }
    const r = this.insert.run(
      this.accountId, this.batchId, e.dedupeKey, e.kind, e.time, instrumentId, e.side ?? null, e.quantity ?? null,
      e.price ?? null, e.fee ?? null, e.feeAsset ?? null, e.amount ?? null, e.asset ?? null, e.liquidity ?? null,
      e.externalId ?? null, e.orderId ?? null, e.subtype ?? null, e.format, e.line, fp,
    )
    if (r.changes === 0) {
      this.counts.duplicates++
      return false
    }
    this.counts.inserted++
    if (instrumentId !== null) {
      const pk = { accountId: this.accountId, instrumentId }
      const id = pairId(pk)
      if (!this.touched.has(id)) this.touched.set(id, pk)
    }
    return true
  }
}

interface BatchRow {
  id: number
  account_id: string
  file_name: string
  file_sha256: string
  file_bytes: number
  format: string
  format_label: string | null
  rows_total: number
  rows_rejected: number
  inserted: number
  duplicates: number
  date_from: string | null
  date_to: string | null
  warnings: string
  created_at: string
  undone_at: string | null
  entries: number
}

interface EntryRow {
  id: number
  account_id: string
  batch_id: number
  dedupe_key: string
  kind: LedgerEntryKind
  time: string
  symbol: string | null
  instrument_key: string | null
  side: 'buy' | 'sell' | null
  quantity: string | null
  price: string | null
  fee: string | null
  fee_asset: string | null
  amount: string | null
  asset: string | null
  liquidity: string | null
  external_id: string | null
  order_id: string | null
  subtype: string | null
  format: string
  line: number
}

interface LedgerPositionRow {
  account_id: string
  instrument_id: number
  quantity: string
  entry_price: string | null
  realized_pnl: string
  pnl_source: 'venue' | 'computed'
  fees_paid: string
  funding_paid: string
  fills: number
  opened_at: string | null
  last_at: string | null
  last_price: string | null
  status: LedgerPositionStatus
  position_id: string | null
  conflict_with: string | null
  updated_at: string
  key: string
  venue: string
  symbol: string
  instrument: string
}

function batchFromRow(r: BatchRow): BatchRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    fileBytes: r.file_bytes,
    format: r.format,
    formatLabel: r.format_label,
    rowsTotal: r.rows_total,
    rowsRejected: r.rows_rejected,
    inserted: r.inserted,
    duplicates: r.duplicates,
    dateFrom: r.date_from,
    dateTo: r.date_to,
    warnings: JSON.parse(r.warnings) as string[],
    createdAt: r.created_at,
    undoneAt: r.undone_at,
    entries: r.entries,
  }
}

function entryFromRow(r: EntryRow): LedgerEntryRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    batchId: r.batch_id,
    kind: r.kind,
    time: r.time,
    symbol: r.symbol,
    instrumentKey: r.instrument_key,
    side: r.side,
    quantity: r.quantity,
    price: r.price,
    fee: r.fee,
    feeAsset: r.fee_asset,
    amount: r.amount,
    asset: r.asset,
    liquidity: r.liquidity,
    externalId: r.external_id,
    orderId: r.order_id,
    subtype: r.subtype,
    format: r.format,
    line: r.line,
    dedupeKey: r.dedupe_key,
  }
}

function positionFromRow(r: LedgerPositionRow): LedgerPositionRecord {
  return {
    accountId: r.account_id,
    instrumentKey: r.key,
    symbol: r.symbol,
    venue: r.venue,
    instrument: JSON.parse(r.instrument) as Instrument,
    status: r.status,
    positionId: r.position_id,
    conflictWith: r.conflict_with,
    derived: {
      quantity: r.quantity,
      entryPrice: r.entry_price,
      realizedPnl: JSON.parse(r.realized_pnl) as Record<string, string>,
      pnlSource: r.pnl_source,
      feesPaid: JSON.parse(r.fees_paid) as Record<string, string>,
      fundingPaid: JSON.parse(r.funding_paid) as Record<string, string>,
      fills: r.fills,
      openedAt: r.opened_at,
      lastAt: r.last_at,
      lastPrice: r.last_price,
      closedAt: r.quantity === '0' ? r.last_at : null,
    },
    updatedAt: r.updated_at,
  }
}

const ENTRY_SELECT = `SELECT e.id, e.account_id, e.batch_id, e.dedupe_key, e.kind, e.time, i.symbol, i.key AS instrument_key, e.side,
  e.quantity, e.price, e.fee, e.fee_asset, e.amount, e.asset, e.liquidity, e.external_id, e.order_id, e.subtype, e.format, e.line
  FROM ledger_entries e LEFT JOIN ledger_instruments i ON i.id = e.instrument_id`

const POSITION_SELECT = `SELECT p.*, i.key, i.venue, i.symbol, i.instrument
  FROM ledger_positions p JOIN ledger_instruments i ON i.id = p.instrument_id`

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10)
}

function sameDerived(a: Position, d: DerivedPosition, ins: Instrument): boolean {
  return a.quantity === d.quantity && a.entryPrice === d.entryPrice && JSON.stringify(a.instrument) === JSON.stringify(ins) &&
    JSON.stringify((a as Record<string, unknown>).ledger) === JSON.stringify(ledgerSummary(d, ins))
}

/** What a book position derived from the ledger carries beyond the portfolio fields (an added document field). */
function ledgerSummary(d: DerivedPosition, ins: Instrument): Record<string, unknown> {
  return {
    realizedPnl: d.realizedPnl,
    pnlSource: d.pnlSource,
    feesPaid: d.feesPaid,
    fundingPaid: d.fundingPaid,
    fills: d.fills,
    lastFillAt: d.lastAt,
    lastPrice: d.lastPrice,
    symbol: ins.symbol ?? null,
  }
}

export class LedgerRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private nowIso(): string {
    return this.clock.now().toISOString().replace('.000Z', 'Z')
  }

  internInstrument(venue: string, symbol: string, ins: Instrument): number {
    const key = instrumentKeyOf(venue, ins)
    const found = this.db.prepare('SELECT id FROM ledger_instruments WHERE key = ?').get(key) as { id: number } | undefined
    if (found) return found.id
    return Number(
      this.db
        .prepare('INSERT INTO ledger_instruments(key, venue, symbol, kind, underlying, expiry, instrument) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(key, venue, symbol, ins.kind, ins.underlying, ins.expiry ?? null, JSON.stringify({ ...ins, symbol: ins.symbol ?? symbol }))
        .lastInsertRowid,
    )
  }

  // -------------------------------------------------------------------------------------------
  // Batches

  /** Starts a batch; call inside the import's transaction. */
  beginBatch(b: NewBatch, venue: string): BatchWriter {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO ledger_batches(account_id, file_name, file_sha256, file_bytes, format, format_label, mapping, plan,
             rows_total, rows_rejected, inserted, duplicates, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)`,
        )
        .run(
          b.accountId, b.fileName, b.fileSha256, b.fileBytes, b.format, b.formatLabel ?? null,
          b.mapping === undefined ? null : JSON.stringify(b.mapping), JSON.stringify(b.plan ?? {}), this.nowIso(),
        ).lastInsertRowid,
    )
    return new BatchWriter(this, this.db, id, b.accountId, venue, b.format)
  }

  finishBatch(w: BatchWriter, t: BatchTotals): void {
    this.db
      .prepare(
        `UPDATE ledger_batches SET rows_total = ?, rows_rejected = ?, inserted = ?, duplicates = ?, date_from = ?, date_to = ?,
           warnings = ? WHERE id = ?`,
      )
      .run(t.rowsTotal, t.rowsRejected, w.counts.inserted, w.counts.duplicates, t.dateFrom, t.dateTo, JSON.stringify(t.warnings), w.batchId)
  }

  listBatches(): BatchRecord[] {
    const rows = this.db
      .prepare(
        `SELECT b.*, (SELECT count(*) FROM ledger_entries e WHERE e.batch_id = b.id) AS entries
         FROM ledger_batches b ORDER BY b.id DESC`,
      )
      .all() as BatchRow[]
    return rows.map(batchFromRow)
  }

  getBatch(id: number): BatchRecord | undefined {
    const r = this.db
      .prepare('SELECT b.*, (SELECT count(*) FROM ledger_entries e WHERE e.batch_id = b.id) AS entries FROM ledger_batches b WHERE b.id = ?')
      .get(id) as BatchRow | undefined
    return r ? batchFromRow(r) : undefined
  }

  /** Batches of the account that read a file with these exact bytes before (still in the ledger). */
  batchesWithFile(accountId: string, sha256: string): BatchRecord[] {
    return this.listBatches().filter((b) => b.accountId === accountId && b.fileSha256 === sha256 && b.undoneAt === null)
  }

  /** Removes the entries a batch added. Returns the (account, instrument) pairs whose positions change. */
  undoBatch(id: number): { removed: number; pairs: PairKey[] } {
    const pairs = this.db
      .prepare('SELECT DISTINCT account_id AS accountId, instrument_id AS instrumentId FROM ledger_entries WHERE batch_id = ? AND instrument_id IS NOT NULL')
      .all(id) as PairKey[]
    const removed = this.db.prepare('DELETE FROM ledger_entries WHERE batch_id = ?').run(id).changes
    this.db.prepare('UPDATE ledger_batches SET undone_at = ? WHERE id = ?').run(this.nowIso(), id)
    return { removed, pairs }
  }

  // -------------------------------------------------------------------------------------------
  // Entries

  private where(f: EntryFilter): { sql: string; params: unknown[] } {
    const clauses: string[] = []
    const params: unknown[] = []
    if (f.accountId !== undefined) {
      clauses.push('e.account_id = ?')
      params.push(f.accountId)
    }
    if (f.batchId !== undefined) {
      clauses.push('e.batch_id = ?')
      params.push(f.batchId)
    }
    return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params }
  }

  countEntries(f: EntryFilter = {}): number {
    const w = this.where(f)
    return (this.db.prepare(`SELECT count(*) AS n FROM ledger_entries e${w.sql}`).get(...w.params) as { n: number }).n
  }

  listEntries(f: EntryFilter = {}, page: { offset: number; limit: number } = { offset: 0, limit: 200 }): LedgerEntryRecord[] {
    const w = this.where(f)
    const rows = this.db
      .prepare(`${ENTRY_SELECT}${w.sql} ORDER BY e.time DESC, e.id DESC LIMIT ? OFFSET ?`)
      .all(...w.params, page.limit, page.offset) as EntryRow[]
    return rows.map(entryFromRow)
  }

  /** Streams entries oldest first (exports): one row at a time, never the whole ledger in memory. */
  *iterateEntries(f: EntryFilter = {}): Generator<LedgerEntryRecord> {
    const w = this.where(f)
    for (const r of this.db.prepare(`${ENTRY_SELECT}${w.sql} ORDER BY e.time, e.id`).iterate(...w.params) as IterableIterator<EntryRow>) {
      yield entryFromRow(r)
    }
  }

  // -------------------------------------------------------------------------------------------
  // Remembered generic mappings

  getMapping(headerSignature: string): { mapping: unknown; headers: string[]; updatedAt: string } | undefined {
    const r = this.db.prepare('SELECT mapping, headers, updated_at FROM ledger_mappings WHERE header_signature = ?').get(headerSignature) as
      | { mapping: string; headers: string; updated_at: string }
      | undefined
    return r ? { mapping: JSON.parse(r.mapping) as unknown, headers: JSON.parse(r.headers) as string[], updatedAt: r.updated_at } : undefined
  }

  saveMapping(headerSignature: string, headers: readonly string[], mapping: unknown): void {
    const now = this.nowIso()
    this.db
      .prepare(
        `INSERT INTO ledger_mappings(header_signature, headers, mapping, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(header_signature) DO UPDATE SET headers = excluded.headers, mapping = excluded.mapping, updated_at = excluded.updated_at`,
      )
      .run(headerSignature, JSON.stringify(headers), JSON.stringify(mapping), now, now)
  }

  // -------------------------------------------------------------------------------------------
  // Derived positions

  listPositions(): LedgerPositionRecord[] {
    return (this.db.prepare(`${POSITION_SELECT} ORDER BY p.account_id, i.symbol`).all() as LedgerPositionRow[]).map(positionFromRow)
  }

  getPosition(accountId: string, instrumentKey: string): LedgerPositionRecord | undefined {
    const r = this.db.prepare(`${POSITION_SELECT} WHERE p.account_id = ? AND i.key = ?`).get(accountId, instrumentKey) as LedgerPositionRow | undefined
    return r ? positionFromRow(r) : undefined
  }

  /** Every (account, instrument) pair the ledger has entries for. */
  allPairs(): PairKey[] {
    return this.db
      .prepare('SELECT DISTINCT account_id AS accountId, instrument_id AS instrumentId FROM ledger_entries WHERE instrument_id IS NOT NULL')
      .all() as PairKey[]
  }

  private derive(p: PairKey, tick?: (entries: number) => void): { derived: DerivedPosition; instrument: Instrument; venue: string; key: string } {
    const ins = this.db.prepare('SELECT key, venue, instrument FROM ledger_instruments WHERE id = ?').get(p.instrumentId) as {
      key: string
      venue: string
      instrument: string
    }
    const instrument = JSON.parse(ins.instrument) as Instrument
    const fold = new PositionFold(instrument)
    // Raw rows into one reused object: row objects cost twice the time of the fold on a million entries.
    const rows = this.db
      .prepare(
        `SELECT kind, time, quantity, price, fee, fee_asset, amount, asset, subtype FROM ledger_entries
         WHERE account_id = ? AND instrument_id = ? ORDER BY time, id`,
      )
      .raw(true)
      .iterate(p.accountId, p.instrumentId) as IterableIterator<[DerivationEntry['kind'], string, ...(string | null)[]]>
    const e: DerivationEntry = { kind: 'trade', time: '' }
    let n = 0
    for (const r of rows) {
      e.kind = r[0]
      e.time = r[1]
      e.quantity = r[2]
      e.price = r[3]
      e.fee = r[4]
      e.feeAsset = r[5]
      e.amount = r[6]
      e.asset = r[7]
      e.subtype = r[8]
      fold.push(e)
      if (tick && ++n % 10_000 === 0) tick(10_000)
    }
    return { derived: fold.result(), instrument, venue: ins.venue, key: ins.key }
  }

  /**
   * Re-derives the given pairs and brings the book in line with them by the rule at the top of this file.
   * Call inside a BookRepository.write() so the book's revision moves once with everything else.
   * Returns warnings for the user (held-back positions, provisional prices). `tick` is called every 10,000
   * entries folded (progress, and a place for a long job to stop).
   */
  reconcile(book: BookRepository, pairs: Iterable<PairKey>, tick?: (entries: number) => void): string[] {
    const warnings: string[] = []
    const list = [...pairs]
    const derivations = list.map((p) => ({ pair: p, ...this.derive(p, tick) }))
    // Futures and perpetuals first: their last fill can price an underlying that an option needs.
    derivations.sort((a, b) => Number(a.instrument.kind === 'option') - Number(b.instrument.kind === 'option'))
    const now = this.nowIso()
    const upsert = this.db.prepare(
      `INSERT INTO ledger_positions(account_id, instrument_id, quantity, entry_price, realized_pnl, pnl_source, fees_paid, funding_paid,
         fills, opened_at, last_at, last_price, status, position_id, conflict_with, updated_at)
       VALUES (@account_id, @instrument_id, @quantity, @entry_price, @realized_pnl, @pnl_source, @fees_paid, @funding_paid, @fills,
         @opened_at, @last_at, @last_price, @status, @position_id, @conflict_with, @updated_at)
       ON CONFLICT(account_id, instrument_id) DO UPDATE SET quantity = excluded.quantity, entry_price = excluded.entry_price,
         realized_pnl = excluded.realized_pnl, pnl_source = excluded.pnl_source, fees_paid = excluded.fees_paid,
         funding_paid = excluded.funding_paid, fills = excluded.fills, opened_at = excluded.opened_at, last_at = excluded.last_at,
         last_price = excluded.last_price, status = excluded.status, position_id = excluded.position_id,
         conflict_with = excluded.conflict_with, updated_at = excluded.updated_at`,
    )
    const del = this.db.prepare('DELETE FROM ledger_positions WHERE account_id = ? AND instrument_id = ?')
    for (const d of derivations) {
      const { pair, derived, instrument, key } = d
      const prev = this.db
        .prepare('SELECT status, position_id, conflict_with FROM ledger_positions WHERE account_id = ? AND instrument_id = ?')
        .get(pair.accountId, pair.instrumentId) as { status: LedgerPositionStatus; position_id: string | null; conflict_with: string | null } | undefined
      const hasEntries = this.db.prepare('SELECT 1 FROM ledger_entries WHERE account_id = ? AND instrument_id = ? LIMIT 1').get(pair.accountId, pair.instrumentId)
      if (!hasEntries) {
        // Every entry undone: the ledger no longer knows this position; a linked book position is closed.
        if (prev?.position_id) this.closeLinked(book, prev.position_id, derived)
        del.run(pair.accountId, pair.instrumentId)
        continue
      }
      const outcome = this.settle(book, pair, derived, instrument, key, prev, warnings)
      upsert.run({
        account_id: pair.accountId,
        instrument_id: pair.instrumentId,
        quantity: derived.quantity,
        entry_price: derived.entryPrice,
        realized_pnl: JSON.stringify(derived.realizedPnl),
        pnl_source: derived.pnlSource,
        fees_paid: JSON.stringify(derived.feesPaid),
        funding_paid: JSON.stringify(derived.fundingPaid),
        fills: derived.fills,
        opened_at: derived.openedAt,
        last_at: derived.lastAt,
        last_price: derived.lastPrice,
        status: outcome.status,
        position_id: outcome.positionId,
        conflict_with: outcome.conflictWith,
        updated_at: now,
      })
    }
    return warnings
  }

  private closeLinked(book: BookRepository, positionId: string, d: DerivedPosition): void {
    const pos = book.getPosition(positionId)
    if (!pos || pos.closedAt) return
    const price = d.lastPrice ?? pos.entryPrice
    book.closePosition(positionId, price, d.closedAt ?? d.lastAt ?? undefined)
  }

  private settle(
    book: BookRepository,
    pair: PairKey,
    d: DerivedPosition,
    instrument: Instrument,
    key: string,
    prev: { status: LedgerPositionStatus; position_id: string | null; conflict_with: string | null } | undefined,
    warnings: string[],
  ): { status: LedgerPositionStatus; positionId: string | null; conflictWith: string | null } {
    const linkedId = prev?.position_id ?? null
    const flat = d.quantity === '0'
    const label = `${pair.accountId} ${instrument.symbol ?? key}`

    if (prev?.status === 'manual') return { status: 'manual', positionId: null, conflictWith: prev.conflict_with }
    if (!book.accountExists(pair.accountId)) return { status: 'no-account', positionId: linkedId, conflictWith: null }

    const existingLinked = linkedId ? book.getPosition(linkedId) : undefined
    if (linkedId && !existingLinked && prev?.status !== 'no-account') {
      // The user deleted the linked position: keep it out of the book.
      return { status: 'manual', positionId: null, conflictWith: null }
    }
    // (A position that went with its deleted account is created again when the account comes back.)
    if (linkedId && existingLinked) {
      const existing = existingLinked
      if (flat) {
        this.closeLinked(book, linkedId, d)
        return { status: 'flat', positionId: linkedId, conflictWith: null }
      }
      if (existing.closedAt) book.reopenPosition(linkedId)
      if (!this.ensurePrice(book, instrument, d, label, warnings)) return { status: 'unpriced', positionId: linkedId, conflictWith: null }
      this.writeLinked(book, existing, pair, d, instrument)
      return { status: 'linked', positionId: linkedId, conflictWith: null }
    }
    if (flat) return { status: 'flat', positionId: null, conflictWith: null }

    // Not linked yet: a hand-entered open position of the same contract in this account wins until the user decides.
    const identity = instrumentIdentity(instrument)
    const linkedIds = new Set(
      (this.db.prepare('SELECT position_id FROM ledger_positions WHERE position_id IS NOT NULL').all() as { position_id: string }[]).map((r) => r.position_id),
    )
    const rival = book
      .listPositions()
      .find(
        (p) =>
          p.account === pair.accountId && !p.closedAt && !linkedIds.has(p.id) &&
          (p as Record<string, unknown>).origin !== 'ledger' && instrumentIdentity(p.instrument) === identity,
      )
    if (rival) {
      warnings.push(
        `${label}: the book already holds a hand-entered position (${rival.id}, ${rival.quantity} @ ${rival.entryPrice}); the ledger's ` +
          `${d.quantity} @ ${d.entryPrice} is not added until you choose which one counts.`,
      )
      return { status: 'conflict', positionId: null, conflictWith: rival.id }
    }
    if (!this.ensurePrice(book, instrument, d, label, warnings)) return { status: 'unpriced', positionId: null, conflictWith: null }
    const id = `lg-${shortHash(`${pair.accountId}\u001f${key}`)}`
    const existing = book.getPosition(id)
    this.writeLinked(book, existing, pair, d, instrument, id)
    return { status: 'linked', positionId: id, conflictWith: null }
  }

  private ensurePrice(book: BookRepository, ins: Instrument, d: DerivedPosition, label: string, warnings: string[]): boolean {
    if (book.hasUnderlying(ins.underlying)) return true
    // The latest fill of a future or perpetual of this underlying, in any account: its price is in USD terms.
    const last =
      ins.kind !== 'option' && d.lastPrice && d.lastAt
        ? { price: d.lastPrice, time: d.lastAt }
        : (this.db
            .prepare(
              `SELECT e.price, e.time FROM ledger_entries e JOIN ledger_instruments i ON i.id = e.instrument_id
               WHERE i.underlying = ? AND i.kind IN ('perpetual','future') AND e.kind = 'trade' AND e.price IS NOT NULL
               ORDER BY e.time DESC, e.id DESC LIMIT 1`,
            )
            .get(ins.underlying) as { price: string; time: string } | undefined)
    if (last) {
      book.saveUnderlying(ins.underlying, { price: last.price, updatedAt: last.time })
      warnings.push(`${ins.underlying} had no price in the book; the last futures fill price ${last.price} (${last.time}) stands in until you set the index price.`)
      return true
    }
    warnings.push(`${label}: no price for ${ins.underlying} in the book, so this option position is held back; set ${ins.underlying}'s index price and refresh the ledger.`)
    return false
  }

  private writeLinked(book: BookRepository, existing: Position | undefined, pair: PairKey, d: DerivedPosition, ins: Instrument, id = existing?.id): void {
    if (!id || d.entryPrice === null) return
    if (existing && !existing.closedAt && sameDerived(existing, d, ins)) return
    const base: Record<string, unknown> = existing ? { ...existing } : {}
    delete base.closedAt
    delete base.closePrice
    const position = {
      ...base,
      id,
      account: pair.accountId,
      instrument: ins,
      quantity: d.quantity,
      entryPrice: d.entryPrice,
      openedAt: d.openedAt ?? existing?.openedAt,
      origin: 'ledger',
      ledger: ledgerSummary(d, ins),
    } as Position
    book.savePosition(position)
  }

  /**
   * The user's choice for a pair: `adopt` makes the ledger's figures the book's (taking over the
   * hand-entered rival in place), `keep` leaves them out of the book.
   */
  decide(book: BookRepository, accountId: string, instrumentKey: string, action: 'adopt' | 'keep'): string[] {
    const row = this.db
      .prepare(`SELECT p.instrument_id, p.status, p.conflict_with, p.position_id FROM ledger_positions p JOIN ledger_instruments i ON i.id = p.instrument_id
                WHERE p.account_id = ? AND i.key = ?`)
      .get(accountId, instrumentKey) as { instrument_id: number; status: LedgerPositionStatus; conflict_with: string | null; position_id: string | null } | undefined
    if (!row) throw new Error(`The ledger has no position of ${instrumentKey} in account "${accountId}"`)
    const pair = { accountId, instrumentId: row.instrument_id }
    if (action === 'keep') {
      if (row.position_id) {
        const pos = book.getPosition(row.position_id)
        if (pos && !row.conflict_with) book.deletePosition(row.position_id)
      }
      this.db
        .prepare("UPDATE ledger_positions SET status = 'manual', position_id = NULL, updated_at = ? WHERE account_id = ? AND instrument_id = ?")
        .run(this.nowIso(), accountId, row.instrument_id)
      return []
    }
    const rival = row.conflict_with ? book.getPosition(row.conflict_with) : undefined
    this.db
      .prepare('UPDATE ledger_positions SET status = ?, position_id = ?, conflict_with = NULL, updated_at = ? WHERE account_id = ? AND instrument_id = ?')
      .run('flat', rival && !rival.closedAt ? rival.id : null, this.nowIso(), accountId, row.instrument_id)
    const warnings = this.reconcile(book, [pair])
    const after = this.getPosition(accountId, instrumentKey)
    // Adopting over a rival that the ledger shows flat: the hand-entered position is closed, not kept beside it.
    if (rival && !rival.closedAt && after && after.derived.quantity === '0') this.closeLinked(book, rival.id, after.derived)
    return warnings
  }
}
