import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeDoc } from '../__fixtures__/build'
import { computeRiskReport } from '../report'
import { history, linearBook, optionBook } from './__fixtures__/books'
import { withHedges } from './hedges'
import { computeVar } from './var'

const H = history(3, 120)
const UNDERLYINGS = ['BTC', 'ETH', 'SOL'] as const
const PRICE: Record<string, number> = { BTC: 93000, ETH: 3050, SOL: 138 }

/** A random multi-venue book of perpetuals and options. */
const arbBook = fc
  .record({
    venues: fc.uniqueArray(fc.constantFrom('binance', 'bybit', 'okx', 'deribit'), { minLength: 1, maxLength: 4 }),
    positions: fc.array(
      fc.record({
        u: fc.constantFrom(...UNDERLYINGS),
        venue: fc.nat(3),
        qty: fc.integer({ min: -4000, max: 4000 }).filter((x) => x !== 0),
        option: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    basis: fc.constantFrom('positions', 'equity'),
  })
  .map(({ venues, positions, basis }) =>
    makeDoc({
      accounts: venues.map((v) => ({ id: `acc-${v}`, venue: v, marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '500000' }, { asset: 'BTC', amount: '0.5', haircut: 0.05 }] })),
      positions: positions.map((p, i) => {
        const venue = venues[p.venue % venues.length]!
        return p.option
          ? { id: `p${i}`, account: `acc-${venue}`, instrument: { kind: 'option', underlying: p.u, quote: 'USDT', optionType: i % 2 ? 'call' : 'put', strike: String(PRICE[p.u]), expiry: '2026-12-25T08:00:00Z' }, quantity: (p.qty / 1000).toString(), entryPrice: String(PRICE[p.u]! * 0.05) }
          : { id: `p${i}`, account: `acc-${venue}`, instrument: { kind: 'perpetual', underlying: p.u, quote: 'USDT' }, quantity: (p.qty / 1000).toString(), entryPrice: String(PRICE[p.u]) }
      }),
      market: { underlyings: Object.fromEntries(UNDERLYINGS.map((u) => [u, { price: String(PRICE[u]), vol: 0.6, history: H[u] }])), rates: { USD: 0 } },
      settings: { hedgeDeltaBasis: basis, monteCarloPaths: 200 },
    }),
  )

describe('hedge suggestions', () => {
  it('the contract example: sell 0.5 BTC in account bn', () => {
    const r = computeRiskReport(
      makeDoc({
        accounts: [{ id: 'bn', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '10000' }, { asset: 'BTC', amount: '0.5', haircut: 0.05 }] }],
        positions: [{ id: 'p1', account: 'bn', instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT' }, quantity: '0.5', entryPrice: '60000' }],
        market: { underlyings: { BTC: { price: '65000', vol: 0.55 } }, instruments: { p1: { mark: '65010', fundingRate: 0.0001, fundingIntervalHours: 8 } } },
      }),
    )
    expect(r.hedges).toHaveLength(1)
    const h = r.hedges[0]!
    expect(h).toMatchObject({ underlying: 'BTC', account: 'bn', quantity: '-0.5', venue: 'binance' })
    // Two taker fees of 0.05 % on 0.5 × 65,010 over 7 days, less the funding a short receives
    // (0.5 × 65,010 × 0.0001 × 3 per day): (2 × 16.2525) / 7 − 9.7515.
    expect(h.dailyCost).toBeCloseTo((2 * 16.2525) / 7 - 9.7515, 6)
    expect(r.hedgeTargets[0]).toMatchObject({ underlying: 'BTC', basis: 'positions', delta: 0.5 })
  })

  it('law: applying the top hedges brings every net delta within one lot of zero', () => {
    fc.assert(
      fc.property(arbBook, (doc) => {
        const before = computeRiskReport(doc)
        if (before.hedges.length === 0) return
        const best = before.hedges.map((h) => before.hedgeCandidates.find((c) => c.id === h.candidateId)!)
        const after = computeRiskReport(withHedges(doc, best))
        for (const c of best) {
          const target = after.hedgeTargets.find((t) => t.underlying === c.underlying)
          const residual = target?.delta ?? 0
          // Within one lot: the rounding to whole lots leaves at most half of one.
          expect(Math.abs(residual)).toBeLessThanOrEqual(c.deltaPerLot * (0.5 + 1e-9))
          if (c.instrument.settlement === 'linear' && doc.settings['hedgeDeltaBasis'] !== 'equity') {
            expect(Math.abs(after.portfolio.netDelta[c.underlying]!)).toBeLessThanOrEqual(c.deltaPerLot * (0.5 + 1e-9))
          }
        }
      }),
      { numRuns: 40 },
    )
  })

  it('candidates are ranked by cost per day among the feasible, and carry margin, fees and funding', () => {
    const r = computeRiskReport(optionBook(5))
    for (const u of r.hedgeTargets.map((t) => t.underlying)) {
      const list = r.hedgeCandidates.filter((c) => c.underlying === u)
      expect(list.map((c) => c.rank)).toEqual(list.map((_, i) => i + 1))
      const feasible = list.filter((c) => c.feasible)
      for (let i = 1; i < feasible.length; i++) expect(feasible[i]!.dailyCost).toBeGreaterThanOrEqual(feasible[i - 1]!.dailyCost)
      for (const c of list) {
        expect(c.feeOpenUsd).toBeCloseTo(c.notionalUsd * c.takerFeeRate, 6)
        expect(c.basisRisk.length).toBeGreaterThan(10)
      }
    }
  })

  it('hedging the equity delta makes the VaR of a linear book (coin collateral included) collapse', () => {
    const doc = linearBook(9, 200, { hedgeDeltaBasis: 'equity', monteCarloPaths: 500 })
    const r = computeRiskReport(doc)
    const best = r.hedges.map((h) => r.hedgeCandidates.find((c) => c.id === h.candidateId)!)
    const before = computeVar(doc)
    const after = computeVar(withHedges(doc, best))
    // What is left: half a lot per underlying and the basis between marks of different venues.
    expect(after.var.parametric!).toBeLessThan(0.02 * before.var.parametric!)
    expect(after.var.historical!).toBeLessThan(0.02 * before.var.historical!)
  })
})
