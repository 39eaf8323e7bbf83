/**
 * Keeps the analytics store in step with the backend while a view that shows it is mounted: the
 * heavy VaR (refetched when the backend says it is ready, or that the book changed so it is being
 * recomputed) and the planned hedges. Fetches are coalesced like the book's.
 */
import { onScopeDispose } from 'vue'
import { call, fulcrumApi } from '@/api'
import { useAnalyticsStore } from '@/stores/use-analytics-store'
import { coalesce } from '@/lib/coalesce'


export function useAnalytics(opts: { planned?: boolean } = {}): { refreshVar: () => Promise<void>; refreshPlanned: () => Promise<void> } {
  const store = useAnalyticsStore()
  const refreshVar = coalesce(async () => {
    try {
      store.setVar(await call('analyticsVar', {}))
    } catch (error) {
      store.setVar(store.varView, (error as Error).message)
    }
  })
  const refreshPlanned = coalesce(async () => {
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
