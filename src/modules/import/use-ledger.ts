/**
 * The ledger's async work for the renderer: sending a file in chunks, preview, import, cancel, undo,
 * reconcile, CSV downloads. State lives in use-ledger-store.ts; this keeps it in step with the backend's
 * `ledger.changed` and `ledger.progress` events.
 */
import { onScopeDispose } from 'vue'
import { call, fulcrumApi } from '@/api'
import type { MethodInput } from '@shared/api-contract'
import type { LedgerImportResult, LedgerPreview } from '@shared/ledger-contract'
import { useLedgerStore } from './use-ledger-store'
import { downloadText } from '@/lib/download'

export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** base64 of a slice of a file, without holding the whole file in memory. */
function sliceBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'))
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.readAsDataURL(blob)
  })
}

export function useLedger(): {
  refresh: () => Promise<void>
  upload: (file: File, signal?: AbortSignal) => Promise<string>
  preview: (input: MethodInput<'ledgerPreview'>) => Promise<LedgerPreview>
  importFile: (input: MethodInput<'ledgerImport'>) => Promise<LedgerImportResult>
  cancel: (jobId: string) => Promise<void>
  discard: (uploadId: string) => Promise<void>
  undo: (batchId: number) => Promise<void>
  reconcile: (input: MethodInput<'ledgerReconcile'>) => Promise<string[]>
  download: (what: 'ledger' | 'report', accountId?: string) => Promise<void>
} {
  const store = useLedgerStore()

  const refresh = async (): Promise<void> => {
    try {
      const [batches, positions] = await Promise.all([call('ledgerBatches', {}), call('ledgerPositions', {})])
      store.setLedger(batches, positions)
    } catch (e) {
      store.setError((e as Error).message)
    }
  }

  const stop = fulcrumApi().onEvent((event) => {
    if (event.type === 'ledger.changed') void refresh()
    else if (event.type === 'ledger.progress' && store.progress?.jobId === event.jobId) {
      store.setProgress({ ...store.progress, phase: event.phase, fraction: event.fraction, rows: event.rows || store.progress.rows })
    } else if (event.type === 'book.changed' && store.loaded) void refresh()
  })
  onScopeDispose(stop)

  const upload = async (file: File, signal?: AbortSignal): Promise<string> => {
    const ticket = await call('ledgerUploadBegin', { fileName: file.name, size: file.size })
    const jobId = `upload-${ticket.uploadId}`
    store.setProgress({ jobId, phase: 'upload', fraction: 0, rows: 0 })
    try {
      for (let at = 0; at < file.size; at += ticket.chunkBytes) {
        if (signal?.aborted) throw new Error('Upload cancelled')
        const data = await sliceBase64(file.slice(at, Math.min(file.size, at + ticket.chunkBytes)))
        await call('ledgerUploadChunk', { uploadId: ticket.uploadId, offset: at, data })
        store.setProgress({ jobId, phase: 'upload', fraction: Math.min(1, (at + ticket.chunkBytes) / Math.max(1, file.size)), rows: 0 })
      }
    } catch (e) {
      await call('ledgerUploadDiscard', { uploadId: ticket.uploadId }).catch(() => undefined)
      throw e
    } finally {
      store.setProgress(null)
    }
    return ticket.uploadId
  }

  const withJob = async <T>(phase: 'preview' | 'import', jobId: string, fn: () => Promise<T>): Promise<T> => {
    store.setProgress({ jobId, phase, fraction: 0, rows: 0 })
    try {
      return await fn()
    } finally {
      if (store.progress?.jobId === jobId) store.setProgress(null)
    }
  }

  const preview = (input: MethodInput<'ledgerPreview'>): Promise<LedgerPreview> => {
    const jobId = input.jobId ?? newJobId()
    return withJob('preview', jobId, () => call('ledgerPreview', { ...input, jobId }))
  }

  const importFile = async (input: MethodInput<'ledgerImport'>): Promise<LedgerImportResult> => {
    const jobId = input.jobId ?? newJobId()
    const result = await withJob('import', jobId, () => call('ledgerImport', { ...input, jobId }))
    await refresh()
    return result
  }

  return {
    refresh,
    upload,
    preview,
    importFile,
    cancel: async (jobId) => {
      await call('ledgerCancel', { jobId })
    },
    discard: async (uploadId) => {
      await call('ledgerUploadDiscard', { uploadId })
    },
    undo: async (batchId) => {
      await call('ledgerUndo', { batchId })
      await refresh()
    },
    reconcile: async (input) => {
      const r = await call('ledgerReconcile', input)
      store.setLedger(store.batches, r.positions)
      return r.warnings
    },
    download: async (what, accountId) => {
      const out = await call('ledgerExport', accountId ? { what, accountId } : { what })
      downloadText(out.fileName, out.csv)
    },
  }
}
