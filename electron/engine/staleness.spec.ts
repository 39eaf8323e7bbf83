import { describe, expect, it } from 'vitest'
import { computeRiskReport } from './index'
import { AS_OF, makeDoc } from './__fixtures__/build'

// asOf is 2026-11-24T08:00:00Z; times below are written out so the ages can be checked by eye.
const doc = makeDoc({
  accounts: [
    { id: 'bn', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '10000' }] },
    { id: 'dr', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'ETH', amount: '2' }] },
    { id: 'by', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '5000' }] },
  ],
  positions: [
    { id: 'btc', account: 'bn', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '0.1', entryPrice: '60000' },
    { id: 'sol', account: 'bn', instrument: { kind: 'perpetual', underlying: 'SOL', quote: 'USDT' }, quantity: '10', entryPrice: '140' },
    { id: 'btc2', account: 'by', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '-0.1', entryPrice: '61000' },
  ],
  market: {
    underlyings: {
      // 30 minutes old: fresh at a 60-minute threshold
      BTC: { price: '65000', updatedAt: '2026-11-24T07:30:00Z' },
      // 61 minutes old: stale
      SOL: { price: '150', updatedAt: '2026-11-24T06:59:00Z' },
      // 3 hours old: stale, and only held as collateral
      ETH: { price: '3000', updatedAt: '2026-11-24T05:00:00Z' },
    },
    instruments: {
      // the BTC index is fresh but this position's own mark was set 2 hours ago
      btc2: { mark: '65010', updatedAt: '2026-11-24T06:00:00Z' },
      // exactly at the threshold: not older than it, so not stale
      btc: { mark: '65005', updatedAt: '2026-11-24T07:00:00Z' },
    },
  },
})

describe('stale market data in the risk report', () => {
  const report = computeRiskReport(doc, { staleAfterSeconds: 3600 })
  const pos = (id: string) => report.positions.find((p) => p.id === id)!
  const acc = (id: string) => report.accounts.find((a) => a.id === id)!

  it('gives every input its age against asOf', () => {
    expect(report.asOf).toBe(AS_OF)
    expect(report.marketData.staleAfterSeconds).toBe(3600)
    expect(report.marketData.underlyings.BTC).toEqual({ updatedAt: '2026-11-24T07:30:00Z', ageSeconds: 1800, stale: false })
    expect(report.marketData.underlyings.SOL).toEqual({ updatedAt: '2026-11-24T06:59:00Z', ageSeconds: 3660, stale: true })
    expect(report.marketData.instruments.btc).toEqual({ updatedAt: '2026-11-24T07:00:00Z', ageSeconds: 3600, stale: false })
    expect(report.marketData.instruments.btc2!.stale).toBe(true)
  })

  it('flags a position by its underlying and by its own mark, naming the stale input', () => {
    expect(pos('btc')).toMatchObject({ stale: false, staleInputs: [], marketDataUpdatedAt: '2026-11-24T07:00:00Z' })
    expect(pos('sol')).toMatchObject({ stale: true, staleInputs: ['market.underlyings.SOL'] })
    expect(pos('btc2')).toMatchObject({ stale: true, staleInputs: ['market.instruments.btc2'], marketDataUpdatedAt: '2026-11-24T06:00:00Z' })
  })

  it('flags accounts through their positions and their collateral coins', () => {
    expect(acc('bn').stale).toBe(true) // holds SOL
    expect(acc('by').stale).toBe(true) // its BTC mark is old
    expect(acc('dr').stale).toBe(true) // no positions, but its ETH collateral is priced 3 h ago
    expect(report.marketData.stalePositions).toEqual(['sol', 'btc2'])
    expect(report.marketData.staleAccounts).toEqual(['bn', 'dr', 'by'])
    expect(report.marketData.stale).toBe(true)
  })

  it('follows the threshold: at 4 hours nothing here is stale', () => {
    const relaxed = computeRiskReport(doc, { staleAfterSeconds: 4 * 3600 })
    expect(relaxed.marketData.stale).toBe(false)
    expect(relaxed.positions.every((p) => !p.stale)).toBe(true)
    expect(relaxed.accounts.every((a) => !a.stale)).toBe(true)
  })

  it('does not judge market data that carries no time', () => {
    const undated = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000' }] }],
      positions: [{ id: 'p', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '1', entryPrice: '60000' }],
      market: { underlyings: { BTC: { price: '65000' } } },
    })
    const r = computeRiskReport(undated, { staleAfterSeconds: 1 })
    expect(r.marketData.underlyings.BTC).toEqual({ updatedAt: null, ageSeconds: null, stale: false })
    expect(r.positions[0]).toMatchObject({ stale: false, marketDataUpdatedAt: null })
  })

  it('defaults to a day, as the engine warnings do', () => {
    const r = computeRiskReport(doc)
    expect(r.marketData.staleAfterSeconds).toBe(86_400)
    expect(r.marketData.stale).toBe(false)
  })
})
