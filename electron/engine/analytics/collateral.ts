/**
 * Collateral quality: what each collateral holding is worth after its haircut, how it moves with the
 * positions it backs, and what it is worth after a bad day.
 *
 * Wrong-way risk: the correlation between the collateral's value change and the P&L of the
 * account's positions, from the factor covariance (corr = e_cᵀΣe_p / √(e_cᵀΣe_c · e_pᵀΣe_p)).
 * Positive means the collateral falls when the positions lose (BTC backing a BTC long: +1); negative
 * means it offsets them (BTC backing a short inverse perpetual: −1). Stablecoins carry no price risk
 * here (a depeg is not modelled).
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import type { PreparedBook } from '../book'
import { reportNumber, reportNumberOrNull } from '../seam'
import { correlationMatrix } from './caps'
import { positionExposureInto } from './exposures'
import { realizedDailyVol, worstDailyReturn, type MarketHistory } from './history'
import { bilinear } from './linalg'
import type { ResolvedAnalyticsSettings } from './settings'

/** Correlation above which a holding is flagged as wrong-way collateral. */
export const WRONG_WAY_THRESHOLD = 0.3

export interface CollateralHolding {
  account: string
  venue: Venue
  asset: string
  amount: number
  valueUsd: number
  haircut: number
  valueAfterHaircutUsd: number
  /** Daily vol used (the larger of realized and implied), fraction; null for USD-like assets. */
  dailyVol: number | null
  /** Correlation of the holding's value change with the account's positions' P&L; null without positions or price risk. */
  correlationWithPositions: number | null
  wrongWay: boolean
  /** Value after haircut after a k-sigma daily fall of the asset. */
  stressedValueUsd: number
  /** The asset's worst daily return in its history and the value after haircut after it. */
  worstDay: { date: string; return: number; valueAfterUsd: number } | null
  note: string
}

export interface CollateralQuality {
  holdings: CollateralHolding[]
  /** Per account: totals after haircut, stressed, and the share of collateral that is wrong-way. */
  accounts: Array<{ id: string; venue: Venue; valueAfterHaircutUsd: number; stressedValueUsd: number; wrongWayShare: number }>
}

export function collateralQuality(doc: PortfolioDocument, book: PreparedBook, history: MarketHistory, settings: ResolvedAnalyticsSettings): CollateralQuality {
  const F = book.factors.length
  const prices = book.basePrices
  const k = settings.capSigmaMultiple
  const corr = correlationMatrix(doc, book, history)
  const vol = new Float64Array(F).fill(NaN)
  for (let f = 0; f < F; f++) {
    const name = book.factors[f]!
    const r = realizedDailyVol(doc, name, settings.capVolWindowDays)
    const iv = doc.market.underlyings[name]?.vol
    const g = Math.max(r ?? -1, iv === undefined ? -1 : iv / Math.sqrt(365))
    if (g >= 0) vol[f] = g
  }
  const cov = new Float64Array(F * F)
  for (let i = 0; i < F; i++) for (let j = 0; j < F; j++) cov[i * F + j] = corr[i * F + j]! * (vol[i]! >= 0 ? vol[i]! : 0) * (vol[j]! >= 0 ? vol[j]! : 0)

  const worstCache = new Map<number, ReturnType<typeof worstDailyReturn>>()
  const worstOf = (f: number): ReturnType<typeof worstDailyReturn> => {
    if (!worstCache.has(f)) worstCache.set(f, worstDailyReturn(doc, book.factors[f]!))
    return worstCache.get(f)!
  }
  const holdings: CollateralHolding[] = []
  const accounts: CollateralQuality['accounts'] = []
  const docAccounts = new Map(doc.accounts.map((a) => [a.id, a]))
  book.accounts.forEach((acc, a) => {
    const ep = new Float64Array(F)
    for (let kk = book.accStart[a]!; kk < book.accStart[a + 1]!; kk++) positionExposureInto(book, book.posOfAccount[kk]!, prices, ep)
    const positionRisk = bilinear(ep, cov, ep, F)
    const assets = docAccounts.get(acc.id)?.collateral ?? []
    let total = 0
    let stressed = 0
    let wrongWay = 0
    let idx = 0
    for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++, idx++) {
      const f = book.collFactor[c]!
      const amount = book.collAmount[c]!
      const h = book.collHaircut[c]!
      const px = f < 0 ? 1 : prices[f]!
      const value = amount * px
      const after = value * (1 - h)
      const asset = assets[idx]?.asset ?? (f < 0 ? 'USD' : book.factors[f]!)
      let correlation: number | null = null
      let dailyVol: number | null = null
      let stressedValue = after
      let worst: CollateralHolding['worstDay'] = null
      let note: string
      if (f < 0) {
        note = 'USD-like: no price risk modelled (a depeg is not)'
      } else {
        dailyVol = vol[f]! >= 0 ? vol[f]! : null
        if (dailyVol !== null) stressedValue = after * Math.max(0, 1 - k * dailyVol)
        const ec = new Float64Array(F)
        ec[f] = after
        const cRisk = bilinear(ec, cov, ec, F)
        if (positionRisk > 0 && cRisk > 0) correlation = bilinear(ec, cov, ep, F) / Math.sqrt(cRisk * positionRisk)
        const w = worstOf(f)
        if (w) worst = { date: w.date, return: reportNumber(w.ret), valueAfterUsd: reportNumber(after * (1 + w.ret)) }
        note =
          correlation === null
            ? 'no positions to compare with'
            : correlation > WRONG_WAY_THRESHOLD
              ? `wrong-way: falls when the account's positions lose (correlation ${correlation.toFixed(2)})`
              : correlation < -WRONG_WAY_THRESHOLD
                ? `offsets the account's positions (correlation ${correlation.toFixed(2)})`
                : `little related to the account's positions (correlation ${correlation.toFixed(2)})`
      }
      const isWrongWay = correlation !== null && correlation > WRONG_WAY_THRESHOLD
      total += after
      stressed += stressedValue
      if (isWrongWay) wrongWay += after
      holdings.push({
        account: acc.id,
        venue: acc.venue,
        asset,
        amount: reportNumber(amount),
        valueUsd: reportNumber(value),
        haircut: h,
        valueAfterHaircutUsd: reportNumber(after),
        dailyVol: reportNumberOrNull(dailyVol),
        correlationWithPositions: reportNumberOrNull(correlation),
        wrongWay: isWrongWay,
        stressedValueUsd: reportNumber(stressedValue),
        worstDay: worst,
        note,
      })
    }
    accounts.push({ id: acc.id, venue: acc.venue, valueAfterHaircutUsd: reportNumber(total), stressedValueUsd: reportNumber(stressed), wrongWayShare: total > 0 ? reportNumber(wrongWay / total) : 0 })
  })
  return { holdings, accounts }
}
