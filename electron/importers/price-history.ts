/**
 * Price history files to daily closes (pure: bytes in, closes and findings out).
 *
 * Recognised layouts, detected from the first lines:
 * - Binance klines as data.binance.vision publishes them: spot files without a header (12 numeric
 *   columns, open time in ms, or in µs since 2025), futures files with the `open_time,...,ignore`
 *   header. Close is the 5th column.
 * - Candle arrays as the venues' kline APIs return them, saved without a header: OKX
 *   `[ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm]` (9 columns, last 0/1), Bybit
 *   `[startTime,open,high,low,close,volume,turnover]` (7 columns). Both newest first; order is irrelevant here.
 * - Any candle CSV with a header naming a time column and open/high/low/close (TradingView's chart export,
 *   scripts' dumps).
 * - A generic `date,close` file (any date-like and close/price-like header).
 *
 * Days are UTC calendar days: an epoch or zoned timestamp goes to the UTC day it falls on; a bare date is
 * that day. Intraday candles become the close of each day's last candle; a last day whose candles stop
 * before midnight is left out (its close is not known yet). Duplicate days (or duplicate candle times)
 * are reported; when their closes differ the day is left out for the user to decide. Gaps are reported,
 * never filled.
 */
import { decodeBytes, encodingLabel } from './decode'
import { cleanHeader, delimiterName, headerKey, readCsvRecords } from './csv'
import { inferNumberStyle, isEmptyValue, parseDecimal, type NumberStyle } from './numbers'
import { parseTimestamp, parseUtcOffset } from './time'
import { ImportError } from './types'
import { Decimal } from '../shared/decimal'
import { dayNumber, dayOfInstant, findGaps } from '../shared/calendar-days'
import type { DayGap, DuplicateDay } from '../shared/market-contract'

export type PriceHistoryFormatId = 'binance-klines' | 'okx-candles' | 'bybit-klines' | 'candles' | 'date-close'

export const PRICE_HISTORY_FORMATS: Record<PriceHistoryFormatId, string> = {
  'binance-klines': 'Binance klines (data.binance.vision)',
  'okx-candles': 'OKX candles (API layout, no header)',
  'bybit-klines': 'Bybit klines (API layout, no header)',
  candles: 'Candles with a header (time, open, high, low, close)',
  'date-close': 'Generic date,close',
}

export interface ParsedPriceHistory {
  format: { id: PriceHistoryFormatId; label: string }
  underlying: string | null
  underlyingFrom: 'file name' | 'symbol column' | null
  encoding: string
  delimiter: string
  /** Data rows read (header and blank lines excluded). */
  rows: number
  /** Daily closes, oldest first, duplicates resolved or left out. */
  closes: Array<[string, string]>
  duplicates: DuplicateDay[]
  gaps: DayGap[]
  missingDays: number
  issues: Array<{ line: number; column: string | null; message: string }>
  warnings: string[]
}

const MAX_ISSUES = 200
const DATE_HEADERS = ['date', 'day', 'time', 'timestamp', 'datetime', 'date time', 'open time', 'open_time', 'opentime', 'ts', 'starttime', 'start time', 'time (utc)', 'date(utc)']
const CLOSE_HEADERS = ['close', 'close price', 'closing price', 'close_price', 'adj close', 'price', 'last', 'index price', 'mark price', 'value']
const SYMBOL_HEADERS = ['symbol', 'instrument', 'instrument_name', 'instrument name', 'instid', 'pair', 'ticker', 'market']
const QUOTE_SUFFIX = /(USDT|USDC|BUSD|FDUSD|TUSD|USD|PERP|SWAP)$/

/** "BTCUSDT", "BTC-USDT-SWAP", "ETHUSD_PERP", "BTC-PERPETUAL", "btc" → the base asset. */
export function baseAssetOf(text: string): string | null {
  const first = text.trim().toUpperCase().split(/[-_/.\s:]/)[0] ?? ''
  let base = first
  for (let i = 0; i < 2; i++) base = base.replace(QUOTE_SUFFIX, '')
  if (!/^[A-Z0-9]{2,10}$/.test(base) || /^\d+$/.test(base)) return null
  return base
}

/** Words in file names that are not assets: venues, tools, and what the file is. */
const NOT_ASSETS = new Set(['BINANCE', 'BYBIT', 'OKX', 'OKEX', 'DERIBIT', 'TRADINGVIEW', 'COINBASE', 'KRAKEN', 'BITSTAMP', 'HISTORY', 'PRICES', 'PRICE', 'CLOSES', 'CLOSE', 'DAILY', 'KLINE', 'KLINES', 'CANDLES', 'INDEX', 'SPOT', 'DATA', 'EXPORT', 'UTC'])

/** The base asset a file name speaks of: "BTCUSDT-1d-2024-01.csv" → BTC, "okx-ETH-USDT-1D.csv" → ETH. */
export function underlyingFromFileName(fileName: string): string | null {
  const name = fileName.split(/[\\/]/).pop() ?? ''
  const stem = name.replace(/\.[A-Za-z0-9]+$/, '')
  for (const token of stem.split(/[-_.\s()]+/)) {
    if (NOT_ASSETS.has(token.toUpperCase())) continue
    // A time frame ("1d", "12h") or a date part is not an asset either.
    if (/^\d+[a-zA-Z]{0,4}$/.test(token)) continue
    const base = baseAssetOf(token)
    if (base && !NOT_ASSETS.has(base)) return base
  }
  return null
}

function isHeaderIn(h: string, list: readonly string[]): boolean {
  const k = headerKey(h).replace(/\s*\((utc|gmt)[^)]*\)\s*$/, '')
  return list.includes(k) || list.includes(headerKey(h))
}

function looksNumeric(s: string): boolean {
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s.trim())
}

interface Layout {
  id: PriceHistoryFormatId
  header: boolean
  timeCol: number
  closeCol: number
  symbolCol: number | null
  headers: string[]
  /** Minutes east of UTC for zone-less text times, from the header ("Date(UTC+8)"). */
  offsetMinutes: number
}

function detectLayout(first: string[]): Layout {
  const cells = first.map((c) => c.trim())
  if (cells.length >= 6 && looksNumeric(cells[0]!) && looksNumeric(cells[4]!) && /^\d{10}(\d{3})?(\d{3})?$/.test(cells[0]!)) {
    const id: PriceHistoryFormatId =
      cells.length === 9 && (cells[8] === '0' || cells[8] === '1') ? 'okx-candles' : cells.length === 7 ? 'bybit-klines' : 'binance-klines'
    return { id, header: false, timeCol: 0, closeCol: 4, symbolCol: null, headers: [], offsetMinutes: 0 }
  }
  const headers = first.map(cleanHeader)
  const keys = headers.map(headerKey)
  const timeCol = headers.findIndex((h) => isHeaderIn(h, DATE_HEADERS))
  const closeCol = headers.findIndex((h) => isHeaderIn(h, CLOSE_HEADERS))
  const symbolCol = headers.findIndex((h) => isHeaderIn(h, SYMBOL_HEADERS))
  if (timeCol < 0 || closeCol < 0) {
    throw new ImportError({
      code: 'unknown-format',
      message:
        `This does not look like a price history: Fulcrum needs a date column and a close column (found ${headers.map((h) => `"${h}"`).join(', ')}). ` +
        'A generic file is two columns, e.g. "date,close" then "2026-11-01,65000.5".',
    })
  }
  const zone = parseUtcOffset(headers[timeCol]!) ?? 0
  const binanceHeader = keys.includes('open_time') && keys.includes('close_time') && keys.includes('ignore')
  const ohlc = ['open', 'high', 'low'].every((k) => keys.includes(k))
  return {
    id: binanceHeader ? 'binance-klines' : ohlc ? 'candles' : 'date-close',
    header: true,
    timeCol,
    closeCol,
    symbolCol: symbolCol >= 0 ? symbolCol : null,
    headers,
    offsetMinutes: zone,
  }
}

interface TimeOfRow {
  /** Epoch ms for timed rows; for bare dates, the day's midnight. */
  ms: number
  day: string
  /** True when the row carries only a date (a daily close by construction). */
  dateOnly: boolean
}

function readTime(text: string, offsetMinutes: number): TimeOfRow | string {
  const t = text.trim()
  if (/^\d{16}$/.test(t)) {
    // Binance spot klines since 2025 give microseconds.
    const ms = Math.floor(Number(t) / 1000)
    return { ms, day: dayOfInstant(ms), dateOnly: false }
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const n = dayNumber(t)
    if (!Number.isFinite(n)) return `"${t}" is not a calendar date`
    return { ms: n * 86_400_000, day: t, dateOnly: true }
  }
  const r = parseTimestamp(t, offsetMinutes)
  if (!r.ok) return r.reason.startsWith('"') ? r.reason : `"${t}" ${r.reason}`
  return { ms: r.epochMs, day: dayOfInstant(r.epochMs), dateOnly: false }
}

export function parsePriceHistory(bytes: Uint8Array, fileName: string): ParsedPriceHistory {
  const decoded = decodeBytes(bytes)
  const warnings = [...decoded.warnings]
  const { delimiter, records } = readCsvRecords(decoded.text)
  if (records.length === 0) throw new ImportError({ code: 'empty', message: 'The file holds no rows.' })
  const layout = detectLayout(records[0]!.fields)
  const data = layout.header ? records.slice(1) : records
  if (data.length === 0) throw new ImportError({ code: 'empty', message: 'The file has a header but no rows of prices.' })
  const closeName = layout.header ? layout.headers[layout.closeCol]! : 'column 5 (close)'
  const timeName = layout.header ? layout.headers[layout.timeCol]! : 'column 1 (open time)'

  const style: NumberStyle | undefined = inferNumberStyle(data.slice(0, 500).map((r) => r.fields[layout.closeCol] ?? '')).style
  const issues: ParsedPriceHistory['issues'] = []
  let issueCount = 0
  const issue = (line: number, column: string | null, message: string): void => {
    issueCount++
    if (issues.length < MAX_ISSUES) issues.push({ line, column, message })
  }

  interface Row {
    line: number
    time: TimeOfRow
    close: string
  }
  const rows: Row[] = []
  let symbolText: string | null = null
  for (const rec of data) {
    if (rec.error) {
      issue(rec.line, null, rec.error)
      continue
    }
    const timeText = rec.fields[layout.timeCol]
    const closeText = rec.fields[layout.closeCol]
    if (timeText === undefined || closeText === undefined) {
      issue(rec.line, null, `has ${rec.fields.length} fields; the ${timeText === undefined ? 'date' : 'close'} column is missing`)
      continue
    }
    const time = readTime(timeText, layout.offsetMinutes)
    if (typeof time === 'string') {
      issue(rec.line, timeName, time)
      continue
    }
    if (isEmptyValue(closeText)) {
      issue(rec.line, closeName, 'is empty')
      continue
    }
    const close = parseDecimal(closeText, style)
    if (!close.ok) {
      issue(rec.line, closeName, close.reason)
      continue
    }
    if (!new Decimal(close.value).gt(0)) {
      issue(rec.line, closeName, `"${closeText.trim()}" is not a price (must be greater than 0)`)
      continue
    }
    if (symbolText === null && layout.symbolCol !== null) symbolText = rec.fields[layout.symbolCol]?.trim() || null
    rows.push({ line: rec.line, time, close: close.value })
  }
  if (issueCount > issues.length) warnings.push(`${issueCount} rows have problems; the first ${issues.length} are listed.`)

  // Duplicates: the same candle time (or the same day for date-only rows) more than once.
  const byKey = new Map<number, Row[]>()
  for (const r of rows) {
    const list = byKey.get(r.time.ms)
    if (list) list.push(r)
    else byKey.set(r.time.ms, [r])
  }
  const duplicates: DuplicateDay[] = []
  const conflictingDays = new Set<string>()
  const unique: Row[] = []
  for (const list of byKey.values()) {
    unique.push(list[0]!)
    if (list.length === 1) continue
    const closes = [...new Set(list.map((r) => r.close))]
    const conflicting = closes.length > 1
    duplicates.push({ day: list[0]!.time.day, closes, lines: list.map((r) => r.line), conflicting })
    if (conflicting) conflictingDays.add(list[0]!.time.day)
  }
  duplicates.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  unique.sort((a, b) => a.time.ms - b.time.ms)

  // Granularity: the smallest step between candles tells daily from intraday files.
  let stepMs = Infinity
  for (let i = 1; i < unique.length; i++) stepMs = Math.min(stepMs, unique[i]!.time.ms - unique[i - 1]!.time.ms)
  const intraday = stepMs < 86_400_000 && !unique.every((r) => r.time.dateOnly)

  // One close per day: the last candle's; several daily rows on one day (times not at midnight) count as duplicates too.
  const perDay = new Map<string, Row[]>()
  for (const r of unique) {
    const list = perDay.get(r.time.day)
    if (list) list.push(r)
    else perDay.set(r.time.day, [r])
  }
  const closes: Array<[string, string]> = []
  for (const [day, list] of perDay) {
    if (!intraday && list.length > 1) {
      const distinct = [...new Set(list.map((r) => r.close))]
      duplicates.push({ day, closes: distinct, lines: list.map((r) => r.line), conflicting: distinct.length > 1 })
      if (distinct.length > 1) {
        conflictingDays.add(day)
        continue
      }
    }
    if (conflictingDays.has(day)) continue
    closes.push([day, list.at(-1)!.close])
  }
  if (intraday && closes.length > 0) {
    const lastDay = closes.at(-1)![0]
    const lastRow = unique.at(-1)!
    const nextMidnight = (dayNumber(lastDay) + 1) * 86_400_000
    if (lastRow.time.ms + stepMs < nextMidnight) {
      closes.pop()
      warnings.push(`The candles of ${lastDay} stop before midnight UTC, so that day has no close yet; it was left out.`)
    }
  }
  if (conflictingDays.size > 0) {
    warnings.push(`${conflictingDays.size} day(s) appear more than once with different closes and were left out: ${[...conflictingDays].slice(0, 5).join(', ')}${conflictingDays.size > 5 ? '…' : ''}.`)
  }
  if (intraday) warnings.push(`Intraday candles (every ${Math.round(stepMs / 60_000)} min): each day's close is the close of its last candle.`)
  if (rows.length === 0) {
    throw new ImportError({ code: 'missing-columns', message: `No row of this file could be read as a date and a close (see the first problem: line ${issues[0]?.line ?? '?'}: ${issues[0]?.message ?? ''}).` })
  }

  let underlying: string | null = null
  let underlyingFrom: ParsedPriceHistory['underlyingFrom'] = null
  if (symbolText) {
    underlying = baseAssetOf(symbolText)
    if (underlying) underlyingFrom = 'symbol column'
  }
  if (!underlying) {
    underlying = underlyingFromFileName(fileName)
    if (underlying) underlyingFrom = 'file name'
  }

  const { gaps, missingDays } = findGaps(closes.map((c) => c[0]))
  return {
    format: { id: layout.id, label: PRICE_HISTORY_FORMATS[layout.id] },
    underlying,
    underlyingFrom,
    encoding: encodingLabel(decoded),
    delimiter: delimiterName(delimiter),
    rows: data.length,
    closes,
    duplicates,
    gaps,
    missingDays,
    issues,
    warnings,
  }
}
