/**
 * OKX trading history (Assets > Order center / Bills > Download "Trading history").
 *
 * Layout, after a preamble line "UID:000,Account Type:Main,Time Zone:UTC+8" (the zone of every time in the
 * file):
 *   `id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,Filled Price,PnL,Fee,Fee Unit,
 *    Position Change,Position Balance,Balance Change,Balance,Balance Unit`
 * A newer variant adds `Filled Price Unit` and `Position Unit`. Trade Type is Spot, Perpetual, Futures,
 * Options or Transfer; Action is Buy/Sell (spot), Open long/Close long/Open short/Close short, Funding fee,
 * Transfer in/out; Amount is in Trading Unit ("cont" for contracts, or a coin); Fee is negative when charged
 * (OKX API: "negative number represents the user transaction fee charged by the platform").
 * Sources: everytrade OkxBeanV2Test (both header variants, values like "0E-8"); CoinTax
 * OKXTradingHistoryCSVParser tests and notes (preamble with Time Zone, one row per spot leg); a fee-cost
 * calculator's self-test (Perpetual rows "Open long ... cont", "Funding fee"); OKX API v5 fills/bills docs
 * for the fee sign. Derivatives rows were seen only in third-party samples: verify with a real file.
 */
import { Decimal, decToString } from '../../shared/decimal'
import { createSymbolCache } from '../symbols'
import type { LedgerEntryDraft } from '../types'
import { RowProblem, idText, isZero, negate, signed, type FormatDefinition, type RowView } from './format'

function actionSide(action: string): 'buy' | 'sell' | undefined {
  const a = action.toLowerCase()
  if (/^(buy|open long|close short)$/.test(a) || (/short/.test(a) && /(liquidat|adl|reduce)/.test(a))) return 'buy'
  if (/^(sell|open short|close long)$/.test(a) || (/long/.test(a) && /(liquidat|adl|reduce)/.test(a))) return 'sell'
  return undefined
}

const DERIVATIVE_TYPES = /^(perpetual|perpetuals|swap|futures|expiry futures|delivery|options?)$/i

export const okxTrades: FormatDefinition = {
  id: 'okx-trades',
  venue: 'okx',
  label: 'OKX trading history',
  sources: [
    'everytrade-io/everytrade-plugins OkxBeanV2Test: both header variants',
    'CoinTax OKXTradingHistoryCSVParser tests: preamble "UID:…,Account Type:…,Time Zone:UTC+8", spot legs',
    'Public fee-cost calculator self-test: Perpetual rows (Open long, cont, Funding fee)',
    'OKX API v5 docs (trade fills, account bills): fee negative = charged, positive = rebate',
  ],
  columns: [
    { key: 'id', names: ['id', 'bill id'], required: true },
    { key: 'orderId', names: ['order id'] },
    { key: 'time', names: ['time'], required: true },
    { key: 'tradeType', names: ['trade type'], required: true, distinctive: true },
    { key: 'symbol', names: ['symbol', 'instrument'], required: true },
    { key: 'action', names: ['action'], required: true },
    { key: 'amount', names: ['amount'], required: true, numeric: true },
    { key: 'unit', names: ['trading unit'], required: true, distinctive: true },
    { key: 'price', names: ['filled price'], numeric: true },
    { key: 'priceUnit', names: ['filled price unit'] },
    { key: 'pnl', names: ['pnl'], numeric: true },
    { key: 'fee', names: ['fee'], numeric: true },
    { key: 'feeUnit', names: ['fee unit'] },
    { key: 'positionChange', names: ['position change'], numeric: true, distinctive: true },
    { key: 'positionBalance', names: ['position balance'], numeric: true },
    { key: 'positionUnit', names: ['position unit'] },
    { key: 'balanceChange', names: ['balance change'], numeric: true, distinctive: true },
    { key: 'balance', names: ['balance'], numeric: true },
    { key: 'balanceUnit', names: ['balance unit'], distinctive: true },
  ],
  timeKey: 'time',
  symbols: (o) => createSymbolCache('okx', o),
  mapRow(row, ctx): LedgerEntryDraft[] {
    const time = ctx.time(row, 'time')
    const type = row.text('tradeType')
    const action = row.text('action')
    const billId = idText(row, 'id')
    const orderId = idText(row, 'orderId')
    const balanceUnit = row.text('balanceUnit').toUpperCase() || undefined
    const balanceChange = ctx.decimal(row, 'balanceChange') ?? '0'
    const common = { time, externalId: billId, orderId, idKey: billId, subtype: `${type} ${action}`.trim() }

    if (!DERIVATIVE_TYPES.test(type)) {
      // Spot legs and transfers: one row per currency, booked as the balance change it caused.
      if (!balanceUnit) throw new RowProblem('balanceUnit', 'is empty')
      return [{ ...common, role: 'transfer', kind: 'transfer', amount: balanceChange, asset: balanceUnit }]
    }

    const { symbol, instrument } = ctx.instrument(row.text('symbol'), 'symbol')
    const inst = { symbol, instrument }
    const a = action.toLowerCase()
    if (a.includes('funding')) {
      return [{ ...common, ...inst, role: 'funding', kind: 'funding', amount: balanceChange, asset: balanceUnit }]
    }
    if (/deliver|exercis|settle|expir/.test(a)) {
      return [{ ...common, ...inst, role: 'settlement', kind: 'settlement', amount: balanceChange, asset: balanceUnit, price: ctx.decimal(row, 'price') }]
    }
    const side = actionSide(action)
    if (!side) throw new RowProblem('action', `"${action}" is not an action Fulcrum knows for ${type}`, action)
    const amount = ctx.decimal(row, 'amount', true)!
    const price = ctx.decimal(row, 'price')
    const contracts = toContracts(row, amount, price, instrument.underlying, instrument.quote, instrument.settlement, instrument.contractSize)
    const feeRaw = ctx.decimal(row, 'fee') ?? '0'
    const feeUnit = row.text('feeUnit').toUpperCase() || balanceUnit
    const entries: LedgerEntryDraft[] = [
      {
        ...common, ...inst, role: 'trade', kind: 'trade', side,
        quantity: signed(contracts, side), price,
        fee: negate(feeRaw), // OKX writes charges negative; Fulcrum writes fees paid positive
        feeAsset: feeUnit,
      },
    ]
    const pnl = ctx.decimal(row, 'pnl')
    if (!isZero(pnl) && instrument.kind !== 'option') {
      entries.push({ ...common, ...inst, role: 'pnl', kind: 'realized_pnl', amount: pnl, asset: balanceUnit ?? feeUnit })
    }
    return entries
  },
}

/** Amount in contracts, whatever unit OKX wrote it in. */
function toContracts(
  row: RowView,
  amount: string,
  price: string | undefined,
  underlying: string,
  quote: string,
  settlement: 'linear' | 'inverse',
  contractSize: string | undefined,
): string {
  const unit = row.text('unit').toUpperCase()
  const a = new Decimal(amount).abs()
  if (unit === 'CONT' || unit === 'CONTRACT' || unit === 'CONTRACTS' || unit === '张') return decToString(a)
  const size = new Decimal(contractSize ?? '1')
  if (settlement === 'linear' && unit === underlying) return decToString(a.div(size))
  if (settlement === 'inverse' && (unit === 'USD' || unit === quote)) return decToString(a.div(size))
  if (settlement === 'inverse' && unit === underlying) {
    if (!price) throw new RowProblem('price', 'is needed to turn a coin amount into inverse contracts')
    return decToString(a.times(price).div(size))
  }
  throw new RowProblem('unit', `"${row.text('unit')}" is not a unit Fulcrum can turn into contracts of ${underlying}`, row.text('unit'))
}
