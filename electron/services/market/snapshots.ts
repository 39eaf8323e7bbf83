/**
 * Risk snapshots over time: what the book looked like whenever it or its marks changed, and at least
 * once a day. Changes are coalesced: a burst of edits (or a feed poll writing twenty marks) becomes
 * one snapshot `debounceMs` after the last of them, and never more than one per `minIntervalMs`, so a
 * live feed polling every 30 s fills the table with at most one row a minute. A snapshot that would
 * describe the same book revision as the last one is not taken again.
 *
 * The figures come from the same risk report the app shows (VaR/ES when the report has them), so the
 * History view never disagrees with the Dashboard about a moment it showed.
 */
import type { RiskReport } from '../../engine/report-types'
import type { MarketRepository, SnapshotReason, SnapshotRecord } from '../../store/market-repository'
import type { Clock } from '../../store/book-repository'

export interface MarketTimers {
  setTimeout: (fn: () => void, ms: number) => object
  clearTimeout: (handle: object) => void
  setInterval: (fn: () => void, ms: number) => object
  clearInterval: (handle: object) => void
}

export const systemMarketTimers: MarketTimers = {
  // Unref'd: a pending snapshot never keeps a CLI command or a test process alive.
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
}

export interface SnapshotPolicy {
  debounceMs: number
  minIntervalMs: number
  /** A snapshot at least this often even when nothing changes. */
  maxAgeMs: number
  /** How often to check whether the daily one is due. */
  checkEveryMs: number
}

export const DEFAULT_SNAPSHOT_POLICY: SnapshotPolicy = {
  debounceMs: 2_000,
  minIntervalMs: 60_000,
  maxAgeMs: 86_400_000,
  checkEveryMs: 3_600_000,
}

const ISO = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/** The figures of one report that the History view charts. */
export function snapshotFromReport(report: RiskReport, revision: number, reason: SnapshotReason, atMs: number): SnapshotRecord {
  const pf = report.portfolio
  const varPick =
    pf.var.historical !== null
      ? { method: 'historical', var: pf.var.historical, es: pf.expectedShortfall.historical }
      : pf.var.parametric !== null
        ? { method: 'parametric', var: pf.var.parametric, es: pf.expectedShortfall.parametric }
        : pf.var.monteCarlo !== null
          ? { method: 'monteCarlo', var: pf.var.monteCarlo, es: pf.expectedShortfall.monteCarlo }
          : null
  const venues: SnapshotRecord['venues'] = {}
  for (const v of report.venues) venues[v.venue] = { equity: v.equity, marginRatio: v.worstAccountMarginRatio, leverage: v.leverage }
  const underlyings: SnapshotRecord['underlyings'] = {}
  for (const p of report.positions) {
    const u = (underlyings[p.underlying] ??= { delta: 0, deltaUsd: 0, gamma: 0, vega: 0, theta: 0 })
    u.delta += p.delta
    u.deltaUsd += p.deltaUsd
    u.gamma += p.gamma
    u.vega += p.vega
    u.theta += p.theta
  }
  return {
    at: ISO(atMs),
    atMs,
    reason,
    revision,
    equity: pf.equity,
    grossNotional: pf.grossNotional,
    leverage: pf.leverage,
    marginRatio: pf.marginRatio,
    worstVenueMarginRatio: pf.worstVenueMarginRatio,
    netDeltaUsd: pf.netDeltaUsd,
    var: varPick?.var ?? null,
    es: varPick?.es ?? null,
    varMethod: varPick?.method ?? null,
    varConfidence: pf.var.confidence,
    varHorizonDays: pf.var.horizonDays,
    stale: report.marketData?.stale ?? false,
    venues,
    underlyings,
  }
}

export interface RecorderDeps {
  repo: MarketRepository
  clock: Clock
  timers: MarketTimers
  revision: () => number
  /** The report of the book as it is now; throws when the book cannot be priced (no snapshot then). */
  report: () => RiskReport | Promise<RiskReport>
  onSnapshot?: (at: string) => void
  onError?: (error: unknown) => void
  policy?: Partial<SnapshotPolicy>
}

export class SnapshotRecorder {
  private readonly policy: SnapshotPolicy
  private pending: { handle: object; atMs: number } | null = null
  private interval: object | null = null
  private inFlight: Promise<string | null> | null = null
  private stopped = true

  constructor(private readonly deps: RecorderDeps) {
    this.policy = { ...DEFAULT_SNAPSHOT_POLICY, ...deps.policy }
  }

  start(): void {
    this.stopped = false
    this.interval = this.deps.timers.setInterval(() => void this.dailyCheck('daily'), this.policy.checkEveryMs)
    void this.dailyCheck('start')
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.pending) this.deps.timers.clearTimeout(this.pending.handle)
    this.pending = null
    if (this.interval) this.deps.timers.clearInterval(this.interval)
    this.interval = null
    await this.inFlight
  }

  /** The book or its marks changed: snapshot once things settle. */
  notifyChange(): void {
    if (this.stopped) return
    const now = this.deps.clock.now().getTime()
    const last = this.deps.repo.lastSnapshot()
    const earliest = last && last.reason !== 'demo' ? last.atMs + this.policy.minIntervalMs : -Infinity
    const due = Math.max(now + this.policy.debounceMs, earliest)
    // Debounce: every change pushes the snapshot back, but never past the spacing rule's moment.
    if (this.pending) this.deps.timers.clearTimeout(this.pending.handle)
    const handle = this.deps.timers.setTimeout(() => {
      this.pending = null
      void this.take('change')
    }, due - now)
    this.pending = { handle, atMs: due }
  }

  private async dailyCheck(reason: 'daily' | 'start'): Promise<void> {
    const last = this.deps.repo.lastSnapshot()
    const now = this.deps.clock.now().getTime()
    if (!last || last.reason === 'demo' || now - last.atMs >= this.policy.maxAgeMs) await this.take(reason)
  }

  /** Takes a snapshot now unless one of this revision exists (`manual` always takes one). Returns its time. */
  take(reason: SnapshotReason): Promise<string | null> {
    const run = async (): Promise<string | null> => {
      const revision = this.deps.revision()
      const last = this.deps.repo.lastSnapshot()
      if (reason === 'change' && last && last.reason !== 'demo' && last.revision === revision) return null
      let report: RiskReport
      try {
        report = await this.deps.report()
      } catch (error) {
        this.deps.onError?.(error)
        return null
      }
      if (this.stopped && reason !== 'manual') return null
      const atMs = this.deps.clock.now().getTime()
      const record = snapshotFromReport(report, revision, reason, atMs)
      this.deps.repo.insertSnapshot(record)
      this.deps.onSnapshot?.(record.at)
      return record.at
    }
    // One at a time: a change arriving while a snapshot is written waits for it.
    const next = (this.inFlight ?? Promise.resolve(null)).then(run, run)
    this.inFlight = next
    void next.finally(() => {
      if (this.inFlight === next) this.inFlight = null
    })
    return next
  }
}
