import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeDoc } from '../__fixtures__/build'
import { prepareBook } from '../book'
import { history, linearBook, optionBook } from './__fixtures__/books'
import { assembleVar, chunkRanges, computeVar, createVarContext, runVarChunk, scenarioCount } from './var'
import { tailCount, tailFromLargest, TopK } from './tail'

describe('tail statistics', () => {
  it('k = ceil(n (1 − c)) without the float artefact of 1 − 0.99', () => {
    expect(tailCount(400, 0.99)).toBe(4)
    expect(tailCount(399, 0.99)).toBe(4)
    expect(tailCount(401, 0.99)).toBe(5)
    expect(tailCount(1000, 0.975)).toBe(25)
    expect(tailCount(10, 0.99)).toBe(1)
  })

  it('top-k over chunks gives the k largest of everything, ES ≥ VaR', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), (xs, k, parts) => {
        const chunks = chunkRanges(xs.length, parts).map(([a, b]) => {
          const t = new TopK(k)
          for (let i = a; i < b; i++) t.push(xs[i]!)
          return t.sortedDescending()
        })
        const r = tailFromLargest(chunks, k)
        if (xs.length < k) {
          expect(r).toBeNull()
          return
        }
        const sorted = [...xs].sort((p, q) => q - p)
        expect(r!.var).toBe(sorted[k - 1])
        expect(r!.es).toBeCloseTo(sorted.slice(0, k).reduce((s, x) => s + x, 0) / k, 6)
        expect(r!.es).toBeGreaterThanOrEqual(r!.var - 1e-9 * Math.abs(r!.var))
      }),
    )
  })
})

describe('VaR chunks', () => {
  const doc = optionBook(21, 200, { monteCarloPaths: 3000, monteCarloSeed: 42 })

  it('give the same figures however the scenarios are split (worker threads change nothing)', () => {
    const ctx = createVarContext(doc)
    const one = assembleVar(ctx, {
      historical: [runVarChunk(ctx, 'historical', 0, scenarioCount(ctx, 'historical'))],
      monteCarlo: [runVarChunk(ctx, 'monteCarlo', 0, scenarioCount(ctx, 'monteCarlo'))],
    })
    const split = assembleVar(ctx, {
      historical: chunkRanges(scenarioCount(ctx, 'historical'), 3).map(([a, b]) => runVarChunk(ctx, 'historical', a, b)).reverse(),
      monteCarlo: chunkRanges(scenarioCount(ctx, 'monteCarlo'), 4).map(([a, b]) => runVarChunk(ctx, 'monteCarlo', a, b)),
    })
    expect(split).toEqual(one)
  })

  it('the compiled kernel and plain revalue() agree', () => {
    const a = computeVar(doc, undefined, ['historical', 'monteCarlo'], 'compiled')
    const b = computeVar(doc, undefined, ['historical', 'monteCarlo'], 'revalue')
    for (const m of ['historical', 'monteCarlo'] as const) {
      expect(a.var[m]!).toBeCloseTo(b.var[m]!, 6)
      expect(a.expectedShortfall[m]!).toBeCloseTo(b.expectedShortfall[m]!, 6)
    }
  })

  it('Monte Carlo is reproducible from its seed and reports paths and seed', () => {
    const a = computeVar(doc, undefined, ['monteCarlo'])
    const b = computeVar(doc, undefined, ['monteCarlo'])
    const c = computeVar({ ...doc, settings: { ...doc.settings, monteCarloSeed: 43 } } as typeof doc, undefined, ['monteCarlo'])
    expect(a.var.monteCarlo).toBe(b.var.monteCarlo)
    expect(c.var.monteCarlo).not.toBe(a.var.monteCarlo)
    expect(a.monteCarloPaths).toBe(3000)
    expect(a.monteCarloSeed).toBe(42)
  })
})

describe('Monte Carlo converges to parametric VaR on a linear book', () => {
  it('the error shrinks as paths grow, to within 1.5 % at 200,000 paths', () => {
    // A purely linear book: P&L is exactly linear in the returns, so both methods estimate the same
    // normal quantile; Monte Carlo's error falls like 1/√paths.
    const err = (paths: number, seed: number): number => {
      const d = linearBook(31, 300, { monteCarloPaths: paths, monteCarloSeed: seed })
      const r = computeVar(d, undefined, ['monteCarlo'])
      return Math.abs(r.var.monteCarlo! / r.var.parametric! - 1)
    }
    const mean = (paths: number): number => [1, 2, 3, 4, 5].reduce((s, seed) => s + err(paths, seed), 0) / 5
    const small = mean(1000)
    const large = mean(30000)
    expect(large).toBeLessThan(small)
    expect(err(200000, 9)).toBeLessThan(0.015)
    // ES converges too.
    const d = linearBook(31, 300, { monteCarloPaths: 200000, monteCarloSeed: 9 })
    const r = computeVar(d, undefined, ['monteCarlo'])
    expect(Math.abs(r.expectedShortfall.monteCarlo! / r.expectedShortfall.parametric! - 1)).toBeLessThan(0.02)
  }, 120_000)
})

describe('VaR laws', () => {
  const histories = history(5, 150)
  const book = (qtys: number[], collateral: string): ReturnType<typeof makeDoc> =>
    makeDoc({
      accounts: [
        { id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: collateral }] },
        { id: 'b', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: collateral }] },
      ],
      positions: qtys.flatMap((q, i) => [
        { id: `l${i}`, account: 'a', instrument: { kind: 'perpetual', underlying: ['BTC', 'ETH', 'SOL'][i % 3], quote: 'USDT' }, quantity: String(q), entryPrice: '100' },
        { id: `s${i}`, account: 'b', instrument: { kind: 'perpetual', underlying: ['BTC', 'ETH', 'SOL'][i % 3], quote: 'USDT' }, quantity: String(-q), entryPrice: '120' },
      ]),
      market: {
        underlyings: { BTC: { price: '93000', history: histories.BTC }, ETH: { price: '3050', history: histories.ETH }, SOL: { price: '138', history: histories.SOL } },
      },
      settings: { monteCarloPaths: 500 },
    })

  it('a fully hedged book (every long offset by a short elsewhere) has VaR ≈ 0 three ways, while each venue does not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }).map((x) => x / 1000), { minLength: 1, maxLength: 4 }), (qtys) => {
        const r = computeVar(book(qtys, '100000'))
        const scale = r.byVenue.reduce((s, v) => s + v.var.parametric!, 0)
        expect(scale).toBeGreaterThan(0)
        for (const m of ['historical', 'parametric', 'monteCarlo'] as const) {
          expect(Math.abs(r.var[m]!)).toBeLessThanOrEqual(1e-9 * scale)
          expect(Math.abs(r.expectedShortfall[m]!)).toBeLessThanOrEqual(1e-9 * scale)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('ES ≥ VaR for every method, series and book', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0.9, 0.95, 0.99), fc.integer({ min: 1, max: 5 }), (seed, conf, h) => {
        const doc = optionBook(seed, 120, { varConfidence: conf, varHorizonDays: h, monteCarloPaths: 400, monteCarloSeed: seed })
        const r = computeVar(doc, prepareBook(doc))
        for (const row of [{ var: r.var, expectedShortfall: r.expectedShortfall }, ...r.byAccount, ...r.byVenue]) {
          for (const m of ['historical', 'parametric', 'monteCarlo'] as const) {
            expect(row.expectedShortfall[m]!).toBeGreaterThanOrEqual(row.var[m]! - 1e-9 * Math.abs(row.var[m]!))
          }
        }
      }),
      { numRuns: 15 },
    )
  })

  it('without history for a held underlying there is no VaR, and the warning says which', () => {
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000' }] }],
      positions: [{ id: 'p', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '90000' }],
      market: { underlyings: { BTC: { price: '93000' } } },
    })
    const r = computeVar(doc)
    expect(r.var).toEqual({ historical: null, parametric: null, monteCarlo: null })
    expect(r.warnings.join('\n')).toMatch(/no price history for BTC/)
  })
})
