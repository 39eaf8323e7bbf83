/**
 * The four venues' public market-data endpoints, read as their official API documentation describes
 * the answers (no API key; GET only):
 *
 * Binance (developers.binance.com): USDⓈ-M `GET /fapi/v1/premiumIndex?symbol=` → { markPrice, indexPrice,
 *   lastFundingRate, ... } (weight 1); COIN-M `GET /dapi/v1/premiumIndex?symbol=` → an array of the same;
 *   options `GET /eapi/v1/mark?symbol=` → [{ markPrice, markIV, ... }]; spot klines `GET /api/v3/klines`.
 *   Errors `{ code: -1121, msg: "Invalid symbol." }`; 429 (and 418 after ignoring 429s) with Retry-After.
 * Bybit v5 (bybit-exchange.github.io/docs/v5): `GET /v5/market/tickers?category=linear|inverse|option&symbol=`
 *   → { retCode: 0, result: { list: [{ markPrice, indexPrice, fundingRate, fundingIntervalHour, markIv }] } };
 *   `GET /v5/market/index-price-kline`. retCode 10006 = too many visits; HTTP 403 "access too frequent" =
 *   IP ban (~10 min).
 * OKX v5 (okx.com/docs-v5): `GET /api/v5/public/mark-price?instType=&instId=` → { code: "0", data: [{ markPx }] }
 *   (10 req / 2 s); `GET /api/v5/public/funding-rate?instId=` → [{ fundingRate, fundingTime, nextFundingTime }]
 *   (interval = nextFundingTime − fundingTime); `GET /api/v5/public/opt-summary?instFamily=` → [{ instId,
 *   markVol }]; `GET /api/v5/market/index-tickers?instId=BTC-USD` → [{ idxPx }]; index candles for history.
 *   code "50011" = too many requests (HTTP 429), "51001" = instrument does not exist.
 * Deribit (docs.deribit.com): JSON-RPC over GET, `/api/v2/public/ticker?instrument_name=` → { result:
 *   { mark_price, index_price, funding_8h, mark_iv (percent) } }; `/api/v2/public/get_index_price?index_name=`.
 *   Errors { error: { code, message } }; 10028 too_many_requests.
 *
 * Conventions of the book (portfolio-format.md) are kept: inverse options are marked in coin per unit
 * (Deribit's and OKX's option marks already are), implied vols are fractions (Deribit's percent is
 * divided by 100), funding rates are per interval with the interval in hours.
 */
import type { Instrument, Position } from '../../../shared/portfolio-document'
import type { FeedVenue } from '../../../shared/market-contract'
import { parseDecimal } from '../../../importers/numbers'
import { dayOfInstant } from '../../../shared/calendar-days'
import { FeedError } from './http'

export type BaseUrlKey = 'binance-spot' | 'binance-usdm' | 'binance-coinm' | 'binance-options' | 'bybit' | 'okx' | 'deribit'

export const PUBLIC_BASE_URLS: Record<BaseUrlKey, string> = {
  'binance-spot': 'https://api.binance.com',
  'binance-usdm': 'https://fapi.binance.com',
  'binance-coinm': 'https://dapi.binance.com',
  'binance-options': 'https://eapi.binance.com',
  bybit: 'https://api.bybit.com',
  okx: 'https://www.okx.com',
  deribit: 'https://www.deribit.com',
}

/** GETs `path` (with its query) from the base URL `key`; throws FeedError. */
export type Get = (key: BaseUrlKey, path: string) => Promise<unknown>

export interface InstrumentQuote {
  mark?: string
  iv?: number
  fundingRate?: number
  fundingIntervalHours?: number
}

export interface VenueAdapter {
  venue: FeedVenue
  /** The index price of `underlying` in USD, or null when this venue publishes none for it. */
  index: (underlying: string, get: Get) => Promise<string | null>
  /** The venue's symbol for an instrument when the position does not carry one; null if not traded there. */
  symbolFor: (ins: Instrument) => string | null
  instrument: (position: Position, symbol: string, get: Get) => Promise<InstrumentQuote>
  /** Completed daily closes of the index from `fromDay` (inclusive), oldest first; null when not offered. */
  dailyCloses: ((underlying: string, fromDay: string, nowMs: number, get: Get) => Promise<Array<[string, string]>>) | null
}

// ---------------------------------------------------------------------------------------------
// Reading answers

const q = encodeURIComponent

function malformed(what: string): FeedError {
  return new FeedError('malformed', `unexpected answer: ${what}`)
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw malformed(`${what} is not an object`)
  return v as Record<string, unknown>
}

function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw malformed(`${what} is not a list`)
  return v
}

/** A positive price, exact: venue strings ("11793.63104562", "1.2E-7") or JSON numbers. */
function price(v: unknown, what: string): string {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v : undefined
  if (text === undefined || text.trim() === '') throw malformed(`${what} is missing`)
  const r = parseDecimal(text, { decimal: '.', group: '' })
  if (!r.ok || !(Number(r.value) > 0)) throw malformed(`${what} "${text}" is not a positive price`)
  return r.value
}

function optPrice(v: unknown, what: string): string | undefined {
  return v === undefined || v === null || v === '' || v === 0 || v === '0' ? undefined : price(v, what)
}

/** Model numbers (rates, vols) are float64 by contract: this is their seam from venue text. */
function num(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN
  if (!Number.isFinite(n)) throw malformed(`${what} "${String(v)}" is not a number`)
  return n
}

/** "No such instrument" from an index lookup means the venue has no index for it: null, not a failure. */
async function orNull<T>(fn: () => Promise<T> | T): Promise<T | null> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof FeedError && e.kind === 'unknown-symbol') return null
    throw e
  }
}

function compact(q: InstrumentQuote): InstrumentQuote {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as InstrumentQuote
}

// ---------------------------------------------------------------------------------------------
// Instrument names

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

function expiryParts(expiry: string): { yy: string; mm: string; dd: string; d: string; mon: string } {
  const t = new Date(expiry)
  const yy = String(t.getUTCFullYear() % 100).padStart(2, '0')
  const mm = String(t.getUTCMonth() + 1).padStart(2, '0')
  const dd = String(t.getUTCDate()).padStart(2, '0')
  return { yy, mm, dd, d: String(t.getUTCDate()), mon: MONTHS[t.getUTCMonth()]! }
}

const cp = (ins: Instrument): string => (ins.optionType === 'put' ? 'P' : 'C')
const usdStable = (quote: string): boolean => quote === 'USDT' || quote === 'USDC'

// ---------------------------------------------------------------------------------------------
// Binance

function binanceError(body: unknown): void {
  if (body && typeof body === 'object' && !Array.isArray(body) && typeof (body as { code?: unknown }).code === 'number') {
    const { code, msg } = body as { code: number; msg?: string }
    if (code === -1121) throw new FeedError('unknown-symbol', `Binance: ${msg ?? 'Invalid symbol.'}`)
    if (code === -1003) throw new FeedError('rate-limit', `Binance: ${msg ?? 'too much request weight used'}`)
    throw new FeedError('venue', `Binance error ${code}: ${msg ?? ''}`)
  }
}

const binance: VenueAdapter = {
  venue: 'binance',
  index: async (u, get) => {
    const body = await get('binance-usdm', `/fapi/v1/premiumIndex?symbol=${q(`${u}USDT`)}`)
    return orNull(() => {
      binanceError(body)
      return price(obj(body, 'premiumIndex').indexPrice, 'indexPrice')
    })
  },
  symbolFor: (ins) => {
    const u = ins.underlying
    if (ins.kind === 'perpetual') return ins.settlement === 'inverse' ? `${u}USD_PERP` : `${u}${ins.quote}`
    if (ins.kind === 'future' && ins.expiry) {
      const e = expiryParts(ins.expiry)
      return ins.settlement === 'inverse' ? `${u}USD_${e.yy}${e.mm}${e.dd}` : `${u}${ins.quote}_${e.yy}${e.mm}${e.dd}`
    }
    if (ins.kind === 'option' && ins.expiry && ins.strike) {
      const e = expiryParts(ins.expiry)
      return `${u}-${e.yy}${e.mm}${e.dd}-${ins.strike}-${cp(ins)}`
    }
    return null
  },
  instrument: async (p, symbol, get) => {
    const ins = p.instrument
    if (ins.kind === 'option') {
      const body = await get('binance-options', `/eapi/v1/mark?symbol=${q(symbol)}`)
      binanceError(body)
      const row = arr(body, 'mark').map((r) => obj(r, 'mark row')).find((r) => r.symbol === symbol)
      if (!row) throw new FeedError('unknown-symbol', `Binance options: no mark for ${symbol}`)
      return compact({ mark: optPrice(row.markPrice, 'markPrice'), iv: num(row.markIV, 'markIV') })
    }
    const coinM = ins.settlement === 'inverse'
    const body = await get(coinM ? 'binance-coinm' : 'binance-usdm', `/${coinM ? 'dapi' : 'fapi'}/v1/premiumIndex?symbol=${q(symbol)}`)
    binanceError(body)
    // COIN-M answers a list even for one symbol.
    const row = coinM ? arr(body, 'premiumIndex').map((r) => obj(r, 'premiumIndex row')).find((r) => r.symbol === symbol) : obj(body, 'premiumIndex')
    if (!row) throw new FeedError('unknown-symbol', `Binance COIN-M: no ${symbol}`)
    const perp = ins.kind === 'perpetual'
    return compact({
      mark: price(row.markPrice, 'markPrice'),
      fundingRate: perp ? num(row.lastFundingRate, 'lastFundingRate') : undefined,
    })
  },
  dailyCloses: async (u, fromDay, nowMs, get) => {
    const start = Date.parse(`${fromDay}T00:00:00Z`)
    const body = await get('binance-spot', `/api/v3/klines?symbol=${q(`${u}USDT`)}&interval=1d&startTime=${start}&limit=1000`)
    binanceError(body)
    const out: Array<[string, string]> = []
    for (const k of arr(body, 'klines')) {
      const row = arr(k, 'kline')
      const closeTime = num(row[6], 'close time')!
      // Only finished days: the running day's candle has no close yet.
      if (closeTime >= nowMs) continue
      out.push([dayOfInstant(num(row[0], 'open time')!), price(row[4], 'close')])
    }
    return out
  },
}

// ---------------------------------------------------------------------------------------------
// Bybit

function bybitResult(body: unknown): Record<string, unknown> {
  const b = obj(body, 'Bybit answer')
  const code = num(b.retCode, 'retCode')
  if (code === undefined) throw malformed('Bybit retCode is missing')
  if (code === 10006) throw new FeedError('rate-limit', `Bybit: ${String(b.retMsg ?? 'Too many visits!')}`)
  if (code === 10001 && /symbol/i.test(String(b.retMsg))) throw new FeedError('unknown-symbol', `Bybit: ${String(b.retMsg)}`)
  if (code !== 0) throw new FeedError('venue', `Bybit error ${code}: ${String(b.retMsg ?? '')}`)
  return obj(b.result, 'Bybit result')
}

function bybitCategory(ins: Instrument): 'linear' | 'inverse' | 'option' | null {
  if (ins.kind === 'option') return 'option'
  if (ins.kind === 'perpetual' || ins.kind === 'future') return ins.settlement === 'inverse' ? 'inverse' : 'linear'
  return null
}

const bybit: VenueAdapter = {
  venue: 'bybit',
  index: async (u, get) => {
    const body = await get('bybit', `/v5/market/tickers?category=linear&symbol=${q(`${u}USDT`)}`)
    return orNull(() => {
      const row = arr(bybitResult(body).list, 'list')[0]
      return row === undefined ? null : price(obj(row, 'ticker').indexPrice, 'indexPrice')
    })
  },
  symbolFor: (ins) => {
    const u = ins.underlying
    if (ins.kind === 'perpetual') return ins.settlement === 'inverse' ? `${u}USD` : ins.quote === 'USDC' ? `${u}PERP` : `${u}${ins.quote}`
    if (ins.kind === 'option' && ins.expiry && ins.strike) {
      const e = expiryParts(ins.expiry)
      return `${u}-${e.d}${e.mon}${e.yy}-${ins.strike}-${cp(ins)}`
    }
    // Bybit's dated futures carry a month code (BTCUSDZ26, BTC-26DEC26): the position's own symbol is needed.
    return null
  },
  instrument: async (p, symbol, get) => {
    const category = bybitCategory(p.instrument)
    if (!category) throw new FeedError('unknown-symbol', `Bybit has no ${p.instrument.kind} marks`)
    const result = bybitResult(await get('bybit', `/v5/market/tickers?category=${category}&symbol=${q(symbol)}`))
    const row = arr(result.list, 'list')
      .map((r) => obj(r, 'ticker'))
      .find((r) => r.symbol === symbol)
    if (!row) throw new FeedError('unknown-symbol', `Bybit: no ticker for ${symbol}`)
    if (category === 'option') return compact({ mark: optPrice(row.markPrice, 'markPrice'), iv: num(row.markIv, 'markIv') })
    const perp = p.instrument.kind === 'perpetual'
    return compact({
      mark: price(row.markPrice, 'markPrice'),
      fundingRate: perp ? num(row.fundingRate, 'fundingRate') : undefined,
      fundingIntervalHours: perp ? num(row.fundingIntervalHour, 'fundingIntervalHour') : undefined,
    })
  },
  dailyCloses: async (u, fromDay, nowMs, get) => {
    const start = Date.parse(`${fromDay}T00:00:00Z`)
    const result = bybitResult(await get('bybit', `/v5/market/index-price-kline?category=linear&symbol=${q(`${u}USDT`)}&interval=D&start=${start}&limit=1000`))
    const out: Array<[string, string]> = []
    for (const k of arr(result.list, 'list')) {
      const row = arr(k, 'kline')
      const open = num(row[0], 'start time')!
      if (open + 86_400_000 > nowMs) continue
      out.push([dayOfInstant(open), price(row[4], 'close')])
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  },
}

// ---------------------------------------------------------------------------------------------
// OKX

function okxData(body: unknown): unknown[] {
  const b = obj(body, 'OKX answer')
  const code = String(b.code ?? '')
  if (code === '50011' || code === '50061') throw new FeedError('rate-limit', `OKX: ${String(b.msg || 'Too Many Requests')}`)
  if (code === '51001' || code === '51014') throw new FeedError('unknown-symbol', `OKX: ${String(b.msg || 'Instrument ID does not exist')}`)
  if (code !== '0') throw new FeedError(code === '' ? 'malformed' : 'venue', `OKX error ${code || '(no code)'}: ${String(b.msg ?? '')}`)
  return arr(b.data, 'OKX data')
}

function okxInstType(ins: Instrument): 'SWAP' | 'FUTURES' | 'OPTION' | null {
  return ins.kind === 'perpetual' ? 'SWAP' : ins.kind === 'future' ? 'FUTURES' : ins.kind === 'option' ? 'OPTION' : null
}

const okx: VenueAdapter = {
  venue: 'okx',
  index: async (u, get) => {
    const body = await get('okx', `/api/v5/market/index-tickers?instId=${q(`${u}-USD`)}`)
    return orNull(() => {
      const row = okxData(body)[0]
      return row === undefined ? null : price(obj(row, 'index ticker').idxPx, 'idxPx')
    })
  },
  symbolFor: (ins) => {
    const u = ins.underlying
    const settle = ins.settlement === 'inverse' ? 'USD' : ins.quote
    if (ins.kind === 'perpetual') return `${u}-${settle}-SWAP`
    if ((ins.kind === 'future' || ins.kind === 'option') && ins.expiry) {
      const e = expiryParts(ins.expiry)
      const base = `${u}-${settle}-${e.yy}${e.mm}${e.dd}`
      return ins.kind === 'future' ? base : ins.strike ? `${base}-${ins.strike}-${cp(ins)}` : null
    }
    return null
  },
  instrument: async (p, symbol, get) => {
    const type = okxInstType(p.instrument)
    if (!type) throw new FeedError('unknown-symbol', `OKX has no ${p.instrument.kind} marks`)
    const markRow = okxData(await get('okx', `/api/v5/public/mark-price?instType=${type}&instId=${q(symbol)}`))[0]
    if (markRow === undefined) throw new FeedError('unknown-symbol', `OKX: no mark price for ${symbol}`)
    const quote: InstrumentQuote = { mark: price(obj(markRow, 'mark price').markPx, 'markPx') }
    if (type === 'SWAP') {
      const f = okxData(await get('okx', `/api/v5/public/funding-rate?instId=${q(symbol)}`))[0]
      if (f !== undefined) {
        const row = obj(f, 'funding rate')
        quote.fundingRate = num(row.fundingRate, 'fundingRate')
        const from = num(row.fundingTime, 'fundingTime')
        const to = num(row.nextFundingTime, 'nextFundingTime')
        // OKX: the interval is the difference between the two settlement times (8 h unless adjusted).
        if (from !== undefined && to !== undefined && to > from) quote.fundingIntervalHours = (to - from) / 3_600_000
      }
    } else if (type === 'OPTION') {
      const family = symbol.split('-').slice(0, 2).join('-')
      const row = okxData(await get('okx', `/api/v5/public/opt-summary?instFamily=${q(family)}`))
        .map((r) => obj(r, 'option summary'))
        .find((r) => r.instId === symbol)
      if (row) quote.iv = num(row.markVol, 'markVol')
    }
    return compact(quote)
  },
  dailyCloses: async (u, fromDay, nowMs, get) => {
    const data = okxData(await get('okx', `/api/v5/market/index-candles?instId=${q(`${u}-USD`)}&bar=1Dutc&limit=100`))
    const out: Array<[string, string]> = []
    for (const k of data) {
      const row = arr(k, 'candle')
      const open = num(row[0], 'ts')!
      const day = dayOfInstant(open)
      // `confirm` 1 = the candle is complete.
      if (day < fromDay || String(row.at(-1)) !== '1' || open + 86_400_000 > nowMs) continue
      out.push([day, price(row[4], 'close')])
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  },
}

// ---------------------------------------------------------------------------------------------
// Deribit

function deribitResult(body: unknown): unknown {
  const b = obj(body, 'Deribit answer')
  if (b.error !== undefined) {
    const e = obj(b.error, 'Deribit error')
    const code = num(e.code, 'error code')
    if (code === 10028) throw new FeedError('rate-limit', `Deribit: ${String(e.message ?? 'too_many_requests')}`)
    if (code === 10004 || code === -32602 || code === 13020) throw new FeedError('unknown-symbol', `Deribit: ${String(e.message ?? 'not found')}`)
    throw new FeedError('venue', `Deribit error ${code}: ${String(e.message ?? '')}`)
  }
  if (!('result' in b)) throw malformed('Deribit answer has no result')
  return b.result
}

const DERIBIT_USD_INDICES = new Set(['BTC', 'ETH'])

const deribit: VenueAdapter = {
  venue: 'deribit',
  index: async (u, get) => {
    const name = DERIBIT_USD_INDICES.has(u) ? `${u.toLowerCase()}_usd` : `${u.toLowerCase()}_usdc`
    const body = await get('deribit', `/api/v2/public/get_index_price?index_name=${q(name)}`)
    return orNull(() => price(obj(deribitResult(body), 'index').index_price, 'index_price'))
  },
  symbolFor: (ins) => {
    const u = ins.underlying
    const linear = ins.settlement === 'linear' && usdStable(ins.quote)
    if (ins.kind === 'perpetual') return linear ? `${u}_USDC-PERPETUAL` : `${u}-PERPETUAL`
    if ((ins.kind === 'future' || ins.kind === 'option') && ins.expiry) {
      const e = expiryParts(ins.expiry)
      const root = linear ? `${u}_USDC` : u
      const base = `${root}-${e.d}${e.mon}${e.yy}`
      return ins.kind === 'future' ? base : ins.strike ? `${base}-${ins.strike}-${cp(ins)}` : null
    }
    return null
  },
  instrument: async (p, symbol, get) => {
    const r = obj(deribitResult(await get('deribit', `/api/v2/public/ticker?instrument_name=${q(symbol)}`)), 'ticker')
    if (p.instrument.kind === 'option') {
      const ivPct = num(r.mark_iv, 'mark_iv')
      return compact({ mark: optPrice(r.mark_price, 'mark_price'), iv: ivPct === undefined ? undefined : ivPct / 100 })
    }
    const perp = p.instrument.kind === 'perpetual'
    return compact({
      mark: price(r.mark_price, 'mark_price'),
      fundingRate: perp ? num(r.funding_8h, 'funding_8h') : undefined,
      fundingIntervalHours: perp && r.funding_8h !== undefined ? 8 : undefined,
    })
  },
  dailyCloses: null,
}

export const VENUE_ADAPTERS: Record<FeedVenue, VenueAdapter> = { binance, bybit, okx, deribit }

/** Where the index of an underlying is read first; the next enabled venue is asked when one has none. */
export const INDEX_VENUE_ORDER: readonly FeedVenue[] = ['binance', 'okx', 'bybit', 'deribit']
