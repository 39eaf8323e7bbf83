/**
 * Bybit transaction log (Unified Trading Account: Assets > Data Export > Transaction Log, and the older
 * derivatives-account "Transaction Log").
 *
 * Layouts:
 * - UTA (file AssetChangeDetails_uta_<uid>_<from>_<to>_0.csv), after a preamble line
 *   "UID: 531298197,Company Name: ,Country: ":
 *   `Uid,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,Fee Paid,Cash Flow,Change,
 *    Wallet Balance,Action,Time(UTC)` (some exports add `OrderId,TradeId`), decimals with 20 places,
 *   "--" for no value, types TRADE, SETTLEMENT, DELIVERY, TRANSFER_IN, TRANSFER_OUT, INTEREST, "--"...
 * - derivatives account: `Time,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,
 *   Fee Paid,Cash Flow,Change,Wallet Balance,Fee Rate,Trade ID,Order ID`, types trade/funding/liquidation/
 *   transferIn/transferOut, directions "Open Long" ... "Close Short".
 * Sources: BittyTax conv/parsers/bybit.py ("Bybit Futures" header and types); a Supabase import-bybit
 * function and everytrade BybitEuUtaBeanV1 (UTA header and preamble, from real exports); a C# parser test
 * (StatementCsvParserTests, UTA fragment with SETTLEMENT rows); Bybit v5 API "Get Transaction Log"
 * (bybit-exchange.github.io/docs/v5/account/transaction-log): qty has no direction for derivatives, size
 * is the position after the trade, change = cashFlow + funding − fee.
 *
 * Signs: the API writes fees positive when paid, but real UTA CSV rows show "Fee Paid" negative when paid
 * (Change = Cash Flow + Fee Paid), and the old account log wrote funding positive when paid. So each row's
 * sign convention is read from its own arithmetic: the combination of ± Funding and ± Fee Paid that adds up
 * to Change with Cash Flow. A row whose numbers fit no combination is rejected with that reason.
 */
import { Decimal } from '../../shared/decimal'
import { createSymbolCache } from '../symbols'
import type { LedgerEntryDraft } from '../types'
import { RowProblem, idText, isZero, negate, sideFrom, signed, type FormatDefinition, type RowContext } from './format'

interface Signs {
  funding: 1 | -1
  fee: 1 | -1
}

/** Last decisive convention seen in this file, used when a row's own numbers cannot decide (zeros). */
const lastSigns = new WeakMap<RowContext, Signs>()

function readSigns(ctx: RowContext, cashFlow: string, funding: string, feePaid: string, change: string): Signs | undefined {
  const cf = new Decimal(cashFlow)
  const f = new Decimal(funding)
  const fee = new Decimal(feePaid)
  const ch = new Decimal(change)
  const fits: Signs[] = []
  for (const sf of [1, -1] as const) {
    for (const se of [1, -1] as const) {
      if (cf.plus(f.times(sf)).plus(fee.times(se)).eq(ch)) fits.push({ funding: sf, fee: se })
    }
  }
  if (fits.length === 0) return undefined
  // With a zero funding (or fee), both of its signs fit: keep the file's convention for it, else the CSV one.
  const known = lastSigns.get(ctx) ?? { funding: 1, fee: 1 }
  const pick =
    fits.find((s) => s.funding === known.funding && s.fee === known.fee) ??
    fits.find((s) => (f.isZero() || s.funding === known.funding) && (fee.isZero() || s.fee === known.fee)) ??
    fits[0]!
  if (!f.isZero() || !fee.isZero()) {
    lastSigns.set(ctx, { funding: f.isZero() ? known.funding : pick.funding, fee: fee.isZero() ? known.fee : pick.fee })
  }
  return pick
}

const DERIVATIVE_TRADE = new Set(['trade', 'liquidation', 'adl', 'busttrade', 'adltrade'])

export const bybitTransactions: FormatDefinition = {
  id: 'bybit-transactions',
  venue: 'bybit',
  label: 'Bybit transaction log',
  sources: [
    'BittyTax src/bittytax/conv/parsers/bybit.py ("Bybit Futures" transaction log header and types)',
    'Public importers of real UTA exports (Supabase import-bybit, everytrade BybitEuUtaBeanV1, StatementCsvParserTests)',
    'Bybit v5 API "Get Transaction Log": qty, size, funding, fee, cashFlow, change = cashFlow + funding - fee',
  ],
  columns: [
    { key: 'uid', names: ['uid'] },
    { key: 'currency', names: ['currency', 'coin'], required: true },
    { key: 'contract', names: ['contract', 'symbol'], required: true },
    { key: 'type', names: ['type'], required: true },
    { key: 'direction', names: ['direction', 'side'], required: true },
    { key: 'quantity', names: ['quantity', 'qty'], required: true, numeric: true },
    { key: 'position', names: ['position', 'size'], numeric: true },
    { key: 'price', names: ['filled price', 'trade price'], numeric: true },
    { key: 'funding', names: ['funding'], numeric: true, distinctive: true },
    { key: 'fee', names: ['fee paid', 'fee'], numeric: true },
    { key: 'cashFlow', names: ['cash flow', 'cashflow'], required: true, numeric: true, distinctive: true },
    { key: 'change', names: ['change'], required: true, numeric: true },
    { key: 'walletBalance', names: ['wallet balance', 'cash balance'], numeric: true, distinctive: true },
    { key: 'feeRate', names: ['fee rate'], numeric: true },
    { key: 'action', names: ['action'] },
    { key: 'tradeId', names: ['tradeid', 'trade id'] },
    { key: 'orderId', names: ['orderid', 'order id'] },
    { key: 'time', names: ['time(utc)', 'time', 'date & time(utc)', /^time\s*\(utc[^)]*\)$/], required: true },
  ],
  timeKey: 'time',
  symbols: (o) => createSymbolCache('bybit', o),
  mapRow(row, ctx): LedgerEntryDraft[] {
    const time = ctx.time(row, 'time')
    const type = row.text('type')
    const t = type.toLowerCase().replace(/[\s_]/g, '')
    const asset = row.text('currency').toUpperCase()
    if (!asset) throw new RowProblem('currency', 'is empty')
    const change = ctx.decimal(row, 'change', true)!
    const cashFlow = ctx.decimal(row, 'cashFlow') ?? '0'
    const fundingRaw = ctx.decimal(row, 'funding') ?? '0'
    const feeRaw = ctx.decimal(row, 'fee') ?? '0'
    const tradeId = idText(row, 'tradeId')
    const orderId = idText(row, 'orderId')
    const action = row.text('action')
    const common = { time, subtype: type, externalId: tradeId, orderId, idKey: tradeId }

    if (t === 'transferin' || t === 'transferout' || t === '--' || t === 'deposit' || t === 'withdraw' || t === 'withdrawal' || t === 'bonus' || t === 'airdrop') {
      return [{ ...common, role: 'transfer', kind: 'transfer', amount: change, asset, idKey: undefined }]
    }
    if (t === 'interest' || t === 'borrowinterest') {
      return [{ ...common, role: 'fee', kind: 'fee', amount: change, asset, idKey: undefined }]
    }

    const signs = readSigns(ctx, cashFlow, fundingRaw, feeRaw, change)
    if (!signs) {
      throw new RowProblem(
        'change',
        `does not equal Cash Flow ± Funding ± Fee Paid (${cashFlow}, ${fundingRaw}, ${feeRaw}), so the signs of the fee and funding cannot be told`,
        row.text('change'),
      )
    }
    // Our conventions: fee positive = paid; funding amount positive = received.
    const feeCost = isZero(feeRaw) ? '0' : signs.fee === 1 ? negate(feeRaw) : feeRaw
    const fundingReceived = isZero(fundingRaw) ? '0' : signs.funding === 1 ? fundingRaw : negate(fundingRaw)

    const isSpotLeg = DERIVATIVE_TRADE.has(t) && row.has('action') && (action === '' || action === '--')
    if (isSpotLeg) {
      // Spot fills appear as one row per currency leg; Fulcrum books them as cash movements.
      return [{ ...common, role: 'transfer', kind: 'transfer', amount: change, asset, subtype: `${type} (spot leg ${row.text('contract')})` }]
    }

    const { symbol, instrument } = ctx.instrument(row.text('contract'), 'contract')
    const inst = { symbol, instrument }

    if (DERIVATIVE_TRADE.has(t)) {
      const side = sideFrom(row.text('direction'), 'direction')
      const qty = ctx.decimal(row, 'quantity', true)!
      const quantity = signed(qty.startsWith('-') ? qty.slice(1) : qty, side)
      const price = ctx.decimal(row, 'price')
      if (price === undefined) throw new RowProblem('price', 'is empty')
      const entries: LedgerEntryDraft[] = [
        { ...common, ...inst, role: 'trade', kind: 'trade', side, quantity, price, fee: feeCost, feeAsset: asset },
      ]
      // For perpetuals and futures the cash flow of a closing fill is the realized PnL; for options it is the
      // premium, already implied by quantity × price.
      if (!isZero(cashFlow) && instrument.kind !== 'option') {
        entries.push({ ...common, ...inst, role: 'pnl', kind: 'realized_pnl', amount: cashFlow, asset })
      }
      return entries
    }
    if (t === 'settlement' || t === 'funding') {
      const entries: LedgerEntryDraft[] = []
      if (!isZero(fundingReceived)) entries.push({ ...common, ...inst, role: 'funding', kind: 'funding', amount: fundingReceived, asset })
      // USDC contracts settle session PnL into cash every 8 hours; that is the cash flow of the row.
      if (!isZero(cashFlow)) entries.push({ ...common, ...inst, role: 'settlement', kind: 'settlement', amount: cashFlow, asset })
      if (entries.length === 0) entries.push({ ...common, ...inst, role: 'funding', kind: 'funding', amount: '0', asset })
      return entries
    }
    if (t === 'delivery') {
      const price = ctx.decimal(row, 'price')
      const entries: LedgerEntryDraft[] = [
        { ...common, ...inst, role: 'settlement', kind: 'settlement', amount: cashFlow, asset, price, fee: feeCost, feeAsset: asset },
      ]
      return entries
    }
    ctx.warn(`Rows of type "${type}" are not a kind Fulcrum knows; they were imported as cash transfers of their Change.`)
    return [{ ...common, ...inst, role: 'transfer', kind: 'transfer', amount: change, asset }]
  },
}
