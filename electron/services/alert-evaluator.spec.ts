/**
 * What each alert rule reads from the risk report, checked against figures worked out by hand for a
 * small two-venue book, and the hysteresis step on its own.
 */
import { describe, expect, it } from 'vitest'
import { computeRiskReport } from '../engine'
import type { RiskReport } from '../engine/report-types'
import type { AlertRule } from '../shared/alerts'
import { parsePortfolioDocument } from '../shared/portfolio-document'
import { hysteresisStep, observe } from './alert-evaluator'

function report(): RiskReport {
  const parsed = parsePortfolioDocument({
    format: 'fulcrum.portfolio/1',
    asOf: '2026-11-24T08:00:00Z',
    accounts: [
      { id: 'bn', name: 'Binance main', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '10000' }] },
      { id: 'bb', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '5000' }] },
    ],
    positions: [
      { id: 'long', account: 'bn', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '0.5', entryPrice: '60000' },
      { id: 'short', account: 'bb', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '-0.2', entryPrice: '64000' },
    ],
    market: {
      underlyings: { BTC: { price: '65000' } },
      instruments: { long: { mark: '65000', fundingRate: 0.0001, fundingIntervalHours: 8 }, short: { mark: '65000', fundingRate: 0.0001, fundingIntervalHours: 8 } },
    },
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return computeRiskReport(parsed.value, { now: new Date('2026-11-24T08:00:00Z') })
}

const rule = (r: Partial<AlertRule> & Pick<AlertRule, 'metric' | 'scope'>): AlertRule => ({
  id: `${r.metric}-${r.scope}`,
  direction: 'above',
  threshold: 1,
  hysteresis: 0.05,
  enabled: true,
  ...r,
})
const limits = { leverageLimit: 5, marginRatioLimit: 0.5 }
const names = (id: string): string => (id === 'bn' ? 'Binance main' : id)

describe('alert figures', () => {
  // By hand: bn equity 10,000 + 0.5 × (65,000 − 60,000) = 12,500, notional 32,500; bb equity
  // 5,000 − 0.2 × (65,000 − 64,000) = 4,800, notional 13,000. Funding per day = notional × 0.0001 × 3,
  // paid by the long (9.75), received by the short (3.90).
  const r = report()

  it('per account: leverage, net delta in USD, funding cost per day', () => {
    const obs = observe(
      [rule({ metric: 'leverage', scope: 'account' }), rule({ metric: 'netDelta', scope: 'account' }), rule({ metric: 'fundingCostPerDay', scope: 'account' })],
      r,
      limits,
      names,
    )
    const v = Object.fromEntries(obs.map((o) => [`${o.rule.metric} ${o.subject}`, o.value]))
    expect(v['leverage account:bn']).toBeCloseTo(32_500 / 12_500, 9)
    expect(v['leverage account:bb']).toBeCloseTo(13_000 / 4_800, 9)
    expect(v['netDelta account:bn']).toBeCloseTo(0.5 * 65_000, 6)
    expect(v['netDelta account:bb']).toBeCloseTo(0.2 * 65_000, 6)
    expect(v['fundingCostPerDay account:bn']).toBeCloseTo(9.75, 9)
    expect(v['fundingCostPerDay account:bb']).toBeCloseTo(-3.9, 9)
    expect(obs.find((o) => o.subject === 'account:bn')!.subjectLabel).toBe('Binance main (Binance)')
    expect(obs.find((o) => o.subject === 'account:bn')!.route).toBe('/margin?account=bn')
  })

  it('per venue and for the whole book', () => {
    const obs = observe(
      [
        rule({ metric: 'leverage', scope: 'venue', target: 'bybit' }),
        rule({ metric: 'leverage', scope: 'total', threshold: 'leverageLimit' }),
        rule({ metric: 'netDelta', scope: 'total' }),
        rule({ metric: 'fundingCostPerDay', scope: 'total' }),
      ],
      r,
      limits,
      names,
    )
    expect(obs.map((o) => o.subject)).toEqual(['venue:bybit', 'total', 'total', 'total'])
    expect(obs[0]!.value).toBeCloseTo(13_000 / 4_800, 9)
    expect(obs[1]!.value).toBeCloseTo(45_500 / 17_300, 9)
    expect(obs[1]!.threshold).toBe(5)
    expect(obs[2]!.value).toBeCloseTo(0.3 * 65_000, 6)
    expect(obs[3]!.value).toBeCloseTo(9.75 - 3.9, 9)
  })

  it('a rule for one account watches that account only; a disabled rule watches nothing', () => {
    expect(observe([rule({ metric: 'leverage', scope: 'account', target: 'bb' })], r, limits, names).map((o) => o.subject)).toEqual(['account:bb'])
    expect(observe([rule({ metric: 'leverage', scope: 'account', enabled: false })], r, limits, names)).toEqual([])
    expect(observe([rule({ metric: 'leverage', scope: 'account', target: 'gone' })], r, limits, names)).toEqual([])
  })

  it('equity gone is beyond any threshold; a figure that does not apply is no alarm', () => {
    const broke = structuredClone(r)
    broke.accounts[0]!.marginRatio = null
    broke.accounts[0]!.status = 'liquidatable'
    broke.accounts[0]!.leverage = null
    const obs = observe([rule({ metric: 'marginRatio', scope: 'account', target: 'bn' }), rule({ metric: 'leverage', scope: 'account', target: 'bn' }), rule({ metric: 'healthFactor', scope: 'account', target: 'bn', direction: 'below' })], broke, limits, names)
    expect(obs.map((o) => o.value)).toEqual([Infinity, Infinity, null])
    expect(hysteresisStep(false, Infinity, { direction: 'above', hysteresis: 0.05 }, 0.5)).toBe('trigger')
  })
})

describe('hysteresis', () => {
  const above = { direction: 'above' as const, hysteresis: 0.1 }
  const below = { direction: 'below' as const, hysteresis: 0.1 }
  it('starts on crossing, holds inside the band, ends beyond it', () => {
    expect(hysteresisStep(false, 5, above, 5)).toBe('hold') // at the threshold is not above it
    expect(hysteresisStep(false, 5.01, above, 5)).toBe('trigger')
    expect(hysteresisStep(true, 4.6, above, 5)).toBe('hold')
    expect(hysteresisStep(true, 4.5, above, 5)).toBe('clear')
    expect(hysteresisStep(false, 0.049, below, 0.05)).toBe('trigger')
    expect(hysteresisStep(true, 0.0549, below, 0.05)).toBe('hold')
    expect(hysteresisStep(true, 0.055, below, 0.05)).toBe('clear')
  })
  it('a figure that stops applying ends an alarm and starts none', () => {
    expect(hysteresisStep(true, null, above, 5)).toBe('clear')
    expect(hysteresisStep(false, null, above, 5)).toBe('hold')
  })
})
