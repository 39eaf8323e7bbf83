import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { runPythonReference } from '../../../scripts/reference/python-reference'
import { INV_SQRT_2PI, normCdf, normInv, normPdf, normSf } from './normal'

interface NormalReference {
  lower: number[]
  upper: number[]
  pdf: number[]
  quantile: number[]
}

/** Smallest positive normal double: below it a double has fewer than 53 significant bits. */
const MIN_NORMAL = 2.2250738585072014e-308

/**
 * |a − b| ≤ rel·|b|, except in the subnormal range, where a double carries only the bits above
 * 4.9e-324 and a relative bound is meaningless: there, a few units in the last place.
 */
function closeRelative(actual: number, expected: number, rel: number): boolean {
  const diff = Math.abs(actual - expected)
  if (Math.abs(expected) < MIN_NORMAL) return diff <= 4 * Number.MIN_VALUE + rel * Math.abs(expected)
  return diff <= rel * Math.abs(expected)
}

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected)
}

describe('normal distribution against scipy (erfcx with an exact Gaussian factor)', () => {
  // A grid over [-38, 38] plus irregular points, so no test point is a friendly binary fraction.
  const z: number[] = []
  for (let i = -3800; i <= 3800; i += 5) z.push(i / 100)
  for (let i = 0; i < 400; i++) z.push(-38 + 76 * ((i * 0.6180339887498949) % 1))
  const p = [
    1e-300,
    1e-250,
    1e-200,
    1e-150,
    1e-100,
    1e-50,
    1e-20,
    1e-12,
    1e-8,
    1e-5,
    1e-3,
    0.01,
    0.02425,
    0.05,
    0.1,
    0.25,
    0.3,
    0.45,
    0.5,
    0.55,
    0.7,
    0.9,
    0.975,
    0.99,
    0.999,
    1 - 1e-6,
    1 - 1e-10,
    1 - 2 ** -50,
  ]
  const ref = runPythonReference<NormalReference>('scipy_normal.py', { z, p })

  it('cdf has ~1e-15 relative error in the lower tail and centre, down to Φ(−38)', () => {
    let worst = 0
    z.forEach((x, i) => {
      const expected = ref.lower[i]!
      expect(closeRelative(normCdf(x), expected, 2e-15), `Φ(${x})`).toBe(true)
      if (expected >= MIN_NORMAL) worst = Math.max(worst, relativeError(normCdf(x), expected))
    })
    expect(worst).toBeLessThan(2e-15)
  })

  it('upper tail P(Z > z) keeps its relative precision up to z = 38 (normSf)', () => {
    let worst = 0
    z.forEach((x, i) => {
      const expected = ref.upper[i]!
      expect(closeRelative(normSf(x), expected, 2e-15), `1 − Φ(${x})`).toBe(true)
      if (expected >= MIN_NORMAL) worst = Math.max(worst, relativeError(normSf(x), expected))
    })
    expect(worst).toBeLessThan(2e-15)
  })

  it('pdf to 1e-15 relative wherever it is a normal double', () => {
    z.forEach((x, i) => {
      expect(closeRelative(normPdf(x), ref.pdf[i]!, 1e-15), `φ(${x})`).toBe(true)
    })
  })

  it('inverse cdf to 1e-14 relative, from p = 1e-300 to 1 − 2⁻⁵⁰', () => {
    p.forEach((prob, i) => {
      const expected = ref.quantile[i]!
      const got = normInv(prob)
      if (expected === 0) expect(got).toBe(0)
      else expect(relativeError(got, expected), `Φ⁻¹(${prob})`).toBeLessThan(1e-14)
    })
  })
})

describe('normal distribution: identities and special values', () => {
  it('Φ(0) = 1/2, φ(0) = 1/√(2π), Φ(±∞) = 0, 1, NaN stays NaN', () => {
    expect(normCdf(0)).toBe(0.5)
    expect(normPdf(0)).toBe(INV_SQRT_2PI)
    expect(normCdf(-Infinity)).toBe(0)
    expect(normCdf(Infinity)).toBe(1)
    expect(normPdf(Infinity)).toBe(0)
    expect(normPdf(-Infinity)).toBe(0)
    expect(normCdf(NaN)).toBeNaN()
    expect(normPdf(NaN)).toBeNaN()
    expect(normInv(NaN)).toBeNaN()
    expect(normInv(0)).toBe(-Infinity)
    expect(normInv(1)).toBe(Infinity)
    expect(normInv(-0.1)).toBeNaN()
    expect(normInv(1.1)).toBeNaN()
  })

  it('far tails underflow to 0 (and 1) instead of NaN', () => {
    expect(normCdf(-40)).toBe(0)
    expect(normCdf(-1e300)).toBe(0)
    expect(normSf(1e300)).toBe(0)
    expect(normCdf(40)).toBe(1)
    expect(normPdf(1e200)).toBe(0)
  })

  it('Φ(x) + Φ(−x) = 1 and φ is even', () => {
    fc.assert(
      fc.property(fc.double({ min: -9, max: 9, noNaN: true }), (x) => {
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThanOrEqual(2 * Number.EPSILON)
        expect(normPdf(x)).toBe(normPdf(-x))
      }),
    )
  })

  it('Φ has no jump where the rational approximations switch (only rounding, ≤ 1 ulp)', () => {
    for (const edge of [0.66291, 5.656854248]) {
      for (const x of [-edge, edge]) {
        let previous = normCdf(x - 64 * Number.EPSILON * Math.abs(x))
        for (let k = -63; k <= 64; k++) {
          const current = normCdf(x + k * Number.EPSILON * Math.abs(x))
          // Two approximations meet here, each correct to rounding: they may disagree by an ulp.
          expect(current).toBeGreaterThanOrEqual(previous - Number.EPSILON * previous)
          expect(current - previous).toBeLessThan(1e-13 * previous)
          previous = current
        }
      }
    }
  })

  it('normInv inverts normCdf: Φ(Φ⁻¹(p)) = p within the conditioning of Φ', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1, noNaN: true, maxExcluded: true }), (prob) => {
        const x = normInv(prob)
        const back = prob <= 0.5 ? normCdf(x) : 1 - normSf(x)
        // One ulp of x moves Φ by |x|·φ(x)/Φ(x)·ulp ≈ x²·ε relative in the lower tail.
        const tolerance = (4 + x * x) * 2 * Number.EPSILON * Math.min(prob, 1 - prob + Number.EPSILON)
        expect(Math.abs(back - prob)).toBeLessThanOrEqual(tolerance + Number.EPSILON * prob)
      }),
      { numRuns: 2000 },
    )
  })

  it('is not a 7-digit textbook approximation: known deep-tail values', () => {
    // Correctly rounded Φ(−10), Φ(−20), Φ(−1.96), from an 80-digit evaluation of erfc.
    expect(relativeError(normCdf(-10), 7.619853024160525e-24)).toBeLessThan(1e-15)
    expect(relativeError(normCdf(-20), 2.7536241186062337e-89)).toBeLessThan(1e-15)
    expect(relativeError(normCdf(-1.96), 0.024997895148220435)).toBeLessThan(1e-15)
  })
})
