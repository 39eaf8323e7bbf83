/**
 * The FulcrumApi over browser mode's HTTP transport (electron/transports/http-server.ts).
 * The access token travels as an HttpOnly cookie set when the page was first opened with ?token=,
 * so nothing here handles it.
 */
import { METHOD_NAMES } from '@shared/channels'
import type { FulcrumApi, FulcrumEvent, Result } from '@shared/api-contract'

export type ConnectionListener = (state: 'open' | 'lost') => void

export function createHttpApi(base = './api', onConnection?: ConnectionListener): FulcrumApi {
  const api: Record<string, unknown> = {}
  for (const method of METHOD_NAMES) {
    api[method] = async (input: unknown): Promise<Result<unknown>> => {
      let response: Response
      try {
        response = await fetch(`${base}/call/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        })
      } catch (error) {
        onConnection?.('lost')
        return {
          ok: false,
          error: { code: 'unavailable', message: `The Fulcrum backend is not reachable (${(error as Error).message})` },
        }
      }
      try {
        return (await response.json()) as Result<unknown>
      } catch {
        return { ok: false, error: { code: 'internal', message: `Unexpected answer from the backend (HTTP ${response.status})` } }
      }
    }
  }

  const listeners = new Set<(event: FulcrumEvent) => void>()
  let source: EventSource | undefined
  const connect = (): void => {
    source = new EventSource(`${base}/events`, { withCredentials: true })
    source.onopen = () => onConnection?.('open')
    source.onerror = () => onConnection?.('lost') // EventSource reconnects by itself
    source.onmessage = (message) => {
      let event: FulcrumEvent
      try {
        event = JSON.parse(message.data as string) as FulcrumEvent
      } catch {
        return
      }
      for (const l of [...listeners]) l(event)
    }
  }
  api.onEvent = (listener: (event: FulcrumEvent) => void) => {
    listeners.add(listener)
    if (!source) connect()
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) {
        source?.close()
        source = undefined
      }
    }
  }
  return api as FulcrumApi
}
