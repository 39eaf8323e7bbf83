import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { FeedStatus, MarketView } from '@shared/market-contract'

/**
 * Marks, their age and the live feed's status as the backend last sent them. Synchronous state only;
 * use-market.ts does the calls and keeps it in step with `book.changed` and `market.feed` events.
 */
export const useMarketStore = defineStore('fulcrum/market', () => {
  const view = shallowRef<MarketView | null>(null)
  /** Pushed by the backend between loads, so the status chip moves the moment a venue does. */
  const feed = shallowRef<FeedStatus | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(true)

  const staleUnderlyings = computed(() => view.value?.underlyings.filter((u) => u.stale && u.openPositions > 0) ?? [])
  const staleInstruments = computed(() => view.value?.instruments.filter((i) => i.stale) ?? [])

  const setView = (value: MarketView): void => {
    view.value = value
    feed.value = value.feed
    error.value = null
    loading.value = false
  }
  const setFeed = (value: FeedStatus): void => {
    feed.value = value
  }
  const setError = (message: string | null): void => {
    error.value = message
    loading.value = false
  }
  return { view, feed, error, loading, staleUnderlyings, staleInstruments, setView, setFeed, setError }
})
