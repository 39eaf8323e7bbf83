/**
 * Liquidation prices.
 *
 * Isolated (per position, on the MARK price): the mark at which isolated margin + PnL = maintenance
 * margin, all in the settlement currency (quote for linear, coin for inverse). Closed forms follow
 * each venue's published rule:
 *
 * - Binance (and OKX, and venue `other`): maintenance margin on the notional AT the liquidation
 *   price, with the tier's maintenance amount ("cum"). Binance, "How to Calculate Liquidation Price
 *   of USDⓈ-M Futures Contracts" (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93):
 *     LP = (WB + cum − side·Q·EP) / (Q·MMR − side·Q)
 *   and, for COIN-M (https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46),
 *     LP = (Q·MMR + side·Q) / (WB + cum + side·Q/EP)      (Q in USD, WB and cum in coin)
 *   "If your position (calculated at the liquidation price) and the current position (calculated at
 *   the opening price) are of different levels, ... recalculate": we solve every tier and keep the
 *   one whose notional at its own solution falls in that tier.
 * - Bybit: maintenance margin on the position value AT ENTRY ("Liquidation Price (USDT Contract)":
 *   LP(long) = entry − (IM − MM)/size; inverse: LP(long) = Q / (Q/entry + IM − MM)).
 *
 * Anything else (an option marked isolated, a Deribit future, a tier table whose rate jumps without
 * a maintenance amount so no tier is self-consistent) is solved numerically on the same equation.
 *
 * Cross (per account and underlying, on the INDEX price): all positions of the underlying move
 * together (marks keep their basis ratio, options are repriced), collateral in that coin is revalued,
 * and we look for the price at which cross equity = cross maintenance margin, by bracketing and
 * Brent (root.ts). Equity − margin is not monotone with options or coin-settled books, so both
 * sides of the current price are searched; the reported price is the NEAREST crossing in log-price
 * terms, i.e. the smallest move that liquidates, on whichever side it lies: that is the dangerous
 * side. Both crossings are kept (`below`, `above`) for the margin view. None in (0, 100·S): null.
 */
import {
  ACCOUNT_DEFI,
  KIND_INVERSE,
  KIND_LINEAR,
  KIND_OPTION,
  KIND_SPOT,
  LIQ_RULE_AT_ENTRY,
  MARGIN_TIERS,
  type PreparedBook,
} from './book'
import { tierIndex, type TierRow } from './margin/tiers'
import { nearestCrossings } from './root'
import { createAccountEval, evaluateAccount, isolatedMarginUsd, positionMarginUsd, positionPnlUsd } from './revalue'

export interface LiquidationSearch {
  /** The nearest crossing (the one reported), or null. */
  price: number | null
  below: number | null
  above: number | null
}

/** Isolated liquidation MARK price of position i, or null when there is none in (0, ∞). */
export function isolatedLiquidationPrice(book: PreparedBook, i: number): number | null {
  if (book.posIsolated[i] !== 1) return null
  const kind = book.posKind[i]
  if (kind === KIND_SPOT) return null
  const closed = closedFormIsolated(book, i)
  if (closed !== undefined) return closed
  return numericIsolated(book, i)
}

function sideOf(q: number): 1 | -1 {
  return q > 0 ? 1 : -1
}

/**
 * Closed forms where a venue publishes one; undefined when the case needs the numeric solver.
 * Returns null when the equation has no positive root (e.g. a long with margin beyond its notional).
 */
function closedFormIsolated(book: PreparedBook, i: number): number | null | undefined {
  if (book.posMarginModel[i] !== MARGIN_TIERS) return undefined
  const table = book.tiers[book.posTier[i]!]!
  const rows = table.rows
  const side = sideOf(book.posQty[i]!)
  const Q = Math.abs(book.posQty[i]! * book.posSize[i]!)
  const E = book.posEntry[i]!
  const m = book.posIsolatedMargin[i]!
  const atEntry = book.posLiqRule[i] === LIQ_RULE_AT_ENTRY
  const kind = book.posKind[i]

  if (kind === KIND_LINEAR && table.unit === 'quote') {
    if (atEntry) {
      const row = rows[tierIndex(rows, Q * E)]!
      const mmEntry = Math.max(0, Q * E * row.maintenanceRate - row.maintenanceAmount)
      return positiveOrNull(E + (mmEntry - m) / (side * Q))
    }
    return consistentTier(rows, (r) => (side * Q * E - m - r.maintenanceAmount) / (Q * (side - r.maintenanceRate)), (p) => Q * p, book, i)
  }
  if (kind === KIND_INVERSE) {
    if (table.unit === 'base') {
      if (atEntry) {
        const row = rows[tierIndex(rows, Q / E)]!
        const mmEntry = Math.max(0, (Q / E) * row.maintenanceRate - row.maintenanceAmount)
        return positiveOrNull((side * Q) / (m - mmEntry + (side * Q) / E))
      }
      return consistentTier(rows, (r) => (Q * (r.maintenanceRate + side)) / (m + r.maintenanceAmount + (side * Q) / E), (p) => Q / p, book, i)
    }
    // Tiers measured in USD: an inverse position's USD notional is constant, so is its tier, and
    // the USD requirement Q·rate − amount is worth (Q·rate − amount)/P coin at the price P.
    const row = rows[tierIndex(rows, Q)]!
    const mmUsd = Math.max(0, Q * row.maintenanceRate - row.maintenanceAmount)
    if (atEntry) return positiveOrNull((side * Q) / (m - mmUsd / E + (side * Q) / E))
    return positiveOrNull((side * Q + mmUsd) / (m + (side * Q) / E))
  }
  return undefined
}

function positiveOrNull(p: number): number | null {
  return Number.isFinite(p) && p > 0 ? p : null
}

/**
 * Solves the liquidation equation in each tier and keeps the solution whose notional lies in that
 * tier (Binance's re-solve rule). Continuous tables have exactly one; a table without maintenance
 * amounts may have none (the requirement jumps over the equity at a boundary): then numeric.
 */
function consistentTier(
  rows: readonly TierRow[],
  solve: (row: TierRow) => number,
  notionalAt: (price: number) => number,
  book: PreparedBook,
  i: number,
): number | null | undefined {
  let best: number | null = null
  const mark = book.basePrices[book.posFactor[i]!]! * book.posMarkRatio[i]!
  let anyPositive = false
  for (let t = 0; t < rows.length; t++) {
    const p = solve(rows[t]!)
    if (!(Number.isFinite(p) && p > 0)) continue
    anyPositive = true
    const n = notionalAt(p)
    const lower = t === 0 ? 0 : rows[t - 1]!.maxNotional
    // Tier t holds notionals in (lower, max]; the last tier also holds everything beyond.
    const inTier = n > lower * (1 - 1e-12) && (n <= rows[t]!.maxNotional * (1 + 1e-12) || t === rows.length - 1)
    if (!inTier) continue
    if (best === null || Math.abs(Math.log(p / mark)) < Math.abs(Math.log(best / mark))) best = p
  }
  if (best !== null) return best
  return anyPositive ? undefined : null
}

/**
 * Numeric isolated liquidation: the mark at which isolated margin + PnL − maintenance margin
 * changes sign, maintenance measured at the liquidation price. Returned as a mark price.
 */
function numericIsolated(book: PreparedBook, i: number): number | null {
  const f = book.posFactor[i]!
  const prices = book.basePrices.slice()
  const g = (index: number): number => {
    prices[f] = index
    return isolatedMarginUsd(book, i, index, prices) + positionPnlUsd(book, i, index, prices, 0, 1, 0) - positionMarginUsd(book, i, index, prices, 0, 0, 0)
  }
  const s0 = book.basePrices[f]!
  const c = nearestCrossings(g, s0, { highMultiple: 1e6 })
  let index: number | null
  if (book.posKind[i] === KIND_OPTION) {
    // An option's loss side depends on its type and sign: take the nearer crossing.
    index = c.below !== null && c.above !== null ? (Math.abs(Math.log(c.below / s0)) <= Math.abs(Math.log(c.above / s0)) ? c.below : c.above) : (c.below ?? c.above)
  } else {
    // Delta-one: only the adverse side. A size-dependent rate in coin (Deribit) makes a short
    // inverse future's requirement explode as the price goes to 0; that is not a liquidation.
    index = sideOf(book.posQty[i]!) > 0 ? c.below : c.above
  }
  return index === null ? null : index * book.posMarkRatio[i]!
}

/**
 * Isolated margin ratio of position i at a given MARK price, by the venue's own rule: maintenance
 * margin (at the mark, or at entry for Bybit) over isolated margin + PnL, in the settlement currency.
 * Equals 1 at the isolated liquidation price; liquidation when ≥ 1.
 */
export function isolatedMarginRatioAtMark(book: PreparedBook, i: number, mark: number): number {
  const f = book.posFactor[i]!
  const index = mark / book.posMarkRatio[i]!
  const prices = book.basePrices.slice()
  prices[f] = index
  const balance = isolatedMarginUsd(book, i, index, prices) + positionPnlUsd(book, i, index, prices, 0, 1, 0)
  let mm: number
  if (book.posLiqRule[i] === LIQ_RULE_AT_ENTRY && book.posMarginModel[i] === MARGIN_TIERS) {
    // Bybit: requirement fixed by the position value at entry (in the settlement currency).
    const entryIndex = book.posEntry[i]! / book.posMarkRatio[i]!
    const atEntry = book.basePrices.slice()
    atEntry[f] = entryIndex
    const mmEntryUsd = positionMarginUsd(book, i, entryIndex, atEntry, 0, 0, 0)
    // Convert the entry-time USD figure to today's USD: coin requirements are worth × mark now.
    mm = book.posKind[i] === KIND_INVERSE ? (mmEntryUsd / book.posEntry[i]!) * mark : mmEntryUsd
  } else {
    mm = positionMarginUsd(book, i, index, prices, 0, 0, 0)
  }
  return mm / balance
}

const evalScratch = createAccountEval()

/**
 * Cross liquidation INDEX price of account a for factor f (all positions of that underlying and
 * collateral in that coin move together; everything else stays at the scenario's prices).
 * DeFi accounts: the price at which the health factor reaches 1.
 */
export function crossLiquidation(
  book: PreparedBook,
  a: number,
  f: number,
  prices: Float64Array = book.basePrices,
  volShift: Float64Array = new Float64Array(book.factors.length),
  daysForward = 0,
): LiquidationSearch {
  const shocked = prices.slice()
  const defi = book.accounts[a]!.regime === ACCOUNT_DEFI
  const g = (x: number): number => {
    shocked[f] = x
    const r = evaluateAccount(book, a, shocked, volShift, daysForward, true, evalScratch)
    return defi ? r.collateralThresholdUsd - r.debtUsd : r.crossEquityUsd - r.crossMaintenanceUsd
  }
  const s0 = prices[f]!
  if (g(s0) <= 0) return { price: s0, below: s0, above: s0 }
  const c = nearestCrossings(g, s0)
  const price =
    c.below !== null && c.above !== null ? (Math.abs(Math.log(c.below / s0)) <= Math.abs(Math.log(c.above / s0)) ? c.below : c.above) : (c.below ?? c.above)
  return { price, below: c.below, above: c.above }
}

/**
 * Factors an account is exposed to: its positions' underlyings (isolated ones too, so the report
 * always carries the key, null when no cross liquidation exists) and its collateral and debts. A
 * coin held as collateral is a liquidation risk of its own: a cross book in BTC funded with ETH is
 * liquidated by a fall of ETH, BTC unchanged.
 */
export function accountRiskFactors(book: PreparedBook, a: number): number[] {
  const set = new Set<number>()
  for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) set.add(book.posFactor[book.posOfAccount[k]!]!)
  for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) if (book.collFactor[c]! >= 0) set.add(book.collFactor[c]!)
  for (let d = book.debtStart[a]!; d < book.debtStart[a + 1]!; d++) if (book.debtFactor[d]! >= 0) set.add(book.debtFactor[d]!)
  return [...set].sort((x, y) => x - y)
}
