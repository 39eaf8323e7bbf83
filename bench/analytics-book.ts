/**
 * A synthetic book for the analytics benchmark: 100 accounts on four venues, 1,000 positions
 * (linear and coin-settled perpetuals, dated futures, and a fifth of them options) on BTC, ETH and
 * SOL, USDT and coin collateral, and 1,001 daily closes per underlying (1,000 daily returns) drawn
 * from a seeded correlated random walk.
 */
import { parsePortfolioDocument, type PortfolioDocument } from '../electron/shared/portfolio-document'

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 4294967296
  }
}

const ASOF = '2026-11-24T08:00:00Z'
const SPOT: Record<string, number> = { BTC: 93000, ETH: 3050, SOL: 138 }

export function analyticsBook(opts: { accounts?: number; positionsPerAccount?: number; days?: number; paths?: number } = {}): PortfolioDocument {
  const accounts = opts.accounts ?? 100
  const per = opts.positionsPerAccount ?? 10
  const days = opts.days ?? 1000
  const random = xorshift(20261124)
  const gauss = (): number => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random())
  const venues = ['binance', 'bybit', 'okx', 'deribit'] as const
  const acc: Record<string, unknown>[] = []
  const pos: Record<string, unknown>[] = []
  const instruments: Record<string, unknown> = {}
  const names = Object.keys(SPOT)
  for (let a = 0; a < accounts; a++) {
    const venue = venues[a % venues.length]!
    acc.push({
      id: `acc${a}`,
      venue,
      marginMode: 'cross',
      collateral: [
        { asset: 'USDT', amount: String(50_000 + Math.round(random() * 200_000)) },
        { asset: 'BTC', amount: (random() * 2).toFixed(4), haircut: 0.05 },
      ],
    })
    for (let k = 0; k < per; k++) {
      const u = names[k % names.length]!
      const S = SPOT[u]!
      const id = `p${a}-${k}`
      const sign = random() < 0.55 ? 1 : -1
      const kind = k % 5
      if (kind === 4) {
        const strike = Math.round((S * (0.8 + random() * 0.4)) / 10) * 10
        const days = 7 + Math.floor(random() * 120)
        pos.push({
          id,
          account: `acc${a}`,
          instrument: { kind: 'option', settlement: 'linear', underlying: u, quote: 'USDT', optionType: random() < 0.5 ? 'call' : 'put', strike: String(strike), expiry: new Date(Date.parse(ASOF) + days * 86_400_000).toISOString().replace('.000Z', 'Z') },
          quantity: String(sign * (1 + Math.floor(random() * 5))),
          entryPrice: (S * 0.05).toFixed(2),
        })
        instruments[id] = { iv: 0.45 + random() * 0.3 }
      } else if (kind === 3 && u !== 'SOL') {
        pos.push({
          id,
          account: `acc${a}`,
          instrument: { kind: 'perpetual', settlement: 'inverse', underlying: u, quote: 'USD', contractSize: u === 'BTC' ? '100' : '10' },
          quantity: String(sign * (1 + Math.floor(random() * 300))),
          entryPrice: (S * (0.9 + random() * 0.2)).toFixed(2),
        })
        instruments[id] = { mark: (S * (1 + (random() - 0.5) * 0.002)).toFixed(2), fundingRate: 0.0001 }
      } else {
        pos.push({
          id,
          account: `acc${a}`,
          instrument: { kind: 'perpetual', settlement: 'linear', underlying: u, quote: 'USDT' },
          quantity: (sign * (0.01 + random() * (u === 'BTC' ? 1 : u === 'ETH' ? 10 : 200))).toFixed(3),
          entryPrice: (S * (0.9 + random() * 0.2)).toFixed(2),
        })
        instruments[id] = { mark: (S * (1 + (random() - 0.5) * 0.002)).toFixed(2), fundingRate: 0.0001 }
      }
    }
  }
  // Correlated daily log returns (BTC/ETH 0.8, BTC/SOL 0.7, ETH/SOL 0.75), ending at the spot.
  const vol = [0.03, 0.04, 0.05]
  const corr = [
    [1, 0.8, 0.7],
    [0.8, 1, 0.75],
    [0.7, 0.75, 1],
  ]
  const chol = [[1, 0, 0], [corr[1]![0]!, Math.sqrt(1 - corr[1]![0]! ** 2), 0], [0, 0, 0]]
  chol[2]![0] = corr[2]![0]!
  chol[2]![1] = (corr[2]![1]! - chol[2]![0]! * chol[1]![0]!) / chol[1]![1]!
  chol[2]![2] = Math.sqrt(1 - chol[2]![0]! ** 2 - chol[2]![1]! ** 2)
  const logs = names.map(() => [0])
  for (let t = 1; t <= days; t++) {
    const z = [gauss(), gauss(), gauss()]
    for (let j = 0; j < 3; j++) {
      let e = 0
      for (let m = 0; m <= j; m++) e += chol[j]![m]! * z[m]!
      logs[j]!.push(logs[j]![t - 1]! + vol[j]! * e)
    }
  }
  const underlyings: Record<string, unknown> = {}
  names.forEach((u, j) => {
    const last = logs[j]![days]!
    const history = logs[j]!.map((l, t) => [new Date(Date.parse(ASOF) - (days - t + 1) * 86_400_000).toISOString().slice(0, 10), (SPOT[u]! * Math.exp(l - last)).toPrecision(8)])
    underlyings[u] = { price: String(SPOT[u]), vol: 0.5 + j * 0.1, history }
  })
  const r = parsePortfolioDocument({
    format: 'fulcrum.portfolio/1',
    asOf: ASOF,
    accounts: acc,
    positions: pos,
    market: { underlyings, instruments, rates: { USD: 0.04 } },
    settings: { varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: [], monteCarloPaths: opts.paths ?? 10_000 },
  })
  if (!r.ok) throw new Error(`analytics bench book is invalid: ${JSON.stringify(r.issues.slice(0, 3))}`)
  return r.value
}
