/**
 * The generic mapper: for an export no built-in format knows, the user says which column is what once, and
 * Fulcrum remembers it for every file with the same header (the header signature is the key; persisting
 * mappings is the store's job). The mapping is data, validated with zod, so a remembered mapping that no
 * longer fits its file is refused with a message instead of mis-reading columns.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { VENUES, instrumentSchema, type Instrument } from '../shared/portfolio-document'
import { headerKey } from './csv'
import {
  RowProblem,
  negate,
  signed,
  type ColumnSpec,
  type FormatDefinition,
} from './formats/format'
import { createSymbolCache, type SymbolResult } from './symbols'
import { LEDGER_ENTRY_KINDS, type LedgerEntryDraft, type LedgerEntryKind } from './types'

const header = z.string().trim().min(1, { error: 'must name a column of the file' })

export const genericMappingSchema = z
  .object({
    version: z.literal(1).default(1),
    venue: z.enum(VENUES).default('other'),
    /** Whose symbol grammar the symbol column follows; or give one fixed `instrument` for every row. */
    symbolVenue: z.enum(['binance', 'bybit', 'okx', 'deribit']).optional(),
    instrument: instrumentSchema.optional(),
    columns: z.object({
      time: header,
      quantity: header.optional(),
      symbol: header.optional(),
      side: header.optional(),
      price: header.optional(),
      fee: header.optional(),
      feeAsset: header.optional(),
      amount: header.optional(),
      asset: header.optional(),
      kind: header.optional(),
      externalId: header.optional(),
      orderId: header.optional(),
    }),
    /** Cell values meaning buy and sell (case-insensitive); defaults cover buy/sell/long/short. */
    sideValues: z.object({ buy: z.array(z.string()).min(1), sell: z.array(z.string()).min(1) }).optional(),
    /** Cell values of the kind column, mapped to ledger kinds; without a kind column every row is a trade. */
    kindValues: z.record(z.string(), z.enum(LEDGER_ENTRY_KINDS)).optional(),
    /** The quantity column carries the side as its sign (negative = sell) when there is no side column. */
    quantitySigned: z.boolean().default(false),
    feeSign: z.enum(['paid-positive', 'paid-negative']).default('paid-positive'),
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).optional(),
    decimalSeparator: z.enum(['.', ',']).optional(),
  })
  .superRefine((m, ctx) => {
    if (!m.columns.symbol && !m.instrument) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'symbol'], message: 'map a symbol column or give one instrument for all rows' })
    }
    if (m.columns.symbol && !m.symbolVenue && !m.instrument) {
      ctx.addIssue({ code: 'custom', path: ['symbolVenue'], message: 'say which venue writes the symbols (binance, bybit, okx, deribit)' })
    }
    if (!m.columns.kind && !m.columns.quantity) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'quantity'], message: 'map the quantity column' })
    }
    if (!m.columns.side && !m.quantitySigned && m.columns.quantity) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'side'], message: 'map a side column, or say the quantity is signed' })
    }
    if (m.columns.kind && !m.kindValues) {
      ctx.addIssue({ code: 'custom', path: ['kindValues'], message: 'say which kind column values mean trade, funding, fee...' })
    }
  })

export type GenericMapping = z.output<typeof genericMappingSchema>
export type GenericMappingInput = z.input<typeof genericMappingSchema>

/**
 * Names a header regardless of column order, case, spacing and BOM, so a remembered mapping is found again
 * for the next month's export of the same kind. Different column sets give different signatures.
 */
export function headerSignature(headers: readonly string[]): string {
  const keys = [...new Set(headers.map(headerKey).filter((k) => k !== ''))].sort()
  return 'h1:' + createHash('sha256').update(keys.join('\u001f')).digest('hex').slice(0, 20)
}

/** Problems of a mapping against the header of a file (a column it names is missing). */
export function checkMapping(mapping: GenericMapping, headers: readonly string[]): string[] {
  const have = new Set(headers.map(headerKey))
  const problems: string[] = []
  for (const [field, col] of Object.entries(mapping.columns)) {
    if (col !== undefined && !have.has(headerKey(col))) problems.push(`column "${col}" (mapped to ${field}) is not in this file`)
  }
  return problems
}

const GUESSES: Record<keyof GenericMapping['columns'], RegExp> = {
  time: /^(date|time|datetime|timestamp|date\(utc\)|time\(utc\)|created|trade time|fill time|executed at)/,
  symbol: /^(symbol|instrument|market|contract|pair|ticker)$/,
  side: /^(side|direction|buy\/sell|type)$/,
  quantity: /^(quantity|qty|size|amount|filled|executed|volume|contracts)$/,
  price: /^(price|fill price|filled price|avg price|execution price|rate)$/,
  fee: /^(fee|fees|commission|trading fee)$/,
  feeAsset: /^(fee (asset|coin|currency|unit)|commission asset)$/,
  amount: /^(cash flow|change|net amount|total)$/,
  asset: /^(asset|currency|coin)$/,
  kind: /^(kind|category|transaction type)$/,
  externalId: /^(trade id|fill id|transaction id|id|exec id)$/,
  orderId: /^(order id|order no\.?)$/,
}

/** A first guess of the mapping for the user to confirm; every field is a suggestion only. */
export function suggestMapping(headers: readonly string[]): Partial<GenericMapping['columns']> {
  const out: Partial<GenericMapping['columns']> = {}
  const used = new Set<string>()
  for (const [field, re] of Object.entries(GUESSES) as [keyof GenericMapping['columns'], RegExp][]) {
    const h = headers.find((x) => !used.has(x) && re.test(headerKey(x)))
    if (h !== undefined) {
      out[field] = h.trim()
      used.add(h)
    }
  }
  return out
}

const DEFAULT_SIDES = { buy: ['buy', 'b', 'long', 'bid'], sell: ['sell', 's', 'short', 'ask'] }

/** Builds a format from a mapping (already validated and checked against the header). */
export function createGenericFormat(mapping: GenericMapping): FormatDefinition {
  const cols = mapping.columns
  const spec = (key: keyof typeof cols, numeric = false): ColumnSpec[] =>
    cols[key] === undefined ? [] : [{ key, names: [headerKey(cols[key])], required: true, numeric }]
  const columns: ColumnSpec[] = [
    ...spec('time'),
    ...spec('symbol'),
    ...spec('side'),
    ...spec('quantity', true),
    ...spec('price', true),
    ...spec('fee', true),
    ...spec('feeAsset'),
    ...spec('amount', true),
    ...spec('asset'),
    ...spec('kind'),
    ...spec('externalId'),
    ...spec('orderId'),
  ]
  const sides = mapping.sideValues ?? DEFAULT_SIDES
  const buy = new Set(sides.buy.map((s) => s.trim().toLowerCase()))
  const sell = new Set(sides.sell.map((s) => s.trim().toLowerCase()))
  const kinds = new Map(Object.entries(mapping.kindValues ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]))
  const fixed: Instrument | undefined = mapping.instrument

  return {
    id: 'generic',
    venue: mapping.venue,
    label: 'Column mapping',
    sources: ['user-defined column mapping'],
    columns,
    timeKey: 'time',
    defaultZone: mapping.utcOffsetMinutes === undefined ? undefined : { offsetMinutes: mapping.utcOffsetMinutes, source: 'the column mapping' },
    symbols: (o): ((s: string) => SymbolResult) => {
      if (mapping.symbolVenue) return createSymbolCache(mapping.symbolVenue, o)
      return (s) => (fixed ? { ok: true, instrument: { ...fixed, symbol: fixed.symbol ?? s }, notes: [] } : { ok: false, reason: 'no symbol grammar' })
    },
    mapRow(row, ctx): LedgerEntryDraft[] {
      const time = ctx.time(row, 'time')
      const symbolText = cols.symbol ? row.text('symbol') : fixed?.symbol ?? ''
      const inst = cols.symbol
        ? ctx.instrument(symbolText, 'symbol')
        : { symbol: fixed?.symbol ?? '', instrument: fixed! }
      let kind: LedgerEntryKind = 'trade'
      if (cols.kind) {
        const k = kinds.get(row.text('kind').toLowerCase())
        if (!k) throw new RowProblem('kind', `"${row.text('kind')}" is not one of the mapped kinds`, row.text('kind'))
        kind = k
      }
      const externalId = cols.externalId ? row.text('externalId') || undefined : undefined
      const orderId = cols.orderId ? row.text('orderId') || undefined : undefined
      const base = { time, symbol: inst.symbol || undefined, instrument: inst.instrument, externalId, orderId, idKey: externalId }
      const feeRaw = ctx.decimal(row, 'fee')
      const fee = feeRaw === undefined ? undefined : mapping.feeSign === 'paid-negative' ? negate(feeRaw) : feeRaw
      const feeAsset = cols.feeAsset ? row.text('feeAsset').toUpperCase() || undefined : undefined

      if (kind !== 'trade') {
        const amount = ctx.decimal(row, 'amount', true)
        const asset = cols.asset ? row.text('asset').toUpperCase() : undefined
        if (!asset) throw new RowProblem('asset', 'is needed for cash flows (map an asset column)')
        return [{ ...base, role: kind, kind, amount, asset, fee, feeAsset }]
      }
      const q = ctx.decimal(row, 'quantity', true)!
      let side: 'buy' | 'sell'
      if (cols.side) {
        const v = row.text('side').toLowerCase()
        if (buy.has(v)) side = 'buy'
        else if (sell.has(v)) side = 'sell'
        else throw new RowProblem('side', `"${row.text('side')}" is not a mapped buy or sell value`, row.text('side'))
      } else {
        side = q.startsWith('-') ? 'sell' : 'buy'
      }
      const price = ctx.decimal(row, 'price')
      return [{ ...base, role: 'trade', kind: 'trade', side, quantity: signed(q, side), price, fee, feeAsset }]
    },
  }
}
