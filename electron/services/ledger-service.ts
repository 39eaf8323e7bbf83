/**
 * The ledger feature (issue 5): exchange CSV import into the trade ledger, its batches and undo, the
 * positions derived from it and their reconciliation with the book, and CSV exports.
 *
 * Bytes arrive in chunks into a temporary file (see shared/ledger-contract.ts for why), and every pass over
 * a file runs in a worker thread (workers/tasks.ts → ledger-jobs.ts): the worker opens its own connection
 * and writes the whole import in one transaction, while this process keeps answering. Progress goes out as
 * `ledger.progress` events; a job is cancelled through a flag in shared memory the worker checks between
 * chunks (so the transaction rolls back cleanly rather than with a killed thread).
 *
 * Writing jobs (import, undo) run one at a time: two would only fight over SQLite's single write lock.
 * While one writes, reads carry on (WAL); a book edit made meanwhile waits for it (up to busy_timeout).
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ParsedInput } from '../shared/api-contract'
import {
  MAX_UPLOAD_BYTES,
  UPLOAD_CHUNK_BYTES,
  type LedgerMethod,
  type LedgerPositionView,
  type StoredEntryView,
} from '../shared/ledger-contract'
import type { PositionReport } from '../engine/report-types'
import { createCsvWriter, type ExportColumn } from '../importers/csv-export'
import { LedgerRepository, type LedgerPositionRecord } from '../store/ledger-repository'
import { workerPool } from '../workers/pool'
import type { TaskName, TaskPayload } from '../workers/tasks'
import type { JobOutcome } from './ledger-jobs'
import { ServiceError, type FeatureModule, type ServiceDeps } from './service-kit'

interface Upload {
  file: string
  fileName: string
  size: number
  received: number
  touchedAt: number
}

/** Uploads nobody finished or discarded are removed after this long. */
const UPLOAD_TTL_MS = 6 * 60 * 60 * 1000

function positionView(p: LedgerPositionRecord): LedgerPositionView {
  return {
    accountId: p.accountId,
    instrumentKey: p.instrumentKey,
    symbol: p.symbol,
    venue: p.venue,
    instrument: p.instrument,
    status: p.status,
    positionId: p.positionId,
    conflictWith: p.conflictWith,
    quantity: p.derived.quantity,
    entryPrice: p.derived.entryPrice,
    realizedPnl: p.derived.realizedPnl,
    pnlSource: p.derived.pnlSource,
    feesPaid: p.derived.feesPaid,
    fundingPaid: p.derived.fundingPaid,
    fills: p.derived.fills,
    openedAt: p.derived.openedAt,
    lastAt: p.derived.lastAt,
    lastPrice: p.derived.lastPrice,
  }
}

/** The risk report's positions as CSV: report figures are float64 model output, written as plain numbers. */
export const REPORT_CSV_COLUMNS: ExportColumn<PositionReport>[] = [
  { header: 'Position', type: 'text', value: (p) => p.id },
  { header: 'Account', type: 'text', value: (p) => p.account },
  { header: 'Venue', type: 'text', value: (p) => p.venue },
  { header: 'Symbol', type: 'text', value: (p) => p.symbol },
  { header: 'Kind', type: 'text', value: (p) => p.kind },
  { header: 'Settlement', type: 'text', value: (p) => p.settlement },
  { header: 'Underlying', type: 'text', value: (p) => p.underlying },
  { header: 'Quote', type: 'text', value: (p) => p.quote },
  { header: 'Expiry', type: 'text', value: (p) => p.expiry },
  { header: 'Quantity (contracts)', type: 'number', value: (p) => p.quantity },
  { header: 'Entry price', type: 'number', value: (p) => p.entryPrice },
  { header: 'Mark', type: 'number', value: (p) => p.mark },
  { header: 'Notional (USD)', type: 'number', value: (p) => p.notional },
  { header: 'Unrealized PnL (USD)', type: 'number', value: (p) => p.unrealizedPnl },
  { header: 'Delta (underlying units)', type: 'number', value: (p) => p.delta },
  { header: 'Gamma (per USD)', type: 'number', value: (p) => p.gamma },
  { header: 'Vega (USD per vol point)', type: 'number', value: (p) => p.vega },
  { header: 'Theta (USD per day)', type: 'number', value: (p) => p.theta },
  { header: 'Liquidation price', type: 'number', value: (p) => p.liquidationPrice },
  { header: 'Funding (USD per day)', type: 'number', value: (p) => p.fundingPerDay },
]

export function createLedgerFeature(deps: ServiceDeps): FeatureModule<LedgerMethod> {
  const ledger = new LedgerRepository(deps.db, deps.clock)
  const uploads = new Map<string, Upload>()
  const cancels = new Map<string, SharedArrayBuffer>()
  const running = new Set<Promise<unknown>>()
  let uploadDir: string | undefined
  let writeQueue: Promise<unknown> = Promise.resolve()

  const dir = (): string => (uploadDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-uploads-')))
  const nowIso = (): string => deps.clock.now().toISOString()
  const common = (): { dbFile: string; nativeBinding?: string; now: string } => ({
    dbFile: deps.ctx.dataFile,
    ...(deps.ctx.nativeBinding ? { nativeBinding: deps.ctx.nativeBinding } : {}),
    now: nowIso(),
  })

  const expireUploads = (): void => {
    const cutoff = Date.now() - UPLOAD_TTL_MS
    for (const [id, u] of uploads) {
      if (u.touchedAt < cutoff) {
        fs.rmSync(u.file, { force: true })
        uploads.delete(id)
      }
    }
  }

  const complete = (uploadId: string): Upload => {
    const u = uploads.get(uploadId)
    if (!u) throw new ServiceError('not_found', 'That upload is gone (discarded, or the app restarted): choose the file again.')
    if (u.received !== u.size) {
      throw new ServiceError('invalid_input', `The upload of ${u.fileName} is incomplete (${u.received} of ${u.size} bytes).`)
    }
    u.touchedAt = Date.now()
    return u
  }

  /** Runs a ledger task in a worker with progress events and a cancel flag. */
  const runJob = async <N extends TaskName>(
    task: N,
    payload: Omit<TaskPayload<N>, 'cancel'>,
    phase: 'preview' | 'import' | 'undo' | 'export',
    jobId: string | undefined,
  ): Promise<unknown> => {
    const cancel = new SharedArrayBuffer(4)
    const id = jobId ?? randomUUID()
    if (cancels.has(id)) throw new ServiceError('conflict', `A job with id ${id} is already running`)
    cancels.set(id, cancel)
    const job = workerPool().run(task, { ...payload, cancel } as TaskPayload<N>, {
      onProgress: (fraction, note) =>
        deps.events.emit({ type: 'ledger.progress', jobId: id, phase, fraction, rows: Number(note ?? 0) }),
    })
    running.add(job)
    try {
      const out = (await job) as JobOutcome<unknown>
      if (!out.ok) {
        throw new ServiceError(out.code === 'cancelled' ? 'conflict' : out.code, out.message, out.issues)
      }
      deps.events.emit({ type: 'ledger.progress', jobId: id, phase, fraction: 1, rows: 0 })
      return out.value
    } finally {
      running.delete(job)
      cancels.delete(id)
    }
  }

  /** Import and undo one after the other. */
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = writeQueue.then(fn, fn)
    writeQueue = next.catch(() => undefined)
    return next
  }

  const entryView = (e: ReturnType<LedgerRepository['listEntries']>[number]): StoredEntryView => ({
    id: e.id,
    accountId: e.accountId,
    batchId: e.batchId,
    format: e.format,
    line: e.line,
    kind: e.kind,
    time: e.time,
    symbol: e.symbol,
    side: e.side,
    quantity: e.quantity,
    price: e.price,
    fee: e.fee,
    feeAsset: e.feeAsset,
    amount: e.amount,
    asset: e.asset,
    externalId: e.externalId,
    subtype: e.subtype,
    dedupeKey: e.dedupeKey,
  })

  const readChoice = (i: ParsedInput<'ledgerPreview'> | ParsedInput<'ledgerImport'>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    if (i.format !== undefined) out.format = i.format
    if (i.mapping !== undefined) out.mapping = i.mapping
    if (i.utcOffsetMinutes !== undefined) out.utcOffsetMinutes = i.utcOffsetMinutes
    if (i.decimalSeparator !== undefined) out.decimalSeparator = i.decimalSeparator
    if (i.contractSizes !== undefined) out.contractSizes = i.contractSizes
    return out
  }

  const handlers: FeatureModule<LedgerMethod>['handlers'] = {
    ledgerUploadBegin: ({ fileName, size }) => {
      expireUploads()
      if (size > MAX_UPLOAD_BYTES) throw new ServiceError('invalid_input', `${fileName} is larger than ${MAX_UPLOAD_BYTES} bytes`)
      const uploadId = randomUUID()
      const file = path.join(dir(), uploadId)
      fs.writeFileSync(file, new Uint8Array(0))
      uploads.set(uploadId, { file, fileName: path.basename(fileName), size, received: 0, touchedAt: Date.now() })
      return { uploadId, chunkBytes: UPLOAD_CHUNK_BYTES }
    },

    ledgerUploadChunk: ({ uploadId, offset, data }) => {
      const u = uploads.get(uploadId)
      if (!u) throw new ServiceError('not_found', 'That upload is gone: choose the file again.')
      if (offset !== u.received) {
        throw new ServiceError('invalid_input', `Chunk at byte ${offset} arrived out of order (expected ${u.received}).`, [
          { path: 'offset', message: `must be ${u.received}` },
        ])
      }
      const bytes = Buffer.from(data, 'base64')
      if (bytes.length > UPLOAD_CHUNK_BYTES || u.received + bytes.length > u.size) {
        throw new ServiceError('invalid_input', `Chunk too large: ${u.fileName} was announced as ${u.size} bytes.`, [
          { path: 'data', message: 'is larger than announced' },
        ])
      }
      fs.appendFileSync(u.file, bytes)
      u.received += bytes.length
      u.touchedAt = Date.now()
      return { received: u.received }
    },

    ledgerUploadDiscard: ({ uploadId }) => {
      const u = uploads.get(uploadId)
      if (u) fs.rmSync(u.file, { force: true })
      return { discarded: uploads.delete(uploadId) }
    },

    ledgerPreview: async (input) => {
      const u = complete(input.uploadId)
      return (await runJob(
        'ledgerPreview',
        {
          ...common(),
          ...readChoice(input),
          filePath: u.file,
          fileName: u.fileName,
          uploadId: input.uploadId,
          firstRows: input.firstRows,
          ...(input.accountId ? { accountId: input.accountId } : {}),
        },
        'preview',
        input.jobId,
      )) as ReturnType<FeatureModule<'ledgerPreview'>['handlers']['ledgerPreview']>
    },

    ledgerImport: (input) =>
      serialised(async () => {
        const u = complete(input.uploadId)
        const result = (await runJob(
          'ledgerImport',
          {
            ...common(),
            ...readChoice(input),
            filePath: u.file,
            fileName: u.fileName,
            accountId: input.accountId,
            onRejected: input.onRejected,
            rememberMapping: input.rememberMapping,
            dryRun: input.dryRun,
            ...(input.createAccount ? { createAccount: input.createAccount } : {}),
          },
          'import',
          input.jobId,
        )) as Awaited<ReturnType<FeatureModule<'ledgerImport'>['handlers']['ledgerImport']>>
        if (!result.dryRun) {
          deps.changed()
          deps.events.emit({ type: 'ledger.changed', batchId: result.batchId })
        }
        return result
      }),

    ledgerCancel: ({ jobId }) => {
      const flag = cancels.get(jobId)
      if (flag) Atomics.store(new Int32Array(flag), 0, 1)
      return { cancelled: flag !== undefined }
    },

    ledgerBatches: () => ledger.listBatches(),

    ledgerUndo: ({ batchId, jobId }) =>
      serialised(async () => {
        const result = (await runJob('ledgerUndo', { ...common(), batchId }, 'undo', jobId)) as {
          batchId: number
          removed: number
          positions: number
          warnings: string[]
        }
        deps.changed()
        deps.events.emit({ type: 'ledger.changed', batchId })
        return result
      }),

    ledgerEntries: ({ accountId, batchId, offset, limit }) => {
      const filter = { accountId, batchId }
      return { total: ledger.countEntries(filter), entries: ledger.listEntries(filter, { offset, limit }).map(entryView) }
    },

    ledgerPositions: () => ledger.listPositions().map(positionView),

    ledgerReconcile: ({ action, accountId, instrumentKey }) =>
      serialised(async () => {
        // Re-deriving reads every entry of the instrument: a worker's job, like the import.
        const { warnings } = (await runJob(
          'ledgerReconcile',
          { ...common(), action, ...(accountId ? { accountId } : {}), ...(instrumentKey ? { instrumentKey } : {}) },
          'import',
          undefined,
        )) as { warnings: string[] }
        deps.changed()
        deps.events.emit({ type: 'ledger.changed', batchId: null })
        return { positions: ledger.listPositions().map(positionView), warnings }
      }),

    ledgerExport: async ({ what, accountId, batchId, jobId }) => {
      const day = nowIso().slice(0, 10)
      if (what === 'report') {
        const report = await deps.report()
        const parts: string[] = []
        const w = createCsvWriter(REPORT_CSV_COLUMNS, (s) => parts.push(s), { bom: true })
        const rows = report.positions.filter((p) => accountId === undefined || p.account === accountId)
        for (const p of rows) w.row(p)
        return { fileName: `fulcrum-risk-report-${day}.csv`, csv: parts.join(''), rows: rows.length }
      }
      const out = (await runJob(
        'ledgerExport',
        { ...common(), ...(accountId ? { accountId } : {}), ...(batchId ? { batchId } : {}) },
        'export',
        jobId,
      )) as { csv: string; rows: number }
      const scope = accountId ? `-${accountId.replace(/[^A-Za-z0-9_-]/g, '_')}` : batchId ? `-batch-${batchId}` : ''
      return { fileName: `fulcrum-ledger${scope}-${day}.csv`, ...out }
    },
  }

  return {
    handlers,
    // A worker thread loads its whole module graph on first use (seconds under tsx): start one now, so the
    // first preview a user asks for does not pay for it.
    start: () => void workerPool().run('echo', { value: 0 }).catch(() => undefined),
    stop: async () => {
      for (const flag of cancels.values()) Atomics.store(new Int32Array(flag), 0, 1)
      await Promise.allSettled([...running])
      if (uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true })
      uploads.clear()
    },
  }
}
