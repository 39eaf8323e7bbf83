/**
 * Stress scenarios: a built-in library, the trader's own scenarios (settings.stressScenarios) and
 * the worst day of the book's own history, each a set of relative price moves per underlying, an
 * implied-vol shift and days forward. A run revalues the book once with margins: P&L per position,
 * account and venue, and the margin ratios after the shock.
 */
import type { StressScenarioDef } from '../../shared/analytics-settings'
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import { USD_LIKE, type PreparedBook } from '../book'
import { baseScenario, createRevaluation, revalue, type Scenario } from '../revalue'
import { reportNumber, reportNumberOrNull } from '../seam'
import { accountExposures } from './exposures'
import type { MarketHistory } from './history'
import { accountState, isolatedRatio, type AccountState } from './state'

export type ScenarioSource = 'library' | 'user' | 'history'

export interface StressScenario extends StressScenarioDef {
  source: ScenarioSource
}

/**
 * The library. Moves apply to every priced crypto underlying (`*`) unless named. The two dated
 * crashes use CoinGecko's one-day figures (BTC −35.2 %, ETH −43.1 %, total market cap −39.6 % on
 * 2020-03-12/13; BTC −20.2 %, market cap −22.3 % on 2017-09-14), the market cap's move standing in
 * for the other coins; their vol shifts are assumptions (implied vols roughly doubled in March 2020).
 */
export const STRESS_LIBRARY: readonly StressScenario[] = [
  { id: 'crash-10', name: 'Crypto −10 %, vol +10', source: 'library', priceMoves: { '*': -0.1 }, volShift: { '*': 0.1 }, daysForward: 0 },
  { id: 'crash-20', name: 'Crypto −20 %, vol +25', source: 'library', priceMoves: { '*': -0.2 }, volShift: { '*': 0.25 }, daysForward: 0 },
  { id: 'crash-30', name: 'Crypto −30 %, vol +50', source: 'library', priceMoves: { '*': -0.3 }, volShift: { '*': 0.5 }, daysForward: 0 },
  { id: 'crash-50', name: 'Crypto −50 %, vol +50', source: 'library', priceMoves: { '*': -0.5 }, volShift: { '*': 0.5 }, daysForward: 0 },
  { id: 'btc-only-20', name: 'BTC −20 % alone, vol +25', description: 'BTC falls while every other coin holds: hedges across coins break.', source: 'library', priceMoves: { BTC: -0.2 }, volShift: { BTC: 0.25 }, daysForward: 0 },
  { id: 'rally-10', name: 'Crypto +10 %, vol +10', source: 'library', priceMoves: { '*': 0.1 }, volShift: { '*': 0.1 }, daysForward: 0 },
  { id: 'rally-25', name: 'Short squeeze +25 %, vol +25', source: 'library', priceMoves: { '*': 0.25 }, volShift: { '*': 0.25 }, daysForward: 0 },
  { id: 'vol-crush-7d', name: 'Vol −15, a week passes', description: 'Prices unchanged; implied vols fall 15 points and options decay for 7 days.', source: 'library', priceMoves: {}, volShift: { '*': -0.15 }, daysForward: 7 },
  {
    id: 'covid-2020-03-12',
    name: 'Black Thursday, 12 Mar 2020',
    description: 'One-day moves of 12–13 Mar 2020 (CoinGecko): BTC −35.2 %, ETH −43.1 %, other coins as the market cap −39.6 %; vol +50 points assumed.',
    source: 'library',
    priceMoves: { BTC: -0.352, ETH: -0.431, '*': -0.396 },
    volShift: { '*': 0.5 },
    daysForward: 0,
  },
  {
    id: 'china-2017-09-14',
    name: 'China exchange ban, 14 Sep 2017',
    description: 'One-day moves of 14 Sep 2017 (CoinGecko): BTC −20.2 %, other coins as the market cap −22.3 %; vol +25 points assumed.',
    source: 'library',
    priceMoves: { BTC: -0.202, '*': -0.223 },
    volShift: { '*': 0.25 },
    daysForward: 0,
  },
]

/** Factors a `*` key reaches: priced crypto underlyings (not USD-like, not fx-only quotes). */
function starFactor(doc: PortfolioDocument, name: string): boolean {
  return doc.market.underlyings[name] !== undefined && !USD_LIKE.has(name)
}

/** The scenario as factor arrays at full strength (t = 1). */
export function scenarioVectors(doc: PortfolioDocument, book: PreparedBook, s: StressScenarioDef): { move: Float64Array; vol: Float64Array } {
  const F = book.factors.length
  const move = new Float64Array(F)
  const vol = new Float64Array(F)
  for (let f = 0; f < F; f++) {
    const name = book.factors[f]!
    const star = starFactor(doc, name)
    move[f] = s.priceMoves[name] ?? (star ? (s.priceMoves['*'] ?? 0) : 0)
    vol[f] = s.volShift[name] ?? (star ? (s.volShift['*'] ?? 0) : 0)
  }
  return { move, vol }
}

/** The scenario at fraction t of its path (prices move linearly from asOf to the full shock). */
export function scenarioAt(book: PreparedBook, v: { move: Float64Array; vol: Float64Array }, days: number, t: number, into: Scenario): Scenario {
  for (let f = 0; f < book.factors.length; f++) {
    into.prices[f] = book.basePrices[f]! * Math.max(1e-9, 1 + t * v.move[f]!)
    into.volShift[f] = t * v.vol[f]!
  }
  into.daysForward = t * days
  return into
}

/**
 * The worst day of the common history for this book (largest first-order loss eᵀr), as a scenario
 * of that day's returns; null without history.
 */
export function worstHistoricalDay(book: PreparedBook, history: MarketHistory): StressScenario | null {
  if (!history.usable || history.nDaily < 1) return null
  const e = accountExposures(book).reduce((acc, x) => {
    for (let f = 0; f < acc.length; f++) acc[f]! += x[f]!
    return acc
  }, new Float64Array(book.factors.length))
  const F = history.factors.length
  let worst = -1
  let worstPnl = Infinity
  for (let t = 0; t < history.nDaily; t++) {
    let pnl = 0
    for (let j = 0; j < F; j++) pnl += e[history.factors[j]!]! * history.daily[t * F + j]!
    if (pnl < worstPnl) {
      worstPnl = pnl
      worst = t
    }
  }
  if (worst < 0) return null
  const date = history.dates[worst + 1]!
  const priceMoves: Record<string, number> = {}
  history.names.forEach((n, j) => (priceMoves[n] = Number(history.daily[worst * F + j]!.toPrecision(6))))
  return {
    id: `history-${date}`,
    name: `Your worst day: ${date}`,
    description: `The day of the common history on which today's book would have lost most (first-order), replayed with full revaluation: ${history.names.map((n) => `${n} ${(priceMoves[n]! * 100).toFixed(1)} %`).join(', ')}.`,
    source: 'history',
    priceMoves,
    volShift: {},
    daysForward: 0,
  }
}

export interface StressPositionResult {
  id: string
  account: string
  pnlUsd: number
  /** Isolated positions: margin ratio after the shock (liquidation at 1); null when cross. */
  marginRatioAfter: number | null
  liquidated: boolean
}

export interface StressAccountResult {
  id: string
  venue: Venue
  pnlUsd: number
  equityBeforeUsd: number
  equityAfterUsd: number
  marginRatioBefore: number | null
  marginRatioAfter: number | null
  liquidated: boolean
}

export interface StressVenueResult {
  venue: Venue
  pnlUsd: number
  equityAfterUsd: number
  worstMarginRatioAfter: number | null
  liquidatedAccounts: string[]
}

export interface StressResult {
  id: string
  name: string
  description: string | null
  source: ScenarioSource
  /** Relative price move and absolute vol shift applied to each factor of the book. */
  priceMoves: Record<string, number>
  volShift: Record<string, number>
  daysForward: number
  /** Index prices after the shock, USD. */
  pricesAfter: Record<string, number>
  pnlUsd: number
  equityAfterUsd: number
  positions: StressPositionResult[]
  accounts: StressAccountResult[]
  venues: StressVenueResult[]
  liquidatedAccounts: string[]
  liquidatedPositions: string[]
}

/** The book at asOf, computed once for a batch of stress runs. */
export interface StressBase {
  positionPnlUsd: Float64Array
  totalEquityUsd: number
  accounts: AccountState[]
}

export function stressBase(book: PreparedBook): StressBase {
  const base = baseScenario(book)
  const before = revalue(book, base, createRevaluation(book), false)
  return {
    positionPnlUsd: before.positionPnlUsd.slice(),
    totalEquityUsd: before.totalEquityUsd,
    accounts: book.accounts.map((_, a) => accountState(book, a, base.prices, base.volShift, 0)),
  }
}

export function runStress(doc: PortfolioDocument, book: PreparedBook, s: StressScenario, baseState: StressBase = stressBase(book)): StressResult {
  const v = scenarioVectors(doc, book, s)
  const shocked = scenarioAt(book, v, s.daysForward, 1, baseScenario(book))
  const before = baseState
  const posBefore = before.positionPnlUsd
  const after = revalue(book, shocked, createRevaluation(book), false)
  const positions: StressPositionResult[] = []
  for (let i = 0; i < book.n; i++) {
    const ratio = isolatedRatio(book, i, shocked.prices, shocked.volShift, shocked.daysForward)
    positions.push({
      id: book.positions[i]!.id,
      account: book.positions[i]!.account,
      pnlUsd: reportNumber(after.positionPnlUsd[i]! - posBefore[i]!),
      marginRatioAfter: reportNumberOrNull(ratio === Infinity ? null : ratio),
      liquidated: ratio !== null && ratio >= 1,
    })
  }
  const accounts: StressAccountResult[] = book.accounts.map((acc, a) => {
    const b = before.accounts[a]!
    const x = accountState(book, a, shocked.prices, shocked.volShift, shocked.daysForward)
    return {
      id: acc.id,
      venue: acc.venue,
      pnlUsd: reportNumber(x.equityUsd - b.equityUsd),
      equityBeforeUsd: reportNumber(b.equityUsd),
      equityAfterUsd: reportNumber(x.equityUsd),
      marginRatioBefore: reportNumberOrNull(b.marginRatio),
      marginRatioAfter: reportNumberOrNull(x.marginRatio),
      liquidated: x.liquidatable,
    }
  })
  const venues: StressVenueResult[] = []
  for (const a of accounts) {
    let row = venues.find((x) => x.venue === a.venue)
    if (!row) {
      row = { venue: a.venue, pnlUsd: 0, equityAfterUsd: 0, worstMarginRatioAfter: null, liquidatedAccounts: [] }
      venues.push(row)
    }
    row.pnlUsd += a.pnlUsd
    row.equityAfterUsd += a.equityAfterUsd
    if (a.liquidated) row.liquidatedAccounts.push(a.id)
    const r = a.liquidated && a.marginRatioAfter === null ? Infinity : a.marginRatioAfter
    if (r !== null && (row.worstMarginRatioAfter === null || r > row.worstMarginRatioAfter)) row.worstMarginRatioAfter = r
  }
  for (const row of venues) {
    row.pnlUsd = reportNumber(row.pnlUsd)
    row.equityAfterUsd = reportNumber(row.equityAfterUsd)
    if (row.worstMarginRatioAfter === Infinity) row.worstMarginRatioAfter = null
  }
  const priceMoves: Record<string, number> = {}
  const volShift: Record<string, number> = {}
  const pricesAfter: Record<string, number> = {}
  book.factors.forEach((name, f) => {
    priceMoves[name] = v.move[f]!
    volShift[name] = v.vol[f]!
    pricesAfter[name] = reportNumber(shocked.prices[f]!)
  })
  return {
    id: s.id,
    name: s.name,
    description: s.description ?? null,
    source: s.source,
    priceMoves,
    volShift,
    daysForward: s.daysForward,
    pricesAfter,
    pnlUsd: reportNumber(after.totalEquityUsd - before.totalEquityUsd),
    equityAfterUsd: reportNumber(after.totalEquityUsd),
    positions,
    accounts,
    venues,
    liquidatedAccounts: accounts.filter((a) => a.liquidated).map((a) => a.id),
    liquidatedPositions: positions.filter((p) => p.liquidated).map((p) => p.id),
  }
}

/** Library, the trader's scenarios and the worst historical day, in that order (ids unique). */
export function allScenarios(user: readonly StressScenarioDef[], worstDay: StressScenario | null): StressScenario[] {
  const out: StressScenario[] = [...STRESS_LIBRARY]
  const ids = new Set(out.map((s) => s.id))
  for (const u of user) {
    if (ids.has(u.id)) continue
    ids.add(u.id)
    out.push({ ...u, source: 'user' })
  }
  if (worstDay && !ids.has(worstDay.id)) out.push(worstDay)
  return out
}
