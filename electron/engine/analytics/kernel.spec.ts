import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeDoc } from '../__fixtures__/build'
import { prepareBook } from '../book'
import { baseScenario, createRevaluation, revalue } from '../revalue'
import { linearBook, optionBook } from './__fixtures__/books'
import { accountExposures } from './exposures'
import { compileEquity, evalEquity } from './kernel'

describe('compiled equity kernel', () => {
  it('equals revalue() account by account on random price scenarios', () => {
    for (const doc of [linearBook(3), optionBook(4)]) {
      const book = prepareBook(doc)
      const c = compileEquity(book)
      const sc = baseScenario(book)
      const out = createRevaluation(book)
      const acc = new Float64Array(book.accounts.length)
      fc.assert(
        fc.property(fc.array(fc.double({ min: -0.6, max: 1.5, noNaN: true }), { minLength: book.factors.length, maxLength: book.factors.length }), (moves) => {
          moves.forEach((m, f) => (sc.prices[f] = book.basePrices[f]! * (1 + m)))
          const total = evalEquity(c, book, sc.prices, acc)
          revalue(book, sc, out, false)
          expect(Math.abs(total - out.totalEquityUsd)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(out.totalEquityUsd)))
          for (let a = 0; a < acc.length; a++) expect(Math.abs(acc[a]! - out.accountEquityUsd[a]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(out.accountEquityUsd[a]!)))
        }),
        { numRuns: 200 },
      )
    }
  })

  it('folds affine positions and revalues options and other-currency quotes by the model', () => {
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'other', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000' }] }],
      positions: [
        { id: 'lin', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '90000' },
        { id: 'eur', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'EUR' }, quantity: '1', entryPrice: '80000' },
        { id: 'opt', account: 'a', instrument: { kind: 'option', underlying: 'BTC', quote: 'USD', optionType: 'call', strike: '100000', expiry: '2026-12-25T08:00:00Z' }, quantity: '1', entryPrice: '1000' },
      ],
      market: { underlyings: { BTC: { price: '93000', vol: 0.5 } }, fx: { EUR: '1.08' } },
    })
    const book = prepareBook(doc)
    const c = compileEquity(book)
    expect([...c.rest].map((i) => book.positions[i]!.id).sort()).toEqual(['eur', 'opt'])
  })
})

describe('equity exposures', () => {
  it('are S·∂Equity/∂S: central finite differences of revalue() agree', () => {
    for (const doc of [linearBook(5), optionBook(6)]) {
      const book = prepareBook(doc)
      const e = accountExposures(book)
      const sc = baseScenario(book)
      const out = createRevaluation(book)
      for (let f = 0; f < book.factors.length; f++) {
        const S = book.basePrices[f]!
        const h = S * 1e-5
        sc.prices[f] = S + h
        revalue(book, sc, out, false)
        const up = out.accountEquityUsd.slice()
        sc.prices[f] = S - h
        revalue(book, sc, out, false)
        const down = out.accountEquityUsd.slice()
        sc.prices[f] = S
        for (let a = 0; a < book.accounts.length; a++) {
          const fd = ((up[a]! - down[a]!) / (2 * h)) * S
          expect(Math.abs(e[a]![f]! - fd)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(fd)))
        }
      }
    }
  })
})
