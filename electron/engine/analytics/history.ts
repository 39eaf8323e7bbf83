/**
 * Market history as VaR scenarios (portfolio-format.md, "Historical VaR and ES"): daily simple
 * returns r_t = P_t / P_{t−1} − 1 on the dates common to every underlying held, and for a horizon
 * of h > 1 days the overlapping h-day returns P_t / P_{t−h} − 1.
 *
 * Which factors move: every factor the book is exposed to that has a history. The underlyings of
 * open positions MUST have one (else there is no historical or parametric VaR, with a warning);
 * a coin held only as collateral, a debt or an fx quote without history is held at its price,
 * with a warning, rather than blocking the figures.
 */
import type { PortfolioDocument } from '../../shared/portfolio-document'
import type { PreparedBook } from '../book'
import { decimalToFloat } from '../seam'
import { sampleCovariance } from './linalg'

export interface MarketHistory {
  /** Book factor indices that move in scenarios, and their names. */
  factors: number[]
  names: string[]
  /** Dates common to every moving factor, oldest first. */
  dates: string[]
  /** Daily simple returns, row-major (nDaily × factors.length); row t ends on dates[t + 1]. */
  daily: Float64Array
  nDaily: number
  /** Overlapping horizon returns (nHorizon × factors.length); row t ends on dates[t + h]. */
  horizon: Float64Array
  nHorizon: number
  horizonDays: number
  /** Sample covariance (n − 1) of the daily returns, factors × factors. */
  covDaily: Float64Array
  /** False when a position's underlying has no usable history: no historical or parametric VaR. */
  usable: boolean
  warnings: string[]
}

/** Factors the book is exposed to, and which of them are a position's underlying. */
export function exposedFactors(book: PreparedBook): { all: Set<number>; required: Set<number> } {
  const all = new Set<number>()
  const required = new Set<number>()
  for (let i = 0; i < book.n; i++) {
    required.add(book.posFactor[i]!)
    all.add(book.posFactor[i]!)
    const q = book.posQuoteFactor[i]!
    if (q >= 0) all.add(q)
  }
  for (let c = 0; c < book.collFactor.length; c++) if (book.collFactor[c]! >= 0 && book.collAmount[c]! > 0) all.add(book.collFactor[c]!)
  for (let d = 0; d < book.debtFactor.length; d++) if (book.debtFactor[d]! >= 0 && book.debtAmount[d]! > 0) all.add(book.debtFactor[d]!)
  return { all, required }
}

export function marketHistory(doc: PortfolioDocument, book: PreparedBook, horizonDays: number): MarketHistory {
  const warnings: string[] = []
  const { all, required } = exposedFactors(book)
  const series = new Map<number, Map<string, number>>()
  const missingRequired: string[] = []
  for (const f of [...all].sort((x, y) => x - y)) {
    const name = book.factors[f]!
    const h = doc.market.underlyings[name]?.history
    if (!h || h.length < 2) {
      if (required.has(f)) missingRequired.push(name)
      else warnings.push(`VaR: no price history for ${name} (market.underlyings.${name}.history); it is held at its price in every scenario`)
      continue
    }
    const byDate = new Map<string, number>()
    for (const [day, close] of h) byDate.set(day, decimalToFloat(close))
    series.set(f, byDate)
  }
  const factors = [...series.keys()]
  const names = factors.map((f) => book.factors[f]!)
  const empty = (usable: boolean): MarketHistory => ({
    factors,
    names,
    dates: [],
    daily: new Float64Array(0),
    nDaily: 0,
    horizon: new Float64Array(0),
    nHorizon: 0,
    horizonDays,
    covDaily: new Float64Array(factors.length * factors.length).fill(NaN),
    usable,
    warnings,
  })
  if (missingRequired.length > 0) {
    warnings.push(
      `VaR: no price history for ${missingRequired.join(', ')} (give market.underlyings.<name>.history, at least two daily closes): historical, parametric and Monte Carlo VaR are not computed`,
    )
    return empty(false)
  }
  if (factors.length === 0) return empty(book.n === 0)

  let common: string[] = [...series.get(factors[0]!)!.keys()]
  for (let j = 1; j < factors.length; j++) {
    const s = series.get(factors[j]!)!
    common = common.filter((d) => s.has(d))
  }
  common.sort()
  if (common.length < 2) {
    warnings.push(`VaR: the histories of ${names.join(', ')} share fewer than two dates: no historical, parametric or Monte Carlo VaR`)
    return empty(false)
  }
  const F = factors.length
  const N = common.length
  const closes = factors.map((f) => {
    const s = series.get(f)!
    return Float64Array.from(common, (d) => s.get(d)!)
  })
  const nDaily = N - 1
  const daily = new Float64Array(nDaily * F)
  for (let t = 0; t < nDaily; t++) for (let j = 0; j < F; j++) daily[t * F + j] = closes[j]![t + 1]! / closes[j]![t]! - 1
  const h = horizonDays
  const nHorizon = Math.max(0, N - h)
  const horizon = new Float64Array(nHorizon * F)
  for (let t = 0; t < nHorizon; t++) for (let j = 0; j < F; j++) horizon[t * F + j] = closes[j]![t + h]! / closes[j]![t]! - 1
  if (nHorizon === 0) warnings.push(`VaR: ${N} common dates are too few for ${h}-day returns: no historical VaR`)
  else if (nHorizon < 100) warnings.push(`VaR: only ${nHorizon} historical scenarios (${common[0]} to ${common[N - 1]}); tail figures from so few are unreliable`)
  if (nDaily < 2) warnings.push('VaR: a single daily return gives no sample volatility: no parametric or Monte Carlo VaR')
  const lastDay = common[N - 1]!
  const asOfDay = doc.asOf.slice(0, 10)
  if (Date.parse(asOfDay) - Date.parse(lastDay) > 7 * 86_400_000) warnings.push(`VaR: the common history ends ${lastDay}, more than a week before asOf`)
  return {
    factors,
    names,
    dates: common,
    daily,
    nDaily,
    horizon,
    nHorizon,
    horizonDays: h,
    covDaily: sampleCovariance(daily, nDaily, F),
    usable: true,
    warnings,
  }
}

/** Sample standard deviation (n − 1) of the last `window` daily simple returns of one underlying, or null. */
export function realizedDailyVol(doc: PortfolioDocument, name: string, window: number): number | null {
  const h = doc.market.underlyings[name]?.history
  if (!h || h.length < 3) return null
  const closes = h.slice(-(window + 1)).map(([, c]) => decimalToFloat(c))
  const r: number[] = []
  for (let t = 1; t < closes.length; t++) r.push(closes[t]! / closes[t - 1]! - 1)
  if (r.length < 2) return null
  const mean = r.reduce((s, x) => s + x, 0) / r.length
  const v = r.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (r.length - 1)
  return Math.sqrt(v)
}

/** The worst daily simple return in an underlying's history (most negative), with its date. */
export function worstDailyReturn(doc: PortfolioDocument, name: string): { date: string; ret: number } | null {
  const h = doc.market.underlyings[name]?.history
  if (!h || h.length < 2) return null
  let worst: { date: string; ret: number } | null = null
  for (let t = 1; t < h.length; t++) {
    const r = decimalToFloat(h[t]![1]) / decimalToFloat(h[t - 1]![1]) - 1
    if (worst === null || r < worst.ret) worst = { date: h[t]![0], ret: r }
  }
  return worst
}
