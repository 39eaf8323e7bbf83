/**
 * Option positions: value and Greeks of a whole position, in USD, as portfolio-format.md defines
 * them ("Greeks are of the position (quantity and contract size included), all in USD terms").
 *
 * Units of every figure here:
 * - `valueUsd`: q × size × V, V the model value of one option on one unit of the underlying.
 * - `valueCoin`: valueUsd / S — for a coin-settled (inverse) option this is its premium as the
 *   exchange quotes it; inverse options are valued in USD exactly like linear ones.
 * - `deltaUnderlying` = ∂value/∂S in underlying units (BTC for a BTC option).
 * - `gammaPerUsd` = ∂²value/∂S², the change of deltaUnderlying per 1 USD move of S.
 * - `vegaPerVolPoint` = ∂value/∂σ × 0.01: USD per one vol point (55 % → 56 %).
 * - `thetaPerDay` = ∂value/∂t per calendar day (annual rate / 365): negative for long options.
 * - `premiumAdjustedDeltaCoin`: the exchange-style coin delta (see premiumAdjustedDelta below).
 *
 * The model is float64 throughout (see black-scholes.ts): the batch form below revalues a book
 * from typed arrays without allocating, for the book revaluation and for every VaR scenario.
 */
import { GREEK_STRIDE, optionGreeksInto, optionPrice } from './black-scholes'

export const SECONDS_PER_YEAR = 365 * 86400
const MS_PER_YEAR = SECONDS_PER_YEAR * 1000

/** T = (expiry − asOf) in seconds / (365 × 86400), from epoch milliseconds (one rounding). */
export function yearFractionFromMs(asOfMs: number, expiryMs: number): number {
  return (expiryMs - asOfMs) / MS_PER_YEAR
}

/** T = (expiry − asOf) in seconds / (365 × 86400), from ISO 8601 instants with a zone. */
export function yearFraction(asOfIso: string, expiryIso: string): number {
  const asOfMs = Date.parse(asOfIso)
  const expiryMs = Date.parse(expiryIso)
  if (Number.isNaN(asOfMs)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(asOfIso)}`)
  if (Number.isNaN(expiryMs)) throw new RangeError(`not an ISO 8601 instant: ${JSON.stringify(expiryIso)}`)
  return yearFractionFromMs(asOfMs, expiryMs)
}

// The single-position form goes through the batch, so the two cannot drift apart.
const VOL_POINT = 0.01
const DAYS_PER_YEAR = 365

// ─── Batch: struct of arrays ────────────────────────────────────────────────────────────────────

/**
 * Inputs of N option positions, one array element per position. Arrays may be longer than `count`
 * (a reused buffer); only the first `count` entries are read.
 */
export interface OptionBook {
  count: number
  /** 1 call, 0 put. */
  isCall: Uint8Array
  /** 1 coin-settled (inverse), 0 USD-settled (linear). */
  isInverse: Uint8Array
  /** Contracts, signed: positive long, negative short. */
  quantity: Float64Array
  /** Underlying units per contract (options: default 1, for linear and inverse alike). */
  contractSize: Float64Array
  /** Index price S, USD per underlying unit. */
  spot: Float64Array
  /** USD per underlying unit. */
  strike: Float64Array
  /** (expiry − asOf) seconds / (365 × 86400); ≤ 0 means expired (intrinsic value). */
  yearFraction: Float64Array
  /** Continuously compounded annual rate of the quote currency. */
  rate: Float64Array
  /** Annualised volatility, absolute (0.55 = 55 %). */
  vol: Float64Array
  /** Forward for the option's expiry in USD; NaN where none (Black–Scholes on spot). */
  forward: Float64Array
}

/** Outputs of revalueOptionBookInto, one element per position. */
export interface OptionBookRisk {
  valueUsd: Float64Array
  valueCoin: Float64Array
  deltaUnderlying: Float64Array
  gammaPerUsd: Float64Array
  vegaPerVolPoint: Float64Array
  thetaPerDay: Float64Array
  premiumAdjustedDeltaCoin: Float64Array
}

export function createOptionBook(capacity: number): OptionBook {
  return {
    count: 0,
    isCall: new Uint8Array(capacity),
    isInverse: new Uint8Array(capacity),
    quantity: new Float64Array(capacity),
    contractSize: new Float64Array(capacity).fill(1),
    spot: new Float64Array(capacity),
    strike: new Float64Array(capacity),
    yearFraction: new Float64Array(capacity),
    rate: new Float64Array(capacity),
    vol: new Float64Array(capacity),
    forward: new Float64Array(capacity).fill(NaN),
  }
}

export function createOptionBookRisk(capacity: number): OptionBookRisk {
  return {
    valueUsd: new Float64Array(capacity),
    valueCoin: new Float64Array(capacity),
    deltaUnderlying: new Float64Array(capacity),
    gammaPerUsd: new Float64Array(capacity),
    vegaPerVolPoint: new Float64Array(capacity),
    thetaPerDay: new Float64Array(capacity),
    premiumAdjustedDeltaCoin: new Float64Array(capacity),
  }
}

/** Unit figures of one option at a time; module-level so the batch never allocates. */
const unitFigures = new Float64Array(GREEK_STRIDE)

/**
 * Full revaluation with Greeks of book[0 … count − 1] into risk (same indices). No allocation.
 *
 * premiumAdjustedDeltaCoin is Deribit's "Net Transaction Delta" (or "price adjusted Delta") for
 * coin-settled options. Deribit's API documents DeltaTotal with "Net Transaction Delta = Black
 * Scholes Delta − Mark Price of Options", the mark being the option's price in coin (mirrored at
 * https://schemas.apis.io/schemas/deribit/delta_total/), and its knowledge base says "Outside of
 * settlement, Net Transaction Delta Position = Position Deltas − Option Position Mark Prices"
 * (https://support.deribit.com/hc/en-us/articles/25944751433757-Delta-decay-during-settlement).
 * Their FAQ's example (quoted in https://greekslive.medium.com/bitcoin-options-premium-and-its-delta-d6674cc519e5):
 * a call of delta 0.50 bought for 0.10 BTC adds 0.40, because the 0.10 BTC paid would itself have
 * gained in USD. Here: q × size × (∂V/∂S − V/S), using the
 * model value V (which is the mark when the vol was implied from it). It equals S·∂(valueCoin)/∂S:
 * the coin exposure that makes a coin-margined account's USD value flat. A USD-settled option
 * holds no coin premium, so for a linear option it is simply deltaUnderlying.
 */
export function revalueOptionBookInto(book: OptionBook, risk: OptionBookRisk): void {
  const n = book.count
  const out = unitFigures
  for (let i = 0; i < n; i++) {
    const spot = book.spot[i]!
    optionGreeksInto(
      book.isCall[i] === 1,
      spot,
      book.strike[i]!,
      book.yearFraction[i]!,
      book.rate[i]!,
      book.vol[i]!,
      book.forward[i]!,
      out,
      0,
    )
    const units = book.quantity[i]! * book.contractSize[i]!
    const valueUsd = units * out[0]!
    const delta = units * out[1]!
    const valueCoin = valueUsd / spot
    risk.valueUsd[i] = valueUsd
    risk.valueCoin[i] = valueCoin
    risk.deltaUnderlying[i] = delta
    risk.gammaPerUsd[i] = units * out[2]!
    risk.vegaPerVolPoint[i] = units * out[3]! * VOL_POINT
    risk.thetaPerDay[i] = (units * out[4]!) / DAYS_PER_YEAR
    risk.premiumAdjustedDeltaCoin[i] = book.isInverse[i] === 1 ? delta - valueCoin : delta
  }
}

/**
 * Value only (USD) of every position with each position's spot replaced by scenarioSpot[i]: the
 * inner loop of historical and Monte Carlo VaR. A forward moves with its spot (F/S held fixed, the
 * same convention as delta), so a scenario is a pure spot move. Time, vols and rates are unchanged.
 * Pass book.spot itself as scenarioSpot to value the book as it stands.
 */
export function valueOptionBookAtSpotsInto(
  book: OptionBook,
  scenarioSpot: Float64Array,
  valueUsd: Float64Array,
): void {
  const n = book.count
  for (let i = 0; i < n; i++) {
    const spotNow = book.spot[i]!
    const spot = scenarioSpot[i]!
    const forward = book.forward[i]!
    const unitValue = optionPrice(
      book.isCall[i] === 1,
      spot,
      book.strike[i]!,
      book.yearFraction[i]!,
      book.rate[i]!,
      book.vol[i]!,
      forward === forward ? forward * (spot / spotNow) : NaN,
    )
    valueUsd[i] = book.quantity[i]! * book.contractSize[i]! * unitValue
  }
}

// ─── One position ───────────────────────────────────────────────────────────────────────────────

export interface OptionPositionInput {
  optionType: 'call' | 'put'
  settlement: 'linear' | 'inverse'
  /** Contracts, signed. */
  quantity: number
  /** Underlying units per contract; default 1. */
  contractSize?: number | undefined
  spot: number
  strike: number
  yearFraction: number
  rate: number
  vol: number
  /** Forward for the expiry; omit for Black–Scholes on spot. */
  forward?: number | undefined
}

export interface OptionPositionRisk {
  /** Model value of one option on one underlying unit, USD. */
  unitPriceUsd: number
  /** The same in coin (per underlying unit): the inverse option's premium. */
  unitPriceCoin: number
  valueUsd: number
  valueCoin: number
  deltaUnderlying: number
  gammaPerUsd: number
  vegaPerVolPoint: number
  thetaPerDay: number
  premiumAdjustedDeltaCoin: number
}

const oneBook = createOptionBook(1)
const oneRisk = createOptionBookRisk(1)
oneBook.count = 1

/** Value and Greeks of one option position (see the module comment for units). */
export function optionPositionRisk(input: OptionPositionInput): OptionPositionRisk {
  oneBook.isCall[0] = input.optionType === 'call' ? 1 : 0
  oneBook.isInverse[0] = input.settlement === 'inverse' ? 1 : 0
  oneBook.quantity[0] = input.quantity
  oneBook.contractSize[0] = input.contractSize ?? 1
  oneBook.spot[0] = input.spot
  oneBook.strike[0] = input.strike
  oneBook.yearFraction[0] = input.yearFraction
  oneBook.rate[0] = input.rate
  oneBook.vol[0] = input.vol
  oneBook.forward[0] = input.forward ?? NaN
  revalueOptionBookInto(oneBook, oneRisk)
  const unitPriceUsd = optionPrice(
    input.optionType === 'call',
    input.spot,
    input.strike,
    input.yearFraction,
    input.rate,
    input.vol,
    input.forward ?? NaN,
  )
  return {
    unitPriceUsd,
    unitPriceCoin: unitPriceUsd / input.spot,
    valueUsd: oneRisk.valueUsd[0]!,
    valueCoin: oneRisk.valueCoin[0]!,
    deltaUnderlying: oneRisk.deltaUnderlying[0]!,
    gammaPerUsd: oneRisk.gammaPerUsd[0]!,
    vegaPerVolPoint: oneRisk.vegaPerVolPoint[0]!,
    thetaPerDay: oneRisk.thetaPerDay[0]!,
    premiumAdjustedDeltaCoin: oneRisk.premiumAdjustedDeltaCoin[0]!,
  }
}

/** Writes one position into book slot i (growing count to cover it). */
export function setOptionBookEntry(book: OptionBook, i: number, input: OptionPositionInput): void {
  book.isCall[i] = input.optionType === 'call' ? 1 : 0
  book.isInverse[i] = input.settlement === 'inverse' ? 1 : 0
  book.quantity[i] = input.quantity
  book.contractSize[i] = input.contractSize ?? 1
  book.spot[i] = input.spot
  book.strike[i] = input.strike
  book.yearFraction[i] = input.yearFraction
  book.rate[i] = input.rate
  book.vol[i] = input.vol
  book.forward[i] = input.forward ?? NaN
  if (book.count <= i) book.count = i + 1
}
