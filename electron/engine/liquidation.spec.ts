import { describe, expect, it } from 'vitest'
import { computeRiskReport, crossLiquidation, prepareBook } from './index'
import { makeDoc, singlePosition } from './__fixtures__/build'

const flat = (rate: number) => [{ maxNotional: '1000000000', maintenanceRate: rate, maintenanceAmount: '0', maxLeverage: 100 }]

describe('cross liquidation', () => {
  // Binance's cross formula for a single position (TMM1 = UPNL1 = 0), from
  // https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93:
  // LP = (WB + cumB − Side·Q·EP) / (Q·MMR − Side·Q).
  const binanceCross = (wb: number, side: number, q: number, ep: number, mmr: number) => (wb - side * q * ep) / (q * mmr - side * q)

  it('a cross short liquidates ABOVE the index, where Binance\'s formula says', () => {
    const doc = singlePosition({
      venue: 'binance',
      price: '65000',
      collateral: [{ asset: 'USDT', amount: '20000' }],
      position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '-2', entryPrice: '65000', marginTiers: flat(0.004) },
    })
    const a = computeRiskReport(doc).accounts[0]!
    expect(a.liquidationPrice['BTC']!).toBeCloseTo(binanceCross(20000, -1, 2, 65000, 0.004), 2)
    expect(a.liquidationCrossings['BTC']!.below).toBeNull()
  })

  it('a cross long liquidates below the index, where Binance\'s formula says', () => {
    const doc = singlePosition({
      venue: 'binance',
      price: '65000',
      collateral: [{ asset: 'USDT', amount: '20000' }],
      position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '2', entryPrice: '64000', marginTiers: flat(0.004) },
    })
    const a = computeRiskReport(doc).accounts[0]!
    expect(a.liquidationPrice['BTC']!).toBeCloseTo(binanceCross(20000, 1, 2, 64000, 0.004), 2)
  })

  it('a short straddle has two crossings; the report gives the nearer one', () => {
    const option = (id: string, type: string) => ({
      id,
      account: 'a',
      instrument: { kind: 'option', underlying: 'BTC', quote: 'USDC', optionType: type, strike: '65000', expiry: '2026-12-25T08:00:00Z' },
      quantity: '-3',
      entryPrice: '5000',
    })
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'USDC', amount: '60000' }] }],
      positions: [option('c', 'call'), option('p', 'put')],
      market: { underlyings: { BTC: { price: '65000', vol: 0.5 } } },
    })
    const book = prepareBook(doc)
    const s = crossLiquidation(book, 0, 0)
    expect(s.below).not.toBeNull()
    expect(s.above).not.toBeNull()
    expect(s.below!).toBeLessThan(65000)
    expect(s.above!).toBeGreaterThan(65000)
    const nearer = Math.abs(Math.log(s.below! / 65000)) <= Math.abs(Math.log(s.above! / 65000)) ? s.below : s.above
    expect(s.price).toBe(nearer)
  })

  it('null where no liquidation price exists in (0, 100 × index)', () => {
    const doc = singlePosition({
      venue: 'binance',
      price: '65000',
      collateral: [{ asset: 'USDT', amount: '1000000' }],
      position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '65000' },
    })
    const a = computeRiskReport(doc).accounts[0]!
    expect(a.liquidationPrice['BTC']).toBeNull()
    expect(a.liquidationDistance['BTC']).toBeNull()
  })

  it('an inverse long on coin collateral: equity = (collateral + coin PnL) × P, liquidation where that meets maintenance', () => {
    // Coin terms: 1 BTC + Q(1/E − 1/P) = MMR · Q / P  ⇒  P = Q(1 + MMR) / (1 + Q/E).
    const Q = 200_000
    const E = 65000
    const doc = singlePosition({
      venue: 'other',
      price: '65000',
      collateral: [{ asset: 'BTC', amount: '1' }],
      position: { instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '100' }, quantity: '2000', entryPrice: '65000', marginTiers: flat(0.005) },
    })
    const a = computeRiskReport(doc).accounts[0]!
    // Tiers in USD on an inverse contract: maintenance is Q × 0.5 % USD = Q × 0.5 % / P coin.
    expect(a.liquidationPrice['BTC']!).toBeCloseTo((Q * (1 + 0.005)) / (1 + Q / E), 2)
  })

  it('a DeFi account is liquidated where the health factor reaches 1', () => {
    const doc = makeDoc({
      accounts: [{ id: 'aave', venue: 'defi', marginMode: 'cross', collateral: [{ asset: 'ETH', amount: '10', liquidationThreshold: 0.8 }], debts: [{ asset: 'USDC', amount: '16000' }] }],
      market: { underlyings: { ETH: { price: '3000' } } },
    })
    const a = computeRiskReport(doc).accounts[0]!
    expect(a.healthFactor).toBeCloseTo(1.5, 12)
    expect(a.marginRatio).toBeCloseTo(1 / 1.5, 9)
    expect(a.liquidationPrice['ETH']!).toBeCloseTo(2000, 2)
  })
})

describe('isolated account defaults', () => {
  it("a position isolated only because its account is, without margin or leverage, gets the venue's initial margin at entry", () => {
    const doc = singlePosition({
      venue: 'binance',
      marginMode: 'isolated',
      price: '65000',
      position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '60000' },
    })
    const r = computeRiskReport(doc)
    const p = r.positions[0]!
    // Built-in BTCUSDT tier 1 allows 150x: 60,000 / 150 = 400 USDT locked at entry.
    expect(p.isolatedMargin).toBeCloseTo(400, 9)
    expect(p.liquidationPrice).not.toBeNull()
    expect(r.warnings.some((w) => w.includes('isolated without isolatedMargin'))).toBe(true)
  })
})

describe('collateral as a liquidation risk', () => {
  it('a BTC book funded with ETH has an ETH liquidation price (BTC held), and every exposure has a key', () => {
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'other', marginMode: 'cross', collateral: [{ asset: 'ETH', amount: '10', haircut: 0.1 }] }],
      positions: [{ id: 'p', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '2', entryPrice: '65000', marginTiers: flat(0.01) }],
      market: { underlyings: { BTC: { price: '65000' }, ETH: { price: '3400' } } },
    })
    const a = computeRiskReport(doc).accounts[0]!
    // Equity 10 × E × 0.9 = maintenance 2 × 65,000 × 1 % = 1,300  ⇒  E = 144.44...
    expect(a.liquidationPrice['ETH']!).toBeCloseTo(1300 / 9, 2)
    expect(Object.keys(a.liquidationPrice).sort()).toEqual(['BTC', 'ETH'])
  })
})
