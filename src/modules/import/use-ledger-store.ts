import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LedgerBatchView, LedgerPositionView } from '@shared/ledger-contract'

export interface JobProgress {
  jobId: string
  phase: 'upload' | 'preview' | 'import' | 'undo' | 'export'
  fraction: number
  rows: number
}

/**
 * The ledger as the backend last sent it (batches, derived positions) and the progress of the running job.
 * Synchronous state only; use-ledger.ts does the calls and writes through the setters.
 */
export const useLedgerStore = defineStore('fulcrum/ledger', () => {
  const batches = shallowRef<LedgerBatchView[]>([])
  const positions = shallowRef<LedgerPositionView[]>([])
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const progress = ref<JobProgress | null>(null)

  const setLedger = (b: LedgerBatchView[], p: LedgerPositionView[]): void => {
    batches.value = b
    positions.value = p
    loaded.value = true
    error.value = null
  }
  const setError = (message: string | null): void => {
    error.value = message
  }
  const setProgress = (p: JobProgress | null): void => {
    progress.value = p
  }

  return { batches, positions, loaded, error, progress, setLedger, setError, setProgress }
})
