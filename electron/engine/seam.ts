/**
 * THE seam between ledger decimals and model floats.
 *
 * Money, prices and quantities arrive as canonical decimal strings (the portfolio document) and
 * leave as JSON numbers (the risk report). Everything between is float64: the engine revalues a
 * book thousands of times per VaR run, and decimal.js is three orders of magnitude slower there.
 * Converting in exactly one place keeps the loss of exactness visible and auditable: grep for
 * `decimalToFloat` to find every spot where a ledger figure becomes a model input.
 */
import { Decimal } from '../shared/decimal'

/**
 * A document decimal as float64. `Number()` on a plain decimal string is correctly rounded
 * (IEEE round-to-nearest), so this is the best float for the ledger value, never a chain of
 * float operations.
 */
export function decimalToFloat(value: string): number {
  const x = Number(value)
  if (!Number.isFinite(x)) throw new RangeError(`not a finite decimal: ${JSON.stringify(value)}`)
  return x
}

export function optionalDecimalToFloat(value: string | undefined): number | undefined {
  return value === undefined ? undefined : decimalToFloat(value)
}

/** A model float as an exact decimal string (shortest round-trip form), for `*Exact` style outputs. */
export function floatToDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not finite: ${value}`)
  return new Decimal(value.toString()).toFixed()
}

/**
 * Report numbers: float sums carry noise in the 16th digit (32505 x 0.0001 x 3 = 9.751500000000002).
 * Ten significant digits remove that noise and keep far more precision than any risk decision uses.
 */
export function reportNumber(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value
  return Number(value.toPrecision(10))
}

/**
 * Prices derived by a model (liquidation prices) are shown as an exchange shows them: to the cent,
 * with at least seven significant digits for small prices (a 0.0000123 token keeps its digits).
 */
export function reportPrice(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value
  const magnitude = Math.ceil(Math.log10(Math.abs(value)))
  const decimals = Math.min(12, Math.max(2, 7 - magnitude))
  return Number(value.toFixed(decimals))
}

export function reportNumberOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : reportNumber(value)
}

export function reportPriceOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : reportPrice(value)
}
