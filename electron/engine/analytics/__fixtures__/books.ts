/**
 * Seeded portfolio documents for the analytics specs: multi-venue books with a correlated price
 * history, linear only or with options. Built through the real schema (makeDoc).
 */
import { makeDoc, AS_OF } from '../../__fixtures__/build'
import type { PortfolioDocument } from '../../../shared/portfolio-document'

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
}

const SPOT: Record<string, number> = { BTC: 93000, ETH: 3050, SOL: 138 }

/** Daily closes ending at the spot, `days` + 1 of them, from a correlated log-normal walk. */
export function history(seed: number, days: number, names = ['BTC', 'ETH', 'SOL']): Record<string, Array<[string, string]>> {
  const r = rng(seed)
  const g = (): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r())
  const vol = [0.03, 0.04, 0.05]
  const logs = names.map(() => [0])
  for (let t = 1; t <= days; t++) {
    const common = g()
    names.forEach((_, j) => logs[j]!.push(logs[j]![t - 1]! + vol[j]! * (0.8 * common + 0.6 * g())))
  }
  const out: Record<string, Array<[string, string]>> = {}
  names.forEach((u, j) => {
    const last = logs[j]![days]!
    out[u] = logs[j]!.map((l, t) => [new Date(Date.parse(AS_OF) - (days - t + 1) * 86_400_000).toISOString().slice(0, 10), (SPOT[u]! * Math.exp(l - last)).toPrecision(9)])
  })
  return out
}

export function market(seed: number, days: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const h = history(seed, days)
  return {
    underlyings: Object.fromEntries(Object.entries(SPOT).map(([u, p]) => [u, { price: String(p), vol: 0.5 + 0.1 * Object.keys(SPOT).indexOf(u), history: h[u] }])),
    instruments: extra,
    rates: { USD: 0.03 },
  }
}

const expiry = (days: number): string => new Date(Date.parse(AS_OF) + days * 86_400_000).toISOString().replace('.000Z', 'Z')

/** Delta-one only: linear and inverse perpetuals, a dated future, spot, coin collateral with haircuts. */
export function linearBook(seed = 7, days = 300, settings: Record<string, unknown> = {}): PortfolioDocument {
  return makeDoc({
    accounts: [
      { id: 'bn', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '40000' }, { asset: 'BTC', amount: '0.3', haircut: 0.05 }] },
      { id: 'by', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '15000' }] },
      { id: 'dr', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1.2' }, { asset: 'ETH', amount: '5', haircut: 0.1 }] },
    ],
    positions: [
      { id: 'bn-btc', account: 'bn', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '0.8', entryPrice: '90000' },
      { id: 'bn-eth', account: 'bn', instrument: { kind: 'perpetual', underlying: 'ETH', quote: 'USDT' }, quantity: '-10', entryPrice: '3200' },
      { id: 'bn-sol', account: 'bn', instrument: { kind: 'spot', underlying: 'SOL', quote: 'USDT' }, quantity: '100', entryPrice: '120' },
      { id: 'by-btc', account: 'by', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '-0.5', entryPrice: '95000' },
      { id: 'dr-perp', account: 'dr', instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10' }, quantity: '-5000', entryPrice: '92000' },
      { id: 'dr-fut', account: 'dr', instrument: { kind: 'future', settlement: 'inverse', underlying: 'ETH', quote: 'USD', contractSize: '1', expiry: expiry(30) }, quantity: '-4000', entryPrice: '3100' },
    ],
    market: market(seed, days, { 'bn-btc': { mark: '93012' }, 'by-btc': { mark: '92990' }, 'dr-perp': { mark: '93020' }, 'dr-fut': { mark: '3070' } }),
    settings: { varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: [], ...settings },
  })
}

/** The linear book plus linear (USDC) and inverse (Deribit) options, some marked, some model-valued. */
export function optionBook(seed = 11, days = 300, settings: Record<string, unknown> = {}): PortfolioDocument {
  const base = linearBook(seed, days, settings)
  return makeDoc({
    accounts: [...base.accounts, { id: 'ok', venue: 'okx', marginMode: 'cross', collateral: [{ asset: 'USDC', amount: '50000' }] }],
    positions: [
      ...base.positions,
      { id: 'dr-c', account: 'dr', instrument: { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', optionType: 'call', strike: '100000', expiry: expiry(10) }, quantity: '-3', entryPrice: '0.0068' },
      { id: 'dr-p', account: 'dr', instrument: { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', optionType: 'put', strike: '85000', expiry: expiry(24) }, quantity: '2', entryPrice: '0.0105' },
      { id: 'ok-c', account: 'ok', instrument: { kind: 'option', underlying: 'ETH', quote: 'USDC', optionType: 'call', strike: '3200', expiry: expiry(45) }, quantity: '20', entryPrice: '150' },
      { id: 'ok-p', account: 'ok', instrument: { kind: 'option', underlying: 'SOL', quote: 'USDC', optionType: 'put', strike: '130', expiry: expiry(60) }, quantity: '-300', entryPrice: '9' },
    ],
    market: {
      ...base.market,
      instruments: { ...base.market.instruments, 'dr-c': { iv: 0.52, mark: '0.0071' }, 'dr-p': { iv: 0.58 }, 'ok-c': { mark: '160' }, 'ok-p': { iv: 0.9 } },
    },
    settings: base.settings,
  })
}
