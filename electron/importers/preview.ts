/**
 * The two entry points the import service calls.
 *
 * previewImport reads the whole file once, keeps only the first entries and the first row issues, and tells
 * the user what Fulcrum understood (format and why, encoding, delimiter, zone, decimal style, account,
 * dates, counts by kind) before anything is written. parseImport runs the same pipeline for the real import,
 * streaming entries to a callback; give it the plan the preview returned so both read the file the same way.
 */
import { detectEncoding } from './decode'
import { ImportSession, type FormatChoice, type ImportOptions, type RowCounts, type SessionSummary } from './pipeline'
import { ImportError, type FileIssue, type FormatId, type LedgerEntry, type RowIssue } from './types'

export interface PreviewOptions extends ImportOptions {
  /** Read the file as this format instead of detecting it. */
  format?: FormatChoice
  /** Entries kept for display. */
  firstRows?: number
  /** Row issues kept in full (all are counted). */
  maxIssues?: number
}

export interface ImportPreview {
  format: FormatId | null
  formatLabel: string | null
  confidence: number
  /** Why this format (or why none): shown next to the choice so a user can disagree with it. */
  reason: string | null
  candidates: SessionSummary['candidates']
  sources: readonly string[]
  encoding: string | null
  delimiter: string | null
  headers: string[]
  headerSignature: string | null
  accountHint: string | null
  zone: SessionSummary['zone'] | null
  numberStyles: Record<string, string>
  dateRange: { from: string; to: string } | null
  rowCounts: RowCounts
  firstRows: LedgerEntry[]
  /** Rejected rows (line, column, reason), the first maxIssues of them. */
  rejectedRows: RowIssue[]
  warnings: string[]
  /** File-level problems and, for convenience, the first rejected rows as sentences. */
  errors: string[]
  fileIssues: FileIssue[]
  /** What parseImport needs to read the file exactly as previewed. */
  plan: ImportPlan | null
}

export interface ImportPlan extends ImportOptions {
  format: FormatChoice
}

function emptyPreview(): ImportPreview {
  return {
    format: null, formatLabel: null, confidence: 0, reason: null, candidates: [], sources: [], encoding: null,
    delimiter: null, headers: [], headerSignature: null, accountHint: null, zone: null, numberStyles: {},
    dateRange: null,
    rowCounts: { total: 0, valid: 0, rejected: 0, skipped: 0, byKind: { trade: 0, funding: 0, fee: 0, transfer: 0, settlement: 0, realized_pnl: 0 } },
    firstRows: [], rejectedRows: [], warnings: [], errors: [], fileIssues: [], plan: null,
  }
}

const CHUNK = 1024 * 1024

export function issueText(i: RowIssue): string {
  return `line ${i.line}${i.column ? `, column "${i.column}"` : ''}: ${i.reason}`
}

export function previewImport(bytes: Uint8Array, options: PreviewOptions = {}): ImportPreview {
  const out = emptyPreview()
  const firstN = options.firstRows ?? 20
  const maxIssues = options.maxIssues ?? 1000
  let opts: PreviewOptions = options
  try {
    if (!options.encoding) {
      // The whole file is here: check all of it for UTF-8, not only its start.
      const info = detectEncoding(bytes, true)
      out.warnings.push(...info.warnings)
      opts = { ...options, encoding: info.encoding }
    }
    const session = new ImportSession(options.format, opts, {
      onEntry: (e) => {
        if (out.firstRows.length < firstN) out.firstRows.push(e)
      },
      onRowIssue: (i) => {
        if (out.rejectedRows.length < maxIssues) out.rejectedRows.push(i)
      },
    })
    for (let at = 0; at < bytes.length; at += CHUNK) session.pushBytes(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)))
    const s = session.end()
    fill(out, s, bytes, opts)
  } catch (e) {
    if (!(e instanceof ImportError)) throw e
    out.fileIssues.push(e.issue)
    out.errors.push(e.issue.message)
  }
  return out
}

function fill(out: ImportPreview, s: SessionSummary, bytes: Uint8Array, opts: PreviewOptions): void {
  out.format = s.format ?? null
  out.formatLabel = s.formatLabel ?? null
  out.confidence = s.confidence
  out.reason = s.detectionReason ?? null
  out.candidates = s.candidates
  out.sources = s.formatSources ?? []
  out.encoding = s.encodingLabel ?? null
  out.delimiter = s.delimiter ?? null
  out.headers = s.headers
  out.headerSignature = s.headerSignature ?? null
  out.accountHint = s.accountHint ?? null
  out.zone = s.zone ?? null
  out.numberStyles = s.numberStyles
  out.dateRange = s.dateRange
  out.rowCounts = s.rowCounts
  out.warnings.push(...s.warnings)
  out.fileIssues.push(...s.errors)
  out.errors.push(...s.errors.map((e) => e.message), ...out.rejectedRows.slice(0, 50).map(issueText))
  if (s.format && s.format !== 'generic' && s.errors.length === 0 && bytes.length > 0) {
    out.plan = {
      ...opts,
      format: opts.format ?? (s.format as FormatChoice),
      encoding: s.encoding,
      delimiter: s.delimiter,
      utcOffsetMinutes: opts.utcOffsetMinutes ?? s.zone?.offsetMinutes,
    }
  }
}

export interface ImportResult {
  summary: SessionSummary
}

type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

function isAsync(x: ByteSource): x is AsyncIterable<Uint8Array> {
  return typeof (x as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
}

/**
 * The real import: streams entries of `source` (the whole file, or chunks such as a Node read stream) read as
 * `format` to onEntry and rejected rows to onError. Resolves with the same summary a preview gives; rejects
 * with ImportError when the file cannot be read at all (empty, binary, wrong columns).
 */
export async function parseImport(
  source: ByteSource,
  format: FormatChoice,
  onEntry: (entry: LedgerEntry) => void,
  onError: (issue: RowIssue) => void,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const session = new ImportSession(format, options, { onEntry, onRowIssue: onError })
  if (source instanceof Uint8Array) {
    for (let at = 0; at < source.length; at += CHUNK) session.pushBytes(source.subarray(at, Math.min(source.length, at + CHUNK)))
  } else if (isAsync(source)) {
    for await (const chunk of source) session.pushBytes(chunk)
  } else {
    for (const chunk of source) session.pushBytes(chunk)
  }
  const summary = session.end()
  const fatal = summary.errors.find((e) => e.code !== 'too-many-errors')
  if (fatal) throw new ImportError(fatal)
  return { summary }
}
