import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parsePortfolioDocument } from '../shared/portfolio-document'
import { baseScenario, computeRiskReport, createRevaluation, prepareBook, revalue } from './index'
import { makeDoc, singlePosition } from './__fixtures__/build'

function multiVenue() {
  const r = parsePortfolioDocument(JSON.parse(readFileSync(new URL('./__fixtures__/multi-venue.json', import.meta.url), 'utf8')))
  if (!r.ok) throw new Error('fixture')
  return r.value
}

describe('revalue(book, scenario, out)', () => {
  const doc = multiVenue()
  const book = prepareBook(doc)
  const report = computeRiskReport(doc)

  it('at the base scenario reproduces the report: equity and maintenance per account, totals', () => {
    const out = revalue(book, baseScenario(book), createRevaluation(book))
    book.accounts.forEach((a, i) => {
      const acc = report.accounts.find((x) => x.id === a.id)!
      expect(out.accountEquityUsd[i]!).toBeCloseTo(acc.equity, 4)
      expect(out.accountMaintenanceUsd[i]!).toBeCloseTo(acc.maintenanceMargin, 3)
    })
    expect(out.totalEquityUsd).toBeCloseTo(report.portfolio.equity, 3)
    expect(out.totalPnlUsd).toBeCloseTo(report.positions.reduce((s, p) => s + p.unrealizedPnl, 0), 3)
  })

  it('moves equity by the linear PnL of a price shock exactly for delta-one books', () => {
    const linear = singlePosition({
      venue: 'binance',
      price: '65000',
      mark: '65100',
      collateral: [{ asset: 'USDT', amount: '10000' }],
      position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '2', entryPrice: '60000' },
    })
    const b = prepareBook(linear)
    const s = baseScenario(b)
    const out = createRevaluation(b)
    s.prices[0] = 65000 * 0.9
    revalue(b, s, out)
    // The mark keeps its ratio to the index: 65100 × 0.9.
    expect(out.accountEquityUsd[0]!).toBeCloseTo(10000 + 2 * (65100 * 0.9 - 60000), 6)
  })

  it('reuses its output: the same scenario twice gives the same figures, a shocked one different', () => {
    const s = baseScenario(book)
    const out = createRevaluation(book)
    const first = revalue(book, s, out).totalEquityUsd
    s.prices[book.factorIndex.get('BTC')!] = 60000
    const shocked = revalue(book, s, out).totalEquityUsd
    s.prices.set(book.basePrices)
    expect(revalue(book, s, out)).toBe(out)
    expect(out.totalEquityUsd).toBe(first)
    expect(shocked).not.toBe(first)
  })

  it('vol up raises and time forward lowers the value of a long option (vega > 0, theta < 0)', () => {
    const d = makeDoc({
      accounts: [{ id: 'a', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'USDC', amount: '10000' }] }],
      positions: [{ id: 'c', account: 'a', instrument: { kind: 'option', underlying: 'BTC', quote: 'USDC', optionType: 'call', strike: '70000', expiry: '2026-12-25T08:00:00Z' }, quantity: '1', entryPrice: '2000' }],
      market: { underlyings: { BTC: { price: '65000', vol: 0.5 } } },
    })
    const b = prepareBook(d)
    const out = createRevaluation(b)
    const s = baseScenario(b)
    const base = revalue(b, s, out).totalEquityUsd
    s.volShift[0] = 0.1
    const volUp = revalue(b, s, out).totalEquityUsd
    s.volShift[0] = 0
    s.daysForward = 7
    const later = revalue(b, s, out).totalEquityUsd
    s.daysForward = 400 // past expiry: intrinsic value only (out of the money: 0)
    const expired = revalue(b, s, out).totalEquityUsd
    expect(volUp).toBeGreaterThan(base)
    expect(later).toBeLessThan(base)
    expect(expired).toBeCloseTo(10000 - 2000, 9)
  })
})

describe('edge cases of valuation', () => {
  it('an option with a mark but no iv or vol is valued at the vol its mark implies (and says so)', () => {
    const d = makeDoc({
      accounts: [{ id: 'a', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1' }] }],
      positions: [{ id: 'c', account: 'a', instrument: { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', optionType: 'call', strike: '70000', expiry: '2026-12-25T08:00:00Z' }, quantity: '1', entryPrice: '0.02' }],
      market: { underlyings: { BTC: { price: '65000' } }, instruments: { c: { mark: '0.025' } } },
    })
    const r = computeRiskReport(d)
    const p = r.positions[0]!
    expect(p.mark).toBeCloseTo(0.025, 12)
    expect(p.vol!).toBeGreaterThan(0.1)
    expect(p.unrealizedPnl).toBeCloseTo((0.025 - 0.02) * 65000, 6)
    expect(r.warnings.some((w) => w.includes('implied by its mark'))).toBe(true)
  })

  it('spot positions carry delta and notional but no margin; market.fx prices a depegged stablecoin', () => {
    const d = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDC', amount: '1000' }] }],
      positions: [{ id: 's', account: 'a', instrument: { kind: 'spot', underlying: 'ETH', quote: 'USDC' }, quantity: '2', entryPrice: '3000' }],
      market: { underlyings: { ETH: { price: '3400' } }, fx: { USDC: '0.99' } },
    })
    const r = computeRiskReport(d)
    const p = r.positions[0]!
    expect(p.delta).toBe(2)
    expect(p.maintenanceMargin).toBe(0)
    expect(p.notional).toBeCloseTo(2 * 3400 * 0.99, 9)
    expect(r.accounts[0]!.equity).toBeCloseTo(1000 * 0.99 + 2 * 400 * 0.99, 9)
  })

  it('flags market data older than a day before asOf as stale', () => {
    const d = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000' }] }],
      market: { underlyings: { BTC: { price: '65000', updatedAt: '2026-11-20T00:00:00Z' } } },
    })
    expect(computeRiskReport(d).warnings.some((w) => w.startsWith('market.underlyings.BTC'))).toBe(true)
  })

  it('an expired future and option are still reported, flagged, with negative seconds left', () => {
    const d = makeDoc({
      accounts: [{ id: 'a', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1' }] }],
      positions: [
        { id: 'o', account: 'a', instrument: { kind: 'option', underlying: 'BTC', quote: 'USDC', optionType: 'put', strike: '70000', expiry: '2026-11-20T08:00:00Z' }, quantity: '1', entryPrice: '4000' },
      ],
      market: { underlyings: { BTC: { price: '65000', vol: 0.5 } } },
    })
    const r = computeRiskReport(d)
    expect(r.positions[0]!.unrealizedPnl).toBeCloseTo(5000 - 4000, 9) // intrinsic
    expect(r.reviewWindows[0]!.expired).toBe(true)
    expect(r.reviewWindows[0]!.secondsLeft).toBeLessThan(0)
    expect(r.warnings.some((w) => w.includes('expired'))).toBe(true)
  })
})
