/**
 * Risk analytics work for worker threads (issue 4): each task is a pure function of a structured-
 * clonable payload, run by electron/workers/pool.ts so the main process never revalues a book
 * thousands of times on its event loop.
 *
 * A VaR refresh sends one task per worker with its share of the scenarios of both methods; the
 * worker keeps the prepared book of the last document it saw (keyed by the caller).
 */
import type { PortfolioDocument, Venue } from '../shared/portfolio-document'
import type { StressScenarioDef } from '../shared/analytics-settings'
import type { PayoffView, ScenarioRun } from '../shared/analytics-contract'
import { computeRiskReport, crossLiquidation, prepareBook, RiskInputError } from '../engine'
import {
  analyticsSettingsOf,
  cascadesAndOutages,
  createVarContext,
  marginCallPlans,
  type MarginCallPlan,
  hedgeWhatIf,
  payoffCurve,
  payoffHeatmap,
  runCascade,
  runStress,
  runVarPart,
  scenariosOf,
  venueOutage,
  type HedgeWhatIf,
  type HeavyAnalytics,
  type StressScenario,
  type VarContext,
  type VarKernel,
  type VarMethod,
  type VarPart,
} from '../engine/analytics'

/** A domain failure a worker reports as a value (a thrown error would lose its kind crossing the thread). */
export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; code: 'not_found' | 'invalid_input'; message: string; issues?: Array<{ path: string; message: string }> }

export class AnalyticsNotFound extends Error {
  override name = 'AnalyticsNotFound'
}

function outcome<T>(fn: () => T): TaskOutcome<T> {
  try {
    return { ok: true, value: fn() }
  } catch (e) {
    if (e instanceof AnalyticsNotFound) return { ok: false, code: 'not_found', message: e.message }
    if (e instanceof RiskInputError) return { ok: false, code: 'invalid_input', message: 'The book cannot be valued', issues: e.issues }
    throw e
  }
}

let cached: { key: string; ctx: VarContext } | null = null

function contextFor(key: string, document: PortfolioDocument): VarContext {
  if (cached?.key !== key) cached = { key, ctx: createVarContext(document) }
  return cached.ctx
}

/** One thread's share of a refresh: its ranges of both methods (part 0 with the metadata to merge). */
const analyticsVarPart = (p: { key: string; document: PortfolioDocument; part: number; parts: number; kernel?: VarKernel; methods?: VarMethod[] }): TaskOutcome<VarPart> =>
  outcome(() => runVarPart(contextFor(p.key, p.document), p.part, p.parts, p.kernel, p.methods))

const analyticsCascades = (p: { document: PortfolioDocument }): TaskOutcome<Pick<HeavyAnalytics, 'cascades' | 'venueOutages'>> => outcome(() => cascadesAndOutages(p.document))

/** One scenario (a stored one by id, or a draft) with its cascade, and the outage of a venue if asked. */
const analyticsScenario = (p: { document: PortfolioDocument; scenarioId?: string; scenario?: StressScenarioDef; failedVenue?: Venue }): TaskOutcome<ScenarioRun> =>
  outcome(() => {
    const book = prepareBook(p.document)
    let s: StressScenario | undefined
    if (p.scenario) s = { ...p.scenario, source: 'user' }
    else s = scenariosOf(p.document, book).find((x) => x.id === p.scenarioId)
    if (!s) throw new AnalyticsNotFound(`no scenario "${p.scenarioId}"`)
    return {
      stress: runStress(p.document, book, s),
      cascade: runCascade(p.document, book, s),
      outage: p.failedVenue ? venueOutage(p.document, book, s, p.failedVenue) : null,
    }
  })

const analyticsPayoff = (p: { document: PortfolioDocument; underlying: string; rangePct: number }): TaskOutcome<PayoffView> =>
  outcome(() => {
    const book = prepareBook(p.document)
    const f = book.factorIndex.get(p.underlying)
    if (f === undefined) throw new AnalyticsNotFound(`the book has no price for ${p.underlying}`)
    const liquidations = book.accounts.map((acc, a) => ({ account: acc.id, price: hasFactor(book, a, f) ? crossLiquidation(book, a, f).price : null }))
    return { curve: payoffCurve(book, p.underlying, { rangePct: p.rangePct, liquidations }), heatmap: payoffHeatmap(book, p.underlying) }
  })

function hasFactor(book: ReturnType<typeof prepareBook>, a: number, f: number): boolean {
  for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) if (book.posFactor[book.posOfAccount[k]!] === f) return true
  return false
}

const analyticsHedgeWhatIf = (p: { document: PortfolioDocument; candidateIds: string[]; now: string; staleAfterSeconds: number }): TaskOutcome<HedgeWhatIf> =>
  outcome(() => {
    try {
      return hedgeWhatIf(p.document, p.candidateIds, { now: new Date(p.now), staleAfterSeconds: p.staleAfterSeconds })
    } catch (e) {
      if (e instanceof RangeError) throw new AnalyticsNotFound(e.message)
      throw e
    }
  })

const analyticsMarginCalls = (p: { document: PortfolioDocument; target?: number; now: string; staleAfterSeconds: number }): TaskOutcome<MarginCallPlan[]> =>
  outcome(() => {
    const report = computeRiskReport(p.document, { now: new Date(p.now), staleAfterSeconds: p.staleAfterSeconds })
    if (p.target === undefined) return report.marginCalls
    return marginCallPlans(p.document, prepareBook(p.document), analyticsSettingsOf(p.document), report.accounts, p.target)
  })

export const analyticsTasks = {
  analyticsVarPart,
  analyticsMarginCalls,
  analyticsCascades,
  analyticsScenario,
  analyticsPayoff,
  analyticsHedgeWhatIf,
}
