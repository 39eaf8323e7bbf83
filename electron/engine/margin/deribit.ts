/**
 * Deribit's standard margin formulas and portfolio-margin parameters (resources/margin-tiers/deribit.json
 * cites the pages). Deribit does not use brackets: a futures position's margin rate grows linearly
 * with its size in the coin, and options carry per-contract formulas in the coin.
 */
import deribit from '../../../resources/margin-tiers/deribit.json'

export interface DeribitFuturesParams {
  initialBase: number
  maintenanceBase: number
  /** Added to both rates per coin of position size (0.5 % per 100 BTC = 0.00005). */
  ratePerCoin: number
}

const FUTURES = deribit.futures as Record<string, DeribitFuturesParams>
/** For an underlying Deribit has no published parameters for, BTC's are the conservative stand-in. */
const FALLBACK_FUTURES: DeribitFuturesParams = FUTURES['BTC']!

export const DERIBIT_OPTIONS = deribit.options
export const DERIBIT_PORTFOLIO = deribit.portfolio

export function deribitFuturesParams(underlying: string): DeribitFuturesParams {
  return FUTURES[underlying] ?? FALLBACK_FUTURES
}

/**
 * Deribit futures margins for a position of `sizeCoin` coins, in coins.
 * Rate = base + sizeCoin × ratePerCoin (e.g. 25 BTC: 2 % + 25 × 0.005 % = 2.125 %).
 */
export function deribitFuturesMarginCoin(params: DeribitFuturesParams, sizeCoin: number): { initial: number; maintenance: number } {
  const size = Math.abs(sizeCoin)
  return {
    initial: size * (params.initialBase + size * params.ratePerCoin),
    maintenance: size * (params.maintenanceBase + size * params.ratePerCoin),
  }
}

/**
 * Standard (non-portfolio) option margins per unit of underlying, in USD, for a SHORT option; long
 * options need none beyond the premium already paid. Deribit states the formulas in the coin
 * (per contract of one coin); multiplying every term by the index price S gives the USD figure, so
 * `markUsd` is the option's USD value per unit and `otmUsd` its out-of-the-money amount per unit.
 *
 *   short call: IM = max(0.15 − OTM/S, 0.1)·S + mark        MM = 0.075·S + mark
 *   short put:  IM = max(max(0.15 − OTM/S, 0.1)·S + mark, MM)  MM = max(0.075·S, 0.075·mark) + mark
 */
export function shortOptionMarginUsdPerUnit(
  isCall: boolean,
  index: number,
  strike: number,
  markUsd: number,
): { initial: number; maintenance: number } {
  const o = DERIBIT_OPTIONS
  const otm = isCall ? Math.max(strike - index, 0) : Math.max(index - strike, 0)
  const base = Math.max(o.shortInitialBase - otm / index, o.shortInitialFloor) * index + markUsd
  if (isCall) return { initial: base, maintenance: o.shortMaintenance * index + markUsd }
  const maintenance = Math.max(o.shortMaintenance * index, o.shortMaintenance * markUsd) + markUsd
  return { initial: Math.max(base, maintenance), maintenance }
}

/**
 * Portfolio-margin implied-volatility shock for an option with `daysToExpiry` days left, as a
 * relative change of the volatility: (30 / days)^0.30 × 38 % (Deribit's published parameters).
 * Days are floored at one so an expiring option does not get an infinite shock.
 */
export function portfolioVolShock(daysToExpiry: number): number {
  const p = DERIBIT_PORTFOLIO
  return Math.pow(30 / Math.max(daysToExpiry, 1), p.volShockPower) * p.volShockAtThirtyDays
}

export function portfolioPriceMove(underlying: string): number {
  const moves = DERIBIT_PORTFOLIO.priceMove as Record<string, number>
  return moves[underlying] ?? moves['default'] ?? 0.15
}
