/**
 * Option book revaluation: full value + Greeks of 10,000 option positions, per position, against
 * a naive implementation of the same maths in decimal.js (the ledger's Decimal, 34 digits) with the
 * normal cdf from the erf power series (and erfc's continued fraction in the tails, where the
 * series loses its digits) — what "Decimal everywhere" would cost.
 *
 * Target: under 1 µs per option position on the project's 2-core machine.
 */
import type { BenchSuite } from './harness'
import { Decimal } from '../electron/shared/decimal'
import {
  createOptionBook,
  createOptionBookRisk,
  revalueOptionBookInto,
  setOptionBookEntry,
  valueOptionBookAtSpotsInto,
  type OptionPositionInput,
} from '../electron/engine/options/option-position'

const POSITIONS = 10_000
/** decimal.js is three orders of magnitude slower: time it on a sample and compare per position. */
const DECIMAL_SAMPLE = 200
const TARGET_NS_PER_POSITION = 1000

/** The book as a document holds it: decimal strings for prices and quantities, numbers for model inputs. */
interface DocPosition {
  isCall: boolean
  inverse: boolean
  quantity: string
  contractSize: string
  spot: string
  strike: string
  forward: string | null
  yearFraction: number
  rate: number
  vol: number
}

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 4294967296
  }
}

function makeBook(): DocPosition[] {
  const random = xorshift(65000)
  const spots = ['65000.5', '3200.25', '145.37']
  const out: DocPosition[] = []
  for (let i = 0; i < POSITIONS; i++) {
    const spot = spots[i % spots.length]!
    const S = Number(spot)
    const yearFraction = Math.exp(Math.log(1 / 8760) + random() * Math.log(8760)) // 1 hour … 1 year
    const withForward = random() < 0.5
    out.push({
      isCall: random() < 0.5,
      inverse: random() < 0.5,
      quantity: (Math.round((random() - 0.5) * 2000) / 10 || 1).toString(),
      contractSize: random() < 0.7 ? '1' : '0.1',
      spot,
      strike: Math.round(S * (0.6 + 0.8 * random())).toString(), // 0.6 … 1.4 × spot
      forward: withForward ? (S * Math.exp(0.08 * yearFraction)).toFixed(2) : null,
      yearFraction,
      rate: random() < 0.5 ? 0 : 0.05,
      vol: 0.3 + 1.2 * random(),
    })
  }
  return out
}

/** The decimal → float64 seam, once, as the engine does it. */
function toModelInput(p: DocPosition): OptionPositionInput {
  return {
    optionType: p.isCall ? 'call' : 'put',
    settlement: p.inverse ? 'inverse' : 'linear',
    quantity: Number(p.quantity),
    contractSize: Number(p.contractSize),
    spot: Number(p.spot),
    strike: Number(p.strike),
    yearFraction: p.yearFraction,
    rate: p.rate,
    vol: p.vol,
    forward: p.forward === null ? undefined : Number(p.forward),
  }
}

// ─── The naive baseline: the same formulas with Decimal for every number ────────────────────────

const D_PI = Decimal.acos(-1)
const D_SQRT_PI = D_PI.sqrt()
const D_SQRT_2PI = D_PI.times(2).sqrt()
const D_SQRT_2 = new Decimal(2).sqrt()
const D_TINY = new Decimal('1e-40')
const D_FRACTION_FROM = new Decimal(3)
const D_365 = new Decimal(365)
const D_VOL_POINT = new Decimal('0.01')

/** erf(z) = 2/√π · Σ (−1)ⁿ z^(2n+1) / (n!(2n+1)); used for |z| < 3, where its terms stay below e^(z²). */
function decimalErfSeries(z: Decimal): Decimal {
  const z2 = z.times(z)
  let power = z
  let sum = z
  for (let n = 1; n < 2000; n++) {
    power = power.times(z2).neg().div(n)
    const term = power.div(2 * n + 1)
    sum = sum.plus(term)
    if (term.abs().lt(D_TINY)) break
  }
  return sum.times(2).div(D_SQRT_PI)
}

/**
 * erfc(z) for z ≥ 3 by its continued fraction e^(−z²)/√π · 1/(z + ½/(z + 1/(z + 3⁄2/(z + …)))),
 * evaluated forward (Lentz). The power series would need e^(z²) extra digits out there: at
 * z = 8 it keeps 6 of its 34, which is why a naive Decimal port goes wrong in the tails.
 */
function decimalErfcFraction(z: Decimal): Decimal {
  let f = z
  let c = z
  let d = new Decimal(0)
  for (let k = 1; k < 5000; k++) {
    const a = new Decimal(k).div(2)
    d = z.plus(a.times(d))
    d = new Decimal(1).div(d)
    c = z.plus(a.div(c))
    const delta = c.times(d)
    f = f.times(delta)
    if (delta.minus(1).abs().lt(D_TINY)) break
  }
  return z.times(z).neg().exp().div(D_SQRT_PI.times(f))
}

function decimalCdf(x: Decimal): Decimal {
  // Φ(x) = erfc(z)/2 with z = −x/√2
  const z = x.neg().div(D_SQRT_2)
  if (z.gte(D_FRACTION_FROM)) return decimalErfcFraction(z).div(2)
  if (z.lte(D_FRACTION_FROM.neg())) return new Decimal(1).minus(decimalErfcFraction(z.neg()).div(2))
  return new Decimal(1).minus(decimalErfSeries(z)).div(2)
}

function decimalPdf(x: Decimal): Decimal {
  return x.times(x).div(2).neg().exp().div(D_SQRT_2PI)
}

interface DecimalRisk {
  valueUsd: Decimal
  delta: Decimal
  gamma: Decimal
  vegaPerVolPoint: Decimal
  thetaPerDay: Decimal
  coinDelta: Decimal
}

function decimalPositionRisk(p: DocPosition): DecimalRisk {
  const S = new Decimal(p.spot)
  const K = new Decimal(p.strike)
  const T = new Decimal(p.yearFraction.toString())
  const r = new Decimal(p.rate.toString())
  const sigma = new Decimal(p.vol.toString())
  const units = new Decimal(p.quantity).times(p.contractSize)
  const sqrtT = T.sqrt()
  const stdDev = sigma.times(sqrtT)
  const discount = r.neg().times(T).exp()
  const F = p.forward === null ? null : new Decimal(p.forward)
  const discountedForward = F === null ? S : discount.times(F)
  const logMoneyness = F === null ? S.div(K).ln().plus(r.times(T)) : F.div(K).ln()
  const q = F === null ? new Decimal(0) : r.minus(F.div(S).ln().div(T))
  const d1 = logMoneyness.div(stdDev).plus(stdDev.div(2))
  const d2 = d1.minus(stdDev)
  const density = decimalPdf(d1)
  const discountedStrike = discount.times(K)
  const forwardPerSpot = discountedForward.div(S)
  const gamma = forwardPerSpot.times(density).div(S.times(stdDev))
  const vega = discountedForward.times(density).times(sqrtT)
  const volDecay = discountedForward.times(density).times(sigma).div(sqrtT.times(2)).neg()
  let price: Decimal
  let delta: Decimal
  let theta: Decimal
  if (p.isCall) {
    const n1 = decimalCdf(d1)
    const n2 = decimalCdf(d2)
    price = discountedForward.times(n1).minus(discountedStrike.times(n2))
    delta = forwardPerSpot.times(n1)
    theta = volDecay.minus(r.times(discountedStrike).times(n2)).plus(q.times(discountedForward).times(n1))
  } else {
    const n1 = decimalCdf(d1.neg())
    const n2 = decimalCdf(d2.neg())
    price = discountedStrike.times(n2).minus(discountedForward.times(n1))
    delta = forwardPerSpot.times(n1).neg()
    theta = volDecay.plus(r.times(discountedStrike).times(n2)).minus(q.times(discountedForward).times(n1))
  }
  const valueUsd = units.times(price)
  const positionDelta = units.times(delta)
  return {
    valueUsd,
    delta: positionDelta,
    gamma: units.times(gamma),
    vegaPerVolPoint: units.times(vega).times(D_VOL_POINT),
    thetaPerDay: units.times(theta).div(D_365),
    coinDelta: p.inverse ? positionDelta.minus(valueUsd.div(S)) : positionDelta,
  }
}

// ─── The suite ──────────────────────────────────────────────────────────────────────────────────

const docBook = makeBook()
const book = createOptionBook(POSITIONS)
docBook.forEach((p, i) => setOptionBookEntry(book, i, toModelInput(p)))
const risk = createOptionBookRisk(POSITIONS)
const scenarioValues = new Float64Array(POSITIONS)
const scenarioSpots = Float64Array.from(book.spot, (s, i) => s * (1 + ((i % 21) - 10) / 100))
const sample = docBook.slice(0, DECIMAL_SAMPLE)
let worstDisagreement = NaN

function sumOf(values: Float64Array): number {
  let total = 0
  for (let i = 0; i < values.length; i++) total += values[i]!
  return total
}

const FLOAT_CASE = 'float64 batch: value + delta, gamma, vega, theta, coin delta'
const DECIMAL_CASE = 'decimal.js everywhere, same formulas'

const suite: BenchSuite = {
  title: `Option revaluation with Greeks, ${POSITIONS.toLocaleString('en-US')} positions`,
  item: 'position',
  baseline: DECIMAL_CASE,
  cases: [
    {
      name: FLOAT_CASE,
      itemsPerRun: POSITIONS,
      run: () => {
        revalueOptionBookInto(book, risk)
        return risk.valueUsd[POSITIONS - 1]!
      },
    },
    {
      name: 'float64 value only at scenario spots (VaR inner loop)',
      itemsPerRun: POSITIONS,
      run: () => {
        valueOptionBookAtSpotsInto(book, scenarioSpots, scenarioValues)
        return scenarioValues[POSITIONS - 1]!
      },
    },
    {
      name: DECIMAL_CASE,
      itemsPerRun: DECIMAL_SAMPLE,
      run: () => {
        let last = 0
        for (const p of sample) last = decimalPositionRisk(p).valueUsd.toNumber()
        return last
      },
    },
  ],
  verify: () => {
    // The baseline must compute the same figures, or the ratio compares different work.
    revalueOptionBookInto(book, risk)
    if (!Number.isFinite(sumOf(risk.valueUsd)))
      throw new Error('options bench: non-finite value in the float book')
    let worst = 0
    sample.forEach((p, i) => {
      const exact = decimalPositionRisk(p)
      const pairs: [number, Decimal][] = [
        [risk.valueUsd[i]!, exact.valueUsd],
        [risk.deltaUnderlying[i]!, exact.delta],
        [risk.gammaPerUsd[i]!, exact.gamma],
        [risk.vegaPerVolPoint[i]!, exact.vegaPerVolPoint],
        [risk.thetaPerDay[i]!, exact.thetaPerDay],
        [risk.premiumAdjustedDeltaCoin[i]!, exact.coinDelta],
      ]
      for (const [float, dec] of pairs) {
        const expected = dec.toNumber()
        const error = Math.abs(float - expected) / Math.max(Math.abs(expected), 1e-9)
        worst = Math.max(worst, error)
      }
    })
    // Written so a NaN anywhere fails too: Math.max propagates it and every comparison with it is false.
    if (!(worst <= 1e-9)) {
      throw new Error(`options bench: float and Decimal disagree by ${worst.toExponential(2)} relative`)
    }
    worstDisagreement = worst
  },
  note: (rows) => {
    const float = rows.find((r) => r.name === FLOAT_CASE)?.nsPerItem ?? NaN
    const status = float < TARGET_NS_PER_POSITION ? 'met' : 'NOT met'
    return (
      `Target < ${TARGET_NS_PER_POSITION} ns per option position with Greeks: ${status}. ` +
      `Decimal timed on the first ${DECIMAL_SAMPLE} positions, whose float and Decimal figures were checked ` +
      `before timing: worst relative difference ${worstDisagreement.toExponential(1)}.`
    )
  },
}

export default suite
