/**
 * One GET of a public market-data endpoint, with every way it can go wrong turned into a FeedError
 * the scheduler can act on: wait as told (rate limits), back off (network, server errors, malformed
 * answers), or give up on one instrument (the venue does not know the symbol).
 *
 * Node 20's global fetch is the client: no dependency, and a test points it at a local server.
 */
export type FeedErrorKind =
  | 'network' // refused, reset, dropped mid-answer
  | 'timeout'
  | 'http' // an unexpected status
  | 'rate-limit' // 429/418, Bybit's 403 "access too frequent", a venue's too-many-requests code
  | 'malformed' // not JSON, or JSON of another shape than documented
  | 'venue' // the venue answered with an error code
  | 'unknown-symbol' // the venue answered that the instrument does not exist

export class FeedError extends Error {
  override name = 'FeedError'
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
    /** How long the venue asked us to wait, when it said so. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}

export interface JsonAnswer {
  status: number
  headers: Headers
  body: unknown
}

export type FetchLike = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined
  const t = value.trim()
  if (/^\d+$/.test(t)) return Number(t) * 1000
  const at = Date.parse(t)
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined
}

export async function getJson(
  url: string,
  opts: { fetch: FetchLike; timeoutMs: number; nowMs: () => number; signal?: AbortSignal },
): Promise<JsonAnswer> {
  let res: Response
  const timeout = AbortSignal.timeout(opts.timeoutMs)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  try {
    res = await opts.fetch(url, { signal, headers: { accept: 'application/json' } })
  } catch (error) {
    throw asNetworkError(error, url)
  }
  let text: string
  try {
    text = await res.text()
  } catch (error) {
    // The connection dropped while the answer was arriving.
    throw asNetworkError(error, url)
  }
  const wait = retryAfterMs(res.headers.get('retry-after'), opts.nowMs())
  if (res.status === 429 || res.status === 418) {
    throw new FeedError('rate-limit', `HTTP ${res.status} (rate limit) from ${hostOf(url)}`, wait)
  }
  if (res.status === 403 && /too frequent|rate limit/i.test(text)) {
    // Bybit: "403, access too frequent" is an IP ban of about 10 minutes (v5 rate-limit rules).
    throw new FeedError('rate-limit', `HTTP 403 (access too frequent) from ${hostOf(url)}`, wait ?? 10 * 60_000)
  }
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    if (res.status >= 500) throw new FeedError('http', `HTTP ${res.status} from ${hostOf(url)}`)
    throw new FeedError('malformed', `${hostOf(url)} answered with something that is not JSON (HTTP ${res.status}, ${text.length} bytes)`)
  }
  if (res.status >= 500) throw new FeedError('http', `HTTP ${res.status} from ${hostOf(url)}`)
  return { status: res.status, headers: res.headers, body }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function asNetworkError(error: unknown, url: string): FeedError {
  const e = error as Error & { cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new FeedError('timeout', `${hostOf(url)} did not answer in time`)
  const why = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error)
  return new FeedError('network', `cannot reach ${hostOf(url)} (${why})`)
}
