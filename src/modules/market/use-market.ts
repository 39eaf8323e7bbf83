/**
 * The market view's async work: loading marks, saving a mark or an index price by hand, the price
 * history import (preview, then confirm) and the feed's settings. Reloads whenever the book changes
 * (an edit here, the feed, another window) and takes the feed's status as the backend pushes it.
 */
import { onScopeDispose } from 'vue'
import { coalesce } from '@/lib/coalesce'
import { call, fulcrumApi } from '@/api'
import type { MethodInput } from '@shared/api-contract'
import type { MarketFeedSettings, PriceHistoryImportResult, PriceHistoryPreview, PriceHistoryView } from '@shared/market-contract'
import { useMarketStore } from './use-market-store'

/** base64 of a file's bytes: the backend detects the encoding itself (UTF-16 from Excel, Windows-1252...). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'))
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.readAsDataURL(file)
  })
}

export function useMarket(): {
  refresh: () => Promise<void>
  saveMark: (input: MethodInput<'markSave'>) => Promise<void>
  saveIndex: (symbol: string, price: string, vol?: number) => Promise<void>
  history: (underlying: string) => Promise<PriceHistoryView>
  preview: (input: MethodInput<'priceHistoryPreview'>) => Promise<PriceHistoryPreview>
  importHistory: (input: MethodInput<'priceHistoryImport'>) => Promise<PriceHistoryImportResult>
  setFeed: (patch: Partial<MarketFeedSettings>) => Promise<void>
} {
  const store = useMarketStore()

  const load = async (): Promise<void> => {
    try {
      store.setView(await call('marketGet', {}))
    } catch (e) {
      store.setError((e as Error).message)
    }
  }
  // Coalesced: a feed poll that writes twenty marks costs one reload.
  const refresh = coalesce(load)

  const stop = fulcrumApi().onEvent((event) => {
    if (event.type === 'market.feed') store.setFeed(event.status)
    else if (event.type === 'book.changed' || event.type === 'settings.changed') void refresh()
  })
  onScopeDispose(stop)

  return {
    refresh,
    saveMark: async (input) => {
      await call('markSave', input)
      await refresh()
    },
    saveIndex: async (symbol, price, vol) => {
      await call('underlyingSave', vol === undefined ? { symbol, price } : { symbol, price, vol })
      await refresh()
    },
    history: (underlying) => call('priceHistoryGet', { underlying }),
    preview: (input) => call('priceHistoryPreview', input),
    importHistory: async (input) => {
      const r = await call('priceHistoryImport', input)
      await refresh()
      return r
    },
    setFeed: async (patch) => {
      const settings = await call('settingsGet', {})
      await call('settingsUpdate', { patch: { marketFeed: { ...settings.marketFeed, ...patch } } })
      await refresh()
    },
  }
}
