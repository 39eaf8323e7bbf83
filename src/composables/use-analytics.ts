/**
 * Keeps the analytics store in step with the backend while a view that shows it is mounted: the
 * heavy VaR (refetched when the backend says it is ready, or that the book changed so it is being
 * recomputed) and the planned hedges. Fetches are coalesced like the book's.
 */
import { onScopeDispose } from 'vue'
import { call, fulcrumApi } from '@/api'
import { useAnalyticsStore } from '@/stores/use-analytics-store'

function coalesced(fn: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | null = null
  let again = false
  return () => {
    if (pending) {
      again = true
      return pending
    }
    pending = (async () => {
      do {
        again = false
        await fn()
      } while (again)
    })().finally(() => (pending = null))
    return pending
  }
}

export function useAnalytics(opts: { planned?: boolean } = {}): { refreshVar: () => Promise<void>; refreshPlanned: () => Promise<void> } {
  const store = useAnalyticsStore()
  const refreshVar = coalesced(async () => {
    try {
      store.setVar(await call('analyticsVar', {}))
    } catch (error) {
      store.setVar(store.varView, (error as Error).message)
    }
  })
  const refreshPlanned = coalesced(async () => {
    try {
      store.setPlanned(await call('analyticsPlannedHedges', {}))
    } catch {
      /* the list keeps what it had; the view shows the action's own error */
    }
  })
  const stop = fulcrumApi().onEvent((e) => {
    if (e.type === 'analytics.var.ready' || e.type === 'book.changed' || e.type === 'settings.changed') void refreshVar()
    if (opts.planned && e.type === 'analytics.hedges.changed') void refreshPlanned()
  })
  onScopeDispose(stop)
  void refreshVar()
  if (opts.planned) void refreshPlanned()
  return { refreshVar, refreshPlanned }
}
