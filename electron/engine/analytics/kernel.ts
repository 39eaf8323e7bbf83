/**
 * The equity of every account under many price scenarios, fast: the inner loop of historical and
 * Monte Carlo VaR, payoff curves and heatmaps.
 *
 * Collateral, debts and every delta-one position quoted in USD have an equity contribution that is
 * AFFINE in one factor's index price (a linear perpetual: q·(S·m − entry); an inverse one:
 * q·(S·m/entry − 1)). Those are folded once into per-account coefficients, so a scenario costs
 * accounts × factors multiply-adds plus a model revaluation of the rest (options, products quoted
 * in another currency), done by the engine's own positionPnlUsd.
 *
 * The coefficients are not re-derived from formulas here: each position's slope and intercept come
 * from the engine's positionPnlUsd at two prices, and a third price must confirm the position is
 * affine (to 1e-9 relative) before it is folded; anything else is revalued per scenario. A change to
 * how the engine values a delta-one position therefore cannot make this kernel disagree with
 * revalue() (revalue.spec-style checks in kernel.spec.ts compare the two on random scenarios).
 */
import { KIND_OPTION, type PreparedBook } from '../book'
import { positionPnlUsd } from '../revalue'

export interface CompiledEquity {
  accounts: number
  factors: number
  /** Per account: USD constant and USD per unit of each factor's price (accounts × factors). */
  constUsd: Float64Array
  coefUsd: Float64Array
  /** Positions revalued per scenario, grouped by account: rest[restStart[a] .. restStart[a+1]). */
  rest: Int32Array
  restStart: Int32Array
}

function assetUsd(factor: number, prices: Float64Array): number {
  return factor < 0 ? 1 : prices[factor]!
}

export function compileEquity(book: PreparedBook): CompiledEquity {
  const A = book.accounts.length
  const F = book.factors.length
  const constUsd = new Float64Array(A)
  const coefUsd = new Float64Array(A * F)
  const rest: number[] = []
  const restStart = new Int32Array(A + 1)
  const probe = book.basePrices.slice()
  for (let a = 0; a < A; a++) {
    restStart[a] = rest.length
    // Collateral and debts: the same expressions as evaluateAccount (amount × price × (1 − haircut)).
    for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) {
      const f = book.collFactor[c]!
      const v = book.collAmount[c]! * (1 - book.collHaircut[c]!)
      if (f < 0) constUsd[a]! += v * assetUsd(f, probe)
      else coefUsd[a * F + f]! += v
    }
    for (let d = book.debtStart[a]!; d < book.debtStart[a + 1]!; d++) {
      const f = book.debtFactor[d]!
      if (f < 0) constUsd[a]! -= book.debtAmount[d]!
      else coefUsd[a * F + f]! -= book.debtAmount[d]!
    }
    for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
      const i = book.posOfAccount[k]!
      const f = book.posFactor[i]!
      const affine = book.posKind[i] !== KIND_OPTION && book.posQuoteFactor[i]! < 0 ? affineOf(book, i, f, probe) : null
      if (affine) {
        constUsd[a]! += affine.intercept
        coefUsd[a * F + f]! += affine.slope
      } else rest.push(i)
    }
  }
  restStart[A] = rest.length
  return { accounts: A, factors: F, constUsd, coefUsd, rest: Int32Array.from(rest), restStart }
}

/** Slope and intercept of a position's USD P&L in its factor's price, when the engine's P&L is affine. */
function affineOf(book: PreparedBook, i: number, f: number, probe: Float64Array): { slope: number; intercept: number } | null {
  const s0 = book.basePrices[f]!
  const at = (x: number): number => {
    probe[f] = x
    const v = positionPnlUsd(book, i, x, probe, 0, 1, 0)
    probe[f] = s0
    return v
  }
  const x1 = s0 * 0.5
  const x2 = s0 * 1.5
  const y1 = at(x1)
  const y2 = at(x2)
  const slope = (y2 - y1) / (x2 - x1)
  const intercept = y1 - slope * x1
  const y0 = at(s0)
  const pred = intercept + slope * s0
  const scale = Math.abs(y1) + Math.abs(y2) + Math.abs(slope * s0) + 1e-300
  return Math.abs(pred - y0) <= 1e-9 * scale ? { slope, intercept } : null
}

/**
 * Equity of every account at `prices` (volShift 0, no time moved) into `accountEquity`; returns
 * the total. Allocation-free.
 */
export function evalEquity(c: CompiledEquity, book: PreparedBook, prices: Float64Array, accountEquity: Float64Array): number {
  const F = c.factors
  let total = 0
  for (let a = 0; a < c.accounts; a++) {
    let eq = c.constUsd[a]!
    const row = a * F
    for (let f = 0; f < F; f++) {
      const k = c.coefUsd[row + f]!
      if (k !== 0) eq += k * prices[f]!
    }
    for (let r = c.restStart[a]!, end = c.restStart[a + 1]!; r < end; r++) {
      const i = c.rest[r]!
      eq += positionPnlUsd(book, i, prices[book.posFactor[i]!]!, prices, 0, 1, 0)
    }
    accountEquity[a] = eq
    total += eq
  }
  return total
}
