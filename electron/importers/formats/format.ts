/**
 * What one exchange export format is: its columns (with the spellings seen in real files), how to tell it
 * from the others, and how one row becomes ledger entries. The pipeline (../pipeline.ts) does everything
 * common: decoding, CSV, header location, zone and number-style evidence, dedupe keys, counting.
 */
import type { Instrument, Venue } from '../../shared/portfolio-document'
import { isEmptyValue, parseDecimal, type NumberStyle } from '../numbers'
import type { SymbolResult } from '../symbols'
import { parseTimestamp } from '../time'
import type { FormatId, LedgerEntryDraft } from '../types'

export interface ColumnSpec {
  key: string
  /** Header spellings, compared with headerKey() (case- and space-insensitive); a RegExp tests the key. */
  names: readonly (string | RegExp)[]
  required?: boolean
  /** Decimal column: its separator style is inferred from the sample. */
  numeric?: boolean
  /** Present in this format and rarely elsewhere: weighs more in detection. */
  distinctive?: boolean
}

/** A row problem: the pipeline records it with the line number and the column's header text. */
export class RowProblem extends Error {
  constructor(
    readonly key: string | undefined,
    readonly reason: string,
    readonly value?: string,
  ) {
    super(reason)
    this.name = 'RowProblem'
  }
}

export interface RowView {
  readonly line: number
  has(key: string): boolean
  /** Trimmed cell text, '' when the column is absent. */
  text(key: string): string
}

export interface RowContext {
  readonly venue: Venue
  readonly zoneOffsetMinutes: number
  readonly accountHint?: string
  /** Asset of the file as a whole where the venue exports one file per currency (Deribit). */
  readonly fileAsset?: string
  readonly contractSizes?: Readonly<Record<string, string>>
  /** Parses a decimal column with the file's style. Returns undefined for an empty optional value. */
  decimal(row: RowView, key: string, required?: boolean): string | undefined
  /** Same as decimal() for text that is not a whole cell (a fee written "0.12USDT"). */
  decimalText(key: string, text: string): string
  time(row: RowView, key: string): string
  instrument(symbol: string, key: string): { symbol: string; instrument: Instrument; notes: string[] }
  /** A file-level warning, shown once with a count however many rows raise it. */
  warn(message: string): void
}

export interface SampleAffinity {
  /** -1 (surely not this format) to +1 (surely this one); 0 when the sample does not tell. */
  score: number
  reason: string
}

export interface FormatDefinition {
  id: FormatId
  venue: Venue
  label: string
  /** Where the column layout comes from (public docs and open-source parsers), for the preview and audits. */
  sources: readonly string[]
  columns: readonly ColumnSpec[]
  /** Key of the column holding the time (its header may name the zone, e.g. "Date(UTC)"). */
  timeKey: string
  /** What the venue is known to write when nothing in the file names the zone. */
  defaultZone?: { offsetMinutes: number; source: string }
  /** Account and currency a venue writes into its file names (Deribit: transaction_log-<uid>-<CUR>-…). */
  fileHints?(fileName: string): { accountHint?: string; asset?: string }
  /** Tells apart formats sharing a header (Binance USDⓈ-M and COIN-M) from the first rows. */
  sampleAffinity?(rows: readonly RowView[]): SampleAffinity
  /** Symbol parser used by the context's instrument(). */
  symbols(options: { contractSizes?: Readonly<Record<string, string>> }): (symbol: string) => SymbolResult
  mapRow(row: RowView, ctx: RowContext): LedgerEntryDraft[]
}

export function numericKeys(format: Pick<FormatDefinition, 'columns'>): string[] {
  return format.columns.filter((c) => c.numeric).map((c) => c.key)
}

/** Helpers shared by the format files. */

export function sideFrom(text: string, key: string): 'buy' | 'sell' {
  const t = text.trim().toLowerCase()
  if (/^(buy|b|long|open long|close short|open buy|close buy|bid)$/.test(t)) return 'buy'
  if (/^(sell|s|short|open short|close long|open sell|close sell|ask)$/.test(t)) return 'sell'
  throw new RowProblem(key, `"${text}" is not a side (expected buy or sell)`, text)
}

export function signed(quantity: string, side: 'buy' | 'sell'): string {
  const q = quantity.startsWith('-') ? quantity.slice(1) : quantity
  return side === 'sell' && q !== '0' ? '-' + q : q
}

export function abs(value: string): string {
  return value.startsWith('-') ? value.slice(1) : value
}

export function negate(value: string): string {
  if (value === '0') return value
  return value.startsWith('-') ? value.slice(1) : '-' + value
}

/** An id cell, or undefined for the venues' empty markers ("", "--"). */
export function idText(row: RowView, key: string): string | undefined {
  const t = row.text(key)
  return isEmptyValue(t) ? undefined : t
}

export function isZero(value: string | undefined): boolean {
  return value === undefined || value === '0'
}

/** The currency a contract settles in: the coin for inverse contracts, the quote for linear ones. */
export function settleAsset(ins: Instrument): string {
  return ins.settlement === 'inverse' ? ins.underlying : ins.quote
}

/**
 * Splits "0.03682290USDT", "0.29528919 USDC" or "0E-8 BTC" into its number text and asset; a plain number
 * has no asset.
 */
export function splitAmountAsset(text: string): { number: string; asset?: string } {
  const t = text.trim()
  const m = /^(.*?\d\.?)\s*([A-Za-z][A-Za-z0-9]*)$/.exec(t)
  if (m && !/^[eE]\d/.test(m[2]!)) return { number: m[1]!.trim(), asset: m[2]!.toUpperCase() }
  return { number: t }
}

/** Shared implementation of RowContext.decimal for the pipeline and tests. */
export function decimalFromCell(raw: string, style: NumberStyle | undefined, key: string, required: boolean): string | undefined {
  if (isEmptyValue(raw)) {
    if (required) throw new RowProblem(key, 'is empty', raw)
    return undefined
  }
  const r = parseDecimal(raw, style)
  if (!r.ok) throw new RowProblem(key, r.reason, raw)
  return r.value
}

export function timeFromCell(raw: string, offsetMinutes: number, key: string): string {
  const r = parseTimestamp(raw, offsetMinutes)
  if (!r.ok) throw new RowProblem(key, r.reason.startsWith('"') ? r.reason : `"${raw}" ${r.reason}`, raw)
  return r.iso
}
