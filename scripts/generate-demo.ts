/**
 * Writes resources/demo/demo-portfolio.json: the demo book a newcomer sees on first start.
 * The price history is GENERATED (seeded correlated geometric Brownian motion), not market data;
 * the document says so in `market.underlyings.X.historySource`. Re-run after changing the book:
 *   npx tsx scripts/generate-demo.ts
 */
import fs from 'node:fs'
import path from 'node:path'

const AS_OF = '2026-11-24T08:00:00Z'
const DAYS = 400

// mulberry32: tiny, seedable, good enough for a demo path
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const uniform = rng(20261124)
function normal(): number {
  const u = 1 - uniform()
  const v = uniform()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

const underlyings = {
  BTC: { price: 93000, vol: 0.55, decimals: 1 },
  ETH: { price: 3050, vol: 0.68, decimals: 2 },
  SOL: { price: 138, vol: 0.85, decimals: 3 },
} as const
type U = keyof typeof underlyings
const names = Object.keys(underlyings) as U[]
const corr: Record<string, number> = { 'BTC/ETH': 0.82, 'BTC/SOL': 0.74, 'ETH/SOL': 0.78 }
const rho = (a: U, b: U): number => (a === b ? 1 : (corr[`${a}/${b}`] ?? corr[`${b}/${a}`] ?? 0))

// Cholesky of the 3x3 correlation matrix
const n = names.length
const L: number[][] = Array.from({ length: n }, () => Array<number>(n).fill(0))
for (let i = 0; i < n; i++) {
  for (let j = 0; j <= i; j++) {
    let s = rho(names[i]!, names[j]!)
    for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!
    L[i]![j] = i === j ? Math.sqrt(s) : s / L[j]![j]!
  }
}

// Walk backwards from today's price so the last close sits near the current index price, with fat-ish
// tails (a few jump days) because crypto has them and VaR should show it.
const closes: Record<U, number[]> = { BTC: [], ETH: [], SOL: [] }
const level: Record<U, number> = { BTC: underlyings.BTC.price * 0.995, ETH: underlyings.ETH.price * 1.004, SOL: underlyings.SOL.price * 0.99 }
for (let d = 0; d < DAYS; d++) {
  const z = names.map(() => normal())
  const jump = uniform() < 0.02 ? (uniform() < 0.6 ? -1 : 1) * (0.06 + 0.08 * uniform()) : 0
  names.forEach((u, i) => {
    let e = 0
    for (let k = 0; k <= i; k++) e += L[i]![k]! * z[k]!
    const sigmaDay = underlyings[u].vol / Math.sqrt(365)
    const r = sigmaDay * e + jump * (u === 'BTC' ? 1 : 1.3)
    closes[u].unshift(level[u])
    level[u] = level[u] / Math.exp(r)
  })
}
const lastDay = new Date(AS_OF)
lastDay.setUTCDate(lastDay.getUTCDate() - 1)
const dayOf = (back: number): string => {
  const d = new Date(lastDay)
  d.setUTCDate(d.getUTCDate() - back)
  return d.toISOString().slice(0, 10)
}

const expiry = (date: string): string => `${date}T08:00:00Z`

const doc = {
  format: 'fulcrum.portfolio/1',
  asOf: AS_OF,
  demo: {
    label: 'Demo portfolio',
    note: 'Sample accounts, positions and GENERATED price history so a newcomer sees a live workstation. Remove it from the banner or Settings.',
  },
  accounts: [
    {
      id: 'demo-binance',
      name: 'Demo · Binance USD-M',
      venue: 'binance',
      marginMode: 'cross',
      collateral: [
        { asset: 'USDT', amount: '18000' },
        { asset: 'BTC', amount: '0.15', haircut: 0.05 },
      ],
    },
    {
      id: 'demo-binance-coinm',
      name: 'Demo · Binance COIN-M',
      venue: 'binance',
      marginMode: 'cross',
      collateral: [{ asset: 'BTC', amount: '0.6' }],
    },
    {
      id: 'demo-bybit',
      name: 'Demo · Bybit Unified',
      venue: 'bybit',
      marginMode: 'cross',
      collateral: [{ asset: 'USDT', amount: '9000' }],
    },
    {
      id: 'demo-deribit',
      name: 'Demo · Deribit BTC',
      venue: 'deribit',
      marginMode: 'cross',
      collateral: [{ asset: 'BTC', amount: '1.8' }],
    },
  ],
  positions: [
    {
      id: 'demo-bn-btc-perp',
      account: 'demo-binance',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', symbol: 'BTCUSDT' },
      quantity: '0.9',
      entryPrice: '89250.4',
      leverage: 10,
      openedAt: '2026-11-02T14:12:00Z',
    },
    {
      id: 'demo-bn-eth-perp',
      account: 'demo-binance',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'ETH', quote: 'USDT', symbol: 'ETHUSDT' },
      quantity: '-12',
      entryPrice: '3182.55',
      marginMode: 'isolated',
      isolatedMargin: '3800',
      leverage: 10,
      openedAt: '2026-11-10T09:40:00Z',
    },
    {
      id: 'demo-bn-sol-perp',
      account: 'demo-binance',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'SOL', quote: 'USDT', symbol: 'SOLUSDT' },
      quantity: '250',
      entryPrice: '131.2',
      leverage: 8,
      openedAt: '2026-11-15T21:05:00Z',
    },
    {
      id: 'demo-bn-btc-quarter',
      account: 'demo-binance-coinm',
      instrument: {
        kind: 'future',
        settlement: 'inverse',
        underlying: 'BTC',
        quote: 'USD',
        contractSize: '100',
        expiry: expiry('2026-12-25'),
        symbol: 'BTCUSD_261225',
      },
      quantity: '400',
      entryPrice: '91870.5',
      leverage: 20,
      openedAt: '2026-10-28T07:55:00Z',
    },
    {
      id: 'demo-by-btc-perp',
      account: 'demo-bybit',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', symbol: 'BTCUSDT' },
      quantity: '-0.75',
      entryPrice: '95120',
      leverage: 25,
      openedAt: '2026-11-18T16:30:00Z',
    },
    {
      id: 'demo-dr-btc-perp',
      account: 'demo-deribit',
      instrument: { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10', symbol: 'BTC-PERPETUAL' },
      quantity: '-4000',
      entryPrice: '92400',
      openedAt: '2026-11-20T11:00:00Z',
    },
    {
      id: 'demo-dr-btc-c100k',
      account: 'demo-deribit',
      instrument: {
        kind: 'option',
        settlement: 'inverse',
        underlying: 'BTC',
        quote: 'USD',
        optionType: 'call',
        strike: '100000',
        expiry: expiry('2026-11-27'),
        symbol: 'BTC-27NOV26-100000-C',
      },
      quantity: '-3',
      entryPrice: '0.0068',
      openedAt: '2026-11-20T11:05:00Z',
    },
    {
      id: 'demo-dr-btc-p85k',
      account: 'demo-deribit',
      instrument: {
        kind: 'option',
        settlement: 'inverse',
        underlying: 'BTC',
        quote: 'USD',
        optionType: 'put',
        strike: '85000',
        expiry: expiry('2026-12-04'),
        symbol: 'BTC-4DEC26-85000-P',
      },
      quantity: '2',
      entryPrice: '0.0105',
      openedAt: '2026-11-21T09:15:00Z',
    },
    {
      id: 'demo-dr-btc-c95k-dec',
      account: 'demo-deribit',
      instrument: {
        kind: 'option',
        settlement: 'inverse',
        underlying: 'BTC',
        quote: 'USD',
        optionType: 'call',
        strike: '95000',
        expiry: expiry('2026-12-25'),
        symbol: 'BTC-25DEC26-95000-C',
      },
      quantity: '1.5',
      entryPrice: '0.041',
      openedAt: '2026-11-05T13:20:00Z',
    },
  ],
  market: {
    underlyings: Object.fromEntries(
      names.map((u) => [
        u,
        {
          price: String(underlyings[u].price),
          vol: underlyings[u].vol,
          historySource: 'generated (demo): seeded correlated random walk, not market data',
          history: closes[u].map((c, i) => [dayOf(DAYS - 1 - i), c.toFixed(underlyings[u].decimals)]),
        },
      ]),
    ),
    instruments: {
      'demo-bn-btc-perp': { mark: '93012.3', fundingRate: 0.0001, fundingIntervalHours: 8 },
      'demo-bn-eth-perp': { mark: '3051.2', fundingRate: 0.00008, fundingIntervalHours: 8 },
      'demo-bn-sol-perp': { mark: '138.06', fundingRate: 0.00015, fundingIntervalHours: 8 },
      'demo-bn-btc-quarter': { mark: '93890.1' },
      'demo-by-btc-perp': { mark: '93008.8', fundingRate: 0.0001, fundingIntervalHours: 8 },
      'demo-dr-btc-perp': { mark: '93020.5', fundingRate: 0.00002, fundingIntervalHours: 8 },
      'demo-dr-btc-c100k': { iv: 0.52 },
      'demo-dr-btc-p85k': { iv: 0.58 },
      'demo-dr-btc-c95k-dec': { iv: 0.54 },
    },
    rates: { USD: 0.04 },
    correlations: corr,
  },
  settings: { varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: ['P1D', 'PT1H'] },
}

const out = path.join(import.meta.dirname, '..', 'resources', 'demo', 'demo-portfolio.json')
fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n')
console.log(`wrote ${out}`)
