import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { optionPrice, priceGreeks } from './black-scholes'
import {
  createOptionBook,
  createOptionBookRisk,
  optionPositionRisk,
  revalueOptionBookInto,
  setOptionBookEntry,
  valueOptionBookAtSpotsInto,
  yearFraction,
  yearFractionFromMs,
  type OptionPositionInput,
} from './option-position'

const EPS = Number.EPSILON

const positionInput: fc.Arbitrary<OptionPositionInput> = fc
  .record({
    optionType: fc.constantFrom('call' as const, 'put' as const),
    settlement: fc.constantFrom('linear' as const, 'inverse' as const),
    quantity: fc.double({ min: -500, max: 500, noNaN: true }).filter((q) => Math.abs(q) > 1e-6),
    contractSize: fc.constantFrom(1, 0.1, 0.01, 10),
    spot: fc.double({ min: Math.log(1), max: Math.log(1e5), noNaN: true }).map(Math.exp),
    strikeRatio: fc.double({ min: 0.3, max: 3, noNaN: true }),
    yearFraction: fc.double({ min: 1 / 8760, max: 3, noNaN: true }),
    rate: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
    vol: fc.double({ min: 0.05, max: 2, noNaN: true }),
    carry: fc.option(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { nil: undefined }),
  })
  .map(({ strikeRatio, carry, ...p }) => ({
    ...p,
    strike: p.spot * strikeRatio,
    forward: carry === undefined ? undefined : p.spot * Math.exp(carry * p.yearFraction),
  }))

const near = (actual: number, expected: number, scale: number, rel = 1e-13): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * scale)
}

describe('position figures follow portfolio-format.md', () => {
  it('scale the unit Greeks by quantity × contract size; vega per vol point, theta per calendar day', () => {
    fc.assert(
      fc.property(positionInput, (p) => {
        const unit = priceGreeks({
          isCall: p.optionType === 'call',
          spot: p.spot,
          strike: p.strike,
          yearFraction: p.yearFraction,
          rate: p.rate,
          vol: p.vol,
          forward: p.forward,
        })
        const units = p.quantity * (p.contractSize ?? 1)
        const risk = optionPositionRisk(p)
        expect(risk.unitPriceUsd).toBe(unit.price)
        near(risk.valueUsd, units * unit.price, Math.abs(units) * (p.spot + p.strike), 4 * EPS)
        near(risk.deltaUnderlying, units * unit.delta, Math.abs(units), 4 * EPS)
        expect(risk.gammaPerUsd).toBe(units * unit.gamma)
        near(
          risk.vegaPerVolPoint,
          units * unit.vegaPerUnitVol * 0.01,
          Math.abs(units * unit.vegaPerUnitVol) * 0.01,
          4 * EPS,
        )
        near(
          risk.thetaPerDay,
          (units * unit.thetaPerYear) / 365,
          Math.abs(units * unit.thetaPerYear) / 365,
          4 * EPS,
        )
      }),
    )
  })

  it('a contract size defaults to one underlying unit', () => {
    const base: OptionPositionInput = {
      optionType: 'call',
      settlement: 'linear',
      quantity: 2,
      spot: 65000,
      strike: 70000,
      yearFraction: 30 / 365,
      rate: 0,
      vol: 0.55,
    }
    expect(optionPositionRisk(base)).toEqual(optionPositionRisk({ ...base, contractSize: 1 }))
    const tenth = optionPositionRisk({ ...base, contractSize: 0.1 })
    expect(tenth.valueUsd).toBeCloseTo(optionPositionRisk(base).valueUsd / 10, 9)
  })

  it('long options: delta has the option’s sign, gamma and vega positive, theta negative; shorts mirror them', () => {
    // With no rate and no carry, theta = −½σ²S²Γ: negative for every long option.
    fc.assert(
      fc.property(positionInput, (raw) => {
        const p = { ...raw, rate: 0, forward: undefined, quantity: Math.abs(raw.quantity) }
        const long = optionPositionRisk(p)
        const short = optionPositionRisk({ ...p, quantity: -p.quantity })
        if (p.optionType === 'call') expect(long.deltaUnderlying).toBeGreaterThanOrEqual(0)
        else expect(long.deltaUnderlying).toBeLessThanOrEqual(0)
        expect(long.gammaPerUsd).toBeGreaterThanOrEqual(0)
        expect(long.vegaPerVolPoint).toBeGreaterThanOrEqual(0)
        expect(long.thetaPerDay).toBeLessThanOrEqual(0)
        expect(long.valueUsd).toBeGreaterThanOrEqual(0)
        for (const key of [
          'valueUsd',
          'deltaUnderlying',
          'gammaPerUsd',
          'vegaPerVolPoint',
          'thetaPerDay',
        ] as const) {
          expect(short[key]).toBe(-long[key])
        }
      }),
    )
  })

  it('a realistic long BTC call: the signs a trader expects', () => {
    const risk = optionPositionRisk({
      optionType: 'call',
      settlement: 'inverse',
      quantity: 3,
      spot: 65000,
      strike: 70000,
      yearFraction: 30 / 365,
      rate: 0.05,
      vol: 0.55,
    })
    expect(risk.deltaUnderlying).toBeGreaterThan(0.9)
    expect(risk.deltaUnderlying).toBeLessThan(1.2)
    expect(risk.thetaPerDay).toBeLessThan(-100) // a few hundred USD a day on ~6,900 USD of premium
    expect(risk.vegaPerVolPoint).toBeGreaterThan(100)
  })

  it('the one exception the doc’s “negative for long options” allows: a deep ITM European put with r > 0', () => {
    // Its value converges up to K·e^(−rT) → K as time passes: positive theta. Documented, not a bug.
    const put = optionPositionRisk({
      optionType: 'put',
      settlement: 'linear',
      quantity: 1,
      spot: 30000,
      strike: 70000,
      yearFraction: 1,
      rate: 0.05,
      vol: 0.3,
    })
    expect(put.thetaPerDay).toBeGreaterThan(0)
  })
})

describe('inverse (coin-settled) options', () => {
  it('are valued in USD exactly like linear ones; their coin premium is the USD value / S', () => {
    fc.assert(
      fc.property(positionInput, (p) => {
        const linear = optionPositionRisk({ ...p, settlement: 'linear' })
        const inverse = optionPositionRisk({ ...p, settlement: 'inverse' })
        for (const key of [
          'unitPriceUsd',
          'valueUsd',
          'deltaUnderlying',
          'gammaPerUsd',
          'vegaPerVolPoint',
          'thetaPerDay',
        ] as const) {
          expect(inverse[key]).toBe(linear[key])
        }
        expect(inverse.valueCoin).toBe(inverse.valueUsd / p.spot)
        expect(inverse.unitPriceCoin).toBe(inverse.unitPriceUsd / p.spot)
      }),
    )
  })

  it('coin delta = USD delta − premium in coin, per contract, times quantity (Deribit)', () => {
    fc.assert(
      fc.property(positionInput, (p) => {
        const inverse = optionPositionRisk({ ...p, settlement: 'inverse' })
        const units = p.quantity * (p.contractSize ?? 1)
        const premiumCoinPerUnit = inverse.unitPriceUsd / p.spot
        const expected = units * (inverse.deltaUnderlying / units - premiumCoinPerUnit)
        near(inverse.premiumAdjustedDeltaCoin, expected, Math.abs(units) * (1 + premiumCoinPerUnit), 8 * EPS)
        // A USD-settled option has no coin premium to adjust for.
        expect(optionPositionRisk({ ...p, settlement: 'linear' }).premiumAdjustedDeltaCoin).toBe(
          inverse.deltaUnderlying,
        )
      }),
    )
  })

  it('Deribit’s FAQ example: a call of delta 0.50 bought for 0.10 BTC adds 0.40 to the delta', () => {
    // A 90-day 50 % call struck where d1 = 0 has delta exactly 0.5 and costs about 0.09 BTC; the
    // identity depends only on delta and the coin premium, not on the model's details.
    const spot = 65000
    const risk = optionPositionRisk({
      optionType: 'call',
      settlement: 'inverse',
      quantity: 1,
      spot,
      strike: spot * Math.exp(0.5 * 0.5 * 0.5 * (90 / 365)), // ln(S/K) = −σ²T/2 makes d1 = 0 (r = 0)
      yearFraction: 90 / 365,
      rate: 0,
      vol: 0.5,
    })
    expect(risk.deltaUnderlying).toBeCloseTo(0.5, 12)
    expect(risk.premiumAdjustedDeltaCoin).toBeCloseTo(0.5 - risk.valueCoin, 12)
    expect(risk.valueCoin).toBeGreaterThan(0.08)
    expect(risk.valueCoin).toBeLessThan(0.12)
  })

  it('coin delta is S × ∂(value in coin)/∂S: the hedge that keeps a coin-margined account flat in USD', () => {
    fc.assert(
      fc.property(positionInput, (raw) => {
        const p = { ...raw, settlement: 'inverse' as const }
        fc.pre(p.vol * Math.sqrt(p.yearFraction) > 0.02)
        const coinValueAt = (spot: number): number => {
          const forward = p.forward === undefined ? NaN : p.forward * (spot / p.spot)
          const usd = optionPrice(
            p.optionType === 'call',
            spot,
            p.strike,
            p.yearFraction,
            p.rate,
            p.vol,
            forward,
          )
          return (p.quantity * (p.contractSize ?? 1) * usd) / spot
        }
        const h = p.spot * 1e-5
        const numeric = (p.spot * (coinValueAt(p.spot + h) - coinValueAt(p.spot - h))) / (2 * h)
        const risk = optionPositionRisk(p)
        const units = Math.abs(p.quantity * (p.contractSize ?? 1))
        near(risk.premiumAdjustedDeltaCoin, numeric, units * (1 + (p.forward ?? p.spot) / p.spot), 1e-7)
      }),
    )
  })
})

describe('the batch (struct of arrays)', () => {
  it('gives exactly what the per-position function gives, for every position', () => {
    fc.assert(
      fc.property(fc.array(positionInput, { minLength: 1, maxLength: 40 }), (inputs) => {
        const book = createOptionBook(inputs.length + 3) // capacity beyond count must be ignored
        inputs.forEach((p, i) => setOptionBookEntry(book, i, p))
        expect(book.count).toBe(inputs.length)
        const risk = createOptionBookRisk(inputs.length + 3)
        risk.valueUsd.fill(-1)
        revalueOptionBookInto(book, risk)
        inputs.forEach((p, i) => {
          const one = optionPositionRisk(p)
          expect(risk.valueUsd[i]).toBe(one.valueUsd)
          expect(risk.valueCoin[i]).toBe(one.valueCoin)
          expect(risk.deltaUnderlying[i]).toBe(one.deltaUnderlying)
          expect(risk.gammaPerUsd[i]).toBe(one.gammaPerUsd)
          expect(risk.vegaPerVolPoint[i]).toBe(one.vegaPerVolPoint)
          expect(risk.thetaPerDay[i]).toBe(one.thetaPerDay)
          expect(risk.premiumAdjustedDeltaCoin[i]).toBe(one.premiumAdjustedDeltaCoin)
        })
        expect(risk.valueUsd[inputs.length]).toBe(-1)
      }),
      { numRuns: 50 },
    )
  })

  it('values a book at scenario spots, the forward moving with its spot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(positionInput, fc.double({ min: -0.5, max: 0.5, noNaN: true })), {
          minLength: 1,
          maxLength: 20,
        }),
        (rows) => {
          const book = createOptionBook(rows.length)
          rows.forEach(([p], i) => setOptionBookEntry(book, i, p))
          const values = new Float64Array(rows.length)
          // Unshocked: the same values as the full revaluation.
          const risk = createOptionBookRisk(rows.length)
          revalueOptionBookInto(book, risk)
          valueOptionBookAtSpotsInto(book, book.spot, values)
          expect(Array.from(values)).toEqual(Array.from(risk.valueUsd))
          // Shocked: each position revalued at S·(1 + move), F scaled by the same factor.
          const scenario = Float64Array.from(rows, ([p, move]) => p.spot * (1 + move))
          valueOptionBookAtSpotsInto(book, scenario, values)
          rows.forEach(([p, move], i) => {
            const spot = p.spot * (1 + move)
            const forward = p.forward === undefined ? NaN : p.forward * (spot / p.spot)
            const unit = optionPrice(
              p.optionType === 'call',
              spot,
              p.strike,
              p.yearFraction,
              p.rate,
              p.vol,
              forward,
            )
            near(
              values[i]!,
              p.quantity * (p.contractSize ?? 1) * unit,
              Math.abs(p.quantity) * (spot + p.strike),
              8 * EPS,
            )
          })
        },
      ),
      { numRuns: 50 },
    )
  })
})

describe('year fraction', () => {
  it('is (expiry − asOf) seconds / (365 × 86400), intraday and expired included', () => {
    expect(yearFraction('2026-11-24T08:00:00Z', '2026-11-25T08:00:00Z')).toBe(1 / 365)
    expect(yearFraction('2026-11-24T08:00:00Z', '2026-11-24T12:00:00Z')).toBe(4 / (365 * 24))
    expect(yearFraction('2026-11-24T08:00:00Z', '2027-11-24T08:00:00Z')).toBe(1)
    expect(yearFraction('2026-11-24T08:00:00Z', '2026-11-24T07:00:00Z')).toBeLessThan(0)
    // Leap years are not special: 2028-02-29 makes 366 days 366/365 years.
    expect(yearFraction('2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z')).toBe(366 / 365)
    expect(yearFraction('2026-11-24T09:00:00+01:00', '2026-11-25T08:00:00Z')).toBe(1 / 365)
    expect(yearFractionFromMs(0, 86_400_000)).toBe(1 / 365)
    expect(() => yearFraction('yesterday', '2026-11-25T08:00:00Z')).toThrow(RangeError)
  })
})
