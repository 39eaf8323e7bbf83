/**
 * Value at Risk and Expected Shortfall, three ways, as portfolio-format.md defines them:
 *
 * - historical: every (overlapping h-day) return of the common history moves each factor to
 *   P·(1 + r) and the book is fully revalued (vols and time unchanged);
 * - parametric (delta-normal): mean zero, σ² = eᵀΣe·h with e the equity exposures (exposures.ts)
 *   and Σ the sample covariance (n − 1) of the daily returns; VaR = z·σ, ES = σ·φ(z)/(1 − c);
 * - Monte Carlo: correlated normal daily returns with that same covariance scaled by h, fully
 *   revalued; the path count and the seed are reported.
 *
 * Losses are positive USD (equity at asOf − equity under the scenario), per account, per venue
 * (sum of its accounts' losses, scenario by scenario) and in total.
 *
 * The heavy methods run as chunks (a range of scenarios or paths) that return only their top-k
 * losses per series, so the app spreads them over worker threads and merges exactly what one
 * thread would have computed (see tail.ts and rng.ts: the split never changes a figure).
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import { prepareBook, type PreparedBook } from '../book'
import { normInv, normPdf } from '../options/normal'
import { baseScenario, createRevaluation, revalue } from '../revalue'
import { accountExposures } from './exposures'
import { marketHistory, type MarketHistory } from './history'
import { compileEquity, evalEquity, type CompiledEquity } from './kernel'
import { bilinear, choleskyPsd } from './linalg'
import { PathNormals } from './rng'
import { analyticsSettingsOf, type ResolvedAnalyticsSettings } from './settings'
import { tailCount, tailFromLargest, TopK } from './tail'

export type VarMethod = 'historical' | 'monteCarlo'

export interface VarFigures {
  historical: number | null
  parametric: number | null
  monteCarlo: number | null
}

export interface VarBreakdownRow {
  /** Account id, or the venue for venue rows. */
  id: string
  venue: Venue
  var: VarFigures
  expectedShortfall: VarFigures
}

export interface Histogram {
  /** Bin edges in USD of P&L (bins + 1 values, ascending); counts[i] covers [edges[i], edges[i+1]). */
  edgesUsd: number[]
  counts: number[]
}

export interface VarResult {
  confidence: number
  horizonDays: number
  var: VarFigures
  expectedShortfall: VarFigures
  historicalScenarios: number
  historicalFrom: string | null
  historicalTo: string | null
  monteCarloPaths: number | null
  monteCarloSeed: number | null
  /** Factors that move in the scenarios (others are held at their price). */
  factors: string[]
  byAccount: VarBreakdownRow[]
  byVenue: VarBreakdownRow[]
  distribution: {
    /** One P&L per historical scenario (USD, negative = loss), dated by the scenario's last day. */
    historical: { pnlUsd: number[]; dates: string[]; histogram: Histogram } | null
    monteCarlo: { histogram: Histogram } | null
  }
  warnings: string[]
}

/** Everything a chunk needs, rebuilt from the document in each worker (deterministically). */
export interface VarContext {
  doc: PortfolioDocument
  book: PreparedBook
  settings: ResolvedAnalyticsSettings
  history: MarketHistory
  /** Cholesky factor of the daily covariance (moving factors × moving factors). */
  chol: Float64Array
  /** Equity at asOf by revalue(), per account and in total (the report's figures). */
  baseAccountEquity: Float64Array
  baseTotalEquity: number
  compiled: CompiledEquity
  /** The same at asOf by the compiled kernel, so an unchanged scenario loses exactly 0. */
  compiledBaseAccountEquity: Float64Array
  compiledBaseTotalEquity: number
  /** Series 0 is the total, 1..A the accounts, then one per venue (first-seen order). */
  venues: Venue[]
  venueOfAccount: Int32Array
  seriesCount: number
  kHistorical: number
  kMonteCarlo: number
}

export function createVarContext(doc: PortfolioDocument, book: PreparedBook = prepareBook(doc)): VarContext {
  const settings = analyticsSettingsOf(doc)
  const history = marketHistory(doc, book, settings.varHorizonDays)
  const F = history.factors.length
  const chol = history.nDaily >= 2 ? choleskyPsd(history.covDaily, F) : new Float64Array(F * F)
  const out = createRevaluation(book)
  revalue(book, baseScenario(book), out, false)
  const compiled = compileEquity(book)
  const compiledBaseAccountEquity = new Float64Array(book.accounts.length)
  const compiledBaseTotalEquity = evalEquity(compiled, book, book.basePrices, compiledBaseAccountEquity)
  const venues: Venue[] = []
  const venueOfAccount = new Int32Array(book.accounts.length)
  book.accounts.forEach((acc, a) => {
    let v = venues.indexOf(acc.venue)
    if (v < 0) v = venues.push(acc.venue) - 1
    venueOfAccount[a] = v
  })
  return {
    doc,
    book,
    settings,
    history,
    chol,
    baseAccountEquity: out.accountEquityUsd.slice(),
    baseTotalEquity: out.totalEquityUsd,
    compiled,
    compiledBaseAccountEquity,
    compiledBaseTotalEquity,
    venues,
    venueOfAccount,
    seriesCount: 1 + book.accounts.length + venues.length,
    kHistorical: tailCount(history.nHorizon, settings.varConfidence),
    kMonteCarlo: tailCount(settings.monteCarloPaths, settings.varConfidence),
  }
}

export interface VarChunk {
  method: VarMethod
  from: number
  to: number
  /** Total loss (USD) of each scenario in [from, to). */
  losses: Float64Array
  /** Per series, its largest losses in this chunk (at most k), largest first. */
  tails: Float64Array[]
  /** Monte Carlo paths where a price had to be floored (a normal return below −100 %). */
  floored: number
}

/** Scenario count of a method: history rows or Monte Carlo paths (0 when the method cannot run). */
export function scenarioCount(ctx: VarContext, method: VarMethod): number {
  if (!ctx.history.usable) return 0
  if (method === 'historical') return ctx.history.nHorizon
  return ctx.history.nDaily >= 2 ? ctx.settings.monteCarloPaths : 0
}

/** Splits [0, n) into `parts` contiguous ranges. */
export function chunkRanges(n: number, parts: number): Array<[number, number]> {
  const p = Math.max(1, Math.min(parts, n))
  const out: Array<[number, number]> = []
  for (let c = 0; c < p; c++) out.push([Math.floor((n * c) / p), Math.floor((n * (c + 1)) / p)])
  return out.filter(([a, b]) => b > a)
}

const PRICE_FLOOR = 1e-9

/**
 * How a scenario is revalued: `compiled` (kernel.ts: delta-one positions folded into exact affine
 * coefficients, the rest by the model) or `revalue` (the engine's revalue() position by position,
 * the plain baseline the benchmark compares against). Both give the same figures to ~1e-12.
 */
export type VarKernel = 'compiled' | 'revalue'

/** Revalues scenarios [from, to) of a method and keeps each series' tail. */
export function runVarChunk(ctx: VarContext, method: VarMethod, from: number, to: number, kernel: VarKernel = 'compiled'): VarChunk {
  const { book, history } = ctx
  const A = book.accounts.length
  const F = history.factors.length
  const k = method === 'historical' ? ctx.kHistorical : ctx.kMonteCarlo
  const keepers = Array.from({ length: ctx.seriesCount }, () => new TopK(k))
  const scenario = baseScenario(book)
  const out = createRevaluation(book)
  const compiled = kernel === 'compiled'
  const accountEquity = compiled ? new Float64Array(A) : out.accountEquityUsd
  const baseAccount = compiled ? ctx.compiledBaseAccountEquity : ctx.baseAccountEquity
  const losses = new Float64Array(to - from)
  const venueLoss = new Float64Array(ctx.venues.length)
  const base = book.basePrices
  const fIdx = history.factors
  const z = new Float64Array(F)
  const rng = new PathNormals()
  const sqrtH = Math.sqrt(history.horizonDays)
  const L = ctx.chol
  let floored = 0
  for (let s = from; s < to; s++) {
    if (method === 'historical') {
      const row = s * F
      for (let j = 0; j < F; j++) scenario.prices[fIdx[j]!] = base[fIdx[j]!]! * (1 + history.horizon[row + j]!)
    } else {
      rng.reset(ctx.settings.monteCarloSeed, s)
      for (let j = 0; j < F; j++) z[j] = rng.normal()
      let hit = false
      for (let i = 0; i < F; i++) {
        let r = 0
        for (let j = 0; j <= i; j++) r += L[i * F + j]! * z[j]!
        let g = 1 + r * sqrtH
        if (g < PRICE_FLOOR) {
          g = PRICE_FLOOR
          hit = true
        }
        scenario.prices[fIdx[i]!] = base[fIdx[i]!]! * g
      }
      if (hit) floored++
    }
    let total: number
    if (compiled) {
      total = ctx.compiledBaseTotalEquity - evalEquity(ctx.compiled, book, scenario.prices, accountEquity)
    } else {
      revalue(book, scenario, out, false)
      total = ctx.baseTotalEquity - out.totalEquityUsd
    }
    losses[s - from] = total
    keepers[0]!.push(total)
    venueLoss.fill(0)
    for (let a = 0; a < A; a++) {
      const l = baseAccount[a]! - accountEquity[a]!
      keepers[1 + a]!.push(l)
      venueLoss[ctx.venueOfAccount[a]!]! += l
    }
    for (let v = 0; v < ctx.venues.length; v++) keepers[1 + A + v]!.push(venueLoss[v]!)
  }
  return { method, from, to, losses, tails: keepers.map((t) => t.sortedDescending()), floored }
}

export interface ParametricFigures {
  /** Per series (total, accounts, venues): σ of the horizon P&L, USD. */
  sigma: Float64Array
  var: Float64Array
  es: Float64Array
}

/** Delta-normal VaR and ES per series, or null when there is no sample covariance. */
export function parametricFigures(ctx: Pick<VarContext, 'book' | 'history' | 'venues' | 'venueOfAccount' | 'settings'>): ParametricFigures | null {
  const { book, history } = ctx
  if (!history.usable || history.nDaily < 2) return null
  const F = history.factors.length
  const A = book.accounts.length
  const perAccount = accountExposures(book)
  const sub = (e: Float64Array): Float64Array => Float64Array.from(history.factors, (f) => e[f]!)
  const vectors: Float64Array[] = []
  const total = new Float64Array(F)
  const venue = ctx.venues.map(() => new Float64Array(F))
  for (let a = 0; a < A; a++) {
    const e = sub(perAccount[a]!)
    vectors[1 + a] = e
    for (let j = 0; j < F; j++) {
      total[j]! += e[j]!
      venue[ctx.venueOfAccount[a]!]![j]! += e[j]!
    }
  }
  vectors[0] = total
  venue.forEach((e, v) => (vectors[1 + A + v] = e))
  const c = ctx.settings.varConfidence
  const zq = normInv(c)
  const esFactor = normPdf(zq) / (1 - c)
  const n = vectors.length
  const sigma = new Float64Array(n)
  const vr = new Float64Array(n)
  const es = new Float64Array(n)
  for (let s = 0; s < n; s++) {
    const v = Math.max(0, bilinear(vectors[s]!, history.covDaily, vectors[s]!, F)) * history.horizonDays
    sigma[s] = Math.sqrt(v)
    vr[s] = zq * sigma[s]!
    es[s] = esFactor * sigma[s]!
  }
  return { sigma, var: vr, es }
}

function histogram(values: ArrayLike<number>, bins: number): Histogram {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (!(hi > lo)) {
    const c = Number.isFinite(lo) ? lo : 0
    return { edgesUsd: [c - 0.5, c + 0.5], counts: [values.length] }
  }
  const width = (hi - lo) / bins
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((values[i]! - lo) / width))]!++
  return { edgesUsd: Array.from({ length: bins + 1 }, (_, b) => lo + b * width), counts }
}

/**
 * What assembling a result needs besides the chunks: small, structured-clonable, so one worker can
 * send it with its chunks and the caller merges without preparing the book itself.
 */
export interface VarMeta {
  confidence: number
  horizonDays: number
  seed: number
  paths: number
  kHistorical: number
  kMonteCarlo: number
  seriesCount: number
  accounts: Array<{ id: string; venue: Venue }>
  venues: Venue[]
  factors: string[]
  dates: string[]
  historicalScenarios: number
  monteCarloUsable: boolean
  noExposure: boolean
  parametric: { var: Float64Array; es: Float64Array } | null
  warnings: string[]
}

export function varMeta(ctx: VarContext): VarMeta {
  const { book, history, settings } = ctx
  const para = parametricFigures(ctx)
  return {
    confidence: settings.varConfidence,
    horizonDays: settings.varHorizonDays,
    seed: settings.monteCarloSeed,
    paths: settings.monteCarloPaths,
    kHistorical: ctx.kHistorical,
    kMonteCarlo: ctx.kMonteCarlo,
    seriesCount: ctx.seriesCount,
    accounts: book.accounts.map((a) => ({ id: a.id, venue: a.venue })),
    venues: ctx.venues,
    factors: history.names,
    dates: history.dates,
    historicalScenarios: history.nHorizon,
    monteCarloUsable: scenarioCount(ctx, 'monteCarlo') > 0,
    noExposure: history.factors.length === 0 && history.usable,
    parametric: para ? { var: para.var, es: para.es } : null,
    warnings: [...history.warnings],
  }
}

/** Assembles the result from parametric figures and the merged chunks of each heavy method. */
export function assembleVar(ctx: VarContext, chunks: { historical?: VarChunk[]; monteCarlo?: VarChunk[] }): VarResult {
  return assembleFromMeta(varMeta(ctx), chunks)
}

export function assembleFromMeta(meta: VarMeta, chunks: { historical?: VarChunk[]; monteCarlo?: VarChunk[] }): VarResult {
  const A = meta.accounts.length
  const warnings = [...meta.warnings]
  const para = meta.parametric
  const noExposure = meta.noExposure
  type Tail = { var: number; es: number } | null
  const merged = (method: VarMethod): Tail[] | null => {
    const list = chunks[method]
    if (!list || list.length === 0) return null
    const k = method === 'historical' ? meta.kHistorical : meta.kMonteCarlo
    return Array.from({ length: meta.seriesCount }, (_, s) => tailFromLargest(list.map((c) => c.tails[s]!), k))
  }
  const hist = merged('historical')
  const mc = merged('monteCarlo')
  const floored = (chunks.monteCarlo ?? []).reduce((n, c) => n + c.floored, 0)
  if (floored > 0) warnings.push(`VaR: ${floored} Monte Carlo paths drew a return below −100 % (normal returns over ${meta.horizonDays} days); their prices were floored near zero`)

  const figures = (s: number): { var: VarFigures; expectedShortfall: VarFigures } => ({
    var: {
      historical: noExposure ? 0 : (hist?.[s]?.var ?? null),
      parametric: noExposure ? 0 : para ? para.var[s]! : null,
      monteCarlo: noExposure ? 0 : (mc?.[s]?.var ?? null),
    },
    expectedShortfall: {
      historical: noExposure ? 0 : (hist?.[s]?.es ?? null),
      parametric: noExposure ? 0 : para ? para.es[s]! : null,
      monteCarlo: noExposure ? 0 : (mc?.[s]?.es ?? null),
    },
  })
  const byAccount = meta.accounts.map((acc, a) => ({ id: acc.id, venue: acc.venue, ...figures(1 + a) }))
  const byVenue = meta.venues.map((v, i) => ({ id: v, venue: v, ...figures(1 + A + i) }))

  const sortedChunks = (method: VarMethod): VarChunk[] => [...(chunks[method] ?? [])].sort((x, y) => x.from - y.from)
  let histDist: VarResult['distribution']['historical'] = null
  if (chunks.historical?.length) {
    const pnl: number[] = []
    for (const c of sortedChunks('historical')) for (const l of c.losses) pnl.push(-l)
    const h = meta.horizonDays
    histDist = { pnlUsd: pnl, dates: pnl.map((_, t) => meta.dates[t + h]!), histogram: histogram(pnl, 40) }
  }
  let mcDist: VarResult['distribution']['monteCarlo'] = null
  if (chunks.monteCarlo?.length) {
    const all = sortedChunks('monteCarlo')
    const pnl = new Float64Array(all.reduce((n, c) => n + c.losses.length, 0))
    let o = 0
    for (const c of all) for (const l of c.losses) pnl[o++] = -l
    mcDist = { histogram: histogram(pnl, 60) }
  }
  const n = meta.historicalScenarios
  return {
    confidence: meta.confidence,
    horizonDays: meta.horizonDays,
    ...figures(0),
    historicalScenarios: n,
    historicalFrom: n > 0 ? meta.dates[0]! : null,
    historicalTo: n > 0 ? meta.dates[meta.dates.length - 1]! : null,
    monteCarloPaths: meta.monteCarloUsable ? meta.paths : null,
    monteCarloSeed: meta.monteCarloUsable ? meta.seed : null,
    factors: meta.factors,
    byAccount,
    byVenue,
    distribution: { historical: histDist, monteCarlo: mcDist },
    warnings,
  }
}

export interface VarPart {
  historical: VarChunk | null
  monteCarlo: VarChunk | null
  /** Part 0 also carries what assembling needs. */
  meta: VarMeta | null
}

/**
 * Part `part` of `parts` of a whole refresh (both methods), for one worker thread: it finds its own
 * ranges from the prepared book, so a refresh is one task per thread and nothing else.
 */
export function runVarPart(ctx: VarContext, part: number, parts: number, kernel: VarKernel = 'compiled', methods: readonly VarMethod[] = ['historical', 'monteCarlo']): VarPart {
  const range = (m: VarMethod): VarChunk | null => {
    if (!methods.includes(m)) return null
    const r = chunkRanges(scenarioCount(ctx, m), parts)[part]
    return r ? runVarChunk(ctx, m, r[0], r[1], kernel) : null
  }
  return { historical: range('historical'), monteCarlo: range('monteCarlo'), meta: part === 0 ? varMeta(ctx) : null }
}

/** Merges the parts of a refresh into the result. */
export function assembleParts(parts: readonly VarPart[]): VarResult {
  const meta = parts.find((p) => p.meta)?.meta
  if (!meta) throw new Error('the first part of a VaR refresh is missing')
  const pick = (m: VarMethod): VarChunk[] => parts.map((p) => p[m]).filter((c): c is VarChunk => c !== null)
  return assembleFromMeta(meta, { historical: pick('historical'), monteCarlo: pick('monteCarlo') })
}

/** Single-threaded: every method in this thread (the CLI, tests and the bench's baseline). */
export function computeVar(
  doc: PortfolioDocument,
  book?: PreparedBook,
  methods: readonly VarMethod[] = ['historical', 'monteCarlo'],
  kernel: VarKernel = 'compiled',
): VarResult {
  const ctx = createVarContext(doc, book)
  const chunks: { historical?: VarChunk[]; monteCarlo?: VarChunk[] } = {}
  for (const m of methods) {
    const n = scenarioCount(ctx, m)
    if (n > 0) chunks[m] = [runVarChunk(ctx, m, 0, n, kernel)]
  }
  return assembleVar(ctx, chunks)
}
