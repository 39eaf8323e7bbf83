/**
 * Volatility-adjusted leverage caps: the largest leverage at which a k-sigma daily move (k from
 * settings.capSigmaMultiple, default 3) still leaves the position or account clear of maintenance
 * margin.
 *
 * Per position (delta-one; options by their delta-equivalent notional): with leverage L the margin
 * is N/L; an adverse move m loses N·m; maintenance is N·mmr. Clear of maintenance when
 * 1/L − m ≥ mmr, so L_max = 1 / (m + mmr), m = k·σ_daily, mmr the position's effective maintenance
 * rate (maintenance / notional at the current price, tiers applied).
 *
 * Per account: equity must cover a k-sigma daily loss of the account plus its maintenance margin,
 * E ≥ k·σ$ + MM, so the gross-leverage cap is G / (k·σ$ + MM) with G the gross notional and σ$ the
 * daily P&L volatility (exposures × the covariance of the governing vols).
 *
 * σ_daily is the larger of the realized volatility (last capVolWindowDays daily returns, n − 1) and
 * the implied one (annual iv / √365): caps should tighten when either says the market is wild.
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import { ACCOUNT_PORTFOLIO, KIND_OPTION, KIND_SPOT, type PreparedBook } from '../book'
import { isolatedMarginUsd, positionMarginUsd, positionNotionalUsd } from '../revalue'
import { reportNumber, reportNumberOrNull } from '../seam'
import { accountExposures } from './exposures'
import { realizedDailyVol, type MarketHistory } from './history'
import { bilinear } from './linalg'
import type { ResolvedAnalyticsSettings } from './settings'

export interface PositionCap {
  id: string
  account: string
  venue: Venue
  underlying: string
  /** Daily vols as fractions; `governingDailyVol` is the larger, the one the cap uses. */
  realizedDailyVol: number | null
  impliedDailyVol: number | null
  governingDailyVol: number | null
  /** k × governing daily vol: the adverse daily move the cap must survive (fraction). */
  kSigmaMove: number | null
  /** Maintenance margin / notional at the current price. */
  maintenanceRate: number
  /** Largest leverage that survives the k-sigma move; null without a vol. */
  maxLeverage: number | null
  /** Isolated: notional / isolated margin; cross: the position's set leverage, else its account's gross leverage. */
  leverage: number | null
  leverageBasis: 'isolated-margin' | 'position-setting' | 'account'
  aboveCap: boolean
}

export interface AccountCap {
  id: string
  venue: Venue
  /** Daily P&L volatility of the account at the governing vols, USD. */
  dailyVolUsd: number | null
  kSigmaLossUsd: number | null
  maintenanceUsd: number
  equityUsd: number
  grossNotionalUsd: number
  leverage: number | null
  maxLeverage: number | null
  aboveCap: boolean
}

export interface LeverageCaps {
  sigmaMultiple: number
  volWindowDays: number
  positions: PositionCap[]
  accounts: AccountCap[]
  /** Ids of positions and accounts above their cap. */
  flagged: string[]
}

export function leverageCaps(
  doc: PortfolioDocument,
  book: PreparedBook,
  history: MarketHistory,
  settings: ResolvedAnalyticsSettings,
  accountFigures: ReadonlyArray<{ equity: number; maintenanceMargin: number; grossNotional: number; leverage: number | null }>,
): LeverageCaps {
  const k = settings.capSigmaMultiple
  const prices = book.basePrices
  const F = book.factors.length
  const realized = new Map<number, number | null>()
  const implied = new Map<number, number | null>()
  const governing = new Float64Array(F).fill(NaN)
  for (let f = 0; f < F; f++) {
    const name = book.factors[f]!
    const r = realizedDailyVol(doc, name, settings.capVolWindowDays)
    const ivAnnual = doc.market.underlyings[name]?.vol
    const iv = ivAnnual === undefined ? null : ivAnnual / Math.sqrt(365)
    realized.set(f, r)
    implied.set(f, iv)
    const g = Math.max(r ?? -1, iv ?? -1)
    if (g >= 0) governing[f] = g
  }
  const positions: PositionCap[] = []
  for (let i = 0; i < book.n; i++) {
    const p = book.positions[i]!
    const a = book.posAccount[i]!
    const acc = book.accounts[a]!
    const f = book.posFactor[i]!
    const S = prices[f]!
    const notional = positionNotionalUsd(book, i, S, prices)
    const portfolio = acc.regime === ACCOUNT_PORTFOLIO
    const mm = book.posKind[i] === KIND_SPOT || portfolio ? 0 : positionMarginUsd(book, i, S, prices, 0, 0, 0)
    const mmr = notional > 0 ? mm / notional : 0
    const ivPos = book.posKind[i] === KIND_OPTION ? book.posVol[i]! / Math.sqrt(365) : null
    const r = realized.get(f) ?? null
    const iv = ivPos ?? implied.get(f) ?? null
    const g = Math.max(r ?? -1, iv ?? -1)
    const sigma = g >= 0 ? g : null
    const move = sigma === null ? null : k * sigma
    const maxLev = move === null ? null : 1 / (move + mmr)
    let leverage: number | null
    let basis: PositionCap['leverageBasis']
    if (book.posIsolated[i] === 1 && !portfolio) {
      const m = isolatedMarginUsd(book, i, S, prices)
      leverage = m > 0 ? notional / m : null
      basis = 'isolated-margin'
    } else if (p.leverage !== undefined) {
      leverage = p.leverage
      basis = 'position-setting'
    } else {
      leverage = accountFigures[a]?.leverage ?? null
      basis = 'account'
    }
    positions.push({
      id: p.id,
      account: acc.id,
      venue: acc.venue,
      underlying: book.factors[f]!,
      realizedDailyVol: reportNumberOrNull(r),
      impliedDailyVol: reportNumberOrNull(iv),
      governingDailyVol: reportNumberOrNull(sigma),
      kSigmaMove: reportNumberOrNull(move),
      maintenanceRate: reportNumber(mmr),
      maxLeverage: reportNumberOrNull(maxLev),
      leverage: reportNumberOrNull(leverage),
      leverageBasis: basis,
      aboveCap: book.posKind[i] !== KIND_SPOT && maxLev !== null && leverage !== null && leverage > maxLev,
    })
  }

  // Account: σ$ = √(eᵀ D C D e), C the sample correlation of the history where there is one (else
  // market.correlations, else independent), D the governing daily vols.
  const corr = correlationMatrix(doc, book, history)
  const exposures = accountExposures(book)
  const scaled = new Float64Array(F)
  const accounts: AccountCap[] = book.accounts.map((acc, a) => {
    const e = exposures[a]!
    let missingVol = false
    for (let f = 0; f < F; f++) {
      if (e[f] !== 0 && !(governing[f]! >= 0)) missingVol = true
      scaled[f] = e[f]! * (governing[f]! >= 0 ? governing[f]! : 0)
    }
    const fig = accountFigures[a]!
    const dailyVolUsd = missingVol ? null : Math.sqrt(Math.max(0, bilinear(scaled, corr, scaled, F)))
    const loss = dailyVolUsd === null ? null : k * dailyVolUsd
    const need = loss === null ? null : loss + fig.maintenanceMargin
    const maxLev = need === null || need <= 0 ? null : fig.grossNotional / need
    return {
      id: acc.id,
      venue: acc.venue,
      dailyVolUsd: reportNumberOrNull(dailyVolUsd),
      kSigmaLossUsd: reportNumberOrNull(loss),
      maintenanceUsd: fig.maintenanceMargin,
      equityUsd: fig.equity,
      grossNotionalUsd: fig.grossNotional,
      leverage: fig.leverage,
      maxLeverage: reportNumberOrNull(maxLev),
      aboveCap: need !== null && fig.grossNotional > 0 && (fig.equity <= 0 || fig.equity < need),
    }
  })
  return {
    sigmaMultiple: k,
    volWindowDays: settings.capVolWindowDays,
    positions,
    accounts,
    flagged: [...positions.filter((p) => p.aboveCap).map((p) => p.id), ...accounts.filter((a) => a.aboveCap).map((a) => a.id)],
  }
}

/** Correlation of the book's factors: sample (history) first, then market.correlations, else 0 off the diagonal. */
export function correlationMatrix(doc: PortfolioDocument, book: PreparedBook, history: MarketHistory): Float64Array {
  const F = book.factors.length
  const c = new Float64Array(F * F)
  for (let f = 0; f < F; f++) c[f * F + f] = 1
  const pair = (x: string, y: string): number | undefined => doc.market.correlations[`${x}/${y}`] ?? doc.market.correlations[`${y}/${x}`]
  for (let i = 0; i < F; i++) {
    for (let j = i + 1; j < F; j++) {
      const v = pair(book.factors[i]!, book.factors[j]!)
      if (v !== undefined) c[i * F + j] = c[j * F + i] = v
    }
  }
  if (history.usable && history.nDaily >= 2) {
    const H = history.factors.length
    for (let x = 0; x < H; x++) {
      for (let y = x + 1; y < H; y++) {
        const sx = Math.sqrt(history.covDaily[x * H + x]!)
        const sy = Math.sqrt(history.covDaily[y * H + y]!)
        if (sx > 0 && sy > 0) {
          const v = history.covDaily[x * H + y]! / (sx * sy)
          const i = history.factors[x]!
          const j = history.factors[y]!
          c[i * F + j] = c[j * F + i] = v
        }
      }
    }
  }
  return c
}
