import DecimalBase from 'decimal.js'

/**
 * The one Decimal constructor of Fulcrum. Ledger money, prices and quantities are exact decimals;
 * model maths (Greeks, VaR, simulation) is float64 and converts at a named seam (see engine/seam.ts).
 *
 * A private clone so no library can change our precision or rounding behind our back. 34 significant
 * digits is IEEE decimal128, ample for any exchange quantity; half-even avoids a drift in long sums.
 */
export const Decimal = DecimalBase.clone({
  precision: 34,
  rounding: DecimalBase.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
})
export type Decimal = InstanceType<typeof Decimal>

/** Plain decimal notation only: no exponent, no thousands separators, no leading '+'. */
export const DECIMAL_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/

export class DecimalParseError extends Error {
  constructor(readonly input: unknown) {
    super(`not a decimal number: ${JSON.stringify(input)}`)
    this.name = 'DecimalParseError'
  }
}

/** Parses a decimal string from the wire. Never accepts a JS number: floats must not enter the ledger. */
export function dec(input: string): Decimal {
  if (typeof input !== 'string' || !DECIMAL_RE.test(input)) throw new DecimalParseError(input)
  return new Decimal(input)
}

export function isDecimalString(input: unknown): input is string {
  return typeof input === 'string' && DECIMAL_RE.test(input)
}

/** Canonical wire form: plain notation, no trailing zeros, "-0" folded to "0". */
export function decToString(value: Decimal): string {
  if (!value.isFinite()) throw new DecimalParseError(value.toString())
  if (value.isZero()) return '0'
  return value.toFixed()
}

/** Normalises a decimal string ("65000.50" -> "65000.5", "-0" -> "0"). */
export function canonicalDecimal(input: string): string {
  return decToString(dec(input))
}
