/**
 * The in-process transport: the FulcrumApi over a service table with no IPC or HTTP between.
 * Tests use it to exercise the exact validation path the real transports use. Results are passed
 * through a JSON round trip so nothing that would not survive the wire (a Decimal, a Date, undefined
 * in arrays) can pass here and fail in the app.
 */
import { METHOD_NAMES } from '../shared/channels'
import type { FulcrumApi, FulcrumEvent, Result } from '../shared/api-contract'
import type { EventBus } from '../services/event-bus'
import type { ServiceTable } from '../services/fulcrum-service'
import { dispatch } from './dispatch'

export function createInProcessApi(table: ServiceTable, events: EventBus<FulcrumEvent>): FulcrumApi {
  const api: Record<string, unknown> = {}
  for (const method of METHOD_NAMES) {
    api[method] = async (input: unknown): Promise<Result<unknown>> => {
      const wireInput = input === undefined ? undefined : (JSON.parse(JSON.stringify(input)) as unknown)
      const result = await dispatch(table, method, wireInput)
      return JSON.parse(JSON.stringify(result)) as Result<unknown>
    }
  }
  api.onEvent = (listener: (event: FulcrumEvent) => void) =>
    events.subscribe((event) => listener(JSON.parse(JSON.stringify(event)) as FulcrumEvent))
  return api as FulcrumApi
}
