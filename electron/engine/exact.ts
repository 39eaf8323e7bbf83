/**
 * Ledger-exact figures of delta-one positions, computed in Decimal straight from the document's
 * strings: the other side of the seam (seam.ts). The float engine is for risk; these are for
 * reconciling with an exchange statement, where 32505.00 must be 32505.00 and not 32504.999...
 * Options have no exact figure: their value comes from a model.
 */
import { Decimal, decToString } from '../shared/decimal'
import type { PortfolioDocument, Position } from '../shared/portfolio-document'
import { USD_LIKE } from './book'

export interface ExactFigures {
  notionalExact: string | null
  unrealizedPnlExact: string | null
  fundingPerDayExact: string | null
}

const NONE: ExactFigures = { notionalExact: null, unrealizedPnlExact: null, fundingPerDayExact: null }

/** USD per unit of an asset as a Decimal, or null when the document does not price it. */
function usdPrice(doc: PortfolioDocument, asset: string): Decimal | null {
  const fx = doc.market.fx?.[asset]
  if (fx !== undefined) return new Decimal(fx)
  const u = doc.market.underlyings[asset]
  if (u) return new Decimal(u.price)
  return USD_LIKE.has(asset) ? new Decimal(1) : null
}

export function exactFigures(doc: PortfolioDocument, p: Position): ExactFigures {
  const ins = p.instrument
  if (ins.kind === 'option') return NONE
  const m = doc.market.instruments[p.id]
  const index = doc.market.underlyings[ins.underlying]?.price
  const markText = ins.kind === 'spot' ? index : (m?.mark ?? index)
  const quoteUsd = usdPrice(doc, ins.quote)
  if (markText === undefined || quoteUsd === null) return NONE
  const mark = new Decimal(markText)
  const q = new Decimal(p.quantity).mul(new Decimal(ins.contractSize ?? '1'))
  const entry = new Decimal(p.entryPrice)
  let notional: Decimal
  let pnl: Decimal
  if (ins.settlement === 'inverse') {
    // Coin PnL q·size·(1/entry − 1/mark), worth × mark in USD: q·size·(mark − entry)/entry. The
    // division does not terminate in general: dividing last rounds once, to 34 significant digits.
    notional = q.abs()
    pnl = q.mul(mark.sub(entry)).div(entry)
  } else {
    notional = q.abs().mul(mark).mul(quoteUsd)
    pnl = q.mul(mark.sub(entry)).mul(quoteUsd)
  }
  let funding: Decimal = new Decimal(0)
  if (ins.kind === 'perpetual' && m?.fundingRate !== undefined) {
    // Model inputs are JSON numbers: their shortest decimal form is what the document said.
    const rate = new Decimal(String(m.fundingRate))
    const hours = new Decimal(String(m.fundingIntervalHours ?? 8))
    funding = notional.mul(rate).mul(24).div(hours).mul(-q.comparedTo(0))
  }
  return { notionalExact: decToString(notional), unrealizedPnlExact: decToString(pnl), fundingPerDayExact: decToString(funding) }
}
