/**
 * Cascading liquidations: walk a stress scenario's price path from asOf (t = 0) to the full shock
 * (t = 1) and report, in order, which account or isolated position is liquidated at which prices,
 * what it loses, and what that does to the rest of the book.
 *
 * Accounts do not share collateral, so one account's liquidation never moves another's margin ratio:
 * an account is liquidated exactly when ITS cushion (cross equity − cross maintenance; DeFi:
 * Σ collateral × threshold − debt) reaches zero on the path, which is what makes the law "a cascade
 * never liquidates an account whose margin ratio stays below 1" hold by construction. The cascade is
 * in what follows: a liquidated account's positions are gone, so a hedge it carried stops offsetting
 * the others ("BTC −18 % liquidates Bybit, after which Deribit is unhedged"), and the book's P&L
 * along the rest of the path changes slope.
 *
 * Modelling choices (stated in the result's `assumptions`):
 * - A cross account is liquidated whole: its cross positions are closed at the liquidation point and
 *   its maintenance margin is forfeited (a conservative bound on exchanges' liquidation fees); what
 *   remains is held as cash. Isolated positions are liquidated alone and lose their whole margin.
 * - A DeFi loan is liquidated by half (close factor 50 %) with a 5 % bonus to the liquidator, the
 *   usual lending-protocol parameters; it may be liquidated again further along the path.
 * - No market impact: liquidations do not move the price themselves.
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import { ACCOUNT_DEFI, ACCOUNT_PORTFOLIO, type PreparedBook } from '../book'
import { baseScenario, createAccountEval, evaluateAccount, isolatedMarginUsd, positionPnlUsd, type Scenario } from '../revalue'
import { reportNumber } from '../seam'
import { positionExposureInto } from './exposures'
import { accountState, isolatedRatio } from './state'
import { scenarioAt, scenarioVectors, type StressScenario } from './stress'
import { VENUE_NAME } from './venues'

const DEFI_CLOSE_FACTOR = 0.5
const DEFI_BONUS = 0.05
const STEPS = 200
const SAMPLES = 100
const MAX_EVENTS_PER_ACCOUNT = 12

export const CASCADE_ASSUMPTIONS = [
  'cross accounts are liquidated whole at their liquidation point and forfeit their maintenance margin; the rest is held as cash',
  'isolated positions are liquidated alone and lose their whole isolated margin',
  `DeFi loans are liquidated by ${DEFI_CLOSE_FACTOR * 100} % with a ${DEFI_BONUS * 100} % liquidation bonus`,
  'prices move linearly along the scenario; liquidations do not move the market themselves',
]

export interface UnhedgedExposure {
  account: string
  venue: Venue
  underlying: string
  /** Positions' delta of that account in the underlying (units) that the liquidated positions offset. */
  delta: number
}

export interface CascadeEvent {
  order: number
  /** Fraction of the scenario's path at which it happens (0 = already at asOf). */
  t: number
  /** Relative move of each moving factor at that point, and the index prices. */
  moves: Record<string, number>
  prices: Record<string, number>
  kind: 'account' | 'position' | 'loan'
  account: string
  venue: Venue
  position: string | null
  /** Positions closed by this liquidation. */
  positions: string[]
  /** Equity change of what is liquidated from asOf to the liquidation point, USD. */
  pnlToLiquidationUsd: number
  /** Margin or bonus forfeited at liquidation, USD. */
  penaltyUsd: number
  /** Equity at asOf of what is liquidated minus what it keeps, USD. */
  lossUsd: number
  /** Positions' net delta per underlying (units) just before and just after. */
  netDeltaBefore: Record<string, number>
  netDeltaAfter: Record<string, number>
  /** Exposures elsewhere that the liquidated positions were offsetting, largest first. */
  unhedged: UnhedgedExposure[]
  /** One line: "BTC −18.0 % liquidates Bybit, after which Deribit is unhedged". */
  headline: string
  message: string
}

export interface CascadePathPoint {
  t: number
  /** Move of the lead factor (the one moving most), fraction. */
  move: number
  leadPrice: number
  /** Book equity change from asOf, USD, with the liquidations so far and without any. */
  pnlUsd: number
  pnlWithoutLiquidationsUsd: number
}

export interface CascadeResult {
  scenarioId: string
  scenarioName: string
  /** Factor that moves most (its move labels the path), or null when prices do not move. */
  lead: string | null
  leadMove: number
  /** Venue treated as failed (its equity written off, its positions gone from t = 0), if any. */
  failedVenue: Venue | null
  events: CascadeEvent[]
  path: CascadePathPoint[]
  finalPnlUsd: number
  finalPnlWithoutLiquidationsUsd: number
  summary: string
  assumptions: string[]
}

/** A copy of the book whose quantities, margins, collateral and debts a cascade may change. */
function mutableBook(book: PreparedBook): PreparedBook {
  return {
    ...book,
    posQty: book.posQty.slice(),
    posIsolatedMargin: book.posIsolatedMargin.slice(),
    collAmount: book.collAmount.slice(),
    debtAmount: book.debtAmount.slice(),
  }
}

interface Entity {
  kind: 'account' | 'position' | 'loan'
  a: number
  i: number
  events: number
  done: boolean
}

export interface CascadeOptions {
  /** Treat this venue as failed: its accounts' equity is written off at t = 0 and their positions are gone. */
  failedVenue?: Venue
}

export function runCascade(doc: PortfolioDocument, book: PreparedBook, s: StressScenario, options: CascadeOptions = {}): CascadeResult {
  const v = scenarioVectors(doc, book, s)
  const F = book.factors.length
  const A = book.accounts.length
  let lead = -1
  for (let f = 0; f < F; f++) if (v.move[f] !== 0 && (lead < 0 || Math.abs(v.move[f]!) > Math.abs(v.move[lead]!))) lead = f
  const state = mutableBook(book)
  const cash = new Float64Array(A)
  const frozen = new Uint8Array(A)
  const sc = baseScenario(book)
  const pure = baseScenario(book)
  const at = (t: number, into: Scenario = sc): Scenario => scenarioAt(book, v, s.daysForward, t, into)
  const evalScratch = createAccountEval()
  const accountEquity = (b: PreparedBook, a: number, x: Scenario): number =>
    evaluateAccount(b, a, x.prices, x.volShift, x.daysForward, false, evalScratch).equityUsd + cash[a]!

  // Equity at asOf of the untouched book, per account, for losses and P&L.
  const base = at(0, baseScenario(book))
  const equity0 = Float64Array.from({ length: A }, (_, a) => evaluateAccount(book, a, base.prices, base.volShift, 0, false, evalScratch).equityUsd)
  const total0 = equity0.reduce((x, y) => x + y, 0)

  if (options.failedVenue) {
    for (let a = 0; a < A; a++) {
      if (book.accounts[a]!.venue !== options.failedVenue) continue
      closeAccountPositions(state, a, true)
      zeroCollateral(state, a)
      frozen[a] = 1
    }
  }

  const entities: Entity[] = []
  for (let a = 0; a < A; a++) {
    if (frozen[a]) continue
    const regime = book.accounts[a]!.regime
    entities.push({ kind: regime === ACCOUNT_DEFI ? 'loan' : 'account', a, i: -1, events: 0, done: false })
    if (regime === ACCOUNT_PORTFOLIO || regime === ACCOUNT_DEFI) continue
    for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
      const i = book.posOfAccount[k]!
      if (book.posIsolated[i] === 1) entities.push({ kind: 'position', a, i, events: 0, done: false })
    }
  }

  /** > 0 while safe, ≤ 0 once liquidatable. */
  const cushion = (e: Entity, t: number): number => {
    const x = at(t)
    if (e.kind === 'position') {
      const r = isolatedRatio(state, e.i, x.prices, x.volShift, x.daysForward)
      return r === null ? 1 : 1 - r
    }
    const st = accountState(state, e.a, x.prices, x.volShift, x.daysForward, cash[e.a]!)
    return st.liquidatable ? Math.min(st.cushionUsd, -1e-12) : Math.max(st.cushionUsd, 1e-12)
  }
  const firstCrossing = (e: Entity, from: number): number | null => {
    if (e.done) return null
    if (cushion(e, from) <= 0) return from
    let prev = from
    const k0 = Math.floor(from * STEPS) + 1
    for (let k = k0; k <= STEPS; k++) {
      const t = k / STEPS
      if (cushion(e, t) <= 0) {
        let lo = prev
        let hi = t
        for (let it = 0; it < 48; it++) {
          const mid = 0.5 * (lo + hi)
          if (cushion(e, mid) <= 0) hi = mid
          else lo = mid
        }
        return hi
      }
      prev = t
    }
    return null
  }

  const queue = new Map<Entity, number>()
  for (const e of entities) {
    const t = firstCrossing(e, 0)
    if (t !== null) queue.set(e, t)
  }

  const netDelta = (x: Scenario): Record<string, number> => {
    const e = new Float64Array(F)
    for (let i = 0; i < state.n; i++) {
      if (state.posQty[i] === 0) continue
      const f = state.posFactor[i]!
      positionExposureInto(state, i, x.prices, e, x.volShift[f]!, x.daysForward / 365)
    }
    const out: Record<string, number> = {}
    for (let i = 0; i < state.n; i++) {
      const f = state.posFactor[i]!
      if (!(book.factors[f]! in out)) out[book.factors[f]!] = 0
    }
    for (const name of Object.keys(out)) {
      const f = book.factorIndex.get(name)!
      out[name] = reportNumber(e[f]! / x.prices[f]!)
    }
    return out
  }
  const deltaByAccount = (x: Scenario, only: (i: number) => boolean): Map<number, Float64Array> => {
    const m = new Map<number, Float64Array>()
    for (let i = 0; i < state.n; i++) {
      if (state.posQty[i] === 0 || !only(i)) continue
      const a = state.posAccount[i]!
      let e = m.get(a)
      if (!e) m.set(a, (e = new Float64Array(F)))
      const f = state.posFactor[i]!
      positionExposureInto(state, i, x.prices, e, x.volShift[f]!, x.daysForward / 365)
    }
    for (const e of m.values()) for (let f = 0; f < F; f++) e[f] = e[f]! / x.prices[f]!
    return m
  }

  const events: CascadeEvent[] = []
  const apply = (e: Entity, t: number): void => {
    const x = at(t)
    const acc = book.accounts[e.a]!
    const before = netDelta(x)
    const liquidated: number[] = []
    let pnlToLiq: number
    let penalty: number
    let loss: number
    let equityAtStart: number
    if (e.kind === 'position') {
      const i = e.i
      const f = state.posFactor[i]!
      const pnl = positionPnlUsd(state, i, x.prices[f]!, x.prices, x.volShift[f]!, 1, x.daysForward / 365)
      const margin = isolatedMarginUsd(state, i, x.prices[f]!, x.prices)
      const m0 = isolatedMarginUsd(book, i, base.prices[f]!, base.prices)
      const pnl0 = positionPnlUsd(book, i, base.prices[f]!, base.prices, 0, 1, 0)
      equityAtStart = m0 + pnl0
      pnlToLiq = margin + pnl - equityAtStart
      penalty = Math.max(0, margin + pnl)
      loss = equityAtStart
      liquidated.push(i)
      cash[e.a]! -= margin
      state.posQty[i] = 0
      state.posIsolatedMargin[i] = NaN
      e.done = true
    } else if (e.kind === 'account') {
      const r = evaluateAccount(state, e.a, x.prices, x.volShift, x.daysForward, true, evalScratch)
      // Isolated positions live on with their own margin; only the cross part is liquidated.
      let isoKeep = 0
      for (let k = state.accStart[e.a]!; k < state.accStart[e.a + 1]!; k++) {
        const i = state.posOfAccount[k]!
        if (state.posQty[i] === 0) continue
        if (state.posIsolated[i] === 1 && acc.regime !== ACCOUNT_PORTFOLIO) {
          const f = state.posFactor[i]!
          isoKeep += isolatedMarginUsd(state, i, x.prices[f]!, x.prices)
        } else liquidated.push(i)
      }
      const crossEq = r.crossEquityUsd + cash[e.a]!
      penalty = Math.min(Math.max(r.crossMaintenanceUsd, 0), Math.max(crossEq, 0))
      const residual = Math.max(0, crossEq - penalty)
      equityAtStart = equity0[e.a]!
      pnlToLiq = crossEq - (equityAtStart - crossAtStartIsolated(book, e.a, base))
      loss = equityAtStart - crossAtStartIsolated(book, e.a, base) - residual
      for (const i of liquidated) state.posQty[i] = 0
      zeroCollateral(state, e.a)
      // What the account still holds: the cash left of its cross part and its isolated margins.
      cash[e.a] = residual + isoKeep
      frozen[e.a] = 1
      e.done = true
    } else {
      const r = evaluateAccount(state, e.a, x.prices, x.volShift, x.daysForward, true, evalScratch)
      const repaid = DEFI_CLOSE_FACTOR * r.debtUsd
      const seized = repaid * (1 + DEFI_BONUS)
      penalty = repaid * DEFI_BONUS
      equityAtStart = equity0[e.a]!
      pnlToLiq = r.equityUsd + cash[e.a]! - equityAtStart
      loss = penalty
      for (let d = state.debtStart[e.a]!; d < state.debtStart[e.a + 1]!; d++) state.debtAmount[d] = state.debtAmount[d]! * (1 - DEFI_CLOSE_FACTOR)
      const keep = r.collateralRawUsd > 0 ? Math.max(0, 1 - seized / r.collateralRawUsd) : 0
      for (let c = state.collStart[e.a]!; c < state.collStart[e.a + 1]!; c++) state.collAmount[c] = state.collAmount[c]! * keep
      e.events++
      if (e.events >= MAX_EVENTS_PER_ACCOUNT) e.done = true
    }
    const after = netDelta(x)
    // Who was leaning on what just went: exposures elsewhere of the opposite sign.
    const removed = new Float64Array(F)
    for (const i of liquidated) {
      const f = book.factors[book.posFactor[i]!]!
      removed[book.factorIndex.get(f)!]! += (before[f] ?? 0) - (after[f] ?? 0)
    }
    const others = deltaByAccount(x, (i) => state.posAccount[i] !== e.a)
    const unhedged: UnhedgedExposure[] = []
    for (let f = 0; f < F; f++) {
      if (Math.abs(removed[f]!) < 1e-12) continue
      for (const [a, d] of others) {
        if (d[f]! * removed[f]! < 0 && Math.abs(d[f]!) > 1e-12) {
          unhedged.push({ account: book.accounts[a]!.id, venue: book.accounts[a]!.venue, underlying: book.factors[f]!, delta: reportNumber(d[f]!) })
        }
      }
    }
    unhedged.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta))
    const moves: Record<string, number> = {}
    const prices: Record<string, number> = {}
    for (let f = 0; f < F; f++) {
      if (v.move[f] !== 0) moves[book.factors[f]!] = reportNumber(t * v.move[f]!)
      prices[book.factors[f]!] = reportNumber(x.prices[f]!)
    }
    const order = events.length + 1
    const what =
      e.kind === 'position' ? `${book.positions[e.i]!.id} (${VENUE_NAME[acc.venue]}, isolated)` : e.kind === 'loan' ? `the ${VENUE_NAME[acc.venue]} loan ${acc.id}` : `${VENUE_NAME[acc.venue]} (${acc.id})`
    const where = lead >= 0 ? `${book.factors[lead]!} ${formatMove(t * v.move[lead]!)}` : `t = ${t.toFixed(2)}`
    const changes = Object.keys(before)
      .filter((u) => Math.abs((before[u] ?? 0) - (after[u] ?? 0)) > 1e-9)
      .map((u) => `${u} net delta ${fmt(before[u]!)} → ${fmt(after[u]!)}`)
    const hedgeNote = unhedged.length
      ? `; after which ${[...new Set(unhedged.map((u) => VENUE_NAME[u.venue]))].join(' and ')} ${unhedged.length === 1 || new Set(unhedged.map((u) => u.venue)).size === 1 ? 'is' : 'are'} unhedged (${unhedged
          .slice(0, 3)
          .map((u) => `${u.account} ${fmt(u.delta)} ${u.underlying}`)
          .join(', ')})`
      : ''
    const venuesLeft = [...new Set(unhedged.map((u) => VENUE_NAME[u.venue]))]
    const headline = `${where} liquidates ${e.kind === 'position' ? `${book.positions[e.i]!.id} on ${VENUE_NAME[acc.venue]}` : VENUE_NAME[acc.venue]}${
      venuesLeft.length ? `, after which ${venuesLeft.join(' and ')} ${venuesLeft.length === 1 ? 'is' : 'are'} unhedged` : ''
    }`
    events.push({
      order,
      t: reportNumber(t),
      moves,
      prices,
      kind: e.kind,
      account: acc.id,
      venue: acc.venue,
      position: e.kind === 'position' ? book.positions[e.i]!.id : null,
      positions: liquidated.map((i) => book.positions[i]!.id),
      pnlToLiquidationUsd: reportNumber(pnlToLiq),
      penaltyUsd: reportNumber(penalty),
      lossUsd: reportNumber(loss),
      netDeltaBefore: before,
      netDeltaAfter: after,
      unhedged,
      headline,
      message: `${where} liquidates ${what}: loses ${Math.round(loss).toLocaleString('en-US')} USD${changes.length ? ` (${changes.join(', ')})` : ''}${hedgeNote}`,
    })
  }

  // Walk the path: samples in order, events applied as the path reaches them.
  const path: CascadePathPoint[] = []
  const bookEquity = (x: Scenario): number => {
    let s = 0
    for (let a = 0; a < A; a++) s += accountEquity(state, a, x)
    return s
  }
  let pureTotal0 = 0
  for (let a = 0; a < A; a++) pureTotal0 += evaluateAccount(book, a, base.prices, base.volShift, 0, false, evalScratch).equityUsd
  for (let k = 0; k <= SAMPLES; k++) {
    const t = k / SAMPLES
    for (;;) {
      let next: Entity | null = null
      let nextT = Infinity
      for (const [e, te] of queue) {
        if (te < nextT) {
          next = e
          nextT = te
        }
      }
      if (!next || nextT > t) break
      queue.delete(next)
      apply(next, nextT)
      if (!next.done) {
        const again = firstCrossing(next, Math.min(1, nextT + 1e-9))
        if (again !== null) queue.set(next, again)
      }
    }
    const x = at(t)
    let pureEq = 0
    at(t, pure)
    for (let a = 0; a < A; a++) pureEq += evaluateAccount(book, a, pure.prices, pure.volShift, pure.daysForward, false, evalScratch).equityUsd
    path.push({
      t,
      move: lead >= 0 ? reportNumber(t * v.move[lead]!) : 0,
      leadPrice: lead >= 0 ? reportNumber(x.prices[lead]!) : 0,
      pnlUsd: reportNumber(bookEquity(x) - total0),
      pnlWithoutLiquidationsUsd: reportNumber(pureEq - pureTotal0),
    })
  }
  const last = path[path.length - 1]!
  const summary =
    events.length === 0
      ? `${s.name}: no liquidation along the path; the book ${last.pnlUsd < 0 ? 'loses' : 'gains'} ${Math.round(Math.abs(last.pnlUsd)).toLocaleString('en-US')} USD`
      : `${s.name}: ${events.length} liquidation${events.length === 1 ? '' : 's'}, first: ${events[0]!.message}`
  return {
    scenarioId: s.id,
    scenarioName: s.name,
    lead: lead >= 0 ? book.factors[lead]! : null,
    leadMove: lead >= 0 ? v.move[lead]! : 0,
    failedVenue: options.failedVenue ?? null,
    events,
    path,
    finalPnlUsd: last.pnlUsd,
    finalPnlWithoutLiquidationsUsd: last.pnlWithoutLiquidationsUsd,
    summary,
    assumptions: CASCADE_ASSUMPTIONS,
  }
}

/** Isolated margin + P&L of account a's isolated positions at asOf (the part a cross liquidation does not take). */
function crossAtStartIsolated(book: PreparedBook, a: number, base: Scenario): number {
  if (book.accounts[a]!.regime === ACCOUNT_PORTFOLIO) return 0
  let s = 0
  for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
    const i = book.posOfAccount[k]!
    if (book.posIsolated[i] !== 1) continue
    const f = book.posFactor[i]!
    s += isolatedMarginUsd(book, i, base.prices[f]!, base.prices) + positionPnlUsd(book, i, base.prices[f]!, base.prices, 0, 1, 0)
  }
  return s
}

function closeAccountPositions(book: PreparedBook, a: number, includingIsolated: boolean): void {
  for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
    const i = book.posOfAccount[k]!
    if (includingIsolated || book.posIsolated[i] !== 1) {
      book.posQty[i] = 0
      book.posIsolatedMargin[i] = NaN
    }
  }
}

function zeroCollateral(book: PreparedBook, a: number): void {
  for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) book.collAmount[c] = 0
  for (let d = book.debtStart[a]!; d < book.debtStart[a + 1]!; d++) book.debtAmount[d] = 0
}

function formatMove(m: number): string {
  return `${m >= 0 ? '+' : '−'}${Math.abs(m * 100).toFixed(1)} %`
}

function fmt(x: number): string {
  const a = Math.abs(x)
  const s = a >= 100 ? a.toFixed(0) : a >= 1 ? a.toFixed(2) : a.toPrecision(3)
  return `${x < 0 ? '−' : '+'}${s}`
}
