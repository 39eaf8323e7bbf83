/**
 * Full revaluation of a prepared book under a market scenario: index prices per factor, a volatility
 * shift per factor and the clock moved forward. Allocation-free after `createRevaluation`: the VaR,
 * stress and hedging code calls `revalue(book, scenario, out)` thousands of times with the same `out`.
 *
 * Units: everything here is USD unless a name says otherwise. Equity of an account = collateral at
 * market less haircuts − debts + unrealized PnL of its positions (the contract's definition).
 * How positions move with the index: a perpetual's or future's mark keeps its ratio to the index
 * (the basis scales), an option is repriced with the model plus its constant mark-vs-model offset.
 */
import {
  ACCOUNT_DEFI,
  ACCOUNT_PORTFOLIO,
  KIND_INVERSE,
  KIND_LINEAR,
  KIND_OPTION,
  KIND_SPOT,
  MARGIN_DERIBIT_FUTURES,
  MARGIN_OPTION_STANDARD,
  MARGIN_TIERS,
  type PreparedBook,
} from './book'
import { tieredInitial, tieredMaintenance } from './margin/tiers'
import { DERIBIT_PORTFOLIO, deribitFuturesMarginCoin, portfolioPriceMove, portfolioVolShock, shortOptionMarginUsdPerUnit } from './margin/deribit'
import { optionValue } from './option-model'

export interface Scenario {
  /** Index price of every factor (book.factors order), USD. */
  prices: Float64Array
  /** Absolute implied-volatility shift per factor (0.05 = +5 vol points). */
  volShift: Float64Array
  /** Calendar days the clock moves forward: options decay, T = (expiry − asOf)/365d − days/365. */
  daysForward: number
}

/** The market as the document states it. Callers copy and shock `prices` / `volShift` in place. */
export function baseScenario(book: PreparedBook): Scenario {
  return { prices: book.basePrices.slice(), volShift: new Float64Array(book.factors.length), daysForward: 0 }
}

/** Per-account and total results of one revaluation; reuse one instance across calls. */
export interface Revaluation {
  positionPnlUsd: Float64Array
  accountEquityUsd: Float64Array
  accountMaintenanceUsd: Float64Array
  /** Equity and maintenance of the cross part only (isolated positions and their margin excluded). */
  accountCrossEquityUsd: Float64Array
  accountCrossMaintenanceUsd: Float64Array
  totalEquityUsd: number
  totalPnlUsd: number
  totalMaintenanceUsd: number
}

export function createRevaluation(book: PreparedBook): Revaluation {
  const a = book.accounts.length
  return {
    positionPnlUsd: new Float64Array(book.n),
    accountEquityUsd: new Float64Array(a),
    accountMaintenanceUsd: new Float64Array(a),
    accountCrossEquityUsd: new Float64Array(a),
    accountCrossMaintenanceUsd: new Float64Array(a),
    totalEquityUsd: 0,
    totalPnlUsd: 0,
    totalMaintenanceUsd: 0,
  }
}

const YEAR_DAYS = 365

// ---------------------------------------------------------------------------------------------
// Position primitives. `index` is the underlying's index price in USD under the scenario.

export function quoteUsd(book: PreparedBook, i: number, prices: Float64Array): number {
  const qf = book.posQuoteFactor[i]!
  return qf < 0 ? 1 : prices[qf]!
}

/** Mark of a delta-one position (quote currency) at an index price: the basis ratio is kept. */
export function deltaOneMark(book: PreparedBook, i: number, index: number): number {
  return index * book.posMarkRatio[i]!
}

/** Model value of one unit of an option in USD, with σ' = max((σ + volAdd) × volMul, 0). */
export function optionUnitValueUsd(book: PreparedBook, i: number, index: number, volAdd: number, volMul: number, yearsForward: number): number {
  const years = book.posYears[i]! - yearsForward
  let vol = (book.posVol[i]! + volAdd) * volMul
  if (vol < 0) vol = 0
  const fr = book.posForwardRatio[i]!
  const value = optionValue(book.posIsCall[i] === 1, index, book.posStrike[i]!, years, book.posRate[i]!, vol, fr === fr ? fr * index : undefined)
  // The quoted mark's premium over the model is a market fact the model does not explain: keep it
  // while the option lives, drop it at expiry where only the intrinsic value remains.
  return years > 0 ? value + book.posValueOffset[i]! : value
}

/** Unrealized PnL of position i in USD at an index price. */
export function positionPnlUsd(book: PreparedBook, i: number, index: number, prices: Float64Array, volAdd: number, volMul: number, yearsForward: number): number {
  const q = book.posQty[i]! * book.posSize[i]!
  switch (book.posKind[i]) {
    case KIND_SPOT:
      return q * (index - book.posEntry[i]!) * quoteUsd(book, i, prices)
    case KIND_LINEAR:
      return q * (index * book.posMarkRatio[i]! - book.posEntry[i]!) * quoteUsd(book, i, prices)
    case KIND_INVERSE: {
      // Coin PnL q·size·(1/entry − 1/mark), worth × mark in USD: q·size·(mark/entry − 1).
      const mark = index * book.posMarkRatio[i]!
      return q * (mark / book.posEntry[i]! - 1)
    }
    default: {
      const v = optionUnitValueUsd(book, i, index, volAdd, volMul, yearsForward)
      // Inverse options: entry premium is in the coin, so today it is worth entry × index in USD.
      if (book.posInverse[i] === 1) return q * (v - book.posEntry[i]! * index)
      return q * (v - book.posEntry[i]!) * quoteUsd(book, i, prices)
    }
  }
}

/** The contract's notional in USD: |q|·size·mark (linear), |q|·size (inverse), |q|·size·S (options). */
export function positionNotionalUsd(book: PreparedBook, i: number, index: number, prices: Float64Array): number {
  const q = Math.abs(book.posQty[i]! * book.posSize[i]!)
  switch (book.posKind[i]) {
    case KIND_SPOT:
      return q * index * quoteUsd(book, i, prices)
    case KIND_LINEAR:
      return q * index * book.posMarkRatio[i]! * quoteUsd(book, i, prices)
    case KIND_INVERSE:
      return q
    default:
      return q * index
  }
}

/** Maintenance (which = 0) or initial (which = 1) margin of position i in USD at an index price (standard, non-portfolio margin). */
export function positionMarginUsd(
  book: PreparedBook,
  i: number,
  index: number,
  prices: Float64Array,
  volAdd: number,
  yearsForward: number,
  which: 0 | 1,
): number {
  const q = Math.abs(book.posQty[i]! * book.posSize[i]!)
  switch (book.posMarginModel[i]) {
    case MARGIN_TIERS: {
      const table = book.tiers[book.posTier[i]!]!
      const lev = book.posLeverage[i]!
      const leverage = lev === lev ? lev : undefined
      if (book.posKind[i] === KIND_INVERSE) {
        const mark = index * book.posMarkRatio[i]!
        if (table.unit === 'base') {
          // COIN-M: notional and requirement in the coin, worth × mark in USD.
          const coin = q / mark
          return (which === 0 ? tieredMaintenance(table.rows, coin) : tieredInitial(table.rows, coin, leverage)) * mark
        }
        return which === 0 ? tieredMaintenance(table.rows, q) : tieredInitial(table.rows, q, leverage)
      }
      const qUsd = quoteUsd(book, i, prices)
      if (table.unit === 'base') {
        const coin = q
        const mark = index * book.posMarkRatio[i]!
        return (which === 0 ? tieredMaintenance(table.rows, coin) : tieredInitial(table.rows, coin, leverage)) * mark * qUsd
      }
      const notionalQuote = q * index * book.posMarkRatio[i]!
      return (which === 0 ? tieredMaintenance(table.rows, notionalQuote) : tieredInitial(table.rows, notionalQuote, leverage)) * qUsd
    }
    case MARGIN_DERIBIT_FUTURES: {
      const mark = index * book.posMarkRatio[i]!
      const coin = book.posKind[i] === KIND_INVERSE ? q / mark : q
      const m = deribitFuturesMarginCoin(book.deribitFutures[book.posDeribit[i]!]!, coin)
      return (which === 0 ? m.maintenance : m.initial) * mark
    }
    case MARGIN_OPTION_STANDARD: {
      if (book.posQty[i]! > 0) return 0
      const v = optionUnitValueUsd(book, i, index, volAdd, 1, yearsForward)
      const m = shortOptionMarginUsdPerUnit(book.posIsCall[i] === 1, index, book.posStrike[i]!, v)
      return q * (which === 0 ? m.maintenance : m.initial)
    }
    default:
      return 0
  }
}

/**
 * Isolated margin of position i in USD: quote units for linear; for inverse the coin is valued at
 * the position's mark, the same rate its coin PnL is converted at, so the USD margin ratio equals
 * the coin margin ratio the venue computes.
 */
export function isolatedMarginUsd(book: PreparedBook, i: number, index: number, prices: Float64Array): number {
  const m = book.posIsolatedMargin[i]!
  if (m !== m) return 0
  return book.posInverse[i] === 1 ? m * index * book.posMarkRatio[i]! : m * quoteUsd(book, i, prices)
}

// ---------------------------------------------------------------------------------------------
// Accounts.

/** Scratch result of evaluating one account; reuse an instance. */
export interface AccountEval {
  collateralUsd: number
  /** Collateral at market without haircuts, × liquidation thresholds (DeFi health factor numerator). */
  collateralThresholdUsd: number
  collateralRawUsd: number
  debtUsd: number
  pnlUsd: number
  equityUsd: number
  maintenanceUsd: number
  crossEquityUsd: number
  crossMaintenanceUsd: number
}

export function createAccountEval(): AccountEval {
  return {
    collateralUsd: 0,
    collateralThresholdUsd: 0,
    collateralRawUsd: 0,
    debtUsd: 0,
    pnlUsd: 0,
    equityUsd: 0,
    maintenanceUsd: 0,
    crossEquityUsd: 0,
    crossMaintenanceUsd: 0,
  }
}

function assetUsd(factor: number, prices: Float64Array): number {
  return factor < 0 ? 1 : prices[factor]!
}

/**
 * Evaluates account `a` under (prices, volShift, daysForward) into `out`. With `withMargin` false
 * the maintenance figures are left at 0 (a VaR run needs only equity).
 */
export function evaluateAccount(
  book: PreparedBook,
  a: number,
  prices: Float64Array,
  volShift: Float64Array,
  daysForward: number,
  withMargin: boolean,
  out: AccountEval,
  pnlOut?: Float64Array,
): AccountEval {
  let coll = 0
  let collT = 0
  let collRaw = 0
  for (let c = book.collStart[a]!, end = book.collStart[a + 1]!; c < end; c++) {
    const v = book.collAmount[c]! * assetUsd(book.collFactor[c]!, prices)
    collRaw += v
    coll += v * (1 - book.collHaircut[c]!)
    collT += v * book.collThreshold[c]!
  }
  let debt = 0
  for (let d = book.debtStart[a]!, end = book.debtStart[a + 1]!; d < end; d++) debt += book.debtAmount[d]! * assetUsd(book.debtFactor[d]!, prices)

  const yearsForward = daysForward / YEAR_DAYS
  const regime = book.accounts[a]!.regime
  let pnl = 0
  let isoOut = 0 // isolated margin + isolated PnL: what the cross part cannot use
  let mmCross = 0
  let mmIso = 0
  for (let k = book.accStart[a]!, end = book.accStart[a + 1]!; k < end; k++) {
    const i = book.posOfAccount[k]!
    const f = book.posFactor[i]!
    const index = prices[f]!
    const p = positionPnlUsd(book, i, index, prices, volShift[f]!, 1, yearsForward)
    if (pnlOut) pnlOut[i] = p
    pnl += p
    const iso = book.posIsolated[i] === 1 && regime !== ACCOUNT_PORTFOLIO
    if (iso) isoOut += isolatedMarginUsd(book, i, index, prices) + p
    if (withMargin && regime !== ACCOUNT_PORTFOLIO) {
      const mm = positionMarginUsd(book, i, index, prices, volShift[f]!, yearsForward, 0)
      if (iso) mmIso += mm
      else mmCross += mm
    }
  }
  if (withMargin && regime === ACCOUNT_PORTFOLIO) mmCross = portfolioMaintenanceUsd(book, a, prices, volShift, daysForward)

  const equity = coll - debt + pnl
  out.collateralUsd = coll
  out.collateralThresholdUsd = collT
  out.collateralRawUsd = collRaw
  out.debtUsd = debt
  out.pnlUsd = pnl
  out.equityUsd = equity
  if (regime === ACCOUNT_DEFI) {
    // Liquidation when Σ collateral × threshold = debt, i.e. when equity (no haircuts) falls to
    // Σ collateral × (1 − threshold): that is the maintenance requirement of a lending account.
    out.maintenanceUsd = withMargin ? collRaw - collT : 0
    out.crossEquityUsd = collRaw - debt + pnl
    out.crossMaintenanceUsd = out.maintenanceUsd
  } else {
    out.maintenanceUsd = mmCross + mmIso
    out.crossEquityUsd = equity - isoOut
    out.crossMaintenanceUsd = mmCross
  }
  return out
}

/** Reused across calls: portfolio margin revalues positions on a grid without allocating. */
let pmScratch = new Float64Array(64)

/**
 * Deribit-style portfolio maintenance margin of account a, USD: for each underlying, the worst loss
 * of its positions over price moves of ±M (a uniform grid) combined with implied-volatility shocks
 * down / none / up of (30/days)^0.30 × 38 % (relative), plus contingencies: 0.01 coin per short
 * option contract unit and 1 % of the offsetting futures notional. Underlyings do not offset.
 */
export function portfolioMaintenanceUsd(book: PreparedBook, a: number, prices: Float64Array, volShift: Float64Array, daysForward: number): number {
  const start = book.accStart[a]!
  const end = book.accStart[a + 1]!
  if (end === start) return 0
  const p = DERIBIT_PORTFOLIO
  const steps = p.priceSteps
  const yearsForward = daysForward / YEAR_DAYS
  if (pmScratch.length < end - start) pmScratch = new Float64Array(2 * (end - start))
  let total = 0
  // Each factor once: positions of the account are visited per factor on first sight.
  for (let k = start; k < end; k++) {
    const f = book.posFactor[book.posOfAccount[k]!]!
    let seen = false
    for (let j = start; j < k; j++) if (book.posFactor[book.posOfAccount[j]!]! === f) seen = true
    if (seen) continue
    const index = prices[f]!
    const move = portfolioPriceMove(book.factors[f]!)
    let base = 0
    let longCoin = 0
    let shortCoin = 0
    let shortOptions = 0
    for (let j = k; j < end; j++) {
      const i = book.posOfAccount[j]!
      if (book.posFactor[i] !== f) continue
      base += positionPnlUsd(book, i, index, prices, volShift[f]!, 1, yearsForward)
      const q = book.posQty[i]! * book.posSize[i]!
      if (book.posKind[i] === KIND_OPTION) {
        if (q < 0) shortOptions += -q
        const yearsLeft = book.posYears[i]! - yearsForward
        pmScratch[j - start] = portfolioVolShock(yearsLeft * YEAR_DAYS)
      } else if (book.posKind[i] !== KIND_SPOT) {
        const coin = book.posKind[i] === KIND_INVERSE ? q / (index * book.posMarkRatio[i]!) : q
        if (coin > 0) longCoin += coin
        else shortCoin -= coin
      }
    }
    let worst = 0
    for (let s = 0; s < steps; s++) {
      const shocked = index * (1 - move + (2 * move * s) / (steps - 1))
      for (let v = -1; v <= 1; v++) {
        let value = 0
        for (let j = k; j < end; j++) {
          const i = book.posOfAccount[j]!
          if (book.posFactor[i] !== f) continue
          const volMul = book.posKind[i] === KIND_OPTION ? 1 + v * pmScratch[j - start]! : 1
          value += positionPnlUsd(book, i, shocked, prices, volShift[f]!, volMul, yearsForward)
        }
        const loss = base - value
        if (loss > worst) worst = loss
      }
    }
    total += worst + shortOptions * p.shortOptionContingencyCoin * index + Math.min(longCoin, shortCoin) * p.futuresOffsetContingency * index
  }
  return total
}

const accountScratch = createAccountEval()

/**
 * Revalues the whole book under `scenario` into `out` (and returns it). Set `withMargin` false for
 * equity only (VaR), true (default) to get maintenance margins too (stress, liquidation checks).
 */
export function revalue(book: PreparedBook, scenario: Scenario, out: Revaluation, withMargin = true): Revaluation {
  let eq = 0
  let pnl = 0
  let mm = 0
  const accounts = book.accounts.length
  for (let a = 0; a < accounts; a++) {
    const r = evaluateAccount(book, a, scenario.prices, scenario.volShift, scenario.daysForward, withMargin, accountScratch, out.positionPnlUsd)
    out.accountEquityUsd[a] = r.equityUsd
    out.accountMaintenanceUsd[a] = r.maintenanceUsd
    out.accountCrossEquityUsd[a] = r.crossEquityUsd
    out.accountCrossMaintenanceUsd[a] = r.crossMaintenanceUsd
    eq += r.equityUsd
    pnl += r.pnlUsd
    mm += r.maintenanceUsd
  }
  out.totalEquityUsd = eq
  out.totalPnlUsd = pnl
  out.totalMaintenanceUsd = mm
  return out
}

/** Initial margin of account a at the scenario, USD (portfolio accounts: IM = 1.3 × MM, an assumption). */
export function accountInitialUsd(book: PreparedBook, a: number, prices: Float64Array, volShift: Float64Array, daysForward: number): number {
  const regime = book.accounts[a]!.regime
  if (regime === ACCOUNT_PORTFOLIO) return DERIBIT_PORTFOLIO.initialToMaintenance * portfolioMaintenanceUsd(book, a, prices, volShift, daysForward)
  let im = 0
  const yearsForward = daysForward / YEAR_DAYS
  for (let k = book.accStart[a]!, end = book.accStart[a + 1]!; k < end; k++) {
    const i = book.posOfAccount[k]!
    const f = book.posFactor[i]!
    im += positionInitialUsd(book, i, prices[f]!, prices, volShift[f]!, yearsForward)
  }
  return im
}

/** Initial margin of one position, USD: its isolated margin when it has one, else the venue's rule. */
export function positionInitialUsd(book: PreparedBook, i: number, index: number, prices: Float64Array, volAdd: number, yearsForward: number): number {
  if (book.posIsolated[i] === 1) return isolatedMarginUsd(book, i, index, prices)
  return positionMarginUsd(book, i, index, prices, volAdd, yearsForward, 1)
}

export { KIND_LINEAR, KIND_INVERSE, KIND_OPTION, KIND_SPOT }
