/**
 * The book's P&L against one underlying's price: now, and at the last expiry of that underlying's
 * options (time moved forward, options at intrinsic); and a price × implied-vol heatmap. Every
 * point is a full revaluation of the whole book (other factors held at their prices), with equity
 * including coin collateral, so the curve is what the account statements would show.
 */
import type { PreparedBook } from '../book'
import { KIND_OPTION } from '../book'
import { baseScenario, createRevaluation, revalue } from '../revalue'
import { reportNumber } from '../seam'

export interface PayoffCurve {
  underlying: string
  index: number
  /** Underlying prices, USD. */
  prices: number[]
  /** Book P&L (USD) at each price now (time and vols as at asOf). */
  pnlNowUsd: number[]
  /** Book P&L at `expiry` (the last expiry of its options on this underlying), or null without options. */
  pnlAtExpiryUsd: number[] | null
  expiry: string | null
  /** Cross liquidation index prices of accounts holding the underlying, for marking on the chart. */
  liquidations: Array<{ account: string; price: number }>
}

export interface PayoffHeatmap {
  underlying: string
  /** Relative price moves (x) and absolute vol shifts (y). */
  priceMoves: number[]
  volShifts: number[]
  /** pnlUsd[y][x]: book P&L, USD. */
  pnlUsd: number[][]
}

function factorOf(book: PreparedBook, underlying: string): number {
  const f = book.factorIndex.get(underlying)
  if (f === undefined) throw new RangeError(`the book has no price for ${underlying}`)
  return f
}

export function payoffCurve(
  book: PreparedBook,
  underlying: string,
  opts: { rangePct?: number; points?: number; liquidations?: Array<{ account: string; price: number | null }> } = {},
): PayoffCurve {
  const f = factorOf(book, underlying)
  const range = opts.rangePct ?? 0.5
  const points = opts.points ?? 101
  const S = book.basePrices[f]!
  const sc = baseScenario(book)
  const out = createRevaluation(book)
  const base = revalue(book, sc, out, false).totalEquityUsd
  let lastExpiryYears = -Infinity
  for (let i = 0; i < book.n; i++) if (book.posKind[i] === KIND_OPTION && book.posFactor[i] === f && book.posYears[i]! > lastExpiryYears) lastExpiryYears = book.posYears[i]!
  const hasOptions = lastExpiryYears > 0
  const prices: number[] = []
  const now: number[] = []
  const atExpiry: number[] = []
  for (let k = 0; k < points; k++) {
    const x = S * (1 - range + (2 * range * k) / (points - 1))
    prices.push(reportNumber(x))
    sc.prices[f] = x
    sc.daysForward = 0
    now.push(reportNumber(revalue(book, sc, out, false).totalEquityUsd - base))
    if (hasOptions) {
      sc.daysForward = lastExpiryYears * 365
      atExpiry.push(reportNumber(revalue(book, sc, out, false).totalEquityUsd - base))
    }
  }
  return {
    underlying,
    index: S,
    prices,
    pnlNowUsd: now,
    pnlAtExpiryUsd: hasOptions ? atExpiry : null,
    expiry: hasOptions ? new Date(book.asOfMs + lastExpiryYears * 365 * 86_400_000).toISOString().replace('.000Z', 'Z') : null,
    liquidations: (opts.liquidations ?? []).filter((l): l is { account: string; price: number } => l.price !== null && l.price >= prices[0]! && l.price <= prices[prices.length - 1]!),
  }
}

export function payoffHeatmap(
  book: PreparedBook,
  underlying: string,
  opts: { priceMoves?: number[]; volShifts?: number[] } = {},
): PayoffHeatmap {
  const f = factorOf(book, underlying)
  const priceMoves = opts.priceMoves ?? [-0.3, -0.25, -0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
  const volShifts = opts.volShifts ?? [-0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2, 0.3, 0.4]
  const sc = baseScenario(book)
  const out = createRevaluation(book)
  const base = revalue(book, sc, out, false).totalEquityUsd
  const pnl = volShifts.map((dv) => {
    sc.volShift[f] = dv
    return priceMoves.map((m) => {
      sc.prices[f] = book.basePrices[f]! * (1 + m)
      return reportNumber(revalue(book, sc, out, false).totalEquityUsd - base)
    })
  })
  return { underlying, priceMoves, volShifts, pnlUsd: pnl }
}
