/**
 * Risk analytics (issue 4) as a feature module: the heavy VaR of the current book computed in
 * worker threads (coalesced: one refresh at a time, the latest book wins) and pushed with an event
 * when ready; stress scenarios and cascades, payoff curves, hedge what-ifs, planned hedges and
 * margin-call suggestions. Everything that revalues the book runs in the worker pool, so the main
 * process (Electron's, or `fulcrum serve`'s) stays free while a 10,000-path Monte Carlo runs.
 *
 * The riskReport call shows the fast analytics inline and, through `withHeavy`, the heavy figures
 * once they are ready for that very book, so the report, the snapshots and the views agree.
 */
import { createHash } from 'node:crypto'
import os from 'node:os'
import type { RiskReport } from '../engine/report-types'
import { assembleParts, mergeHeavyAnalytics, STRESS_LIBRARY, scenariosOf, type HeavyAnalytics, type VarResult } from '../engine/analytics'
import { prepareBook } from '../engine'
import type { AnalyticsOutputs, AnalyticsVarView, PlannedHedge } from '../shared/analytics-contract'
import type { StressScenarioDef } from '../shared/analytics-settings'
import type { PortfolioDocument } from '../shared/portfolio-document'
import { appSettingsSchema } from '../shared/api-contract'
import { AnalyticsRepository } from '../store/analytics-repository'
import { workerPool, type WorkerPool } from '../workers/pool'
import type { TaskName, TaskPayload, TaskResult } from '../workers/tasks'
import type { TaskOutcome } from './analytics-tasks'
import { ServiceError, invalid, type FeatureModule, type ServiceDeps } from './service-kit'

type AnalyticsMethod = keyof AnalyticsOutputs

export interface AnalyticsFeature extends FeatureModule<AnalyticsMethod> {
  /** The report with the heavy analytics merged in when they are ready for exactly this book and settings. */
  withHeavy: (report: RiskReport, doc: PortfolioDocument) => RiskReport
  /** Resolves when no refresh is running (tests, shutdown). */
  idle: () => Promise<void>
}

export interface AnalyticsFeatureOptions {
  pool?: () => WorkerPool
  /** Wait this long after a change before refreshing, so a burst of edits costs one run (default 150 ms). */
  debounceMs?: number
  /** Chunks per method (default: one per worker of the pool). */
  chunks?: number
  /** Refresh on every book change once started (default true); tests may leave it to explicit calls. */
  autoRefresh?: boolean
}

interface Heavy extends Partial<HeavyAnalytics> {
  var: VarResult
  key: string
  revision: number
  computedAt: string
  durationMs: number
}

export function createAnalyticsFeature(deps: ServiceDeps, options: AnalyticsFeatureOptions = {}): AnalyticsFeature {
  const repo = new AnalyticsRepository(deps.db, deps.clock)
  const pool = options.pool ?? workerPool
  // One chunk per worker the pool will run at once (pool.ts: up to four, one per core).
  const chunks = options.chunks ?? Math.max(1, Math.min(4, os.availableParallelism()))
  const staleAfterSeconds = (): number => deps.settings().staleMarkMinutes * 60

  /** A book and its settings: the revision changes with every write, the settings hash with every setting. */
  const keyOf = (doc: PortfolioDocument): string =>
    `${deps.book.revision()}:${createHash('sha1').update(JSON.stringify(doc.settings)).digest('hex').slice(0, 16)}`

  let heavy: Heavy | null = null
  let failure: { key: string; message: string } | null = null
  let running: { key: string; promise: Promise<void> } | null = null
  let again = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false
  let unsubscribe: (() => void) | null = null

  async function task<N extends TaskName>(name: N, payload: TaskPayload<N>): Promise<TaskResult<N>> {
    return pool().run(name, payload)
  }
  /** Unwraps a worker's domain outcome into the service's errors. */
  function unwrap<T>(o: TaskOutcome<T>): T {
    if (o.ok) return o.value
    if (o.code === 'not_found') throw new ServiceError('not_found', o.message)
    throw invalid(o.message, o.issues ?? [])
  }

  async function compute(doc: PortfolioDocument, key: string): Promise<void> {
    const started = performance.now()
    const revision = deps.book.revision()
    try {
      // One task per thread, each with its share of both methods; the merge is cheap and done here.
      const parts = await Promise.all(Array.from({ length: chunks }, (_, part) => task('analyticsVarPart', { key, document: doc, part, parts: chunks })))
      const result: VarResult = assembleParts(parts.map(unwrap))
      heavy = { key, revision, var: result, computedAt: deps.clock.now().toISOString(), durationMs: Math.round(performance.now() - started) }
      failure = null
      if (!stopped) deps.events.emit({ type: 'analytics.var.ready', revision, status: 'ready' })
      // Cascades and venue outages for the report come after: the VaR card should not wait for them.
      const rest = unwrap(await task('analyticsCascades', { document: doc }))
      if (heavy?.key === key) heavy = { ...heavy, ...rest }
    } catch (error) {
      failure = { key, message: (error as Error).message }
      if (!stopped) deps.events.emit({ type: 'analytics.var.ready', revision, status: 'error' })
    }
  }

  /** Starts a refresh for the current book unless one is done or running for it; coalesces bursts. */
  function refresh(): void {
    if (stopped) return
    const doc = deps.document()
    const key = keyOf(doc)
    if (heavy?.key === key || failure?.key === key || running?.key === key) return
    if (running) {
      again = true
      return
    }
    const promise = compute(doc, key).finally(() => {
      running = null
      if (again && !stopped) {
        again = false
        refresh()
      }
    })
    running = { key, promise }
  }

  function scheduleRefresh(): void {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      refresh()
    }, options.debounceMs ?? 150)
    timer.unref?.()
  }

  function varView(): AnalyticsVarView {
    const doc = deps.document()
    const key = keyOf(doc)
    const revision = deps.book.revision()
    if (heavy?.key === key) return { status: 'ready', revision, stale: false, result: heavy.var, computedAt: heavy.computedAt, durationMs: heavy.durationMs, error: null }
    if (failure?.key === key) return { status: 'error', revision, stale: heavy !== null, result: heavy?.var ?? null, computedAt: heavy?.computedAt ?? null, durationMs: null, error: failure.message }
    refresh()
    return { status: 'pending', revision, stale: heavy !== null, result: heavy?.var ?? null, computedAt: heavy?.computedAt ?? null, durationMs: heavy?.durationMs ?? null, error: null }
  }

  const common = (): { now: string; staleAfterSeconds: number } => ({ now: deps.clock.now().toISOString(), staleAfterSeconds: staleAfterSeconds() })

  function saveScenarios(next: StressScenarioDef[]): void {
    const settings = appSettingsSchema.parse({ ...deps.settings(), stressScenarios: next })
    deps.book.saveSettings(settings)
    deps.events.emit({ type: 'settings.changed', settings })
    deps.changed()
  }

  const handlers: FeatureModule<AnalyticsMethod>['handlers'] = {
    analyticsVar: () => varView(),

    analyticsScenarios: () => {
      const doc = deps.document()
      const all = scenariosOf(doc, prepareBook(doc))
      return {
        library: [...STRESS_LIBRARY],
        user: deps.settings().stressScenarios,
        history: all.find((s) => s.source === 'history') ?? null,
      }
    },

    analyticsScenarioSave: ({ scenario }) => {
      if (STRESS_LIBRARY.some((s) => s.id === scenario.id) || scenario.id.startsWith('history-')) {
        throw invalid('That id belongs to a built-in scenario', [{ path: 'scenario.id', message: `"${scenario.id}" is a built-in scenario's id; choose another` }])
      }
      const list = deps.settings().stressScenarios.filter((s) => s.id !== scenario.id)
      saveScenarios([...list, scenario])
      return scenario
    },

    analyticsScenarioDelete: ({ id }) => {
      const list = deps.settings().stressScenarios
      if (!list.some((s) => s.id === id)) throw new ServiceError('not_found', `no scenario "${id}" of yours`)
      saveScenarios(list.filter((s) => s.id !== id))
      return { id }
    },

    analyticsStress: async ({ scenarioId, scenario, failedVenue }) =>
      unwrap(await task('analyticsScenario', { document: deps.document(), ...(scenarioId ? { scenarioId } : {}), ...(scenario ? { scenario } : {}), ...(failedVenue ? { failedVenue } : {}) })),

    analyticsPayoff: async ({ underlying, rangePct }) => unwrap(await task('analyticsPayoff', { document: deps.document(), underlying, rangePct })),

    analyticsHedgeWhatIf: async ({ candidateIds }) => unwrap(await task('analyticsHedgeWhatIf', { document: deps.document(), candidateIds, ...common() })),

    analyticsHedgeApply: async ({ candidateId, note }) => {
      const revision = deps.book.revision()
      const w = unwrap(await task('analyticsHedgeWhatIf', { document: deps.document(), candidateIds: [candidateId], ...common() }))
      const c = w.hedges[0]!
      const planned: PlannedHedge = repo.plan({
        candidateId: c.id,
        underlying: c.underlying,
        account: c.account,
        venue: c.venue,
        instrument: c.instrument,
        quantity: c.quantity,
        price: c.price,
        dailyCost: c.dailyCost,
        marginUsedUsd: c.marginUsedUsd,
        reason: c.reason,
        note: note ?? null,
        bookRevision: revision,
      })
      deps.events.emit({ type: 'analytics.hedges.changed' })
      return planned
    },

    analyticsPlannedHedges: () => repo.list(),

    analyticsPlannedHedgeUpdate: ({ id, status }) => {
      const h = repo.setStatus(id, status)
      deps.events.emit({ type: 'analytics.hedges.changed' })
      return h
    },

    analyticsMarginCalls: async ({ target }) => unwrap(await task('analyticsMarginCalls', { document: deps.document(), ...(target !== undefined ? { target } : {}), ...common() })),
  }

  return {
    handlers,
    withHeavy: (report, doc) => {
      const key = keyOf(doc)
      if (heavy?.key === key) return mergeHeavyAnalytics(report, heavy)
      if (options.autoRefresh !== false) scheduleRefresh()
      return report
    },
    idle: async () => {
      while (running || timer) {
        if (running) await running.promise
        else await new Promise((r) => setTimeout(r, 10))
      }
    },
    start: () => {
      stopped = false
      if (options.autoRefresh === false) return
      unsubscribe = deps.events.subscribe((e) => {
        if (e.type === 'book.changed' || e.type === 'settings.changed') scheduleRefresh()
      })
      scheduleRefresh()
    },
    stop: async () => {
      stopped = true
      unsubscribe?.()
      if (timer) clearTimeout(timer)
      timer = null
      await running?.promise
    },
  }
}
