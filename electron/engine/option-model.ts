/**
 * The engine's one door to option pricing (electron/engine/options/, a colleague's module). Keeping
 * the calls here means the revaluation loop, the margin formulas and the report agree on a single
 * convention: per unit of underlying, USD, Black–Scholes on the index or Black-76 when a forward
 * is given (F held as a fixed multiple of S when S is shocked).
 */
import { GREEK_STRIDE, impliedVol, optionGreeksInto, optionPrice } from './options/black-scholes'
import { optionPositionRisk, type OptionPositionRisk } from './options/option-position'

/** Value of one option on one unit of underlying. `forward` undefined (or NaN) means none. */
export function optionValue(isCall: boolean, spot: number, strike: number, years: number, rate: number, vol: number, forward?: number): number {
  return optionPrice(isCall, spot, strike, years, rate, vol, forward ?? NaN)
}

/** The volatility that reproduces `price`, or NaN when none does. */
export function impliedVolatility(isCall: boolean, price: number, spot: number, strike: number, years: number, rate: number, forward?: number): number {
  return impliedVol(isCall, price, spot, strike, years, rate, forward ?? NaN) ?? NaN
}

export interface UnitGreeks {
  price: number
  delta: number
  gamma: number
  vegaPerUnitVol: number
  thetaPerYear: number
}

const scratch = new Float64Array(GREEK_STRIDE)

/** Analytic price and Greeks per unit of underlying (no finite differences). */
export function optionUnitGreeks(isCall: boolean, spot: number, strike: number, years: number, rate: number, vol: number, forward?: number): UnitGreeks {
  optionGreeksInto(isCall, spot, strike, years, rate, vol, forward ?? NaN, scratch, 0)
  return { price: scratch[0]!, delta: scratch[1]!, gamma: scratch[2]!, vegaPerUnitVol: scratch[3]!, thetaPerYear: scratch[4]! }
}

/**
 * Position-level figures (value and Greeks of q contracts, USD; premium-adjusted coin delta for
 * inverse options) as the options module defines them, so the report and the module cannot drift.
 */
export function optionPositionFigures(
  isCall: boolean,
  inverse: boolean,
  quantity: number,
  contractSize: number,
  spot: number,
  strike: number,
  years: number,
  rate: number,
  vol: number,
  forward?: number,
): OptionPositionRisk {
  return optionPositionRisk({
    optionType: isCall ? 'call' : 'put',
    settlement: inverse ? 'inverse' : 'linear',
    quantity,
    contractSize,
    spot,
    strike,
    yearFraction: years,
    rate,
    vol,
    forward,
  })
}
