/**
 * The ledger's part of the API contract (issue 5): input schemas and output shapes of the import, ledger,
 * reconciliation and export calls. api-contract.ts merges these into the one table; kept apart so the
 * import feature's additions stay together. Decimals are strings, times ISO 8601 UTC.
 *
 * File bytes reach the backend in chunks (ledgerUploadBegin / ledgerUploadChunk, base64 in JSON), the same
 * way over Electron IPC, browser-mode HTTP and the in-process transport: browser mode caps a request body at
 * 64 MB, so a large export (a year of fills is easily hundreds of MB) goes up in 8 MB pieces into a
 * temporary file, and the import streams from that file in a worker thread.
 */
import { z } from 'zod'
import { FORMAT_IDS, type FormatId, type LedgerEntryKind } from '../importers/types'
import { VENUES, type Instrument, type Venue } from './portfolio-document'

/** Raw bytes per upload chunk (base64 makes it 4/3 larger on the wire, far under the 64 MB body limit). */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024
/** Largest file the ledger accepts. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024

const id = z.string().trim().min(1).max(120)
const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be letters, digits, _ or - (at most 64)' })
const uploadId = z.string().regex(/^[a-f0-9-]{8,64}$/, { error: 'is not an upload id' })

const readOptions = {
  format: z.enum(FORMAT_IDS).optional(),
  /** A generic column mapping (importers/generic.ts); validated where it is used, so errors name its fields. */
  mapping: z.unknown().optional(),
  utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).optional(),
  decimalSeparator: z.enum(['.', ',']).optional(),
  /** Contract sizes by symbol for instruments missing from the built-in table. */
  contractSizes: z.record(z.string().max(80), z.string().regex(/^\d+(\.\d+)?$/)).optional(),
  jobId: jobId.optional(),
}

export const ledgerInputSchemas = {
  ledgerUploadBegin: z.object({ fileName: z.string().trim().min(1).max(260), size: z.number().int().min(0).max(MAX_UPLOAD_BYTES) }).strict(),
  ledgerUploadChunk: z
    .object({ uploadId, offset: z.number().int().min(0), data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4 + 16) })
    .strict(),
  ledgerUploadDiscard: z.object({ uploadId }).strict(),
  ledgerPreview: z
    .object({
      uploadId,
      accountId: id.optional(),
      firstRows: z.number().int().min(0).max(500).default(25),
      ...readOptions,
    })
    .strict(),
  ledgerImport: z
    .object({
      uploadId,
      accountId: id,
      /** Creates the account when it does not exist yet (venue defaults to the format's). */
      createAccount: z.object({ name: z.string().trim().max(120).optional(), venue: z.enum(VENUES).optional() }).strict().optional(),
      /** `skip`: import the valid rows, report the rejected ones. `abort`: import nothing if any row is rejected. */
      onRejected: z.enum(['skip', 'abort']).default('skip'),
      rememberMapping: z.boolean().default(true),
      dryRun: z.boolean().default(false),
      ...readOptions,
    })
    .strict(),
  ledgerCancel: z.object({ jobId }).strict(),
  ledgerBatches: z.object({}).strict(),
  ledgerUndo: z.object({ batchId: z.number().int().positive(), jobId: jobId.optional() }).strict(),
  ledgerEntries: z
    .object({
      accountId: id.optional(),
      batchId: z.number().int().positive().optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict(),
  ledgerPositions: z.object({}).strict(),
  ledgerReconcile: z
    .object({ action: z.enum(['adopt', 'keep', 'refresh']), accountId: id.optional(), instrumentKey: z.string().max(400).optional() })
    .strict()
    .superRefine((v, ctx) => {
      if (v.action !== 'refresh' && (!v.accountId || !v.instrumentKey)) {
        ctx.addIssue({ code: 'custom', path: ['instrumentKey'], message: `is required to ${v.action} a ledger position (with accountId)` })
      }
    }),
  ledgerExport: z
    .object({
      what: z.enum(['ledger', 'report']),
      accountId: id.optional(),
      batchId: z.number().int().positive().optional(),
      jobId: jobId.optional(),
    })
    .strict(),
} as const

export type LedgerMethod = keyof typeof ledgerInputSchemas

export interface RowIssueView {
  line: number
  column?: string
  value?: string
  reason: string
}

/** One ledger entry as the UI shows it. */
export interface LedgerEntryView {
  line: number
  kind: LedgerEntryKind
  time: string
  symbol: string | null
  side: 'buy' | 'sell' | null
  quantity: string | null
  price: string | null
  fee: string | null
  feeAsset: string | null
  amount: string | null
  asset: string | null
  externalId: string | null
  subtype: string | null
  dedupeKey: string
}

export interface StoredEntryView extends LedgerEntryView {
  id: number
  accountId: string
  batchId: number
  format: string
}

export interface UploadTicket {
  uploadId: string
  chunkBytes: number
}

export interface AccountSuggestion {
  id: string
  exists: boolean
  venue: Venue
  name: string
  /** Why this account: the file's UID, an existing account of the venue, or a new one. */
  reason: string
}

export interface LedgerPreview {
  uploadId: string
  fileName: string
  fileBytes: number
  format: FormatId | null
  formatLabel: string | null
  venue: Venue | null
  confidence: number
  reason: string | null
  candidates: { format: FormatId; label: string; confidence: number; reason: string }[]
  sources: string[]
  encoding: string | null
  delimiter: string | null
  headers: string[]
  headerSignature: string | null
  zone: { offsetMinutes: number; source: string; assumed: boolean } | null
  numberStyles: Record<string, string>
  accountHint: string | null
  account: AccountSuggestion | null
  dateRange: { from: string; to: string } | null
  rowCounts: { total: number; valid: number; rejected: number; skipped: number; byKind: Record<LedgerEntryKind, number> }
  /** Entries the file yields, and how many of them the chosen account's ledger already has. */
  entries: number
  duplicates: number
  crossFormatDuplicates: number
  /** Earlier batches of the same account that read these exact bytes. */
  alreadyImported: { batchId: number; createdAt: string }[]
  firstRows: LedgerEntryView[]
  rejectedRows: RowIssueView[]
  warnings: string[]
  errors: string[]
  /** The header is not a known export: map the columns (generic mapper). */
  needsMapping: boolean
  /** The mapping in use: the one given, or the one remembered for this header. */
  mapping: unknown
  mappingRemembered: boolean
  suggestedMapping: Record<string, string> | null
  /** Something would be written by an import of this file. */
  importable: boolean
}

export interface LedgerImportResult {
  batchId: number | null
  format: FormatId
  account: string
  inserted: number
  duplicates: number
  crossFormatDuplicates: number
  rejected: RowIssueView[]
  rejectedCount: number
  rowsTotal: number
  /** (account, instrument) pairs whose derived position was recomputed. */
  positions: number
  warnings: string[]
  dryRun: boolean
}

export interface LedgerBatchView {
  id: number
  accountId: string
  fileName: string
  fileSha256: string
  fileBytes: number
  format: string
  formatLabel: string | null
  rowsTotal: number
  rowsRejected: number
  inserted: number
  duplicates: number
  dateFrom: string | null
  dateTo: string | null
  warnings: string[]
  createdAt: string
  undoneAt: string | null
  entries: number
}

export type LedgerPositionStatusView = 'linked' | 'conflict' | 'manual' | 'flat' | 'unpriced' | 'no-account'

export interface LedgerPositionView {
  accountId: string
  instrumentKey: string
  symbol: string
  venue: string
  instrument: Instrument
  status: LedgerPositionStatusView
  positionId: string | null
  conflictWith: string | null
  quantity: string
  entryPrice: string | null
  realizedPnl: Record<string, string>
  pnlSource: 'venue' | 'computed'
  feesPaid: Record<string, string>
  fundingPaid: Record<string, string>
  fills: number
  openedAt: string | null
  lastAt: string | null
  lastPrice: string | null
}

export interface LedgerOutputs {
  ledgerUploadBegin: UploadTicket
  ledgerUploadChunk: { received: number }
  ledgerUploadDiscard: { discarded: boolean }
  ledgerPreview: LedgerPreview
  ledgerImport: LedgerImportResult
  ledgerCancel: { cancelled: boolean }
  ledgerBatches: LedgerBatchView[]
  ledgerUndo: { batchId: number; removed: number; positions: number; warnings: string[] }
  ledgerEntries: { total: number; entries: StoredEntryView[] }
  ledgerPositions: LedgerPositionView[]
  ledgerReconcile: { positions: LedgerPositionView[]; warnings: string[] }
  ledgerExport: { fileName: string; csv: string; rows: number }
}

export type LedgerEvent =
  | { type: 'ledger.progress'; jobId: string; phase: 'preview' | 'import' | 'undo' | 'export'; fraction: number; rows: number }
  | { type: 'ledger.changed'; batchId: number | null }

export type { FormatId, LedgerEntryKind }
