/**
 * Keeps the stores in step with the backend: loads everything once, then reloads the book and its
 * report whenever the backend says the book changed (from this window, another window, the CLI
 * writing the same file through `serve`, or a later feed). Reloads are coalesced so a burst of
 * changes costs one round trip.
 */
import { onScopeDispose } from 'vue'
import { call, fulcrumApi, onConnectionChange } from '@/api'
import { useAppStore } from '@/stores/use-app-store'
import { useBookStore } from '@/stores/use-book-store'
import { useSettingsStore } from '@/stores/use-settings-store'
import { coalesce } from '@/lib/coalesce'

export function useBackendSync(): { refresh: () => Promise<void> } {
  const app = useAppStore()
  const book = useBookStore()
  const settings = useSettingsStore()

  const loadBookAndReport = async (): Promise<void> => {
    book.setBook(await call('bookGet', {}))
    try {
      book.setReport(await call('riskReport', {}))
    } catch (error) {
      book.setReport(null, (error as Error).message)
    }
  }

  const refresh = coalesce(loadBookAndReport)

  const start = async (): Promise<void> => {
    try {
      app.setInfo(await call('appInfo', {}))
      settings.setSettings(await call('settingsGet', {}))
      await refresh()
      app.setConnection('online')
    } catch (error) {
      app.setFatal((error as Error).message)
    }
  }

  const stopEvents = fulcrumApi().onEvent((event) => {
    if (event.type === 'book.changed') {
      void refresh()
      void call('appInfo', {}).then(app.setInfo, () => undefined)
    } else if (event.type === 'settings.changed') {
      settings.setSettings(event.settings)
    }
  })
  const stopConnection = onConnectionChange((state) => {
    const wasLost = app.connection === 'lost'
    app.setConnection(state === 'open' ? 'online' : 'lost')
    if (state === 'open' && wasLost) void refresh()
  })
  onScopeDispose(() => {
    stopEvents()
    stopConnection()
  })

  void start()
  return { refresh }
}
