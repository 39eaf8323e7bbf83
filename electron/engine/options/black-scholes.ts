/**
 * European option value and analytic Greeks, per one unit of the underlying, in the quote currency.
 *
 * Model maths is float64 on purpose: revaluing a book thousands of times (VaR scenarios, Monte
 * Carlo) must cost nanoseconds per option, and a model value is only as good as its vol anyway.
 * Exact decimals stay in the ledger (entry prices, quantities, cash); this module never sees them.
 *
 * Two models, one kernel:
 * - Black–Scholes on the index (spot) price S, continuously compounded rate r, no dividend.
 * - Black-76 when a forward F for the option's expiry is given: V = e^(−rT)·Black(F, K, σ, T).
 *
 * Conventions (what the figures mean):
 * - `price`: value of one option on one unit of the underlying.
 * - `delta` = ∂V/∂S. With a forward, F is held as a fixed multiple of S (the basis, as an annual
 *   carry rate b = ln(F/S)/T, does not move with S), so ∂V/∂S = ∂V/∂F·F/S. Then the Black-76 value
 *   equals Black–Scholes–Merton on S with dividend yield q = r − b, and gamma, vega and theta below
 *   are the ones of that model. Without a forward, F = S·e^(rT) and q = 0.
 * - `gamma` = ∂²V/∂S² (per 1 unit of the quote currency).
 * - `vegaPerUnitVol` = ∂V/∂σ for σ in absolute terms (a change of 1.00 = 100 vol points).
 * - `thetaPerYear` = ∂V/∂t = −∂V/∂T: calendar-time decay per year with S, σ, r and the carry rate
 *   b fixed (with a forward, F converges to S as expiry nears, as a basis does).
 *
 * Edge cases, all explicit:
 * - T ≤ 0 (expired): intrinsic value on S (the settlement index, the forward no longer matters);
 *   delta is the step 1 / 0 (call) or −1 / 0 (put), ±0.5 exactly at the strike (the T → 0 limit);
 *   gamma, vega and theta are 0.
 * - σ = 0 (or σ√T underflows): the discounted forward payoff; delta as above on F vs K; gamma 0
 *   (a point mass at F = K that a book total cannot carry); vega is its σ → 0 limit, non-zero only
 *   at F = K; theta is the carry of the deterministic value.
 * - Deep in or out of the money and tiny T: the normal tails are accurate to ~1e-15 relative (see
 *   normal.ts), so values and Greeks stay meaningful until they underflow. A far out-of-the-money
 *   value is a difference of two nearly equal terms and keeps about 16 − log10(|d1|/(σ√T)) digits,
 *   which is as many as its inputs determine (see FAR_OUT_OF_THE_MONEY).
 * - Invalid inputs (S, K ≤ 0, σ < 0, a forward ≤ 0, NaN anywhere): NaN figures; the hot path does not
 *   throw. The portfolio schema rejects such inputs long before they get here.
 */
import { normCdf, normInv, normMillsRatio, normPdf } from './normal'

/** Where priceGreeksInto writes each figure, relative to its offset. */
export const GREEK_SLOT = {
  price: 0,
  delta: 1,
  gamma: 2,
  vegaPerUnitVol: 3,
  thetaPerYear: 4,
} as const
/** Figures per option in an output array: option i starts at i × GREEK_STRIDE. */
export const GREEK_STRIDE = 5

export interface OptionGreeks {
  price: number
  delta: number
  gamma: number
  vegaPerUnitVol: number
  thetaPerYear: number
}

export interface OptionParams {
  isCall: boolean
  spot: number
  strike: number
  /** (expiry − asOf) in seconds / (365 × 86400). */
  yearFraction: number
  /** Continuously compounded, annual (0.05 = 5 %). */
  rate: number
  /** Annualised, absolute (0.55 = 55 %). */
  vol: number
  /** Forward for the option's expiry; omit (or NaN) for Black–Scholes on spot. */
  forward?: number | undefined
}

/**
 * Beyond this many standard deviations out of the money (−d1 for a call, d2 for a put) the value
 * is computed as e^(−rT)F·φ(d1)·(M(a) − M(b)), M the Mills ratio Φ(−x)/φ(x), instead of
 * F·Φ(d1) − K·Φ(d2). Both are exact in real arithmetic (F·φ(d1) = K·φ(d2)); in doubles, the usual
 * form subtracts two tail probabilities whose e^(−d²/2) factors turn the rounding of d1 − σ√T
 * into a relative error of |d|²·|d|/(σ√T)·ε (2e-8 for a one-minute option 36 deviations out),
 * and it underflows Φ(d2) while K·Φ(d2) is still representable. The Mills form only subtracts
 * two smooth numbers: about |d|/(σ√T)·ε, which is the conditioning of the problem itself.
 */
const FAR_OUT_OF_THE_MONEY = 1

/** F·Φ(d1) − K·Φ(d2), forward and strike already discounted or not, as the caller chooses. */
function callValue(forward: number, strike: number, d1: number, d2: number): number {
  if (-d1 > FAR_OUT_OF_THE_MONEY) return forward * normPdf(d1) * (normMillsRatio(-d1) - normMillsRatio(-d2))
  return forward * normCdf(d1) - strike * normCdf(d2)
}

/** K·Φ(−d2) − F·Φ(−d1). */
function putValue(forward: number, strike: number, d1: number, d2: number): number {
  if (d2 > FAR_OUT_OF_THE_MONEY) return forward * normPdf(d1) * (normMillsRatio(d2) - normMillsRatio(d1))
  return strike * normCdf(-d2) - forward * normCdf(-d1)
}

function writeNaN(out: Float64Array, offset: number): void {
  out[offset] = NaN
  out[offset + 1] = NaN
  out[offset + 2] = NaN
  out[offset + 3] = NaN
  out[offset + 4] = NaN
}

/**
 * The kernel: price and Greeks of one option into out[offset … offset + 4] (see GREEK_SLOT).
 * `forward` NaN means none (Black–Scholes on spot). No allocation.
 */
export function optionGreeksInto(
  isCall: boolean,
  spot: number,
  strike: number,
  yearFraction: number,
  rate: number,
  vol: number,
  forward: number,
  out: Float64Array,
  offset: number,
): void {
  const hasForward = forward === forward
  if (
    !(spot > 0 && spot < Infinity && strike > 0 && strike < Infinity && vol >= 0 && vol < Infinity) ||
    !(rate > -Infinity && rate < Infinity) ||
    yearFraction !== yearFraction ||
    (hasForward && !(forward > 0 && forward < Infinity))
  ) {
    writeNaN(out, offset)
    return
  }

  if (yearFraction <= 0) {
    const itm = isCall ? spot - strike : strike - spot
    out[offset] = itm > 0 ? itm : 0
    const stepDelta = spot === strike ? 0.5 : itm > 0 ? 1 : 0
    out[offset + 1] = isCall ? stepDelta : 0 - stepDelta // 0 − x: a put's zero delta is +0, not −0
    out[offset + 2] = 0
    out[offset + 3] = 0
    out[offset + 4] = 0
    return
  }

  const T = yearFraction
  const sqrtT = Math.sqrt(T)
  const stdDev = vol * sqrtT
  const discount = Math.exp(-rate * T)
  const discountedStrike = discount * strike
  // The discounted forward, S·e^(−qT). Without a forward it is S itself, with no rounding at all.
  let discountedForward: number
  let logMoneyness: number // ln(F/K)
  let dividendYield: number // q = r − b, the part of the carry not paid by the rate
  if (hasForward) {
    discountedForward = discount * forward
    logMoneyness = Math.log(forward / strike)
    dividendYield = rate - Math.log(forward / spot) / T
  } else {
    discountedForward = spot
    logMoneyness = Math.log(spot / strike) + rate * T
    dividendYield = 0
  }

  let d1: number
  let d2: number
  if (stdDev > 0) {
    d1 = logMoneyness / stdDev + 0.5 * stdDev
    d2 = d1 - stdDev
  } else {
    d1 = logMoneyness > 0 ? Infinity : logMoneyness < 0 ? -Infinity : 0
    d2 = d1
  }

  const density = normPdf(d1) // with F·φ(d1) = K·φ(d2), the one density every Greek needs
  const forwardPerSpot = discountedForward / spot
  const gamma = stdDev > 0 ? (forwardPerSpot * density) / (spot * stdDev) : 0
  const vega = discountedForward * density * sqrtT
  // −∂V/∂T from the σ√T dependence; zero when σ is.
  const volDecay = stdDev > 0 ? (-discountedForward * density * vol) / (2 * sqrtT) : 0

  // The value is forwardTerm − strikeTerm: e^(−rT)F·Φ(±d1) and e^(−rT)K·Φ(±d2).
  let forwardTerm: number
  let strikeTerm: number
  let price: number
  const otmDistance = isCall ? -d1 : d2 // > 0 out of the money, in standard deviations
  if (otmDistance > FAR_OUT_OF_THE_MONEY) {
    // Both terms share e^(−rT)F·φ(d1) (= e^(−rT)K·φ(d2)); see FAR_OUT_OF_THE_MONEY.
    const shared = discountedForward * density
    const strikeMills = normMillsRatio(isCall ? -d2 : d2)
    const forwardMills = normMillsRatio(isCall ? -d1 : d1)
    forwardTerm = shared * forwardMills
    strikeTerm = shared * strikeMills
    price = isCall ? shared * (forwardMills - strikeMills) : shared * (strikeMills - forwardMills)
  } else {
    forwardTerm = discountedForward * normCdf(isCall ? d1 : -d1)
    strikeTerm = discountedStrike * normCdf(isCall ? d2 : -d2)
    price = isCall ? forwardTerm - strikeTerm : strikeTerm - forwardTerm
  }
  out[offset] = price
  if (isCall) {
    out[offset + 1] = forwardTerm / spot
    out[offset + 4] = volDecay - rate * strikeTerm + dividendYield * forwardTerm
  } else {
    out[offset + 1] = 0 - forwardTerm / spot // 0 − x: a zero delta is +0, not −0
    out[offset + 4] = volDecay + rate * strikeTerm - dividendYield * forwardTerm
  }
  out[offset + 2] = gamma
  out[offset + 3] = vega
}

/** Black–Scholes on spot: price and Greeks into out[offset … offset + 4]. */
export function priceGreeksInto(
  isCall: boolean,
  spot: number,
  strike: number,
  yearFraction: number,
  rate: number,
  vol: number,
  out: Float64Array,
  offset: number,
): void {
  optionGreeksInto(isCall, spot, strike, yearFraction, rate, vol, NaN, out, offset)
}

/** Black-76 on a forward, Greeks with respect to spot (F/S held fixed): into out[offset … offset + 4]. */
export function black76GreeksInto(
  isCall: boolean,
  spot: number,
  forward: number,
  strike: number,
  yearFraction: number,
  rate: number,
  vol: number,
  out: Float64Array,
  offset: number,
): void {
  // A missing forward here is a caller's bug, not a request for Black–Scholes.
  optionGreeksInto(
    isCall,
    spot,
    strike,
    yearFraction,
    rate,
    vol,
    forward === forward ? forward : -1,
    out,
    offset,
  )
}

const scratch = new Float64Array(GREEK_STRIDE)

/** Convenience form of optionGreeksInto for single valuations (allocates the result object). */
export function priceGreeks(params: OptionParams): OptionGreeks {
  optionGreeksInto(
    params.isCall,
    params.spot,
    params.strike,
    params.yearFraction,
    params.rate,
    params.vol,
    params.forward ?? NaN,
    scratch,
    0,
  )
  return {
    price: scratch[0]!,
    delta: scratch[1]!,
    gamma: scratch[2]!,
    vegaPerUnitVol: scratch[3]!,
    thetaPerYear: scratch[4]!,
  }
}

/**
 * Value only, for scenario revaluation where Greeks are not wanted (about half the work).
 * Same conventions and edge cases as optionGreeksInto; `forward` NaN means none.
 */
export function optionPrice(
  isCall: boolean,
  spot: number,
  strike: number,
  yearFraction: number,
  rate: number,
  vol: number,
  forward: number,
): number {
  const hasForward = forward === forward
  if (
    !(spot > 0 && spot < Infinity && strike > 0 && strike < Infinity && vol >= 0 && vol < Infinity) ||
    !(rate > -Infinity && rate < Infinity) ||
    yearFraction !== yearFraction ||
    (hasForward && !(forward > 0 && forward < Infinity))
  ) {
    return NaN
  }
  if (yearFraction <= 0) {
    const itm = isCall ? spot - strike : strike - spot
    return itm > 0 ? itm : 0
  }
  const T = yearFraction
  const stdDev = vol * Math.sqrt(T)
  const discount = Math.exp(-rate * T)
  const discountedForward = hasForward ? discount * forward : spot
  const logMoneyness = hasForward ? Math.log(forward / strike) : Math.log(spot / strike) + rate * T
  let d1: number
  let d2: number
  if (stdDev > 0) {
    d1 = logMoneyness / stdDev + 0.5 * stdDev
    d2 = d1 - stdDev
  } else {
    d1 = logMoneyness > 0 ? Infinity : logMoneyness < 0 ? -Infinity : 0
    d2 = d1
  }
  return isCall
    ? callValue(discountedForward, discount * strike, d1, d2)
    : putValue(discountedForward, discount * strike, d1, d2)
}

/** Above this (10,000 %) a "volatility" says more about the price than about the market. */
export const MAX_IMPLIED_VOL = 100
const EPS = Number.EPSILON

/**
 * The σ at which the model reproduces `price` (per unit of underlying, quote currency), or null
 * when none does: a price below the discounted intrinsic value or at/above the model's upper bound
 * (the discounted forward for a call, the discounted strike for a put), a vol above
 * MAX_IMPLIED_VOL, an expired option, or invalid inputs. A price equal to the intrinsic value
 * within rounding gives 0.
 *
 * Method: the out-of-the-money side (put–call parity moves an in-the-money price there, so the
 * intrinsic part never enters the solve), in total deviation s = σ√T, Newton's method on
 * ln(value(s)) − ln(price) kept inside a shrinking bracket, bisection whenever a step would
 * leave it. The log makes far-out-of-the-money prices well conditioned (value ~ e^(−x²/2s²)).
 * Started at the inflection point s = √(2|ln F/K|) as Manaster and Koehler suggest; at the money,
 * where the value is F·(1 − 2Φ(−s/2)), the start is the exact answer.
 */
export function impliedVol(
  isCall: boolean,
  price: number,
  spot: number,
  strike: number,
  yearFraction: number,
  rate: number,
  forward: number = NaN,
): number | null {
  const hasForward = forward === forward
  if (
    !(price >= 0 && price < Infinity) ||
    !(spot > 0 && spot < Infinity && strike > 0 && strike < Infinity) ||
    !(rate > -Infinity && rate < Infinity) ||
    !(yearFraction > 0 && yearFraction < Infinity) ||
    (hasForward && !(forward > 0 && forward < Infinity))
  ) {
    return null
  }
  const T = yearFraction
  const sqrtT = Math.sqrt(T)
  const discount = Math.exp(-rate * T)
  const fwd = hasForward ? forward : spot / discount
  const x = hasForward ? Math.log(forward / strike) : Math.log(spot / strike) + rate * T
  const target = price / discount // undiscounted
  const otmIsCall = x < 0
  // Parity: C − P = F − K (undiscounted). Moving to the OTM side costs one rounding of F and K.
  let otmTarget = target
  if (isCall && !otmIsCall) otmTarget = target - (fwd - strike)
  else if (!isCall && otmIsCall) otmTarget = target - (strike - fwd)
  const roundingSlack = 4 * EPS * (target + fwd + strike)
  if (otmTarget <= 0) return otmTarget >= -roundingSlack ? 0 : null
  const upperBound = otmIsCall ? fwd : strike
  if (otmTarget >= upperBound) return null

  const otmValue = (s: number): number => {
    const d1 = x / s + 0.5 * s
    const d2 = d1 - s
    return otmIsCall ? callValue(fwd, strike, d1, d2) : putValue(fwd, strike, d1, d2)
  }

  let lo = 0
  let hi = MAX_IMPLIED_VOL * sqrtT
  if (otmValue(hi) < otmTarget) return null
  const logTarget = Math.log(otmTarget)

  let s: number
  if (x === 0) s = -2 * normInv(0.5 * (1 - otmTarget / fwd))
  else s = Math.sqrt(2 * Math.abs(x))
  if (!(s > lo && s < hi)) s = 0.5 * (lo + hi)

  for (let iteration = 0; iteration < 200; iteration++) {
    const value = otmValue(s)
    if (value === otmTarget) break
    if (value > otmTarget) hi = s
    else lo = s
    // ∂value/∂s = F·φ(d1) on both sides; for the log objective the step is Δln(value)·value/slope.
    const slope = fwd * normPdf(x / s + 0.5 * s)
    let next = s - ((Math.log(value) - logTarget) * value) / slope
    if (!(next > lo && next < hi)) next = lo > 0 ? Math.sqrt(lo * hi) : 0.5 * hi
    if (Math.abs(next - s) <= 2 * EPS * s || hi - lo <= 2 * EPS * hi) {
      s = next
      break
    }
    s = next
  }
  return s / sqrtT
}
