import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeDoc } from '../__fixtures__/build'
import { prepareBook } from '../book'
import { computeRiskReport } from '../report'
import { baseScenario } from '../revalue'
import { runCascade } from './cascade'
import { venueOutage } from './outage'
import { accountState } from './state'
import { scenarioAt, scenarioVectors, type StressScenario } from './stress'

const scenario = (priceMoves: Record<string, number>, volShift: Record<string, number> = {}): StressScenario => ({
  id: 'test',
  name: 'test',
  source: 'user',
  priceMoves,
  volShift,
  daysForward: 0,
})

/** Bybit long BTC (liquidated near −18 %), hedged by a Deribit short inverse perpetual on BTC collateral. */
function hedgedAcrossVenues() {
  return makeDoc({
    accounts: [
      { id: 'bybit-main', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '17121.3' }] },
      { id: 'deribit-main', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '0.5' }] },
    ],
    positions: [
      { id: 'long', account: 'bybit-main', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '93000' },
      { id: 'short', account: 'deribit-main', instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10' }, quantity: '-9300', entryPrice: '93000' },
    ],
    market: { underlyings: { BTC: { price: '93000' } } },
  })
}

describe('cascading liquidations', () => {
  it('BTC −18 % liquidates Bybit, after which Deribit is unhedged', () => {
    const doc = hedgedAcrossVenues()
    const report = computeRiskReport(doc)
    const bybitLiq = report.accounts.find((a) => a.id === 'bybit-main')!.liquidationPrice['BTC']!
    expect(bybitLiq / 93000 - 1).toBeCloseTo(-0.18, 2)
    const c = runCascade(doc, prepareBook(doc), scenario({ BTC: -0.3 }))
    expect(c.events).toHaveLength(1)
    const e = c.events[0]!
    expect(e.account).toBe('bybit-main')
    // At the account's own liquidation price, as the report computes it.
    expect(e.prices['BTC']).toBeCloseTo(bybitLiq, 0)
    expect(e.headline).toBe('BTC −18.0 % liquidates Bybit, after which Deribit is unhedged')
    expect(e.unhedged).toEqual([{ account: 'deribit-main', venue: 'deribit', underlying: 'BTC', delta: expect.closeTo(-1, 6) }])
    expect(e.netDeltaBefore['BTC']).toBeCloseTo(0, 6)
    expect(e.netDeltaAfter['BTC']).toBeCloseTo(-1, 6)
    // Bybit loses its equity; after that Deribit's short (−1 BTC against 0.5 BTC of collateral) is
    // naked, so the book gains as BTC keeps falling.
    expect(e.lossUsd).toBeCloseTo(17121.3, 0)
    const last = c.path[c.path.length - 1]!
    expect(last.pnlUsd).toBeGreaterThan(c.path.find((p) => p.t >= e.t)!.pnlUsd)
  })

  it('law: a cascade never liquidates an account whose margin ratio stays below 1, and liquidates every one that reaches it', () => {
    const arb = fc.record({
      accounts: fc.array(
        fc.record({
          usdt: fc.integer({ min: 500, max: 50000 }),
          btc: fc.integer({ min: -300, max: 300 }),
          eth: fc.integer({ min: -300, max: 300 }),
          option: fc.integer({ min: -5, max: 5 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      moveBtc: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
      moveEth: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
      vol: fc.double({ min: -0.2, max: 0.5, noNaN: true }),
    })
    fc.assert(
      fc.property(arb, ({ accounts, moveBtc, moveEth, vol }) => {
        const doc = makeDoc({
          accounts: accounts.map((a, i) => ({ id: `a${i}`, venue: ['binance', 'bybit', 'okx', 'deribit'][i % 4], marginMode: 'cross', collateral: [{ asset: 'USDT', amount: String(a.usdt) }] })),
          positions: accounts.flatMap((a, i) => [
            ...(a.btc ? [{ id: `b${i}`, account: `a${i}`, instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: (a.btc / 100).toString(), entryPrice: '93000' }] : []),
            ...(a.eth ? [{ id: `e${i}`, account: `a${i}`, instrument: { kind: 'perpetual', underlying: 'ETH', quote: 'USDT' }, quantity: (a.eth / 10).toString(), entryPrice: '3050' }] : []),
            ...(a.option ? [{ id: `o${i}`, account: `a${i}`, instrument: { kind: 'option', underlying: 'BTC', quote: 'USDT', optionType: 'put', strike: '90000', expiry: '2026-12-25T08:00:00Z' }, quantity: String(a.option), entryPrice: '3000' }] : []),
          ]),
          market: { underlyings: { BTC: { price: '93000', vol: 0.5 }, ETH: { price: '3050', vol: 0.6 } } },
        })
        const book = prepareBook(doc)
        const s = scenario({ BTC: moveBtc, ETH: moveEth }, { '*': vol })
        const c = runCascade(doc, book, s)
        const v = scenarioVectors(doc, book, s)
        const sc = baseScenario(book)
        const firstAtOrAbove1 = (a: number): number | null => {
          for (let k = 0; k <= 2000; k++) {
            const x = scenarioAt(book, v, 0, k / 2000, sc)
            const st = accountState(book, a, x.prices, x.volShift, 0)
            if (st.hasExposure && (st.marginRatio === null || st.marginRatio >= 1)) return k / 2000
          }
          return null
        }
        book.accounts.forEach((acc, a) => {
          const reached = firstAtOrAbove1(a)
          const event = c.events.find((e) => e.account === acc.id)
          if (reached === null) expect(event).toBeUndefined()
          else {
            expect(event).toBeDefined()
            expect(event!.t).toBeLessThanOrEqual(reached + 1e-6)
            expect(event!.t).toBeGreaterThanOrEqual(reached - 1 / 2000 - 1e-6)
          }
        })
        for (let i = 1; i < c.events.length; i++) expect(c.events[i]!.t).toBeGreaterThanOrEqual(c.events[i - 1]!.t)
      }),
      { numRuns: 60 },
    )
  })

  it('isolated positions are liquidated alone and lose their margin', () => {
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '20000' }] }],
      positions: [
        { id: 'iso', account: 'a', instrument: { kind: 'perpetual', underlying: 'ETH', quote: 'USDT' }, quantity: '-10', entryPrice: '3050', marginMode: 'isolated', isolatedMargin: '3000' },
        { id: 'cross', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '0.1', entryPrice: '93000' },
      ],
      market: { underlyings: { BTC: { price: '93000' }, ETH: { price: '3050' } } },
    })
    const report = computeRiskReport(doc)
    const c = runCascade(doc, prepareBook(doc), scenario({ ETH: 0.5 }))
    expect(c.events.map((e) => [e.kind, e.position])).toEqual([['position', 'iso']])
    expect(c.events[0]!.prices['ETH']).toBeCloseTo(report.positions.find((p) => p.id === 'iso')!.liquidationPrice!, 0)
    expect(c.events[0]!.lossUsd).toBeCloseTo(3000, 6)
  })

  it('a venue failing writes off its equity and leaves the other side of its hedge naked', () => {
    const doc = hedgedAcrossVenues()
    const o = venueOutage(doc, prepareBook(doc), scenario({ BTC: -0.1 }), 'deribit')
    const equity = computeRiskReport(doc).accounts.find((a) => a.id === 'deribit-main')!.equity
    expect(o.equityAtVenueUsd).toBeCloseTo(equity, 6)
    // Survives: the hedge holds (−10 % on a delta-neutral pair, the coin collateral still falls).
    // Fails: Deribit's equity is gone and Bybit's long loses 10 % of 93,000 alone.
    expect(o.failsPnlUsd).toBeCloseTo(-equity - 9300, 0)
    expect(o.costOfRelianceUsd).toBeCloseTo(o.survivesPnlUsd - o.failsPnlUsd, 6)
    expect(o.venueDelta['BTC']).toBeCloseTo(-1, 6)
  })
})
