/**
 * First-order sensitivities of account equity to each price factor, in USD per unit RELATIVE move:
 * e[a][f] = S_f · ∂Equity_a/∂S_f (a 1 % rise of factor f changes the account's equity by 0.01·e).
 * Delta-normal VaR is built on them, and the hedges and caps read them too.
 *
 * Derived analytically from the very expressions revalue.ts uses for equity, so they are exact
 * derivatives of what historical and Monte Carlo VaR revalue (a spec checks them against finite
 * differences of revalue()):
 *   collateral      amount · S · (1 − haircut)            → amount · S · (1 − haircut)
 *   debt            −amount · S                            → −amount · S
 *   spot            q · (S − entry) · Q                    → S: q·S·Q;  quote: q·(S − entry)·Q
 *   linear          q · (S·m − entry) · Q                  → S: q·S·m·Q; quote: q·(S·m − entry)·Q
 *   inverse         q · (S·m/entry − 1)                    → S: q·S·m/entry
 *   linear option   q · (v(S) − entry) · Q                 → S: q·Δ·S·Q; quote: q·(v − entry)·Q
 *   inverse option  q · (v(S) − entry·S)                   → S: q·(Δ − entry)·S
 * with q = quantity × contract size, m the mark/index ratio, Q the quote's USD price, Δ = ∂v/∂S.
 */
import { KIND_INVERSE, KIND_LINEAR, KIND_OPTION, KIND_SPOT, type PreparedBook } from '../book'
import { optionUnitGreeks } from '../option-model'
import { optionUnitValueUsd, quoteUsd } from '../revalue'

/** Per account, a Float64Array over book.factors: USD per unit relative move of the factor. */
export function accountExposures(book: PreparedBook, prices: Float64Array = book.basePrices): Float64Array[] {
  const F = book.factors.length
  const out = book.accounts.map(() => new Float64Array(F))
  for (let a = 0; a < book.accounts.length; a++) {
    const e = out[a]!
    for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) {
      const f = book.collFactor[c]!
      if (f >= 0) e[f]! += book.collAmount[c]! * prices[f]! * (1 - book.collHaircut[c]!)
    }
    for (let d = book.debtStart[a]!; d < book.debtStart[a + 1]!; d++) {
      const f = book.debtFactor[d]!
      if (f >= 0) e[f]! -= book.debtAmount[d]! * prices[f]!
    }
    for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) positionExposureInto(book, book.posOfAccount[k]!, prices, e)
  }
  return out
}

/**
 * Adds position i's exposures (USD per unit relative move) into `e`. `volAdd` and `yearsForward`
 * evaluate an option's delta under a shifted vol and a later clock (stress paths).
 */
export function positionExposureInto(book: PreparedBook, i: number, prices: Float64Array, e: Float64Array, volAdd = 0, yearsForward = 0): void {
  const f = book.posFactor[i]!
  const qf = book.posQuoteFactor[i]!
  const S = prices[f]!
  const q = book.posQty[i]! * book.posSize[i]!
  const Q = quoteUsd(book, i, prices)
  const entry = book.posEntry[i]!
  switch (book.posKind[i]) {
    case KIND_SPOT:
      e[f]! += q * S * Q
      if (qf >= 0) e[qf]! += q * (S - entry) * Q
      return
    case KIND_LINEAR: {
      const m = book.posMarkRatio[i]!
      e[f]! += q * S * m * Q
      if (qf >= 0) e[qf]! += q * (S * m - entry) * Q
      return
    }
    case KIND_INVERSE:
      e[f]! += (q * S * book.posMarkRatio[i]!) / entry
      return
    case KIND_OPTION: {
      const fr = book.posForwardRatio[i]!
      const vol = Math.max(0, book.posVol[i]! + volAdd)
      const g = optionUnitGreeks(book.posIsCall[i] === 1, S, book.posStrike[i]!, book.posYears[i]! - yearsForward, book.posRate[i]!, vol, fr === fr ? fr * S : undefined)
      if (book.posInverse[i] === 1) {
        e[f]! += q * (g.delta - entry) * S
      } else {
        e[f]! += q * g.delta * S * Q
        if (qf >= 0) e[qf]! += q * (optionUnitValueUsd(book, i, S, volAdd, 1, yearsForward) - entry) * Q
      }
      return
    }
  }
}

/** Sum of account exposures. */
export function totalExposure(perAccount: readonly Float64Array[], F: number): Float64Array {
  const t = new Float64Array(F)
  for (const e of perAccount) for (let f = 0; f < F; f++) t[f]! += e[f]!
  return t
}
