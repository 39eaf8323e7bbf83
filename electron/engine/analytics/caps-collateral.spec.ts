import { describe, expect, it } from 'vitest'
import { makeDoc, AS_OF } from '../__fixtures__/build'
import { computeRiskReport } from '../report'

/** Closes alternating ±r: sample std of the daily returns is known in closed form. */
function zigzag(start: number, r: number, days: number): Array<[string, string]> {
  const out: Array<[string, string]> = []
  let p = start
  for (let t = 0; t <= days; t++) {
    out.push([new Date(Date.parse(AS_OF) - (days - t + 1) * 86_400_000).toISOString().slice(0, 10), p.toFixed(8)])
    p = p * (1 + (t % 2 === 0 ? r : -r))
  }
  return out
}

describe('volatility-adjusted leverage caps', () => {
  it('cap = 1 / (k·σ + maintenance rate), σ the larger of realized and implied daily vol', () => {
    const history = zigzag(93000, 0.02, 30)
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'other', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '10000' }] }],
      positions: [
        {
          id: 'p',
          account: 'a',
          instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' },
          quantity: '1',
          entryPrice: '93000',
          leverage: 20,
          marginTiers: [{ maxNotional: '10000000', maintenanceRate: 0.01, maintenanceAmount: '0', maxLeverage: 50 }],
        },
      ],
      market: { underlyings: { BTC: { price: String(history.at(-1)![1]), vol: 0.2, history } } },
      settings: { capSigmaMultiple: 3, capVolWindowDays: 30 },
    })
    const r = computeRiskReport(doc)
    const cap = r.leverageCaps.positions[0]!
    // 30 returns alternating +2 % / −2 %: mean 0, sample std = 0.02·√(30/29).
    const sigma = 0.02 * Math.sqrt(30 / 29)
    expect(cap.realizedDailyVol).toBeCloseTo(sigma, 9)
    expect(cap.impliedDailyVol).toBeCloseTo(0.2 / Math.sqrt(365), 9)
    expect(cap.governingDailyVol).toBeCloseTo(sigma, 9)
    expect(cap.maxLeverage).toBeCloseTo(1 / (3 * sigma + 0.01), 6)
    expect(cap.leverage).toBe(20)
    expect(cap.aboveCap).toBe(true)
    expect(r.leverageCaps.flagged).toContain('p')
  })
})

describe('collateral quality', () => {
  const market = { underlyings: { BTC: { price: '93000', vol: 0.5, history: zigzag(93000, 0.03, 60) } } }

  it('BTC backing a BTC long is wrong-way (+1); BTC backing a short inverse perpetual offsets it (−1)', () => {
    const doc = makeDoc({
      accounts: [
        { id: 'long', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1', haircut: 0.1 }] },
        { id: 'hedged', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1' }] },
      ],
      positions: [
        { id: 'l', account: 'long', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '93000' },
        { id: 's', account: 'hedged', instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10' }, quantity: '-9300', entryPrice: '93000' },
      ],
      market,
    })
    const r = computeRiskReport(doc)
    const long = r.collateralQuality.holdings.find((h) => h.account === 'long')!
    const hedged = r.collateralQuality.holdings.find((h) => h.account === 'hedged')!
    expect(long.correlationWithPositions).toBeCloseTo(1, 9)
    expect(long.wrongWay).toBe(true)
    expect(long.valueAfterHaircutUsd).toBeCloseTo(93000 * 0.9, 6)
    expect(long.stressedValueUsd).toBeCloseTo(93000 * 0.9 * (1 - 3 * long.dailyVol!), 3)
    expect(hedged.correlationWithPositions).toBeCloseTo(-1, 9)
    expect(hedged.wrongWay).toBe(false)
    expect(r.collateralQuality.accounts.find((a) => a.id === 'long')!.wrongWayShare).toBe(1)
  })
})
