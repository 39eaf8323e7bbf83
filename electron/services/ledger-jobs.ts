/**
 * The heavy half of the ledger feature: reading an export file, previewing it, importing it, undoing a
 * batch, exporting the ledger. Synchronous functions over a file path and a database path, so the same code
 * runs in a worker thread (workers/tasks.ts: the app and browser mode), in the CLI, and in the benchmark.
 *
 * Atomicity: an import is ONE SQLite transaction on its own connection: the batch row, every entry, the
 * derived positions and the book positions they update commit together or not at all. A cancel (a flag the
 * caller sets in shared memory), a rejected row under `abort`, an error, or a killed process leaves the
 * database exactly as it was (WAL: uncommitted frames are never read back).
 *
 * The file is read in 1 MB chunks straight into the streaming pipeline, so memory stays flat whatever its
 * size; its SHA-256 is computed on the same pass.
 */
import BetterSqlite3, { type Statement } from 'better-sqlite3'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../store/database'
import { BookRepository, type Clock } from '../store/book-repository'
import {
  LedgerRepository,
  OVERLAPPING_FORMATS,
  fingerprintBase,
  instrumentKeyOf,
  type BatchRecord,
  type BatchWriter,
  type LedgerEntryRecord,
} from '../store/ledger-repository'
import { createCsvWriter, type ExportColumn } from '../importers/csv-export'
import { ImportSession, type FormatChoice, type ImportOptions, type SessionSummary } from '../importers/pipeline'
import { genericMappingSchema, suggestMapping } from '../importers/generic'
import { builtInFormat } from '../importers/formats'
import { ImportError, type FormatId, type LedgerEntry, type RowIssue } from '../importers/types'
import type { Account, Venue } from '../shared/portfolio-document'
import type {
  AccountSuggestion,
  LedgerEntryView,
  LedgerImportResult,
  LedgerPreview,
  RowIssueView,
} from '../shared/ledger-contract'

const CHUNK = 1024 * 1024
/** Rejected rows kept in full in a preview or a result (all are counted). */
const MAX_ISSUES = 1000
/** Bytes read to find the header (and its remembered mapping) before the real pass. */
const PEEK_BYTES = 256 * 1024

export class JobCancelled extends Error {
  override name = 'JobCancelled'
  constructor() {
    super('Cancelled: nothing was written.')
  }
}

/** A failure the user must see as it is (bad file, wrong mapping, unknown account). */
export class JobRefused extends Error {
  override name = 'JobRefused'
  constructor(
    message: string,
    readonly code: 'invalid_input' | 'not_found' | 'conflict' = 'invalid_input',
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message)
  }
}

export interface ReadChoice {
  format?: FormatId
  mapping?: unknown
  utcOffsetMinutes?: number
  decimalSeparator?: '.' | ','
  contractSizes?: Record<string, string>
}

export interface JobCommon {
  dbFile: string
  nativeBinding?: string
  /** The clock of the service (tests fix it), as an ISO instant. */
  now: string
  /** Int32Array view of shared memory: a non-zero first element asks the job to stop. */
  cancel?: SharedArrayBuffer
  progress?: (fraction: number, rows: number) => void
}

export interface PreviewJob extends JobCommon, ReadChoice {
  filePath: string
  fileName: string
  uploadId: string
  accountId?: string
  firstRows?: number
}

export interface ImportJob extends JobCommon, ReadChoice {
  filePath: string
  fileName: string
  /** The account to import into; without one, the suggested account (suggestAccount) is used, created if new. */
  accountId?: string
  createAccount?: { name?: string; venue?: Venue }
  onRejected: 'skip' | 'abort'
  rememberMapping?: boolean
  dryRun?: boolean
}

export interface UndoJob extends JobCommon {
  batchId: number
}

export interface ExportLedgerJob extends JobCommon {
  accountId?: string
  batchId?: number
}

/** Opens a second connection to a database the service already opened and migrated. */
export function openJobConnection(dbFile: string, nativeBinding?: string, readonly = false): Db {
  const db = new BetterSqlite3(dbFile, { nativeBinding, fileMustExist: true, readonly })
  db.pragma('busy_timeout = 5000')
  // A big import touches every page of three indexes in one transaction: a 64 MB page cache (SQLite's
  // default is 2 MB) keeps them in memory instead of re-reading them; memory stays bounded by it.
  db.pragma('cache_size = -65536')
  if (!readonly) {
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
  }
  return db
}

function fixedClock(now: string): Clock {
  const d = new Date(now)
  return { now: () => d }
}

function cancelled(job: JobCommon): boolean {
  return job.cancel !== undefined && Atomics.load(new Int32Array(job.cancel), 0) !== 0
}

function view(e: LedgerEntry): LedgerEntryView {
  return {
    line: e.line,
    kind: e.kind,
    time: e.time,
    symbol: e.symbol ?? null,
    side: e.side ?? null,
    quantity: e.quantity ?? null,
    price: e.price ?? null,
    fee: e.fee ?? null,
    feeAsset: e.feeAsset ?? null,
    amount: e.amount ?? null,
    asset: e.asset ?? null,
    externalId: e.externalId ?? null,
    subtype: e.subtype ?? null,
    dedupeKey: e.dedupeKey,
  }
}

function issueView(i: RowIssue): RowIssueView {
  const out: RowIssueView = { line: i.line, reason: i.reason }
  if (i.column !== undefined) out.column = i.column
  if (i.value !== undefined) out.value = i.value
  return out
}

/** Reads the first bytes to learn the header: its signature finds a remembered mapping before the real pass. */
function peekHeader(filePath: string, options: ImportOptions): SessionSummary {
  const fd = fs.openSync(filePath, 'r')
  try {
    const buf = Buffer.alloc(PEEK_BYTES)
    const n = fs.readSync(fd, buf, 0, PEEK_BYTES, 0)
    const session = new ImportSession(undefined, options, {})
    try {
      session.pushBytes(buf.subarray(0, n))
      return session.end()
    } catch (e) {
      if (e instanceof ImportError) return { ...session.summary, errors: [e.issue] }
      throw e
    }
  } finally {
    fs.closeSync(fd)
  }
}

interface Resolved {
  choice: FormatChoice | undefined
  mapping: unknown
  remembered: boolean
}

/** What to read the file as: the user's format or mapping, else a mapping remembered for this header, else detection. */
function resolveChoice(ledger: LedgerRepository | undefined, job: ReadChoice, signature: string | undefined): Resolved {
  if (job.mapping !== undefined) return { choice: { mapping: job.mapping as never }, mapping: job.mapping, remembered: false }
  if (job.format && job.format !== 'generic') return { choice: job.format, mapping: null, remembered: false }
  const stored = signature ? ledger?.getMapping(signature) : undefined
  if (stored) return { choice: { mapping: stored.mapping as never }, mapping: stored.mapping, remembered: true }
  return { choice: undefined, mapping: null, remembered: false }
}

function importOptions(job: ReadChoice & { fileName: string }): ImportOptions {
  const o: ImportOptions = { fileName: job.fileName }
  if (job.utcOffsetMinutes !== undefined) o.utcOffsetMinutes = job.utcOffsetMinutes
  if (job.decimalSeparator !== undefined) o.decimalSeparator = job.decimalSeparator
  if (job.contractSizes !== undefined) o.contractSizes = job.contractSizes
  return o
}

/** Streams the file through a session: one chunk at a time, hashing as it goes. */
function pump(
  filePath: string,
  session: ImportSession,
  job: JobCommon,
  rows: () => number,
  /** Share of the job's progress bar the reading takes (an import derives positions after it). */
  readShare = 1,
): { sha256: string; bytes: number } {
  const size = fs.statSync(filePath).size
  const hash = createHash('sha256')
  const fd = fs.openSync(filePath, 'r')
  let at = 0
  let lastReported = -1
  try {
    for (;;) {
      if (cancelled(job)) throw new JobCancelled()
      // A fresh buffer per chunk: a decoder may hold on to the tail of the previous one (a split character).
      const buf = Buffer.allocUnsafe(CHUNK)
      const n = fs.readSync(fd, buf, 0, CHUNK, at)
      if (n === 0) break
      const chunk = buf.subarray(0, n)
      hash.update(chunk)
      session.pushBytes(chunk)
      at += n
      const fraction = (size === 0 ? 1 : at / size) * readShare
      if (job.progress && fraction - lastReported >= 0.01) {
        lastReported = fraction
        job.progress(Math.min(fraction, 0.999), rows())
      }
    }
  } finally {
    fs.closeSync(fd)
  }
  return { sha256: hash.digest('hex'), bytes: at }
}

function fatalOf(summary: SessionSummary): string | undefined {
  const fatal = summary.errors.find((e) => e.code !== 'too-many-errors')
  return fatal?.message
}

const VENUE_NAMES: Record<string, string> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', deribit: 'Deribit', defi: 'DeFi', other: 'Other' }

/** The account an import goes to by default: the one holding this exchange UID, else venue-UID, else venue-import. */
export function suggestAccount(book: BookRepository, venue: Venue, hint: string | null, chosen?: string): AccountSuggestion {
  const accounts = book.listAccounts()
  if (chosen) {
    const a = accounts.find((x) => x.id === chosen)
    return a
      ? { id: a.id, exists: true, venue: a.venue, name: a.name ?? a.id, reason: 'chosen' }
      : { id: chosen, exists: false, venue, name: chosen, reason: 'chosen (a new account)' }
  }
  if (hint) {
    const byUid = accounts.find((a) => (a as Record<string, unknown>).exchangeUid === hint && a.venue === venue)
    if (byUid) return { id: byUid.id, exists: true, venue, name: byUid.name ?? byUid.id, reason: `holds exchange UID ${hint}` }
  }
  const id = `${venue}-${hint ?? 'import'}`.slice(0, 120)
  const same = accounts.find((a) => a.id === id)
  if (same) return { id, exists: true, venue: same.venue, name: same.name ?? id, reason: hint ? `named after UID ${hint}` : 'the import account of the venue' }
  const ofVenue = accounts.filter((a) => a.venue === venue)
  if (!hint && ofVenue.length === 1) {
    const a = ofVenue[0]!
    return { id: a.id, exists: true, venue, name: a.name ?? a.id, reason: `the only ${VENUE_NAMES[venue] ?? venue} account` }
  }
  return { id, exists: false, venue, name: `${VENUE_NAMES[venue] ?? venue}${hint ? ` ${hint}` : ''}`, reason: hint ? `a new account for UID ${hint}` : 'a new account' }
}

/** Duplicate checks for a preview: read-only, the same keys and fingerprints the import uses. */
class DuplicateProbe {
  private readonly keyHit: Statement<unknown[]>
  private readonly fpHit: Statement<unknown[]>
  private readonly seen = new Map<string, number>()
  duplicates = 0
  crossFormat = 0

  constructor(
    db: Db,
    private readonly accountId: string,
    private readonly venue: string,
    private readonly format: string,
  ) {
    this.keyHit = db.prepare('SELECT 1 FROM ledger_entries WHERE account_id = ? AND dedupe_key = ?')
    this.fpHit = db.prepare('SELECT 1 FROM ledger_entries WHERE account_id = ? AND fingerprint = ? AND format <> ? LIMIT 1')
  }

  check(e: LedgerEntry): void {
    if (this.keyHit.get(this.accountId, e.dedupeKey) !== undefined) {
      this.duplicates++
      return
    }
    if (!OVERLAPPING_FORMATS[this.venue]?.includes(this.format as FormatId) || !e.instrument) return
    const base = fingerprintBase(e, instrumentKeyOf(this.venue, e.instrument))
    if (base === null) return
    const k = this.seen.get(base) ?? 0
    this.seen.set(base, k + 1)
    if (this.fpHit.get(this.accountId, `${base}#${k}`, this.format) !== undefined) {
      this.duplicates++
      this.crossFormat++
    }
  }
}

export function runPreview(job: PreviewJob): LedgerPreview {
  const db = openJobConnection(job.dbFile, job.nativeBinding, true)
  try {
    const clock = fixedClock(job.now)
    const book = new BookRepository(db, clock)
    const ledger = new LedgerRepository(db, clock)
    const options = importOptions(job)
    const peek = peekHeader(job.filePath, options)
    const resolved = resolveChoice(ledger, job, peek.headerSignature)
    const size = fs.statSync(job.filePath).size

    const firstRows: LedgerEntryView[] = []
    const rejected: RowIssueView[] = []
    const wanted = job.firstRows ?? 25
    let entries = 0
    let probe: DuplicateProbe | undefined
    let account: AccountSuggestion | null = null
    let mappingError: string | null = null
    if (resolved.choice !== undefined && typeof resolved.choice === 'object') {
      const parsed = genericMappingSchema.safeParse(resolved.choice.mapping)
      if (!parsed.success) mappingError = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    }
    const session = new ImportSession(resolved.choice, options, {
      onEntry: (e) => {
        entries++
        if (firstRows.length < wanted) firstRows.push(view(e))
        if (!probe && session.summary.format) {
          const venue = e.venue
          account = suggestAccount(book, venue, e.accountHint ?? null, job.accountId)
          probe = new DuplicateProbe(db, account.id, venue, e.format)
        }
        probe?.check(e)
      },
      onRowIssue: (i) => {
        if (rejected.length < MAX_ISSUES) rejected.push(issueView(i))
      },
    })
    let summary: SessionSummary
    let sha256 = ''
    try {
      sha256 = pump(job.filePath, session, job, () => entries).sha256
      summary = session.end()
    } catch (e) {
      if (!(e instanceof ImportError)) throw e
      summary = { ...session.summary, errors: [e.issue] }
    }
    const format = summary.format ?? null
    const def = format && format !== 'generic' ? builtInFormat(format) : undefined
    const venue: Venue | null = resolved.mapping
      ? ((genericMappingSchema.safeParse(resolved.mapping).data?.venue ?? 'other') as Venue)
      : (def?.venue ?? null)
    if (!account && venue) account = suggestAccount(book, venue, summary.accountHint ?? null, job.accountId)
    const needsMapping = resolved.choice === undefined && (format === 'generic' || format === null) && summary.headers.length > 0
    const errors = [...summary.errors.map((e) => e.message)]
    if (mappingError) errors.unshift(`The column mapping is not valid: ${mappingError}`)
    const warnings = [...summary.warnings]
    if (probe && probe.crossFormat > 0) {
      warnings.push(
        `${probe.crossFormat} fill(s) or funding payment(s) of this file are already in the ledger from the account's other ${VENUE_NAMES[venue ?? ''] ?? ''} export (same instrument, side, size, price and minute); they will be skipped, not counted twice.`,
      )
    }
    const already = account ? ledger.batchesWithFile(account.id, sha256) : []
    if (already.length) warnings.unshift(`This exact file was imported into ${account!.id} before (batch ${already.map((b) => b.id).join(', ')}); only entries not in the ledger yet would be added.`)
    const duplicates = probe?.duplicates ?? 0
    return {
      uploadId: job.uploadId,
      fileName: job.fileName,
      fileBytes: size,
      format,
      formatLabel: summary.formatLabel ?? null,
      venue,
      confidence: summary.confidence,
      reason: summary.detectionReason ?? null,
      candidates: summary.candidates.map((c) => ({ format: c.format, label: c.label, confidence: c.confidence, reason: c.reason })),
      sources: [...(summary.formatSources ?? [])],
      encoding: summary.encodingLabel ?? null,
      delimiter: summary.delimiter ?? null,
      headers: summary.headers,
      headerSignature: summary.headerSignature ?? null,
      zone: summary.zone ? { offsetMinutes: summary.zone.offsetMinutes, source: summary.zone.source, assumed: summary.zone.assumed } : null,
      numberStyles: summary.numberStyles,
      accountHint: summary.accountHint ?? null,
      account,
      dateRange: summary.dateRange,
      rowCounts: summary.rowCounts,
      entries,
      duplicates,
      crossFormatDuplicates: probe?.crossFormat ?? 0,
      alreadyImported: already.map((b) => ({ batchId: b.id, createdAt: b.createdAt })),
      firstRows,
      rejectedRows: rejected,
      warnings,
      errors,
      needsMapping,
      mapping: resolved.mapping,
      mappingRemembered: resolved.remembered,
      suggestedMapping: needsMapping || resolved.mapping ? (suggestMapping(summary.headers) as Record<string, string>) : null,
      importable: errors.length === 0 && !needsMapping && entries - duplicates > 0,
    }
  } finally {
    db.close()
  }
}

/** Thrown inside the transaction to roll a dry run back once everything has been counted. */
class RollBack extends Error {
  constructor(readonly result: LedgerImportResult) {
    super('dry run')
  }
}

export function runImport(job: ImportJob): LedgerImportResult {
  const db = openJobConnection(job.dbFile, job.nativeBinding)
  try {
    const clock = fixedClock(job.now)
    const book = new BookRepository(db, clock)
    const ledger = new LedgerRepository(db, clock)
    const options = importOptions(job)
    const peek = peekHeader(job.filePath, options)
    const resolved = resolveChoice(ledger, job, peek.headerSignature)
    const unreadable = peek.errors.find((e) => e.code !== 'too-many-errors' && e.code !== 'truncated')
    if (unreadable && resolved.choice === undefined) throw new JobRefused(`${job.fileName}: ${unreadable.message} Nothing was imported.`)
    if (resolved.choice === undefined && (peek.format === 'generic' || !peek.format)) {
      const why = peek.errors[0]?.message ?? peek.detectionReason ?? 'its header matches no known export'
      throw new JobRefused(`${job.fileName} is not an export Fulcrum knows (${why}). Map its columns once (generic mapping), then import.`)
    }
    if (resolved.choice !== undefined && typeof resolved.choice === 'object') {
      const parsed = genericMappingSchema.safeParse(resolved.choice.mapping)
      if (!parsed.success) {
        throw new JobRefused(
          'The column mapping is not valid',
          'invalid_input',
          parsed.error.issues.map((i) => ({ path: ['mapping', ...i.path].join('.'), message: i.message })),
        )
      }
    }
    const formatId = (typeof resolved.choice === 'string' ? resolved.choice : resolved.choice ? 'generic' : peek.format) as FormatId
    const venue: Venue =
      formatId === 'generic'
        ? ((genericMappingSchema.parse(resolved.mapping).venue ?? 'other') as Venue)
        : (builtInFormat(formatId)?.venue ?? 'other')
    const rejected: RowIssueView[] = []
    let rejectedCount = 0

    const suggested = job.accountId === undefined ? suggestAccount(book, venue, peek.accountHint ?? null) : undefined
    const accountId = job.accountId ?? suggested!.id
    const create = job.createAccount ?? (suggested && !suggested.exists ? { name: suggested.name } : undefined)

    const run = (): LedgerImportResult =>
      book.write(() => {
        if (!book.accountExists(accountId)) {
          if (!create) throw new JobRefused(`There is no account "${accountId}"; choose one or create it with the import.`, 'not_found')
          const account: Account = {
            id: accountId,
            name: create.name || accountId,
            venue: create.venue ?? venue,
            marginMode: 'cross',
            collateral: [],
          }
          if (peek.accountHint) (account as Record<string, unknown>).exchangeUid = peek.accountHint
          book.saveAccount(account, { create: true })
        }
        const writer: BatchWriter = ledger.beginBatch(
          {
            accountId,
            fileName: path.basename(job.fileName),
            fileSha256: '',
            fileBytes: 0,
            format: formatId,
            formatLabel: null,
            mapping: resolved.mapping ?? undefined,
            plan: options,
          },
          venue,
        )
        const session = new ImportSession(resolved.choice ?? formatId, options, {
          onEntry: (e) => void writer.add(e),
          onRowIssue: (i) => {
            rejectedCount++
            if (rejected.length < MAX_ISSUES) rejected.push(issueView(i))
          },
        })
        const file = pump(job.filePath, session, job, () => writer.counts.inserted + writer.counts.duplicates, 0.9)
        const summary = session.end()
        const fatal = fatalOf(summary)
        if (fatal) throw new JobRefused(`${job.fileName}: ${fatal} Nothing was imported.`)
        if (cancelled(job)) throw new JobCancelled()
        if (job.onRejected === 'abort' && rejectedCount > 0) {
          throw new JobRefused(
            `${rejectedCount} row(s) of ${job.fileName} were rejected, and the import was asked to write nothing in that case. First: line ${rejected[0]!.line}${rejected[0]!.column ? `, column "${rejected[0]!.column}"` : ''}: ${rejected[0]!.reason}`,
          )
        }
        db.prepare('UPDATE ledger_batches SET file_sha256 = ?, file_bytes = ?, format_label = ? WHERE id = ?').run(
          file.sha256,
          file.bytes,
          summary.formatLabel ?? null,
          writer.batchId,
        )
        ledger.finishBatch(writer, {
          rowsTotal: summary.rowCounts.total,
          rowsRejected: summary.rowCounts.rejected,
          dateFrom: summary.dateRange?.from ?? null,
          dateTo: summary.dateRange?.to ?? null,
          warnings: summary.warnings,
        })
        const warnings = [...summary.warnings]
        if (writer.counts.crossFormatDuplicates > 0) {
          warnings.push(
            `${writer.counts.crossFormatDuplicates} fill(s) or funding payment(s) were already in the ledger from the account's other ${VENUE_NAMES[venue] ?? venue} export and were skipped.`,
          )
        }
        // Deriving the positions reads every entry of the touched instruments again: report it as the last
        // stretch of progress, and keep honouring a cancel.
        let folded = 0
        const toFold = writer.counts.inserted
        if (writer.touched.size > 0 && (book.getAccount(accountId)?.collateral.length ?? 0) === 0) {
          warnings.push(
            `${accountId} has no collateral in the book: enter its balances (Positions › Accounts), or its margin and liquidation figures mean nothing.`,
          )
        }
        warnings.push(
          ...ledger.reconcile(book, writer.touched.values(), (n) => {
            if (cancelled(job)) throw new JobCancelled()
            folded += n
            job.progress?.(Math.min(0.999, 0.9 + (0.1 * folded) / Math.max(1, toFold)), writer.counts.inserted + writer.counts.duplicates)
          }),
        )
        if (formatId === 'generic' && job.rememberMapping !== false && summary.headerSignature) {
          ledger.saveMapping(summary.headerSignature, summary.headers, genericMappingSchema.parse(resolved.mapping))
        }
        const result: LedgerImportResult = {
          batchId: writer.counts.inserted > 0 && !job.dryRun ? writer.batchId : null,
          format: formatId,
          account: accountId,
          inserted: writer.counts.inserted,
          duplicates: writer.counts.duplicates,
          crossFormatDuplicates: writer.counts.crossFormatDuplicates,
          rejected,
          rejectedCount,
          rowsTotal: summary.rowCounts.total,
          positions: writer.touched.size,
          warnings,
          dryRun: job.dryRun === true,
        }
        if (job.progress) job.progress(1, writer.counts.inserted + writer.counts.duplicates)
        // A dry run, or a file that added nothing new, leaves no trace: no empty batch in the list.
        if (job.dryRun || writer.counts.inserted === 0) throw new RollBack(result)
        return result
      })

    try {
      return run()
    } catch (e) {
      if (e instanceof RollBack) return e.result
      throw e
    }
  } finally {
    db.close()
  }
}

export function runUndo(job: UndoJob): { batchId: number; removed: number; positions: number; warnings: string[] } {
  const db = openJobConnection(job.dbFile, job.nativeBinding)
  try {
    const clock = fixedClock(job.now)
    const book = new BookRepository(db, clock)
    const ledger = new LedgerRepository(db, clock)
    return book.write(() => {
      const batch: BatchRecord | undefined = ledger.getBatch(job.batchId)
      if (!batch) throw new JobRefused(`No import batch ${job.batchId}`, 'not_found')
      if (batch.undoneAt) throw new JobRefused(`Import batch ${job.batchId} was already undone at ${batch.undoneAt}`, 'conflict')
      const { removed, pairs } = ledger.undoBatch(job.batchId)
      if (cancelled(job)) throw new JobCancelled()
      const warnings = ledger.reconcile(book, pairs)
      return { batchId: job.batchId, removed, positions: pairs.length, warnings }
    })
  } finally {
    db.close()
  }
}

export interface ReconcileJob extends JobCommon {
  action: 'adopt' | 'keep' | 'refresh'
  accountId?: string
  instrumentKey?: string
}

/** The user's decision on a ledger position, or a refresh of all of them: re-derives, so it runs here too. */
export function runReconcile(job: ReconcileJob): { warnings: string[] } {
  const db = openJobConnection(job.dbFile, job.nativeBinding)
  try {
    const clock = fixedClock(job.now)
    const book = new BookRepository(db, clock)
    const ledger = new LedgerRepository(db, clock)
    const tick = (): void => {
      if (cancelled(job)) throw new JobCancelled()
    }
    const warnings = book.write(() => {
      if (job.action === 'refresh') return ledger.reconcile(book, ledger.allPairs(), tick)
      if (!ledger.getPosition(job.accountId!, job.instrumentKey!)) {
        throw new JobRefused(`The ledger has no position of ${job.instrumentKey} in account "${job.accountId}"`, 'not_found')
      }
      return ledger.decide(book, job.accountId!, job.instrumentKey!, job.action)
    })
    return { warnings }
  } finally {
    db.close()
  }
}

/** The ledger as CSV (formula-safe, importers/csv-export.ts), oldest entry first. */
export function runExportLedger(job: ExportLedgerJob): { csv: string; rows: number } {
  const db = openJobConnection(job.dbFile, job.nativeBinding, true)
  try {
    const ledger = new LedgerRepository(db, fixedClock(job.now))
    const filter = { accountId: job.accountId, batchId: job.batchId }
    const total = ledger.countEntries(filter)
    const parts: string[] = []
    const w = createCsvWriter(LEDGER_CSV_COLUMNS, (s) => parts.push(s), { bom: true })
    let rows = 0
    for (const e of ledger.iterateEntries(filter)) {
      w.row(e)
      rows++
      if (rows % 20_000 === 0) {
        if (cancelled(job)) throw new JobCancelled()
        job.progress?.(rows / Math.max(1, total), rows)
      }
    }
    return { csv: parts.join(''), rows }
  } finally {
    db.close()
  }
}

export const LEDGER_CSV_COLUMNS: ExportColumn<LedgerEntryRecord>[] = [
  { header: 'Time (UTC)', type: 'text', value: (e) => e.time },
  { header: 'Account', type: 'text', value: (e) => e.accountId },
  { header: 'Kind', type: 'text', value: (e) => e.kind },
  { header: 'Symbol', type: 'text', value: (e) => e.symbol },
  { header: 'Side', type: 'text', value: (e) => e.side },
  { header: 'Quantity', type: 'number', value: (e) => e.quantity },
  { header: 'Price', type: 'number', value: (e) => e.price },
  { header: 'Fee', type: 'number', value: (e) => e.fee },
  { header: 'Fee asset', type: 'text', value: (e) => e.feeAsset },
  { header: 'Amount', type: 'number', value: (e) => e.amount },
  { header: 'Asset', type: 'text', value: (e) => e.asset },
  { header: 'Liquidity', type: 'text', value: (e) => e.liquidity },
  { header: 'Trade ID', type: 'text', value: (e) => e.externalId },
  { header: 'Order ID', type: 'text', value: (e) => e.orderId },
  { header: 'Venue type', type: 'text', value: (e) => e.subtype },
  { header: 'Format', type: 'text', value: (e) => e.format },
  { header: 'Batch', type: 'number', value: (e) => e.batchId },
  { header: 'Line', type: 'number', value: (e) => e.line },
  { header: 'Dedupe key', type: 'text', value: (e) => e.dedupeKey },
]

/** What crosses the worker boundary: a value, or a refusal with its code (an Error keeps only its message there). */
export type JobOutcome<T> = { ok: true; value: T } | { ok: false; code: 'invalid_input' | 'not_found' | 'conflict' | 'cancelled'; message: string; issues?: { path: string; message: string }[] }

export function outcome<T>(fn: () => T): JobOutcome<T> {
  try {
    return { ok: true, value: fn() }
  } catch (e) {
    if (e instanceof JobCancelled) return { ok: false, code: 'cancelled', message: e.message }
    if (e instanceof JobRefused) return { ok: false, code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) }
    throw e
  }
}
