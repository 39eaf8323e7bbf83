/**
 * The optional live feed: polls each enabled venue's public REST endpoints for the index prices and
 * the marks, implied vols and funding rates of the positions held there, and writes each poll's
 * results in one transaction. Off by default; nothing leaves the machine until the user turns it on.
 *
 * Each venue runs on its own: its requests go one after another with a gap between them (far below
 * every venue's published limit), a failed poll backs off exponentially (with jitter) up to five
 * minutes, a rate-limit answer waits at least as long as the venue asked, and the next success
 * resets it all. A venue that is down never stops the others, and when every venue is down the book
 * simply keeps its last marks, which then go stale by the user's threshold like any other.
 *
 * Polling REST rather than WebSocket: Node 20 has fetch but no WebSocket client, and a poll every
 * 30 s is all a risk view needs.
 */
import type { Clock } from '../../../store/book-repository'
import type { Position } from '../../../shared/portfolio-document'
import { FEED_VENUES, type FeedState, type FeedStatus, type FeedVenue, type MarketFeedSettings, type VenueFeedStatus } from '../../../shared/market-contract'
import { dayFromNumber, dayNumber, dayOfInstant } from '../../../shared/calendar-days'
import type { MarkPatch } from '../../../store/market-repository'
import type { MarketTimers } from '../snapshots'
import { FeedError, getJson, type FetchLike } from './http'
import { INDEX_VENUE_ORDER, PUBLIC_BASE_URLS, VENUE_ADAPTERS, type BaseUrlKey, type Get, type InstrumentQuote } from './venues'

export interface FeedTargets {
  /** Underlyings whose index the book needs. */
  indices: string[]
  /** Open positions with the venue of their account. */
  instruments: Array<{ position: Position; venue: FeedVenue }>
  /** Underlyings whose history the feed may extend (not generated), with their last stored day. */
  history: Array<{ symbol: string; lastDay: string | null }>
}

export interface FeedQuotes {
  indices: Array<{ symbol: string; price: string; source: string }>
  marks: Array<{ positionId: string; patch: MarkPatch; source: string }>
}

export interface MarketFeedOptions {
  clock: Clock
  timers: MarketTimers
  settings: () => MarketFeedSettings
  staleAfterMs: () => number
  targets: () => FeedTargets
  apply: (quotes: FeedQuotes) => void
  applyHistory: (symbol: string, closes: Array<[string, string]>, source: string) => void
  onStatus: (status: FeedStatus) => void
  baseUrls?: Partial<Record<BaseUrlKey, string>>
  fetch?: FetchLike
  /** Pause between two requests to the same venue. */
  requestGapMs?: number
  timeoutMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** Jitter source in [0, 1); tests pass a constant. */
  random?: () => number
  /** Days of history fetched when an underlying has none stored. */
  historyDays?: number
}

interface VenueRun {
  venue: FeedVenue
  failures: number
  lastSuccessMs: number | null
  lastErrorMs: number | null
  lastError: string | null
  nextAttemptMs: number | null
  rateLimitedUntilMs: number | null
  quotes: number
  active: boolean
  polled: boolean
  timer: object | null
  /** Symbols that answered "unknown instrument", so the derived name is tried next. */
  refused: Set<string>
  /** Underlyings this venue has no index for. */
  noIndex: Set<string>
  historyCheckedDay: string | null
  positionErrors: Map<string, string>
}

const ISO = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z'))
const SEVERITY: Record<FeedState, number> = { off: 0, online: 1, connecting: 2, stale: 3, offline: 4 }

export class MarketFeed {
  private readonly runs = new Map<FeedVenue, VenueRun>()
  private readonly baseUrls: Record<BaseUrlKey, string>
  private readonly fetchImpl: FetchLike
  private abort = new AbortController()
  private running = false
  private lastStatusJson = ''
  private lastUpdateMs: number | null = null
  private readonly inFlight = new Set<Promise<void>>()

  constructor(private readonly o: MarketFeedOptions) {
    this.baseUrls = { ...PUBLIC_BASE_URLS, ...o.baseUrls }
    this.fetchImpl = o.fetch ?? ((url, init) => fetch(url, init))
    for (const venue of FEED_VENUES) this.runs.set(venue, this.freshRun(venue))
  }

  private freshRun(venue: FeedVenue): VenueRun {
    return {
      venue,
      failures: 0,
      lastSuccessMs: null,
      lastErrorMs: null,
      lastError: null,
      nextAttemptMs: null,
      rateLimitedUntilMs: null,
      quotes: 0,
      active: false,
      polled: false,
      timer: null,
      refused: new Set(),
      noIndex: new Set(),
      historyCheckedDay: null,
      positionErrors: new Map(),
    }
  }

  private now(): number {
    return this.o.clock.now().getTime()
  }

  /** Starts or stops polling to match the settings; call again whenever they change. */
  reconfigure(): void {
    const s = this.o.settings()
    if (!s.enabled) {
      if (this.running) this.stopAll()
      this.emitStatus()
      return
    }
    if (!this.running) {
      this.running = true
      this.abort = new AbortController()
    }
    for (const venue of FEED_VENUES) {
      const run = this.runs.get(venue)!
      const wanted = s.venues.includes(venue)
      if (wanted && run.timer === null && !run.active) this.schedule(run, 0)
      if (!wanted && run.timer !== null) {
        this.o.timers.clearTimeout(run.timer)
        this.runs.set(venue, this.freshRun(venue))
      }
    }
    this.emitStatus()
  }

  /** Stops polling; in-flight requests are aborted and their answers ignored. */
  stop(): void {
    if (this.running) this.stopAll()
  }

  private stopAll(): void {
    this.running = false
    this.abort.abort()
    for (const venue of FEED_VENUES) {
      const run = this.runs.get(venue)!
      if (run.timer !== null) this.o.timers.clearTimeout(run.timer)
      this.runs.set(venue, this.freshRun(venue))
    }
  }

  private schedule(run: VenueRun, delayMs: number): void {
    run.nextAttemptMs = this.now() + delayMs
    run.timer = this.o.timers.setTimeout(() => {
      run.timer = null
      const p = this.poll(run).finally(() => this.inFlight.delete(p))
      this.inFlight.add(p)
    }, delayMs)
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => this.o.timers.setTimeout(resolve, ms))
  }

  private getter(): Get {
    const signal = this.abort.signal
    return async (key, path) => {
      const answer = await getJson(this.baseUrls[key] + path, {
        fetch: this.fetchImpl,
        timeoutMs: this.o.timeoutMs ?? 10_000,
        nowMs: () => this.now(),
        signal,
      })
      return answer.body
    }
  }

  /** Resolves when no poll is running (tests and shutdown wait on it). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  /** Which enabled venue prices an underlying's index: the first in order that has one and is not failing. */
  private indexVenue(underlying: string, enabled: readonly FeedVenue[]): FeedVenue | null {
    const candidates = INDEX_VENUE_ORDER.filter((v) => enabled.includes(v) && !this.runs.get(v)!.noIndex.has(underlying))
    return candidates.find((v) => this.runs.get(v)!.failures === 0) ?? candidates[0] ?? null
  }

  private async poll(run: VenueRun): Promise<void> {
    if (!this.running) return
    const settings = this.o.settings()
    const adapter = VENUE_ADAPTERS[run.venue]
    const targets = this.o.targets()
    const indices = targets.indices.filter((u) => this.indexVenue(u, settings.venues) === run.venue)
    const instruments = targets.instruments.filter((t) => t.venue === run.venue)
    run.active = indices.length > 0 || instruments.length > 0
    const quotes: FeedQuotes = { indices: [], marks: [] }
    const source = `feed:${run.venue}`
    const get = this.getter()
    const gap = this.o.requestGapMs ?? 250
    let first = true
    const pace = async (): Promise<void> => {
      if (!first) await this.sleep(gap)
      first = false
      if (!this.running) throw new FeedError('network', 'stopped')
    }
    try {
      for (const u of indices) {
        await pace()
        const price = await adapter.index(u, get)
        if (price === null) run.noIndex.add(u)
        else quotes.indices.push({ symbol: u, price, source })
      }
      for (const { position } of instruments) {
        const own = position.instrument.symbol
        const derived = adapter.symbolFor(position.instrument)
        // A symbol the venue refuses is replaced by the one derived from the instrument (the demo's
        // shifted expiries, a typo); a position neither names is left out, and says why.
        const candidates = [...new Set([own, derived].filter((s): s is string => !!s))].filter((s) => !run.refused.has(s))
        let q: InstrumentQuote | null = null
        for (const symbol of candidates) {
          await pace()
          try {
            q = await adapter.instrument(position, symbol, get)
            break
          } catch (error) {
            if (!(error instanceof FeedError) || (error.kind !== 'unknown-symbol' && error.kind !== 'venue')) throw error
            if (error.kind === 'unknown-symbol') run.refused.add(symbol)
            run.positionErrors.set(position.id, error.message)
          }
        }
        if (q === null) {
          if (candidates.length === 0 && !run.positionErrors.has(position.id)) {
            run.positionErrors.set(position.id, own || derived ? `${run.venue} does not know ${own ?? derived}` : `no ${run.venue} symbol for this instrument`)
          }
          continue
        }
        run.positionErrors.delete(position.id)
        const patch: MarkPatch = {}
        if (q.mark !== undefined) patch.mark = q.mark
        if (q.iv !== undefined) patch.iv = q.iv
        if (q.fundingRate !== undefined) patch.fundingRate = q.fundingRate
        if (q.fundingIntervalHours !== undefined) patch.fundingIntervalHours = q.fundingIntervalHours
        if (Object.keys(patch).length > 0) quotes.marks.push({ positionId: position.id, patch, source })
      }
      this.applyQuotes(quotes)
      await this.extendHistory(run, targets, settings.venues, pace)
      run.failures = 0
      run.lastSuccessMs = this.now()
      run.rateLimitedUntilMs = null
      run.quotes = quotes.indices.length + quotes.marks.length
      run.polled = true
      this.schedule(run, settings.pollSeconds * 1000)
    } catch (error) {
      if (!this.running) return
      // What arrived before the failure is as fresh as any: keep it.
      this.applyQuotes(quotes)
      const e = error instanceof FeedError ? error : new FeedError('malformed', (error as Error).message)
      run.failures++
      run.polled = true
      run.lastErrorMs = this.now()
      run.lastError = e.message
      const base = this.o.backoffBaseMs ?? 2_000
      const max = this.o.backoffMaxMs ?? 300_000
      const jitter = 0.75 + 0.5 * (this.o.random ?? Math.random)()
      let delay = Math.min(max, base * 2 ** (run.failures - 1)) * jitter
      if (e.kind === 'rate-limit') {
        delay = Math.max(delay, e.retryAfterMs ?? 0)
        run.rateLimitedUntilMs = this.now() + delay
      }
      this.schedule(run, Math.round(delay))
    }
    this.emitStatus()
  }

  private applyQuotes(quotes: FeedQuotes): void {
    if (quotes.indices.length === 0 && quotes.marks.length === 0) return
    this.o.apply(quotes)
    this.lastUpdateMs = this.now()
  }

  /** Once a UTC day: the finished days since the last stored close, from the venue that prices the index. */
  private async extendHistory(run: VenueRun, targets: FeedTargets, enabled: readonly FeedVenue[], pace: () => Promise<void>): Promise<void> {
    const adapter = VENUE_ADAPTERS[run.venue]
    const today = dayOfInstant(this.now())
    if (!adapter.dailyCloses || run.historyCheckedDay === today) return
    for (const h of targets.history) {
      if (this.indexVenue(h.symbol, enabled) !== run.venue) continue
      const yesterday = dayFromNumber(dayNumber(today) - 1)
      if (h.lastDay !== null && h.lastDay >= yesterday) continue
      const from = h.lastDay === null ? dayFromNumber(dayNumber(today) - (this.o.historyDays ?? 400)) : dayFromNumber(dayNumber(h.lastDay) + 1)
      await pace()
      try {
        const closes = await adapter.dailyCloses(h.symbol, from, this.now(), this.getter())
        const fresh = closes.filter(([day]) => day >= from && day < today)
        if (fresh.length) this.o.applyHistory(h.symbol, fresh, `feed:${run.venue}`)
      } catch (error) {
        if (error instanceof FeedError && (error.kind === 'unknown-symbol' || error.kind === 'venue')) continue
        throw error
      }
    }
    run.historyCheckedDay = today
  }

  status(): FeedStatus {
    const s = this.o.settings()
    const now = this.now()
    const staleMs = this.o.staleAfterMs()
    const venues: VenueFeedStatus[] = FEED_VENUES.map((venue) => {
      const run = this.runs.get(venue)!
      let state: FeedState
      if (!s.enabled || !s.venues.includes(venue) || (run.polled && !run.active)) state = 'off'
      else if (!run.polled) state = 'connecting'
      else if (run.failures > 0) state = 'offline'
      else if (run.lastSuccessMs !== null && now - run.lastSuccessMs > staleMs) state = 'stale'
      else state = 'online'
      return {
        venue,
        state,
        lastSuccessAt: ISO(run.lastSuccessMs),
        lastErrorAt: ISO(run.lastErrorMs),
        lastError: run.lastError ?? (run.positionErrors.size ? [...run.positionErrors.values()][0]! : null),
        consecutiveFailures: run.failures,
        nextAttemptAt: s.enabled && s.venues.includes(venue) ? ISO(run.nextAttemptMs) : null,
        rateLimitedUntil: ISO(run.rateLimitedUntilMs),
        quotes: run.quotes,
      }
    })
    const active = venues.filter((v) => v.state !== 'off')
    const state: FeedState = !s.enabled ? 'off' : active.length === 0 ? 'online' : active.reduce<FeedState>((w, v) => (SEVERITY[v.state] > SEVERITY[w] ? v.state : w), 'online')
    return { enabled: s.enabled, state, pollSeconds: s.pollSeconds, venues, lastUpdateAt: ISO(this.lastUpdateMs) }
  }

  private emitStatus(): void {
    const status = this.status()
    const json = JSON.stringify(status)
    if (json === this.lastStatusJson) return
    this.lastStatusJson = json
    this.o.onStatus(status)
  }
}
