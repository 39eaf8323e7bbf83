/**
 * Loads the risk snapshots for the chosen range (downsampled by the backend to what a chart can
 * show), reloads when a snapshot is stored, takes one on demand and downloads the CSV.
 */
import { onScopeDispose } from 'vue'
import { call, fulcrumApi } from '@/api'
import { useHistoryStore, type HistoryRange } from './use-history-store'
import { downloadText } from '@/lib/download'
import { coalesce } from '@/lib/coalesce'

const RANGE_DAYS: Record<HistoryRange, number | null> = { '1w': 7, '1m': 30, '3m': 91, '1y': 365, all: null }

export function rangeStart(range: HistoryRange, nowMs: number): string | undefined {
  const days = RANGE_DAYS[range]
  return days === null ? undefined : new Date(nowMs - days * 86_400_000).toISOString()
}

export function useHistory(): { refresh: () => Promise<void>; takeNow: () => Promise<void>; download: () => Promise<void> } {
  const store = useHistoryStore()

  const load = async (): Promise<void> => {
    try {
      const from = rangeStart(store.range, Date.now())
      store.setView(await call('snapshotsGet', from ? { from, maxPoints: 2000 } : { maxPoints: 2000 }))
    } catch (e) {
      store.setError((e as Error).message)
    }
  }
  const refresh = coalesce(load)

  const stop = fulcrumApi().onEvent((event) => {
    if (event.type === 'history.snapshot') void refresh()
  })
  onScopeDispose(stop)

  return {
    refresh,
    takeNow: async () => {
      await call('snapshotTake', {})
      await refresh()
    },
    download: async () => {
      const from = rangeStart(store.range, Date.now())
      const out = await call('snapshotsExport', from ? { from } : {})
      downloadText(out.fileName, out.csv)
    },
  }
}
