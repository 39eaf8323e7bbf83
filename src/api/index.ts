/**
 * The renderer's one way to the backend. It never knows which transport it runs on: the desktop
 * preload's `window.fulcrum` or browser mode's HTTP; both implement the same FulcrumApi.
 */
import type { ApiError, FulcrumApi, MethodInput, Outputs, Result } from '@shared/api-contract'
import type { MethodName } from '@shared/channels'
import { createHttpApi, type ConnectionListener } from './http-api'

export class ApiCallError extends Error {
  override name = 'ApiCallError'
  constructor(
    readonly method: MethodName,
    readonly error: ApiError,
  ) {
    super(error.message)
  }
  /** Issues keyed by field path, prefix removed: `issuesFor('position')` maps `position.entryPrice` to `entryPrice`. */
  issuesFor(prefix = ''): Record<string, string> {
    const out: Record<string, string> = {}
    for (const issue of this.error.issues ?? []) {
      let p = issue.path
      if (prefix && p.startsWith(`${prefix}.`)) p = p.slice(prefix.length + 1)
      if (!(p in out)) out[p] = issue.message
    }
    return out
  }
}

let api: FulcrumApi | undefined
const connectionListeners = new Set<ConnectionListener>()

export function fulcrumApi(): FulcrumApi {
  api ??= window.fulcrum ?? createHttpApi('./api', (s) => connectionListeners.forEach((l) => l(s)))
  return api
}

export function setApiForTests(replacement: FulcrumApi): void {
  api = replacement
}

export function onConnectionChange(listener: ConnectionListener): () => void {
  connectionListeners.add(listener)
  return () => void connectionListeners.delete(listener)
}

export function isDesktop(): boolean {
  return window.fulcrum !== undefined
}

/** Calls a method and unwraps its result; a domain error becomes an ApiCallError carrying its issues. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Outputs[M]> {
  const fn = fulcrumApi()[method] as unknown as (input: MethodInput<M>) => Promise<Result<Outputs[M]>>
  const result = await fn(input)
  if (!result.ok) throw new ApiCallError(method, result.error)
  return result.value as Outputs[M]
}
