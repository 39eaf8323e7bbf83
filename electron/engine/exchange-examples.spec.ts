/**
 * Worked examples that exchanges publish, checked against the engine. Each test cites the page and
 * the numbers it prints; where a page prints a formula but no final number, the test evaluates the
 * page's own formula literally (written out here, not taken from the engine) and compares.
 */
import { describe, expect, it } from 'vitest'
import { computeRiskReport } from './index'
import { singlePosition } from './__fixtures__/build'
import { builtinTierTable, tierIndex, tieredMaintenance } from './margin/tiers'
import { deribitFuturesMarginCoin, deribitFuturesParams, shortOptionMarginUsdPerUnit } from './margin/deribit'

const BTC_ONLY_TIER = (rate: number, amount = '0', max = '1000000000') => [{ maxNotional: max, maintenanceRate: rate, maintenanceAmount: amount, maxLeverage: 100 }]

describe('Binance', () => {
  // https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 (USDⓈ-M liquidation price):
  // LP = (WB − TMM + UPNL + cumB − Side·Position·EP) / (Position·MMR − Side·Position), isolated: TMM = UPNL = 0.
  const binanceUsdm = (wb: number, cum: number, side: number, position: number, ep: number, mmr: number) =>
    (wb + cum - side * position * ep) / (position * mmr - side * position)

  it('contract example: long 0.5 BTC at 60000 with 3000 isolated, MMR 0.4 % -> 54216.87', () => {
    const doc = singlePosition({
      venue: 'binance',
      price: '65000',
      mark: '65010',
      position: {
        instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' },
        quantity: '0.5',
        entryPrice: '60000',
        marginMode: 'isolated',
        isolatedMargin: '3000',
        marginTiers: BTC_ONLY_TIER(0.004, '0', '50000'),
      },
    })
    const p = computeRiskReport(doc).positions[0]!
    expect(p.liquidationPrice).toBe(54216.87)
    expect(p.liquidationPrice!).toBeCloseTo(binanceUsdm(3000, 0, 1, 0.5, 60000, 0.004), 2)
  })

  it('re-solves in the tier the liquidation price lands in (the FAQ: "recalculate")', () => {
    // 5 BTC at 65000 = 325,000 USDT: tier 2 of the built-in table at entry (0.5 %, cum 300), but
    // the notional at the liquidation price is below 300,000, tier 1 (0.4 %, cum 0).
    const doc = singlePosition({
      venue: 'binance',
      price: '65000',
      position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '5', entryPrice: '65000', marginMode: 'isolated', isolatedMargin: '30000' },
    })
    const p = computeRiskReport(doc).positions[0]!
    const tier1 = binanceUsdm(30000, 0, 1, 5, 65000, 0.004)
    const tier2 = binanceUsdm(30000, 300, 1, 5, 65000, 0.005)
    expect(5 * tier1).toBeLessThanOrEqual(300000)
    expect(5 * tier2).toBeLessThanOrEqual(300000) // the tier-2 answer is inconsistent with its own tier
    expect(p.liquidationPrice!).toBeCloseTo(tier1, 2)
    expect(p.marginTable).toBe('binance-usdm:BTC')
  })

  it('short side of the same formula', () => {
    const doc = singlePosition({
      venue: 'binance',
      price: '3400',
      underlying: 'ETH',
      position: { instrument: { kind: 'perpetual', underlying: 'ETH', quote: 'USDT' }, quantity: '-10', entryPrice: '3400', marginMode: 'isolated', isolatedMargin: '1700' },
    })
    const p = computeRiskReport(doc).positions[0]!
    // 34,000 USDT: ETH tier 1 of the built-in table is ≤ 50,000 at 0.5 %, cum 0.
    expect(p.liquidationPrice!).toBeCloseTo(binanceUsdm(1700, 0, -1, 10, 3400, 0.005), 2)
  })

  it('bracket facts printed in the FAQ: 264,000 USDT -> 1 %, 500,000 USDT -> maintenance amount 1,300 (older BTCUSDT table)', () => {
    // Older BTCUSDT table the FAQ's numbers belong to ("Level 5 = 250,000 × (1% − 0.5%) + 50 = 1,300").
    const rows = [
      { maxNotional: 50_000, maintenanceRate: 0.004, maintenanceAmount: 0, maxLeverage: 125 },
      { maxNotional: 250_000, maintenanceRate: 0.005, maintenanceAmount: 50, maxLeverage: 100 },
      { maxNotional: 1_000_000, maintenanceRate: 0.01, maintenanceAmount: 1300, maxLeverage: 50 },
    ]
    expect(rows[tierIndex(rows, 264_000)]!.maintenanceRate).toBe(0.01)
    expect(rows[tierIndex(rows, 500_000)]!.maintenanceAmount).toBe(1300)
    expect(tieredMaintenance(rows, 500_000)).toBe(500_000 * 0.01 - 1300)
  })

  it('COIN-M: the built-in BTCUSD table reproduces the FAQ (300 BTC -> 12.5 % and 11.81 BTC; level 5 amount 1.81 BTC)', () => {
    // https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46
    const t = builtinTierTable('binance', 'inverse', 'BTC')!
    expect(t.unit).toBe('base')
    const row = t.rows[tierIndex(t.rows, 300)]!
    expect(row.maintenanceRate).toBe(0.125)
    expect(row.maintenanceAmount).toBeCloseTo(11.81, 10)
    expect(t.rows[4]!.maintenanceAmount).toBeCloseTo(1.81, 10)
  })

  it('COIN-M isolated: LP = (Q·MMR + side·Q) / (WB + cum + side·Q/EP), Q in USD, WB and cum in BTC', () => {
    // Same FAQ page: the COIN-M formula with TMM = UPNL = 0 in isolated mode.
    const coinm = (wb: number, cum: number, side: number, q: number, ep: number, mmr: number) => (q * mmr + side * q) / (wb + cum + (side * q) / ep)
    const doc = singlePosition({
      venue: 'binance',
      price: '65000',
      position: {
        instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '100' },
        quantity: '100',
        entryPrice: '64000',
        marginMode: 'isolated',
        isolatedMargin: '0.02',
      },
    })
    const p = computeRiskReport(doc).positions[0]!
    // 10,000 USD ≈ 0.18 BTC at the liquidation price: tier 1 (≤ 10 BTC), 0.4 %, cum 0.
    expect(p.liquidationPrice!).toBeCloseTo(coinm(0.02, 0, 1, 10_000, 64000, 0.004), 2)
  })
})

describe('Bybit', () => {
  it('USDT contract example 1: long 1 BTC at 20,000 USDT, 50x, MMR 0.5 % -> LP 19,700 USDT', () => {
    // https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract (Bybit help
    // centre, "Liquidation Price (USDT Contract)"): IM = 400, MM = 100, LP = 20,000 − (400 − 100) = 19,700.
    const doc = singlePosition({
      venue: 'bybit',
      price: '20000',
      position: {
        instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' },
        quantity: '1',
        entryPrice: '20000',
        marginMode: 'isolated',
        leverage: 50,
        marginTiers: BTC_ONLY_TIER(0.005),
      },
    })
    const p = computeRiskReport(doc).positions[0]!
    expect(p.isolatedMargin).toBe(400)
    expect(p.liquidationPrice).toBe(19700)
  })

  it('Bybit measures maintenance at entry: the mark does not move the liquidation price', () => {
    const at = (mark: string) =>
      computeRiskReport(
        singlePosition({
          venue: 'bybit',
          price: mark,
          position: { instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '-1', entryPrice: '20000', marginMode: 'isolated', leverage: 50, marginTiers: BTC_ONLY_TIER(0.005) },
        }),
      ).positions[0]!.liquidationPrice
    // Short: entry + (IM − MM)/size = 20,000 + 300.
    expect(at('20000')).toBe(20300)
    expect(at('20150')).toBe(20300)
  })

  it('inverse example: long 60,000 USD of BTCUSD at 50,000, 10x, MMR 0.5 % -> PV 1.2 BTC, IM 0.12 BTC, LP = Q / (PV + IM − MM)', () => {
    // https://testnet.bybit.com/ar-SA/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
    // "Position Value = 60,000 / 50,000 = 1.2 BTC, Initial Margin = 1.2 / 10 = 0.12 BTC", MM = 1.2 × 0.5 % = 0.006 BTC,
    // LP (long) = Contract Quantity / [Position Value + (Initial Margin − Maintenance Margin)] = 60,000 / 1.314 = 45,662.10.
    const doc = singlePosition({
      venue: 'bybit',
      price: '50000',
      position: {
        instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '1' },
        quantity: '60000',
        entryPrice: '50000',
        marginMode: 'isolated',
        leverage: 10,
        marginTiers: BTC_ONLY_TIER(0.005),
      },
    })
    const p = computeRiskReport(doc).positions[0]!
    expect(p.isolatedMargin).toBeCloseTo(0.12 * 50000, 6)
    expect(p.liquidationPrice).toBe(45662.1)
  })
})

describe('Bybit cross (inverse)', () => {
  it('trader with 0.5 BTC buys 10,000 contracts at 8,000 cross, MMR 0.5 %: Bybit prints LP 5,739.50', () => {
    // https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
    // Bybit's equation adds an estimated closing fee (Quantity × 0.075 % / Bankruptcy Price) and
    // measures maintenance at entry; Fulcrum models neither fees nor, in cross, the at-entry rule,
    // so it solves 0.5 + 10000·(1/8000 − 1/P) = 10000 · 0.5 % / P, i.e. P = 10,050 / 1.75 = 5,742.86:
    // within 0.1 % of Bybit's figure, and exactly the fee-free equation.
    const doc = singlePosition({
      venue: 'bybit',
      price: '8000',
      collateral: [{ asset: 'BTC', amount: '0.5' }],
      position: {
        instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '1' },
        quantity: '10000',
        entryPrice: '8000',
        marginTiers: BTC_ONLY_TIER(0.005),
      },
    })
    const lp = computeRiskReport(doc).accounts[0]!.liquidationPrice['BTC']!
    expect(lp).toBeCloseTo(10050 / 1.75, 2)
    expect(Math.abs(lp / 5739.5 - 1)).toBeLessThan(0.001)
  })
})

describe('OKX', () => {
  it('inverse isolated long: LP = (1 + MMR) / (1/entry + margin / (face value × contracts))', () => {
    // OKX's estimated liquidation price for coin-margined isolated positions, as restated in
    // https://ukcamo.com/5262.html ("Isolated Long: (1 + Maintenance Rate) / (1/Entry Price + Fixed Margin/Face Value/Quantity)").
    const doc = singlePosition({
      venue: 'okx',
      price: '60000',
      position: {
        instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '100' },
        quantity: '100',
        entryPrice: '60000',
        marginMode: 'isolated',
        isolatedMargin: '0.05',
      },
    })
    const p = computeRiskReport(doc).positions[0]!
    // 10,000 USD is in OKX's first tier of the built-in table: MMR 0.5 %.
    expect(p.liquidationPrice!).toBeCloseTo(1.005 / (1 / 60000 + 0.05 / (100 * 100)), 2)
  })

  it('OKX tiers apply the rate to the whole position (no deduction), so the requirement jumps at a boundary', () => {
    const t = builtinTierTable('okx', 'linear', 'BTC')!
    expect(t.rows.every((r) => r.maintenanceAmount === 0)).toBe(true)
    expect(tieredMaintenance(t.rows, 2_000_001)).toBeCloseTo(2_000_001 * 0.01, 6)
  })
})

describe('Deribit', () => {
  it('futures initial margin grows 0.5 % per 100 BTC: 25 BTC -> 0.53125 BTC, 350 BTC -> 13.125 BTC', () => {
    // https://test.deribit.com/pages/docs/futures: "Your position is 25 BTC in size: initial margin is
    // 2% + 25/100 × 0.5% = 2.125% (= 0.53125 BTC)"; "350 BTC ... 3.75% (= 13.125 BTC)".
    const params = deribitFuturesParams('BTC')
    expect(deribitFuturesMarginCoin(params, 25).initial).toBeCloseTo(0.53125, 12)
    expect(deribitFuturesMarginCoin(params, 350).initial).toBeCloseTo(13.125, 12)
    // Maintenance starts at 1.5 % with the same slope: 350 BTC × 3.25 %.
    expect(deribitFuturesMarginCoin(params, 350).maintenance).toBeCloseTo(11.375, 12)
  })

  it('a futures position in the report uses that rule on its size in BTC', () => {
    const doc = singlePosition({
      venue: 'deribit',
      price: '65000',
      collateral: [{ asset: 'BTC', amount: '10' }],
      position: { instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10' }, quantity: '162500', entryPrice: '65000' },
    })
    const p = computeRiskReport(doc).positions[0]!
    // 1,625,000 USD = 25 BTC at 65,000.
    expect(p.initialMargin / 65000).toBeCloseTo(0.53125, 9)
  })

  it('short option margins follow the published coin formulas', () => {
    // Short call: IM = max(0.15 − OTM/S, 0.1) + mark, MM = 0.075 + mark (BTC per contract);
    // short put: MM = max(0.075, 0.075 × mark) + mark. Source: see resources/margin-tiers/deribit.json.
    const S = 65000
    const callMark = 0.0155
    const call = shortOptionMarginUsdPerUnit(true, S, 75000, callMark * S)
    expect(call.initial / S).toBeCloseTo(Math.max(0.15 - 10000 / S, 0.1) + callMark, 12)
    expect(call.maintenance / S).toBeCloseTo(0.075 + callMark, 12)
    const putMark = 0.05
    const put = shortOptionMarginUsdPerUnit(false, S, 70000, putMark * S)
    expect(put.maintenance / S).toBeCloseTo(Math.max(0.075, 0.075 * putMark) + putMark, 12)
    expect(put.initial / S).toBeCloseTo(Math.max(Math.max(0.15 - 0 / S, 0.1) + putMark, 0.075 + putMark), 12)
  })

  it('portfolio margin of a lone future is its loss at the largest price move (±10 %)', () => {
    const doc = singlePosition({
      venue: 'deribit',
      marginMode: 'portfolio',
      price: '65000',
      collateral: [{ asset: 'BTC', amount: '1' }],
      position: { instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDC' }, quantity: '2', entryPrice: '65000' },
    })
    const a = computeRiskReport(doc).accounts[0]!
    expect(a.maintenanceMargin).toBeCloseTo(2 * 65000 * 0.1, 6)
    expect(a.initialMargin).toBeCloseTo(1.3 * 2 * 65000 * 0.1, 6)
  })
})
