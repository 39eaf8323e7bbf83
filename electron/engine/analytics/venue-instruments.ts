/**
 * The hedge instruments each venue lists, with lot sizes and fees, for the hedge suggestions.
 *
 * A snapshot of the venues' published specifications (VIP 0 / regular user, taker fees, since a
 * hedge is placed now), checked against the venues' pages in 2025. Venues change them: a suggestion
 * states the fee rate it assumed, and the book's own funding rates are used where it has them.
 * - Binance USDⓈ-M: taker 0.05 %; BTCUSDT/ETHUSDT quantity step 0.001, SOLUSDT 1.
 *   COIN-M: taker 0.05 %; BTCUSD_PERP 100 USD per contract, others 10 USD.
 * - Bybit: perpetuals taker 0.055 %; BTCUSDT step 0.001, ETHUSDT 0.01, SOLUSDT 0.1; inverse BTCUSD
 *   and ETHUSD 1 USD per contract.
 * - OKX: swaps taker 0.05 %; BTC-USDT-SWAP 0.01 BTC per contract, ETH 0.1, SOL 1; BTC-USD-SWAP
 *   100 USD per contract, others 10 USD.
 * - Deribit: futures and perpetuals taker 0.05 %; BTC-PERPETUAL 10 USD per contract, ETH-PERPETUAL
 *   1 USD; linear USDC perpetuals (BTC_USDC-PERPETUAL 0.001 BTC, ETH 0.01, SOL 0.1).
 * Underlyings not listed get a linear perpetual whose step is a power of ten worth about 10 USD or
 * less, flagged as assumed.
 */
import type { Venue } from '../../shared/portfolio-document'

export interface HedgeInstrumentSpec {
  venue: Venue
  kind: 'perpetual'
  settlement: 'linear' | 'inverse'
  underlying: string
  quote: string
  /** Linear: coin per contract; inverse: USD per contract. */
  contractSize: string
  /** Smallest quantity step, in contracts. */
  step: number
  takerFeeRate: number
  symbol: string
  /** True when not from the venue's published list (an unlisted underlying). */
  assumed: boolean
}

interface Listing {
  linear?: Record<string, { size: string; step: number }> & { '*'?: never }
  inverse?: Record<string, string>
  inverseDefault?: string
  fee: number
  linearSymbol: (u: string) => string
  inverseSymbol: (u: string) => string
  linearQuote: string
}

const LISTINGS: Partial<Record<Venue, Listing>> = {
  binance: {
    linear: { BTC: { size: '1', step: 0.001 }, ETH: { size: '1', step: 0.001 }, SOL: { size: '1', step: 1 } },
    inverse: { BTC: '100' },
    inverseDefault: '10',
    fee: 0.0005,
    linearSymbol: (u) => `${u}USDT`,
    inverseSymbol: (u) => `${u}USD_PERP`,
    linearQuote: 'USDT',
  },
  bybit: {
    linear: { BTC: { size: '1', step: 0.001 }, ETH: { size: '1', step: 0.01 }, SOL: { size: '1', step: 0.1 } },
    inverse: { BTC: '1', ETH: '1' },
    fee: 0.00055,
    linearSymbol: (u) => `${u}USDT`,
    inverseSymbol: (u) => `${u}USD`,
    linearQuote: 'USDT',
  },
  okx: {
    linear: { BTC: { size: '0.01', step: 1 }, ETH: { size: '0.1', step: 1 }, SOL: { size: '1', step: 1 } },
    inverse: { BTC: '100' },
    inverseDefault: '10',
    fee: 0.0005,
    linearSymbol: (u) => `${u}-USDT-SWAP`,
    inverseSymbol: (u) => `${u}-USD-SWAP`,
    linearQuote: 'USDT',
  },
  deribit: {
    linear: { BTC: { size: '1', step: 0.001 }, ETH: { size: '1', step: 0.01 }, SOL: { size: '1', step: 0.1 } },
    inverse: { BTC: '10', ETH: '1' },
    fee: 0.0005,
    linearSymbol: (u) => `${u}_USDC-PERPETUAL`,
    inverseSymbol: (u) => `${u}-PERPETUAL`,
    linearQuote: 'USDC',
  },
}

/** Perpetuals a venue offers on an underlying (linear first), with their specifications. */
export function hedgeInstruments(venue: Venue, underlying: string, indexUsd: number): HedgeInstrumentSpec[] {
  const l = LISTINGS[venue]
  if (!l) return []
  const out: HedgeInstrumentSpec[] = []
  const lin = l.linear?.[underlying]
  if (lin) {
    out.push({ venue, kind: 'perpetual', settlement: 'linear', underlying, quote: l.linearQuote, contractSize: lin.size, step: lin.step, takerFeeRate: l.fee, symbol: l.linearSymbol(underlying), assumed: false })
  } else if (venue !== 'deribit' && indexUsd > 0) {
    const step = 10 ** Math.floor(Math.log10(10 / indexUsd))
    out.push({ venue, kind: 'perpetual', settlement: 'linear', underlying, quote: l.linearQuote, contractSize: '1', step, takerFeeRate: l.fee, symbol: l.linearSymbol(underlying), assumed: true })
  }
  const inv = l.inverse?.[underlying] ?? (l.inverseDefault && (underlying === 'ETH' || underlying === 'SOL') ? l.inverseDefault : undefined)
  if (inv) out.push({ venue, kind: 'perpetual', settlement: 'inverse', underlying, quote: 'USD', contractSize: inv, step: 1, takerFeeRate: l.fee, symbol: l.inverseSymbol(underlying), assumed: false })
  return out
}

/** Taker fee rate of a venue for an instrument already in the book (dated futures), if known. */
export function venueTakerFee(venue: Venue): number | null {
  return LISTINGS[venue]?.fee ?? null
}
