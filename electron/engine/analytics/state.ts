/**
 * Margin state of accounts and isolated positions under a scenario, by the engine's own rules:
 * the same conditions crossLiquidation() and isolatedMarginRatioAtMark() solve for, so a stress or
 * cascade flags an account exactly when its reported liquidation price has been crossed.
 */
import { ACCOUNT_DEFI, ACCOUNT_PORTFOLIO, KIND_OPTION, KIND_SPOT, type PreparedBook } from '../book'
import { isolatedMarginRatioAtMark } from '../liquidation'
import { createAccountEval, evaluateAccount, isolatedMarginUsd, positionMarginUsd, positionPnlUsd, type AccountEval } from '../revalue'

export interface AccountState {
  equityUsd: number
  maintenanceUsd: number
  /** The report's margin ratio (maintenance / equity; DeFi: debt / threshold-weighted collateral); null when equity ≤ 0. */
  marginRatio: number | null
  /** Cross part (DeFi: health) at or beyond its liquidation condition. */
  liquidatable: boolean
  /** Cross equity − cross maintenance (DeFi: Σ collateral × threshold − debt): liquidation at ≤ 0. */
  cushionUsd: number
  hasExposure: boolean
}

const scratch: AccountEval = createAccountEval()

/** `cashUsd` is money the account gained or lost outside the book (a cascade's forfeited isolated margin). */
export function accountState(book: PreparedBook, a: number, prices: Float64Array, volShift: Float64Array, daysForward: number, cashUsd = 0): AccountState {
  const r = evaluateAccount(book, a, prices, volShift, daysForward, true, scratch)
  r.equityUsd += cashUsd
  r.crossEquityUsd += cashUsd
  const defi = book.accounts[a]!.regime === ACCOUNT_DEFI
  let hasCross = false
  let hasAny = false
  for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
    const i = book.posOfAccount[k]!
    if (book.posQty[i] === 0) continue
    hasAny = true
    if (book.posIsolated[i] !== 1 || book.accounts[a]!.regime === ACCOUNT_PORTFOLIO) hasCross = true
  }
  if (defi) {
    const cushion = r.collateralThresholdUsd - r.debtUsd
    return {
      equityUsd: r.equityUsd,
      maintenanceUsd: r.maintenanceUsd,
      marginRatio: r.debtUsd > 0 ? (r.collateralThresholdUsd > 0 ? r.debtUsd / r.collateralThresholdUsd : null) : 0,
      liquidatable: r.debtUsd > 0 && cushion <= 0,
      cushionUsd: cushion,
      hasExposure: r.debtUsd > 0 || hasAny,
    }
  }
  const cushion = r.crossEquityUsd - r.crossMaintenanceUsd
  return {
    equityUsd: r.equityUsd,
    maintenanceUsd: r.maintenanceUsd,
    marginRatio: r.equityUsd > 0 ? r.maintenanceUsd / r.equityUsd : null,
    liquidatable: hasCross && cushion <= 0,
    cushionUsd: cushion,
    hasExposure: hasAny,
  }
}

/**
 * Isolated margin ratio of position i under a scenario (liquidation at ≥ 1), by the venue's rule for
 * delta-one positions (Bybit at entry, the others at the mark); null when the position is not isolated.
 */
export function isolatedRatio(book: PreparedBook, i: number, prices: Float64Array, volShift: Float64Array, daysForward: number): number | null {
  if (book.posIsolated[i] !== 1 || book.accounts[book.posAccount[i]!]!.regime === ACCOUNT_PORTFOLIO || book.posQty[i] === 0) return null
  if (book.posKind[i] === KIND_SPOT) return null
  const f = book.posFactor[i]!
  const index = prices[f]!
  if (book.posKind[i] !== KIND_OPTION) {
    const r = isolatedMarginRatioAtMark(book, i, index * book.posMarkRatio[i]!)
    return Number.isFinite(r) ? (r < 0 ? Infinity : r) : Infinity
  }
  const years = daysForward / 365
  const balance = isolatedMarginUsd(book, i, index, prices) + positionPnlUsd(book, i, index, prices, volShift[f]!, 1, years)
  const mm = positionMarginUsd(book, i, index, prices, volShift[f]!, years, 0)
  return balance > 0 ? mm / balance : mm > 0 ? Infinity : 0
}
