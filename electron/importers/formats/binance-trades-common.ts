/**
 * Binance futures "Trade History" export, shared by the USDⓈ-M and COIN-M formats (same header; what the
 * quantity means differs: base units on USDⓈ-M, contracts on COIN-M).
 *
 * Column layouts, from public parsers of real exports (no official Binance page documents the CSV):
 * - current: `Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID`
 *   with fees written "0.03682290USDT" or "0.29528919 USDC", times "2026-05-29 18:25:01" or "26-03-17 09:34:12"
 *   in the zone named in the file name ("Binance-Futures-Trade-History-202608302008(UTC+3)-part1-of1.csv"),
 *   UTF-8 with BOM, CRLF, and a single line "No data matches the criteria." when the range is empty.
 *   Seen in: RefInvest docs/TRADING_REVIEW.md (dialect BINANCE_USDS_TRADE_HISTORY_V1, from anonymised real
 *   samples); parse-binance-futures.test.ts (guessUtcOffsetFromFilename); binance_unwrap tests; Rails
 *   Exchanges::Binance::CsvParserTest.
 * - older: `Date(UTC),Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit` (sometimes with `Quote Asset`
 *   or `Fee Coin`), times in UTC. Seen in several open-source journal importers.
 * Binance trade ids are unique per symbol only, so the dedupe key is symbol + Trade ID.
 */
import { createSymbolCache } from '../symbols'
import type { FormatId, LedgerEntryDraft } from '../types'
import {
  RowProblem,
  isZero,
  settleAsset,
  sideFrom,
  signed,
  splitAmountAsset,
  type ColumnSpec,
  type FormatDefinition,
  type RowContext,
  type RowView,
} from './format'

export const BINANCE_TRADE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'uid', names: ['uid', 'user id'] },
  { key: 'time', names: ['time', 'date(utc)', 'time(utc)', /^(date|time)\s*\(utc[^)]*\)$/], required: true },
  { key: 'symbol', names: ['symbol'], required: true },
  { key: 'side', names: ['side'], required: true },
  { key: 'price', names: ['price'], required: true, numeric: true },
  { key: 'quantity', names: ['quantity', 'qty'], required: true, numeric: true },
  { key: 'amount', names: ['amount'], numeric: true },
  { key: 'fee', names: ['fee', 'commission'], required: true },
  { key: 'feeAsset', names: ['fee coin', 'fee asset', 'commission asset'] },
  { key: 'quoteAsset', names: ['quote asset'] },
  { key: 'realizedPnl', names: ['realized profit', 'realized pnl'], numeric: true, distinctive: true },
  { key: 'buyer', names: ['buyer'], distinctive: true },
  { key: 'maker', names: ['maker'], distinctive: true },
  { key: 'tradeId', names: ['trade id'] },
  { key: 'orderId', names: ['order id'] },
  { key: 'positionSide', names: ['position side'] },
]

const COINM_SYMBOL = /USD_(PERP|\d{6})$/

export function binanceAffinity(market: 'usdm' | 'coinm', rows: readonly RowView[]): { score: number; reason: string } {
  let coinm = 0
  let other = 0
  let example = ''
  for (const r of rows) {
    const s = r.text('symbol').toUpperCase()
    if (!s) continue
    if (COINM_SYMBOL.test(s)) coinm++
    else other++
    example ||= s
  }
  if (coinm + other === 0) return { score: 0, reason: 'no rows to tell USD-M from COIN-M' }
  const share = coinm / (coinm + other)
  const score = market === 'coinm' ? 2 * share - 1 : 1 - 2 * share
  const what = share > 0.5 ? 'COIN-M (e.g. BTCUSD_PERP)' : 'USD-M (e.g. BTCUSDT)'
  return { score, reason: `symbols are ${what}: ${example}` }
}

function makeFormat(market: 'usdm' | 'coinm'): FormatDefinition {
  const id: FormatId = market === 'usdm' ? 'binance-usdm-trades' : 'binance-coinm-trades'
  return {
    id,
    venue: 'binance',
    label: market === 'usdm' ? 'Binance USD-M futures trade history' : 'Binance COIN-M futures trade history',
    sources: [
      'RefInvest docs/TRADING_REVIEW.md: BINANCE_USDS_TRADE_HISTORY_V1 header and value shapes from real exports',
      'Public importer tests (parse-binance-futures.test.ts, Exchanges::Binance::CsvParserTest): fee suffix, yy-MM-dd times, (UTC+3) in file names',
      'BittyTax binance parsers: older Date(UTC) layouts',
      market === 'coinm'
        ? 'Binance FAQ "COIN-Margined Futures Contract Specifications": quantity in contracts of 100 USD (BTC) / 10 USD'
        : 'Binance FAQ "USDⓈ-Margined Futures Contract Specifications": 1 contract = 1 unit of the base asset',
    ],
    columns: BINANCE_TRADE_COLUMNS,
    timeKey: 'time',
    sampleAffinity: (rows) => binanceAffinity(market, rows),
    symbols: (o) => createSymbolCache('binance', { binanceMarket: market, contractSizes: o.contractSizes }),
    mapRow: (row, ctx) => mapBinanceTrade(row, ctx, market),
  }
}

function mapBinanceTrade(row: RowView, ctx: RowContext, market: 'usdm' | 'coinm'): LedgerEntryDraft[] {
  const time = ctx.time(row, 'time')
  const { symbol, instrument } = ctx.instrument(row.text('symbol'), 'symbol')
  const side = sideFrom(row.text('side'), 'side')
  const quantity = ctx.decimal(row, 'quantity', true)!
  if (quantity.startsWith('-') || quantity === '0') throw new RowProblem('quantity', 'must be greater than 0', row.text('quantity'))
  const price = ctx.decimal(row, 'price', true)!

  const feeCell = splitAmountAsset(row.text('fee'))
  const fee = feeCell.number === '' ? '0' : ctx.decimalText('fee', feeCell.number)
  let feeAsset = feeCell.asset ?? (row.text('feeAsset').toUpperCase() || undefined)
  if (!feeAsset) {
    feeAsset = row.text('quoteAsset').toUpperCase() || settleAsset(instrument)
    if (!isZero(fee)) ctx.warn(`The fee column names no currency; fees were taken to be in the settlement currency (${feeAsset} for ${symbol}).`)
  }
  const maker = row.text('maker').toLowerCase()
  const tradeId = row.text('tradeId') || undefined
  const idKey = tradeId ? `${symbol}:${tradeId}` : undefined

  const entries: LedgerEntryDraft[] = [
    {
      role: 'trade',
      kind: 'trade',
      time,
      symbol,
      instrument,
      side,
      quantity: signed(quantity, side),
      price,
      fee, // Binance writes fees paid as positive numbers (rebates negative), our convention too
      feeAsset,
      liquidity: maker === 'true' ? 'maker' : maker === 'false' ? 'taker' : undefined,
      externalId: tradeId,
      orderId: row.text('orderId') || undefined,
      idKey,
    },
  ]
  const pnl = ctx.decimal(row, 'realizedPnl')
  if (!isZero(pnl)) {
    // USDⓈ-M realizes PnL in the quote (margin) asset, COIN-M in the coin.
    const asset = market === 'coinm' ? instrument.underlying : row.text('quoteAsset').toUpperCase() || instrument.quote
    entries.push({ role: 'pnl', kind: 'realized_pnl', time, symbol, instrument, amount: pnl, asset, externalId: tradeId, idKey })
  }
  return entries
}

export const binanceUsdmTrades = makeFormat('usdm')
export const binanceCoinmTrades = makeFormat('coinm')
