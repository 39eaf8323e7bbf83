/**
 * Deribit transaction log (Account > Transaction log > Download CSV), one file per currency, named
 * "transaction_log-<user id>-<CURRENCY>-....csv": the file has no currency column, so the name supplies it
 * (and the account), else the instrument's settlement currency does.
 *
 * Layouts, newest first (Deribit renamed and added columns over the years):
 *   `ID,UserSeq,Date,Instrument,Type,Side,Amount,Base Amount,Position,Price,Mark Price,Index Price,Cash Flow,
 *    Funding,Fee Rate,Fee Charged,Fee Balance,Change,Balance,Equity,Trade ID,Order ID,Info,Note`
 *   older: without Amount and Note; older still: "Size" for "Base Amount" and "Fee Paid" for "Fee Charged".
 * Types: trade, settlement, delivery, deposit, withdrawal, transfer, position move, socialized fund,
 * transfer from insurance; sides: open buy, open sell, close buy, close sell, buy, sell, and long/short/- on
 * settlement rows. Change = Cash Flow − Fee Charged on trades (fee positive = paid); Funding positive =
 * received.
 * Sources: BittyTax src/bittytax/conv/parsers/deribit.py (all four headers, types, sides, the Change
 * identity, the file-name pattern); Deribit API private/get_transaction_log (cashflow: "For futures and
 * perpetual contracts: Realized session PNL (since last settlement). For options: the amount paid or
 * received", amount: "For perpetual and inverse futures the amount is in USD units. For options and linear
 * futures it is the underlying base currency coin"). Dates are taken as UTC, as BittyTax does; not verified
 * against an official page.
 */
import { Decimal, decToString } from '../../shared/decimal'
import { createSymbolCache } from '../symbols'
import type { LedgerEntryDraft } from '../types'
import { RowProblem, idText, isZero, settleAsset, sideFrom, signed, type FormatDefinition } from './format'

export const deribitTransactions: FormatDefinition = {
  id: 'deribit-transactions',
  venue: 'deribit',
  label: 'Deribit transaction log',
  sources: [
    'BittyTax src/bittytax/conv/parsers/deribit.py: the four header versions, types, sides, Change identity',
    'Deribit API docs, private/get_transaction_log: meaning of amount, cashflow, change, commission',
    'Deribit contract specifications: BTC futures/perpetual 10 USD per contract',
  ],
  columns: [
    { key: 'id', names: ['id'], required: true },
    { key: 'userSeq', names: ['userseq', 'user seq'], distinctive: true },
    { key: 'date', names: ['date', 'date(utc)'], required: true },
    { key: 'instrument', names: ['instrument'], required: true },
    { key: 'type', names: ['type'], required: true },
    { key: 'side', names: ['side'], required: true },
    { key: 'amount', names: ['amount'], numeric: true },
    { key: 'baseAmount', names: ['base amount', 'size'], numeric: true },
    { key: 'position', names: ['position'], numeric: true },
    { key: 'price', names: ['price'], numeric: true },
    { key: 'markPrice', names: ['mark price'], numeric: true },
    { key: 'indexPrice', names: ['index price'], numeric: true },
    { key: 'cashFlow', names: ['cash flow'], required: true, numeric: true },
    { key: 'funding', names: ['funding'], numeric: true },
    { key: 'feeRate', names: ['fee rate'], numeric: true },
    { key: 'fee', names: ['fee charged', 'fee paid'], numeric: true, distinctive: true },
    { key: 'feeBalance', names: ['fee balance'], numeric: true, distinctive: true },
    { key: 'change', names: ['change'], required: true, numeric: true },
    { key: 'balance', names: ['balance'], numeric: true },
    { key: 'equity', names: ['equity'], numeric: true, distinctive: true },
    { key: 'tradeId', names: ['trade id'] },
    { key: 'orderId', names: ['order id'] },
    { key: 'info', names: ['info'] },
    { key: 'note', names: ['note'] },
  ],
  timeKey: 'date',
  defaultZone: { offsetMinutes: 0, source: 'Deribit writes transaction log dates in UTC' },
  symbols: (o) => createSymbolCache('deribit', o),
  fileHints(fileName) {
    // BittyTax reads the same pattern: transaction_log-<user id>-<CURRENCY>-<dates>.csv
    const m = /transaction_log-(\d+)-([A-Za-z]{2,6})-/.exec(fileName)
    return m ? { accountHint: m[1], asset: m[2]!.toUpperCase() } : {}
  },
  mapRow(row, ctx): LedgerEntryDraft[] {
    const time = ctx.time(row, 'date')
    const type = row.text('type')
    const t = type.toLowerCase()
    const id = idText(row, 'id')
    const change = ctx.decimal(row, 'change', true)!
    const cashFlow = ctx.decimal(row, 'cashFlow') ?? '0'
    const fee = ctx.decimal(row, 'fee') ?? '0'
    const symbolText = row.text('instrument')
    const inst = symbolText ? ctx.instrument(symbolText, 'instrument') : undefined
    const asset = ctx.fileAsset ?? (inst ? settleAsset(inst.instrument) : undefined)
    if (!asset) {
      throw new RowProblem(undefined, 'the currency of this row is unknown: give the original file name (transaction_log-<id>-<CURRENCY>-….csv)')
    }
    const common = {
      time, subtype: type, externalId: id, orderId: idText(row, 'orderId'), idKey: id,
      ...(inst ? { symbol: inst.symbol, instrument: inst.instrument } : {}),
    }

    if (t === 'trade' || t === 'position move' || t === 'delivery') {
      if (!inst) throw new RowProblem('instrument', 'is empty')
      const ins = inst.instrument
      const side = row.text('side') && row.text('side') !== '-' ? sideFrom(row.text('side'), 'side') : undefined
      const amount = ctx.decimal(row, 'amount') ?? ctx.decimal(row, 'baseAmount')
      const price = ctx.decimal(row, 'price')
      // Inverse futures amounts are USD: divide by the contract size. Options and linear amounts are coins,
      // one coin per Fulcrum contract (symbols.ts).
      const contracts =
        amount === undefined
          ? undefined
          : ins.settlement === 'inverse' && ins.kind !== 'option'
            ? decToString(new Decimal(amount).abs().div(ins.contractSize ?? '1'))
            : decToString(new Decimal(amount).abs())
      if (t === 'delivery') {
        return [
          {
            ...common, role: 'settlement', kind: 'settlement', side,
            quantity: contracts && side ? signed(contracts, side) : contracts, price, amount: cashFlow, asset,
            ...(isZero(fee) ? {} : { fee, feeAsset: asset }),
          },
        ]
      }
      if (!side) throw new RowProblem('side', 'is empty')
      if (contracts === undefined) throw new RowProblem('amount', 'is empty')
      if (price === undefined) throw new RowProblem('price', 'is empty')
      const entries: LedgerEntryDraft[] = [
        {
          ...common, role: 'trade', kind: 'trade', side, quantity: signed(contracts, side), price,
          fee: t === 'position move' ? '0' : fee, feeAsset: asset,
          // The log's ID keys the entry; the fill's own Trade ID is what a user searches for.
          externalId: row.text('tradeId') || id,
        },
      ]
      if (!isZero(cashFlow) && ins.kind !== 'option' && t === 'trade') {
        entries.push({ ...common, role: 'pnl', kind: 'realized_pnl', amount: cashFlow, asset })
      }
      return entries
    }
    if (t === 'settlement') {
      const funding = ctx.decimal(row, 'funding') ?? '0'
      const entries: LedgerEntryDraft[] = []
      if (!isZero(funding)) entries.push({ ...common, role: 'funding', kind: 'funding', amount: funding, asset })
      // The rest of the settlement's cash flow is the session PnL booked into the balance.
      const session = decToString(new Decimal(cashFlow).minus(funding))
      if (!isZero(session)) entries.push({ ...common, role: 'settlement', kind: 'settlement', amount: session, asset })
      if (entries.length === 0) entries.push({ ...common, role: 'settlement', kind: 'settlement', amount: '0', asset })
      return entries
    }
    if (t === 'socialized fund') {
      return [{ ...common, role: 'fee', kind: 'fee', amount: change, asset }]
    }
    if (t === 'deposit' || t === 'withdrawal' || t === 'transfer' || t === 'transfer from insurance' || t === 'swap' || t === 'correction') {
      // Change includes a withdrawal fee; the entry keeps the two apart (balance effect = amount − fee).
      return [
        {
          ...common, role: 'transfer', kind: 'transfer', amount: decToString(new Decimal(change).plus(fee)), asset,
          ...(isZero(fee) ? {} : { fee, feeAsset: asset }),
        },
      ]
    }
    ctx.warn(`Rows of type "${type}" are not a kind Fulcrum knows; they were imported as cash transfers of their Change.`)
    return [{ ...common, role: 'transfer', kind: 'transfer', amount: decToString(new Decimal(change).plus(fee)), asset, ...(isZero(fee) ? {} : { fee, feeAsset: asset }) }]
  },
}
