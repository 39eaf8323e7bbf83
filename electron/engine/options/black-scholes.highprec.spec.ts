/**
 * Far-tail values and Greeks against an 80-digit evaluation of the same closed forms
 * (scripts/reference/highprec_options.py, its own erf series and erfc continued fraction).
 *
 * QuantLib cannot judge these (its normal cdf has ~1e-17 absolute error, see the QuantLib spec),
 * yet the engine claims meaningful figures until they underflow: a one-minute option 36 standard
 * deviations out of the money, or a 5-year option struck e^224 away, must still come out right to
 * as many digits as its inputs determine.
 */
import { describe, expect, it } from 'vitest'
import { runPythonReference } from '../../../scripts/reference/python-reference'
import { GREEK_STRIDE, optionGreeksInto } from './black-scholes'

interface Case {
  isCall: boolean
  spot: number
  strike: number
  yearFraction: number
  rate: number
  vol: number
  forward: number | null
}

interface Exact {
  price: number
  delta: number
  gamma: number
  vega: number
  theta: number
  d1: number
  stdDev: number
  thetaTerms: number
}

const FIGURES = ['price', 'delta', 'gamma', 'vega', 'theta'] as const

function buildCases(): Case[] {
  const cases: Case[] = []
  const spot = 65000
  const rate = 0.03
  for (const yearFraction of [60 / 31_536_000, 1 / 8760, 1 / 365, 30 / 365, 1, 5]) {
    for (const d1 of [-36, -30, -20, -12, -6, -3, -1.5, 1.5, 3, 6, 12, 20, 30, 36]) {
      for (const isCall of [true, false]) {
        for (const basis of [null, 1.05]) {
          for (const vol of [0.05, 0.8, 3]) {
            const stdDev = vol * Math.sqrt(yearFraction)
            const forward = basis === null ? spot * Math.exp(rate * yearFraction) : spot * basis
            // The strike that puts d1 where we want it: ln(F/K) = (d1 − σ√T/2)·σ√T.
            const strike = forward * Math.exp(-(d1 - stdDev / 2) * stdDev)
            cases.push({
              isCall,
              spot,
              strike,
              yearFraction,
              rate,
              vol,
              forward: basis === null ? null : forward,
            })
          }
        }
      }
    }
  }
  return cases
}

/**
 * How much one rounding of the inputs moves a figure, relatively: ∂ln V/∂ln K ≈ |d1|/(σ√T) far
 * out of the money, plus order-one terms. No algorithm in doubles can beat ε times this; we ask
 * for 256 ε times it (the worst seen is about 100 ε, in theta, whose terms cancel).
 */
function conditioning(exact: Exact): number {
  return 1 + Math.abs(exact.d1) * (1 + 1 / exact.stdDev)
}

/** Below this a figure is within a few decades of the subnormal range, where doubles lose bits. */
const UNDERFLOW_ZONE = 1e-290

describe('far tails against 80-digit arithmetic', () => {
  const cases = buildCases()
  const exact = runPythonReference<{ results: Exact[] }>('highprec_options.py', { cases }).results

  it('prices and Greeks are right to as many digits as the inputs determine, 36 deviations out', () => {
    const out = new Float64Array(GREEK_STRIDE)
    const failures: string[] = []
    let compared = 0
    let worstRelative = 0
    let worstVsConditioning = 0
    cases.forEach((c, i) => {
      const e = exact[i]!
      optionGreeksInto(c.isCall, c.spot, c.strike, c.yearFraction, c.rate, c.vol, c.forward ?? NaN, out, 0)
      FIGURES.forEach((figure, k) => {
        const expected = e[figure]
        if (Math.abs(expected) < UNDERFLOW_ZONE) return
        compared++
        const got = out[k]!
        // Theta sums terms of both signs and can cross zero: its rounding scales with those terms.
        const size = figure === 'theta' ? Math.max(Math.abs(expected), e.thetaTerms) : Math.abs(expected)
        const error = Math.abs(got - expected) / size
        const allowed = 256 * Number.EPSILON * conditioning(e)
        worstRelative = Math.max(worstRelative, error)
        worstVsConditioning = Math.max(worstVsConditioning, error / (Number.EPSILON * conditioning(e)))
        if (!(error <= allowed)) {
          failures.push(
            `${figure} d1=${e.d1} σ√T=${e.stdDev} ${JSON.stringify(c)}: ${got} vs ${expected} (${error})`,
          )
        }
      })
    })
    console.log(
      `80-digit reference: ${cases.length} far-tail cases, ${compared} figures; worst relative error ` +
        `${worstRelative.toExponential(1)}, worst ${worstVsConditioning.toFixed(0)} ε × conditioning`,
    )
    expect(compared).toBeGreaterThan(4000)
    expect(failures, failures.slice(0, 8).join('\n')).toHaveLength(0)
  })
})
