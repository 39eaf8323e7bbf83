/**
 * Book revaluation with cross liquidation prices: 100 cross-margined accounts (1,000 perpetual
 * positions, linear and coin-settled, BTC and ETH, USDT and coin collateral, tiered margin), fully
 * revalued with maintenance margins, plus every account's cross liquidation price per underlying
 * (bracketing + Brent over the account's equity − margin), reported per position.
 *
 * The baseline is a naive "Decimal everywhere" implementation of the same maths: each evaluation
 * of an account parses and computes in decimal.js (the ledger's 34-digit Decimal) straight from the
 * document's strings. Both cases drive the SAME root finder (root.ts) with the same evaluation
 * counts, so the ratio is the cost of the valuation arithmetic, not of a different algorithm.
 * decimal.js is ~1000× slower, so it runs on the first 10 accounts; both are timed per position.
 */
import type { BenchSuite } from './harness'
import { Decimal } from '../electron/shared/decimal'
import { parsePortfolioDocument, type PortfolioDocument } from '../electron/shared/portfolio-document'
import { accountRiskFactors, createRevaluation, crossLiquidation, prepareBook, revalue, baseScenario } from '../electron/engine'
import { builtinTierTable } from '../electron/engine/margin/tiers'
import { nearestCrossings } from '../electron/engine/root'

const ACCOUNTS = 100
const POSITIONS_PER_ACCOUNT = 10
const DECIMAL_ACCOUNTS = 10

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

function makeDoc(accounts: number): PortfolioDocument {
  const random = xorshift(4242)
  const venues = ['binance', 'bybit', 'okx', 'other'] as const
  const acc: Record<string, unknown>[] = []
  const pos: Record<string, unknown>[] = []
  const marks: Record<string, { mark: string }> = {}
  for (let a = 0; a < accounts; a++) {
    acc.push({
      id: `acc${a}`,
      venue: venues[a % venues.length],
      marginMode: 'cross',
      collateral: [
        { asset: 'USDT', amount: String(20_000 + Math.round(random() * 200_000)) },
        { asset: 'BTC', amount: (random() * 2).toFixed(4), haircut: 0.05 },
      ],
    })
    for (let k = 0; k < POSITIONS_PER_ACCOUNT; k++) {
      const btc = k % 2 === 0
      const inverse = k % 5 === 4
      const S = btc ? 65000 : 3400
      const entry = (S * (0.9 + random() * 0.2)).toFixed(2)
      const id = `p${a}-${k}`
      const sign = random() < 0.55 ? 1 : -1
      pos.push({
        id,
        account: `acc${a}`,
        instrument: inverse
          ? { kind: 'perpetual', settlement: 'inverse', underlying: btc ? 'BTC' : 'ETH', quote: 'USD', contractSize: btc ? '100' : '10' }
          : { kind: 'perpetual', settlement: 'linear', underlying: btc ? 'BTC' : 'ETH', quote: 'USDT', contractSize: btc ? '0.001' : '0.01' },
        quantity: String(sign * (1 + Math.floor(random() * (inverse ? 300 : 2000)))),
        entryPrice: entry,
      })
      marks[id] = { mark: (S * (1 + (random() - 0.5) * 0.002)).toFixed(2) }
    }
  }
  const r = parsePortfolioDocument({
    format: 'fulcrum.portfolio/1',
    asOf: '2026-11-24T08:00:00Z',
    accounts: acc,
    positions: pos,
    market: { underlyings: { BTC: { price: '65000' }, ETH: { price: '3400' } }, instruments: marks },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)))
  return r.value
}

const doc = makeDoc(ACCOUNTS)
const book = prepareBook(doc)
const scenario = baseScenario(book)
const out = createRevaluation(book)

/** The float engine: one full revaluation plus every cross liquidation price. */
function floatRun(): number {
  revalue(book, scenario, out, true)
  let acc = out.totalEquityUsd
  for (let a = 0; a < book.accounts.length; a++) {
    for (const f of accountRiskFactors(book, a)) acc += crossLiquidation(book, a, f).price ?? 0
  }
  return acc
}

// ---- the naive Decimal implementation ----------------------------------------------------------

const ONE = new Decimal(1)
const ZERO = new Decimal(0)

interface DecTier {
  max: Decimal
  rate: Decimal
  amount: Decimal
}

function decTiers(venue: string, inverse: boolean, underlying: string): { unit: 'quote' | 'base'; rows: DecTier[] } {
  const t = builtinTierTable(venue as 'binance', inverse ? 'inverse' : 'linear', underlying)
  if (!t) return { unit: 'quote', rows: [{ max: new Decimal('1e30'), rate: new Decimal('0.005'), amount: ZERO }] }
  return { unit: t.unit, rows: t.rows.map((r) => ({ max: new Decimal(r.maxNotional.toString()), rate: new Decimal(r.maintenanceRate.toString()), amount: new Decimal(r.maintenanceAmount.toString()) })) }
}

function decMaintenance(rows: DecTier[], notional: Decimal): Decimal {
  let row = rows[rows.length - 1]!
  for (const r of rows) {
    if (notional.lte(r.max)) {
      row = r
      break
    }
  }
  const mm = notional.mul(row.rate).sub(row.amount)
  return mm.isNeg() ? ZERO : mm
}

/** Cross equity − maintenance of account a, everything in Decimal from the document's strings. */
function decimalSlack(a: number, prices: Record<string, Decimal>): Decimal {
  const account = doc.accounts[a]!
  let equity = ZERO
  for (const c of account.collateral) {
    const price = c.asset === 'USDT' ? ONE : prices[c.asset]!
    equity = equity.add(new Decimal(c.amount).mul(price).mul(ONE.sub(new Decimal((c.haircut ?? 0).toString()))))
  }
  let mm = ZERO
  for (const p of doc.positions) {
    if (p.account !== account.id) continue
    const ins = p.instrument
    const S = prices[ins.underlying]!
    const mark = S.mul(new Decimal(doc.market.instruments[p.id]!.mark!)).div(new Decimal(doc.market.underlyings[ins.underlying]!.price))
    const q = new Decimal(p.quantity).mul(new Decimal(ins.contractSize ?? '1'))
    const entry = new Decimal(p.entryPrice)
    const tiers = decTiers(account.venue, ins.settlement === 'inverse', ins.underlying)
    if (ins.settlement === 'inverse') {
      equity = equity.add(q.mul(mark.div(entry).sub(ONE)))
      mm = mm.add(tiers.unit === 'base' ? decMaintenance(tiers.rows, q.abs().div(mark)).mul(mark) : decMaintenance(tiers.rows, q.abs()))
    } else {
      equity = equity.add(q.mul(mark.sub(entry)))
      mm = mm.add(decMaintenance(tiers.rows, q.abs().mul(mark)))
    }
  }
  return equity.sub(mm)
}

function decimalRun(): number {
  let acc = 0
  for (let a = 0; a < DECIMAL_ACCOUNTS; a++) {
    for (const f of accountRiskFactors(book, a)) {
      const name = book.factors[f]!
      const prices: Record<string, Decimal> = { BTC: new Decimal(doc.market.underlyings['BTC']!.price), ETH: new Decimal(doc.market.underlyings['ETH']!.price) }
      const c = nearestCrossings((x) => {
        prices[name] = new Decimal(x)
        return decimalSlack(a, prices).toNumber()
      }, book.basePrices[f]!)
      const s0 = book.basePrices[f]!
      const price = c.below !== null && c.above !== null ? (Math.abs(Math.log(c.below / s0)) <= Math.abs(Math.log(c.above / s0)) ? c.below : c.above) : (c.below ?? c.above)
      acc += price ?? 0
    }
  }
  return acc
}

const suite: BenchSuite = {
  title: 'Book: full revaluation + cross liquidation prices (100 accounts, 1,000 perpetuals)',
  item: 'position',
  baseline: 'decimal.js everywhere (first 10 accounts)',
  cases: [
    { name: 'float64 engine (prepared book, Brent)', itemsPerRun: book.n, run: floatRun },
    // What one VaR / stress scenario costs: revalue(book, scenario, out) with margins, no liquidation search.
    { name: 'float64 revalue() only, one scenario', itemsPerRun: book.n, run: () => revalue(book, scenario, out, true).totalEquityUsd },
    { name: 'decimal.js everywhere (first 10 accounts)', itemsPerRun: DECIMAL_ACCOUNTS * POSITIONS_PER_ACCOUNT, run: decimalRun },
  ],
  verify: () => {
    // Both implementations must find the same liquidation prices before their speed means anything.
    for (let a = 0; a < DECIMAL_ACCOUNTS; a++) {
      for (const f of accountRiskFactors(book, a)) {
        const fast = crossLiquidation(book, a, f).price
        const name = book.factors[f]!
        const prices: Record<string, Decimal> = { BTC: new Decimal('65000'), ETH: new Decimal('3400') }
        const slow = nearestCrossings((x) => {
          prices[name] = new Decimal(x)
          return decimalSlack(a, prices).toNumber()
        }, book.basePrices[f]!)
        const s0 = book.basePrices[f]!
        const slowPrice = slow.below !== null && slow.above !== null ? (Math.abs(Math.log(slow.below / s0)) <= Math.abs(Math.log(slow.above / s0)) ? slow.below : slow.above) : (slow.below ?? slow.above)
        if ((fast === null) !== (slowPrice === null) || (fast !== null && Math.abs(fast / slowPrice! - 1) > 1e-9)) {
          throw new Error(`account ${a} ${name}: float ${fast} vs decimal ${slowPrice}`)
        }
      }
    }
  },
  note: (rows) => {
    const f = rows[0]!
    return `Full book (revaluation + ${book.accounts.length} accounts' cross liquidation prices): ${((f.nsPerItem * book.n) / 1e6).toFixed(1)} ms per run.`
  },
}

export default suite
