/**
 * Bybit derivatives trade history (Orders > Derivatives > Trade History > Export).
 *
 * Layout (including Bybit's own typo "Trasaction ID"):
 *   `Market,Filled Type,Filled Quantity,Filled Price,Order Price,Fee Rate,Trading Fee,feeCoin,ExecFeeV2,
 *    Direction,Order Type,Trasaction ID,Order No.,Transaction Time(UTC+0)`
 * with times written "10:00 2026-01-10" (time first), ids with a leading space (" a1"), and funding
 * payments as rows with Filled Type "Funding" whose Trading Fee is the payment (positive = paid).
 * Sources: public importers of real exports — a Next.js journal's parseBybit ("Headers (exact, including
 * Bybit's typo ...)"), a fee-cost calculator's self-test (costs self-check, sample "perp.csv"), and Bybit's
 * v5 execution API (execType Trade/AdlTrade/BustTrade/Funding/Settle/Delivery) for the Filled Type values.
 * Not verified against an official page: Bybit documents the API, not this CSV.
 */
import { createSymbolCache } from '../symbols'
import type { LedgerEntryDraft } from '../types'
import { RowProblem, idText, negate, settleAsset, sideFrom, signed, type FormatDefinition } from './format'

export const bybitTrades: FormatDefinition = {
  id: 'bybit-trades',
  venue: 'bybit',
  label: 'Bybit derivatives trade history',
  sources: [
    'Public importers of real Bybit exports (exact header with the "Trasaction ID" typo; "HH:mm yyyy-MM-dd" times)',
    'Bybit v5 API docs, execution list: execType values Trade, AdlTrade, Funding, BustTrade, Delivery, Settle',
  ],
  columns: [
    { key: 'market', names: ['market', 'contracts', 'contract'], required: true },
    { key: 'filledType', names: ['filled type', 'exec type', 'trade type'], required: true, distinctive: true },
    { key: 'quantity', names: ['filled quantity', 'filled qty', 'exec qty', 'qty'], required: true, numeric: true },
    { key: 'price', names: ['filled price', 'exec price'], required: true, numeric: true },
    { key: 'orderPrice', names: ['order price'], numeric: true },
    { key: 'feeRate', names: ['fee rate'], numeric: true },
    { key: 'fee', names: ['trading fee', 'exec fee', 'fee'], required: true, numeric: true },
    { key: 'feeCoin', names: ['feecoin', 'fee coin'], distinctive: true },
    { key: 'feeV2', names: ['execfeev2'], numeric: true, distinctive: true },
    { key: 'direction', names: ['direction', 'side'], required: true },
    { key: 'orderType', names: ['order type'] },
    { key: 'tradeId', names: ['trasaction id', 'transaction id', 'trade id', 'exec id'], distinctive: true },
    { key: 'orderId', names: ['order no.', 'order no', 'order id'] },
    { key: 'time', names: [/^transaction time/, /^trade time/, 'time', 'time(utc)'], required: true },
  ],
  timeKey: 'time',
  symbols: (o) => createSymbolCache('bybit', o),
  mapRow(row, ctx): LedgerEntryDraft[] {
    const time = ctx.time(row, 'time')
    const { symbol, instrument } = ctx.instrument(row.text('market'), 'market')
    const type = row.text('filledType')
    const t = type.toLowerCase()
    const quantity = ctx.decimal(row, 'quantity', true)!
    const price = ctx.decimal(row, 'price')
    const fee = ctx.decimal(row, 'fee') ?? '0'
    const feeAsset = row.text('feeCoin').toUpperCase() || settleAsset(instrument)
    const tradeId = idText(row, 'tradeId')
    const orderId = idText(row, 'orderId')
    const base = { time, symbol, instrument, externalId: tradeId, orderId, idKey: tradeId, subtype: type }

    if (t === 'funding') {
      // The "fee" of a funding row is the payment itself: positive paid, negative received.
      return [{ ...base, role: 'funding', kind: 'funding', amount: negate(fee), asset: feeAsset }]
    }
    if (t === 'settle' || t === 'delivery') {
      const side = row.text('direction') ? sideFrom(row.text('direction'), 'direction') : undefined
      return [
        {
          ...base, role: 'settlement', kind: 'settlement', side,
          quantity: side ? signed(quantity, side) : quantity, price, fee, feeAsset,
        },
      ]
    }
    if (t === 'trade' || t === 'adltrade' || t === 'busttrade' || t === 'liquidation' || t === '') {
      const side = sideFrom(row.text('direction'), 'direction')
      if (quantity.startsWith('-') || quantity === '0') throw new RowProblem('quantity', 'must be greater than 0', row.text('quantity'))
      if (price === undefined) throw new RowProblem('price', 'is empty')
      return [{ ...base, role: 'trade', kind: 'trade', side, quantity: signed(quantity, side), price, fee, feeAsset }]
    }
    throw new RowProblem('filledType', `"${type}" is not a Filled Type Fulcrum knows (Trade, AdlTrade, BustTrade, Liquidation, Funding, Settle, Delivery)`, type)
  },
}
