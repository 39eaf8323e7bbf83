import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { SnapshotsView } from '@shared/market-contract'

export type HistoryRange = '1w' | '1m' | '3m' | '1y' | 'all'

/** The risk snapshots the History view charts, as last loaded. Synchronous; use-history.ts loads. */
export const useHistoryStore = defineStore('fulcrum/history', () => {
  const view = shallowRef<SnapshotsView | null>(null)
  const range = ref<HistoryRange>('all')
  const error = ref<string | null>(null)
  const loading = ref(true)
  const setView = (value: SnapshotsView): void => {
    view.value = value
    error.value = null
    loading.value = false
  }
  const setRange = (value: HistoryRange): void => {
    range.value = value
  }
  const setError = (message: string | null): void => {
    error.value = message
    loading.value = false
  }
  return { view, range, error, loading, setView, setRange, setError }
})
