import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parsePortfolioDocument } from '../shared/portfolio-document'
import { computeRiskReport, RiskInputError } from './index'
import { makeDoc } from './__fixtures__/build'

function load(name: string) {
  const r = parsePortfolioDocument(JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')))
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.value
}

describe('the example of portfolio-format.md', () => {
  const report = computeRiskReport(load('contract-example.json'))
  const p1 = report.positions[0]!

  it('produces exactly the position figures the contract gives', () => {
    expect(report.format).toBe('fulcrum.report/1')
    expect(p1.id).toBe('p1')
    expect(p1.account).toBe('bn')
    expect(p1.mark).toBe(65010)
    expect(p1.notional).toBe(32505)
    expect(p1.unrealizedPnl).toBe(2505)
    expect(p1.delta).toBe(0.5)
    expect(p1.gamma).toBe(0)
    expect(p1.vega).toBe(0)
    expect(p1.theta).toBe(0)
    // Binance's rule (maintenance on the notional AT the liquidation price) gives 54216.867...;
    // Bybit's (at entry: 60000 − (3000 − 120)/0.5 = 54240) would not.
    expect(p1.liquidationPrice).toBe(54216.87)
    expect(p1.fundingPerDay).toBe(-9.7515)
    // And exactly, in decimal arithmetic from the document's strings.
    expect(p1.notionalExact).toBe('32505')
    expect(p1.unrealizedPnlExact).toBe('2505')
    expect(p1.fundingPerDayExact).toBe('-9.7515')
  })

  it('values the account: USDT at par, BTC at the index less its haircut, plus PnL', () => {
    const bn = report.accounts[0]!
    expect(bn.equity).toBeCloseTo(10000 + 0.5 * 65000 * 0.95 + 2505, 6)
    expect(bn.healthFactor).toBeNull()
    // The fast report leaves the heavy VaR methods to completeRiskReport / the app's workers.
    expect(report.portfolio.var.historical).toBeNull()
    expect(report.portfolio.var.confidence).toBe(0.99)
    // The contract's example hedge: sell 0.5 BTC in account bn against the +0.5 BTC perpetual.
    expect(report.hedges).toHaveLength(1)
    expect(report.hedges[0]).toMatchObject({ underlying: 'BTC', account: 'bn', quantity: '-0.5' })
    expect(report.reviewWindows).toEqual([])
  })
})

describe('report structure', () => {
  it('rejects a position whose underlying nobody prices, naming the JSON path', () => {
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000' }] }],
      positions: [{ id: 'p', account: 'a', instrument: { kind: 'perpetual', underlying: 'SOL', quote: 'USDT' }, quantity: '1', entryPrice: '100' }],
      market: { underlyings: {} },
    })
    expect(() => computeRiskReport(doc)).toThrow(RiskInputError)
    try {
      computeRiskReport(doc)
    } catch (e) {
      expect((e as RiskInputError).issues[0]!.path).toBe('market.underlyings.SOL.price')
    }
  })

  it('lists review windows soonest first with seconds left from the given clock, closed positions excluded', () => {
    const doc = makeDoc({
      accounts: [{ id: 'd', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1' }] }],
      positions: [
        { id: 'late', account: 'd', instrument: { kind: 'future', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10', expiry: '2026-12-25T08:00:00Z' }, quantity: '100', entryPrice: '60000' },
        { id: 'soon', account: 'd', instrument: { kind: 'future', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10', expiry: '2026-11-27T08:00:00Z' }, quantity: '100', entryPrice: '60000' },
        { id: 'gone', account: 'd', instrument: { kind: 'future', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10', expiry: '2026-11-25T08:00:00Z' }, quantity: '100', entryPrice: '60000', closedAt: '2026-11-20T00:00:00Z', closePrice: '61000' },
      ],
      market: { underlyings: { BTC: { price: '65000' } } },
    })
    const r = computeRiskReport(doc, { now: new Date('2026-11-26T08:00:00Z') })
    expect(r.reviewWindows.map((w) => w.positionId)).toEqual(['soon', 'late'])
    expect(r.reviewWindows[0]!.secondsLeft).toBe(86_400)
    expect(r.reviewWindows[0]!.reminders.map((x) => [x.leadTime, x.due])).toEqual([
      ['P1D', true],
      ['PT1H', false],
    ])
    expect(r.positions.map((p) => p.id)).toEqual(['late', 'soon'])
  })

  it('never lets the summed ratio hide a venue that can be liquidated', () => {
    const doc = makeDoc({
      accounts: [
        { id: 'rich', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000000' }] },
        { id: 'thin', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000' }] },
      ],
      positions: [
        { id: 'big', account: 'thin', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '3', entryPrice: '65300' },
        { id: 'small', account: 'rich', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '0.1', entryPrice: '65000' },
      ],
      market: { underlyings: { BTC: { price: '65000' } } },
    })
    const r = computeRiskReport(doc)
    // thin: equity 1000 − 900 = 100; maintenance 195000 × 0.4 % = 780 → beyond liquidation.
    const thin = r.accounts.find((a) => a.id === 'thin')!
    expect(thin.status).toBe('liquidatable')
    expect(r.portfolio.marginRatio!).toBeLessThan(0.01)
    expect(r.weakestVenue).toBe('binance')
    expect(r.portfolio.weakestVenue).toBe('binance')
    expect(r.portfolio.worstVenueMarginRatio!).toBeGreaterThan(1)
    expect(r.warnings.some((w) => w.includes('venue binance'))).toBe(true)
    expect(r.venues.map((v) => v.venue)).toEqual(['bybit', 'binance'])
  })

  it('equity is additive across accounts and venues', () => {
    const r = computeRiskReport(load('multi-venue.json'))
    const sum = r.accounts.reduce((s, a) => s + a.equity, 0)
    expect(r.portfolio.equity).toBeCloseTo(sum, 6)
    const venueSum = r.venues.reduce((s, v) => s + v.equity, 0)
    expect(venueSum).toBeCloseTo(sum, 6)
  })
})
