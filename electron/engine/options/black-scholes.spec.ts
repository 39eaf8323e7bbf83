import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  GREEK_SLOT,
  GREEK_STRIDE,
  MAX_IMPLIED_VOL,
  black76GreeksInto,
  impliedVol,
  optionGreeksInto,
  optionPrice,
  priceGreeks,
  priceGreeksInto,
  type OptionParams,
} from './black-scholes'

const EPS = Number.EPSILON

/** Log-uniform positive doubles: prices and times span orders of magnitude. */
const logUniform = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map(Math.exp)

interface Market {
  spot: number
  strike: number
  yearFraction: number
  rate: number
  vol: number
  /** Annual basis of the forward over spot, or null for Black–Scholes on spot. */
  carry: number | null
}

const market: fc.Arbitrary<Market> = fc
  .record({
    spot: logUniform(0.01, 1e6),
    logMoneyness: fc.double({ min: -2.5, max: 2.5, noNaN: true }),
    yearFraction: logUniform(1 / 8760, 10),
    rate: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
    vol: fc.double({ min: 0.05, max: 3, noNaN: true }),
    carry: fc.option(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { nil: null }),
  })
  .map(({ logMoneyness, ...m }) => ({ ...m, strike: m.spot * Math.exp(logMoneyness) }))

function forwardOf(m: Market): number {
  return m.carry === null ? NaN : m.spot * Math.exp(m.carry * m.yearFraction)
}

function params(m: Market, isCall: boolean, overrides: Partial<OptionParams> = {}): OptionParams {
  const forward = forwardOf(m)
  return {
    isCall,
    spot: m.spot,
    strike: m.strike,
    yearFraction: m.yearFraction,
    rate: m.rate,
    vol: m.vol,
    forward: Number.isNaN(forward) ? undefined : forward,
    ...overrides,
  }
}

/** e^(−rT)·F and e^(−rT)·K: the sizes every rounding error here is proportional to. */
function discounted(m: Market): { forward: number; strike: number } {
  const discount = Math.exp(-m.rate * m.yearFraction)
  const forward = forwardOf(m)
  return {
    forward: Number.isNaN(forward) ? m.spot : discount * forward,
    strike: discount * m.strike,
  }
}

describe('worked examples from the textbook', () => {
  it('Black–Scholes: Hull, Options, Futures and Other Derivatives, S=42 K=40 r=10% σ=20% T=0.5', () => {
    const base = { spot: 42, strike: 40, yearFraction: 0.5, rate: 0.1, vol: 0.2 }
    // Hull gives c = 4.76 and p = 0.81.
    expect(priceGreeks({ ...base, isCall: true }).price).toBeCloseTo(4.7594, 4)
    expect(priceGreeks({ ...base, isCall: false }).price).toBeCloseTo(0.8086, 4)
  })

  it('Black-76: Hull, European put futures option, F=K=20 r=9% σ=25% T=4 months', () => {
    // Hull gives 1.12. Spot does not enter the price; it only scales the spot Greeks.
    const put = priceGreeks({
      isCall: false,
      spot: 19,
      strike: 20,
      yearFraction: 4 / 12,
      rate: 0.09,
      vol: 0.25,
      forward: 20,
    })
    expect(put.price).toBeCloseTo(1.1166, 4)
  })
})

describe('no-arbitrage laws (fast-check)', () => {
  it('put–call parity: C − P = e^(−rT)(F − K), and the Greeks obey it too', () => {
    fc.assert(
      fc.property(market, (m) => {
        const call = priceGreeks(params(m, true))
        const put = priceGreeks(params(m, false))
        const d = discounted(m)
        const size = d.forward + d.strike
        expect(Math.abs(call.price - put.price - (d.forward - d.strike))).toBeLessThanOrEqual(16 * EPS * size)
        expect(Math.abs(call.delta - put.delta - d.forward / m.spot)).toBeLessThanOrEqual(
          16 * EPS * (1 + d.forward / m.spot),
        )
        expect(call.gamma).toBe(put.gamma)
        expect(call.vegaPerUnitVol).toBe(put.vegaPerUnitVol)
        // −∂/∂T of S·e^(−qT) − K·e^(−rT) is q·S·e^(−qT) − r·K·e^(−rT), q the implied dividend yield.
        // (the carry as the engine sees it: implied by the rounded forward, not the generator's number)
        const q = m.carry === null ? 0 : m.rate - Math.log(forwardOf(m) / m.spot) / m.yearFraction
        const thetaParity = q * d.forward - m.rate * d.strike
        const thetaScale =
          Math.abs(call.thetaPerYear) + Math.abs(put.thetaPerYear) + (Math.abs(q) + Math.abs(m.rate)) * size
        expect(Math.abs(call.thetaPerYear - put.thetaPerYear - thetaParity)).toBeLessThanOrEqual(
          64 * EPS * thetaScale,
        )
      }),
      { numRuns: 2000 },
    )
  })

  it('a call is worth between max(e^(−rT)(F − K), 0) and e^(−rT)F; a put between max(e^(−rT)(K − F), 0) and e^(−rT)K', () => {
    fc.assert(
      fc.property(market, (m) => {
        const d = discounted(m)
        const slack = 8 * EPS * (d.forward + d.strike)
        const call = priceGreeks(params(m, true)).price
        const put = priceGreeks(params(m, false)).price
        expect(call).toBeGreaterThanOrEqual(Math.max(d.forward - d.strike, 0) - slack)
        expect(call).toBeLessThanOrEqual(d.forward + slack)
        expect(put).toBeGreaterThanOrEqual(Math.max(d.strike - d.forward, 0) - slack)
        expect(put).toBeLessThanOrEqual(d.strike + slack)
      }),
      { numRuns: 2000 },
    )
  })

  it('on spot: a long call has delta in (0, 1), a long put in (−1, 0); gamma and vega are ≥ 0', () => {
    fc.assert(
      fc.property(market, (m) => {
        const spotOnly = { ...m, carry: null }
        const call = priceGreeks(params(spotOnly, true))
        const put = priceGreeks(params(spotOnly, false))
        // Open intervals in exact arithmetic; a double saturates to 0 or 1 beyond about 8 standard deviations.
        expect(call.delta).toBeGreaterThanOrEqual(0)
        expect(call.delta).toBeLessThanOrEqual(1)
        expect(put.delta).toBeGreaterThanOrEqual(-1)
        expect(put.delta).toBeLessThanOrEqual(0)
        const stdDev = m.vol * Math.sqrt(m.yearFraction)
        const d1 = (Math.log(m.spot / m.strike) + m.rate * m.yearFraction) / stdDev + stdDev / 2
        if (Math.abs(d1) < 8) {
          expect(call.delta).toBeGreaterThan(0)
          expect(call.delta).toBeLessThan(1)
          expect(put.delta).toBeGreaterThan(-1)
          expect(put.delta).toBeLessThan(0)
        }
        for (const g of [call, put]) {
          expect(g.gamma).toBeGreaterThanOrEqual(0)
          expect(g.vegaPerUnitVol).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('on a forward: call delta in [0, e^(−rT)F/S], put delta in [−e^(−rT)F/S, 0], gamma and vega ≥ 0', () => {
    fc.assert(
      fc.property(market, fc.double({ min: -0.5, max: 0.5, noNaN: true }), (m, carry) => {
        const withForward = { ...m, carry }
        const ceiling = discounted(withForward).forward / m.spot
        const call = priceGreeks(params(withForward, true))
        const put = priceGreeks(params(withForward, false))
        expect(call.delta).toBeGreaterThanOrEqual(0)
        expect(call.delta).toBeLessThanOrEqual(ceiling * (1 + 2 * EPS))
        expect(put.delta).toBeLessThanOrEqual(0)
        expect(put.delta).toBeGreaterThanOrEqual(-ceiling * (1 + 2 * EPS))
        expect(call.gamma).toBeGreaterThanOrEqual(0)
        expect(call.vegaPerUnitVol).toBeGreaterThanOrEqual(0)
      }),
    )
  })
})

describe('the Greeks are the derivatives they claim to be (central differences)', () => {
  /** A central difference is good to about h² (truncation) + ε/h (rounding): a loose, honest bound. */
  const close = (analytic: number, numeric: number, scale: number, tolerance: number): void => {
    expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(tolerance * scale)
  }

  it('delta = ∂V/∂S and gamma = ∂²V/∂S², a forward moving with spot (F/S fixed)', () => {
    fc.assert(
      fc.property(market, fc.boolean(), (m, isCall) => {
        const stdDev = m.vol * Math.sqrt(m.yearFraction)
        fc.pre(stdDev > 0.02) // keep the price smooth on the scale of the bump
        const h = m.spot * 1e-4
        const at = (spot: number): number => {
          const forward = forwardOf(m)
          return optionPrice(isCall, spot, m.strike, m.yearFraction, m.rate, m.vol, forward * (spot / m.spot))
        }
        const g = priceGreeks(params(m, isCall))
        const up = at(m.spot + h)
        const mid = at(m.spot)
        const down = at(m.spot - h)
        const size = discounted(m).forward + discounted(m).strike
        close(g.delta, (up - down) / (2 * h), size / m.spot, 1e-6)
        close(g.gamma, (up - 2 * mid + down) / (h * h), size / (m.spot * m.spot * stdDev), 1e-4)
      }),
      { numRuns: 500 },
    )
  })

  it('vega = ∂V/∂σ per 1.00 of vol, theta = −∂V/∂T per year with the carry rate fixed', () => {
    fc.assert(
      fc.property(market, fc.boolean(), (m, isCall) => {
        fc.pre(m.vol * Math.sqrt(m.yearFraction) > 0.02)
        const g = priceGreeks(params(m, isCall))
        const price = (vol: number, T: number): number => {
          const forward = m.carry === null ? NaN : m.spot * Math.exp(m.carry * T)
          return optionPrice(isCall, m.spot, m.strike, T, m.rate, vol, forward)
        }
        const hv = 1e-5
        const ht = m.yearFraction * 1e-5
        const size = discounted(m).forward + discounted(m).strike
        close(
          g.vegaPerUnitVol,
          (price(m.vol + hv, m.yearFraction) - price(m.vol - hv, m.yearFraction)) / (2 * hv),
          size,
          1e-6,
        )
        const dVdT = (price(m.vol, m.yearFraction + ht) - price(m.vol, m.yearFraction - ht)) / (2 * ht)
        close(g.thetaPerYear, -dVdT, size * (m.vol / Math.sqrt(m.yearFraction) + 1), 1e-6)
      }),
      { numRuns: 500 },
    )
  })
})

describe('edge cases', () => {
  const out = new Float64Array(GREEK_STRIDE)
  const figures = (): number[] => Array.from(out)

  it('expired (T ≤ 0): intrinsic value on spot, a delta step, no other Greeks', () => {
    for (const T of [0, -1e-9, -0.5]) {
      priceGreeksInto(true, 110, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([10, 1, 0, 0, 0])
      priceGreeksInto(true, 90, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([0, 0, 0, 0, 0])
      priceGreeksInto(false, 90, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([10, -1, 0, 0, 0])
      priceGreeksInto(false, 110, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([0, 0, 0, 0, 0])
      // At the strike, the T → 0 limit of N(d1): one half.
      priceGreeksInto(true, 100, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([0, 0.5, 0, 0, 0])
      priceGreeksInto(false, 100, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([0, -0.5, 0, 0, 0])
      // A forward no longer matters: settlement is on the index.
      black76GreeksInto(true, 110, 150, 100, T, 0.05, 0.5, out, 0)
      expect(figures()).toEqual([10, 1, 0, 0, 0])
    }
  })

  it('σ = 0: the discounted forward payoff, its carry as theta, vega only at the money', () => {
    const T = 0.5
    const r = 0.04
    const D = Math.exp(-r * T)
    priceGreeksInto(true, 110, 100, T, r, 0, out, 0)
    expect(out[GREEK_SLOT.price]).toBeCloseTo(110 - 100 * D, 12)
    expect(out[GREEK_SLOT.delta]).toBe(1)
    expect(out[GREEK_SLOT.gamma]).toBe(0)
    expect(out[GREEK_SLOT.vegaPerUnitVol]).toBe(0)
    expect(out[GREEK_SLOT.thetaPerYear]).toBeCloseTo(-r * 100 * D, 12)
    priceGreeksInto(false, 110, 100, T, r, 0, out, 0)
    expect(figures()).toEqual([0, 0, 0, 0, 0])
    // Exactly at the forward (K = S·e^(rT)): the σ → 0 limit of vega is e^(−rT)·F·√T·φ(0).
    const atForward = 100 * Math.exp(r * T)
    priceGreeksInto(true, 100, atForward, T, r, 0, out, 0)
    const forwardLogMoneyness = Math.log(100 / atForward) + r * T
    if (forwardLogMoneyness === 0) {
      expect(out[GREEK_SLOT.delta]).toBe(0.5)
      expect(out[GREEK_SLOT.vegaPerUnitVol]).toBeCloseTo((100 * Math.sqrt(T)) / Math.sqrt(2 * Math.PI), 10)
    }
    expect(out[GREEK_SLOT.gamma]).toBe(0)
  })

  it('deep in and out of the money, tiny and huge T: finite, in bounds, right limits', () => {
    for (const T of [1 / (365 * 86400), 1 / 8760, 30]) {
      for (const [S, K] of [
        [65000, 1],
        [65000, 1e9],
        [1, 65000],
      ] as const) {
        for (const isCall of [true, false]) {
          priceGreeksInto(isCall, S, K, T, 0.05, 0.8, out, 0)
          for (const v of figures()) expect(Number.isFinite(v)).toBe(true)
          expect(out[0]).toBeGreaterThanOrEqual(0)
          expect(out[2]).toBeGreaterThanOrEqual(0)
        }
      }
    }
    // A one-second at-the-money option: large but finite gamma, delta near one half.
    priceGreeksInto(true, 65000, 65000, 1 / (365 * 86400), 0, 0.55, out, 0)
    expect(out[GREEK_SLOT.delta]).toBeCloseTo(0.5, 4)
    expect(out[GREEK_SLOT.gamma]).toBeGreaterThan(0)
    expect(Number.isFinite(out[GREEK_SLOT.gamma]!)).toBe(true)
    // Deep in the money a call is a discounted forward: delta 1, value S − K·e^(−rT), no gamma or vega left.
    priceGreeksInto(true, 65000, 1, 1 / 8760, 0.05, 0.55, out, 0)
    expect(out[GREEK_SLOT.delta]).toBe(1)
    expect(out[GREEK_SLOT.price]).toBeCloseTo(65000 - Math.exp(-0.05 / 8760), 9)
    expect(out[GREEK_SLOT.gamma]).toBe(0)
  })

  it('writes at the offset and nowhere else', () => {
    const wide = new Float64Array(3 * GREEK_STRIDE).fill(-7)
    priceGreeksInto(true, 100, 100, 1, 0, 0.5, wide, GREEK_STRIDE)
    expect(Array.from(wide.subarray(0, GREEK_STRIDE))).toEqual([-7, -7, -7, -7, -7])
    expect(Array.from(wide.subarray(2 * GREEK_STRIDE))).toEqual([-7, -7, -7, -7, -7])
    expect(wide[GREEK_STRIDE]).toBeGreaterThan(0)
  })

  it('invalid inputs give NaN figures instead of throwing in the hot path', () => {
    const bad: [number, number, number, number, number, number][] = [
      [0, 100, 1, 0, 0.5, NaN],
      [-1, 100, 1, 0, 0.5, NaN],
      [100, 0, 1, 0, 0.5, NaN],
      [100, 100, 1, 0, -0.1, NaN],
      [100, 100, NaN, 0, 0.5, NaN],
      [100, 100, 1, NaN, 0.5, NaN],
      [100, 100, 1, 0, NaN, NaN],
      [Infinity, 100, 1, 0, 0.5, NaN],
      [100, 100, 1, 0, 0.5, 0],
      [100, 100, 1, 0, 0.5, -5],
    ]
    for (const [S, K, T, r, sigma, F] of bad) {
      optionGreeksInto(true, S, K, T, r, sigma, F, out, 0)
      for (const v of figures()) expect(v).toBeNaN()
      expect(optionPrice(true, S, K, T, r, sigma, F)).toBeNaN()
    }
    // black76GreeksInto without a forward is a caller's mistake, not Black–Scholes in disguise.
    black76GreeksInto(true, 100, NaN, 100, 1, 0, 0.5, out, 0)
    expect(out[0]).toBeNaN()
  })

  it('optionPrice is the price priceGreeksInto writes', () => {
    fc.assert(
      fc.property(market, fc.boolean(), (m, isCall) => {
        optionGreeksInto(isCall, m.spot, m.strike, m.yearFraction, m.rate, m.vol, forwardOf(m), out, 0)
        expect(optionPrice(isCall, m.spot, m.strike, m.yearFraction, m.rate, m.vol, forwardOf(m))).toBe(
          out[0],
        )
      }),
    )
  })
})

describe('impliedVol', () => {
  it('recovers σ from price(σ), within what the price itself can resolve', () => {
    fc.assert(
      fc.property(market, fc.boolean(), (m, isCall) => {
        const g = priceGreeks(params(m, isCall))
        fc.pre(g.price > 1e-300 && g.vegaPerUnitVol > 1e-300)
        const forward = forwardOf(m)
        const implied = impliedVol(isCall, g.price, m.spot, m.strike, m.yearFraction, m.rate, forward)
        expect(implied).not.toBeNull()
        const d = discounted(m)
        // The price is known to ~1e-12 of itself (far-OTM cancellation) plus rounding of the
        // intrinsic part; through 1/vega that bounds what any solver can recover.
        const priceUncertainty = 1e-12 * g.price + 8 * EPS * (d.forward + d.strike)
        expect(Math.abs(implied! - m.vol)).toBeLessThanOrEqual(
          1e-9 * m.vol + (4 * priceUncertainty) / g.vegaPerUnitVol,
        )
        // And whatever σ it returns reproduces the price.
        const repriced = optionPrice(isCall, m.spot, m.strike, m.yearFraction, m.rate, implied!, forward)
        expect(Math.abs(repriced - g.price)).toBeLessThanOrEqual(4 * priceUncertainty)
      }),
      { numRuns: 3000 },
    )
  })

  it('solves far out of the money (prices of 1e-100) and very short expiries', () => {
    const T = 1 / 8760
    const price = optionPrice(true, 65000, 90000, T, 0.05, 0.9, NaN)
    expect(price).toBeLessThan(1e-100)
    expect(impliedVol(true, price, 65000, 90000, T, 0.05)).toBeCloseTo(0.9, 10)
    const put = optionPrice(false, 65000, 30000, 7 / 365, 0, 0.4, NaN)
    expect(impliedVol(false, put, 65000, 30000, 7 / 365, 0)).toBeCloseTo(0.4, 10)
  })

  it('returns null when no volatility reproduces the price', () => {
    const S = 100
    const K = 100
    const T = 0.25
    const r = 0.05
    const D = Math.exp(-r * T)
    // Below intrinsic (a call worth less than S − K·e^(−rT)).
    expect(impliedVol(true, 1, 110, 100, T, r)).toBeNull()
    // At or above the upper bound: a call worth the whole spot, a put worth the discounted strike.
    expect(impliedVol(true, S, S, K, T, r)).toBeNull()
    expect(impliedVol(false, K * D, S, K, T, r)).toBeNull()
    // A price that needs more than MAX_IMPLIED_VOL.
    const tooVolatile = optionPrice(true, S, K, T, r, 1.5 * MAX_IMPLIED_VOL, NaN)
    expect(impliedVol(true, tooVolatile, S, K, T, r)).toBeNull()
    // Nonsense and expired.
    expect(impliedVol(true, -1, S, K, T, r)).toBeNull()
    expect(impliedVol(true, NaN, S, K, T, r)).toBeNull()
    expect(impliedVol(true, 5, S, K, 0, r)).toBeNull()
    expect(impliedVol(true, 5, -S, K, T, r)).toBeNull()
    expect(impliedVol(true, 5, S, K, T, r, -1)).toBeNull()
  })

  it('a price at the intrinsic value gives σ = 0', () => {
    const T = 0.25
    const r = 0.05
    const intrinsic = 110 - 100 * Math.exp(-r * T)
    expect(impliedVol(true, intrinsic, 110, 100, T, r)).toBe(0)
    expect(impliedVol(false, 0, 110, 100, T, r)).toBe(0)
  })

  it('uses the forward when given (Black-76)', () => {
    const F = 66000
    const price = optionPrice(true, 65000, 70000, 0.25, 0.03, 0.6, F)
    expect(impliedVol(true, price, 65000, 70000, 0.25, 0.03, F)).toBeCloseTo(0.6, 12)
    // Without the forward the same price means another vol.
    expect(impliedVol(true, price, 65000, 70000, 0.25, 0.03)).not.toBeCloseTo(0.6, 3)
  })
})
