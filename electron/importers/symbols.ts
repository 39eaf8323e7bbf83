/**
 * Venue symbols to the portfolio instrument model (kind, settlement, underlying, quote, contractSize, expiry,
 * optionType, strike, symbol). An unknown symbol is an error that says which shapes the venue uses: a guessed
 * instrument would put a wrong contract size into the risk numbers.
 *
 * Expiry times (all 08:00 UTC on the date the symbol names):
 * - Binance quarterly futures: "deliver/settle at the expiration date, i.e. the last Friday of each calendar
 *   quarter at 08:00:00 UTC" (Binance FAQ "Delivery & Settlement of Quarterly Futures",
 *   binance.com/en/support/faq/a3401595e1734084959c61491bc0dbe3).
 * - Bybit futures: "Contract Expiry Time: 08:00:00 UTC on the settlement date" (Bybit help "Introduction to
 *   Inverse Futures Contracts", help.bybit.com/hc/en-us/articles/900004199823).
 * - OKX futures: "Settlement time 8:00 am UTC, Friday of the week of delivery" (OKX help "OKX Expiry Futures
 *   Guide", okx.com/help/i-future-contracts); options expire 08:00 UTC on the expiry date.
 * - Deribit: "Expirations always take place at 08:00 UTC" (Deribit contract specifications,
 *   deribit.com/docs/contract-specifications and legacy.deribit.com/pages/docs/futures).
 *
 * Contract sizes the symbol does not carry come from CONTRACT_SIZES below, each line citing its source.
 * Quantities in the ledger are in these contracts.
 */
import { Decimal, decToString } from '../shared/decimal'
import { instrumentSchema, type Instrument } from '../shared/portfolio-document'

export type SymbolVenue = 'binance' | 'bybit' | 'okx' | 'deribit'

export interface SymbolOptions {
  /** Binance USDⓈ-M or COIN-M; decided from the symbol's shape when not given. */
  binanceMarket?: 'usdm' | 'coinm'
  /** User-supplied contract sizes by symbol, for instruments missing from the built-in table. */
  contractSizes?: Readonly<Record<string, string>>
}

export type SymbolResult = { ok: true; instrument: Instrument; notes: string[] } | { ok: false; reason: string }

/**
 * Contract sizes not written in symbols. Linear sizes are underlying units per contract; inverse sizes are
 * USD per contract (portfolio-format.md). Keys: venue:family:underlying ("*" = any other underlying).
 */
export const CONTRACT_SIZES: Readonly<Record<string, { size: string; source: string }>> = {
  // "The contract multiplier for BTC coin-margined contracts is 100 USD. Meanwhile, altcoin contracts usually
  // have a multiplier of 10 USD, although this may vary for specific symbols." Binance FAQ "COIN-Margined
  // Futures Contract Specifications", binance.com/en/support/faq/a4470430e3164c13932be8967961aede
  'binance:coinm:BTC': { size: '100', source: 'Binance COIN-M contract specifications (BTC: 100 USD)' },
  'binance:coinm:*': { size: '10', source: 'Binance COIN-M contract specifications (altcoins: 10 USD, may vary)' },
  // "BTC/USDT, ETH/USDT ... futures contracts represent only one unit of its respective base asset" Binance FAQ
  // "USDⓈ-Margined Futures Contract Specifications", binance.com/en/support/faq/360033161972
  'binance:usdm:*': { size: '1', source: 'Binance USDⓈ-M contract specifications (1 unit of the base asset)' },
  // "Contract Size: 1 contract is worth 1 USD" Bybit help "Introduction to Inverse Futures Contracts"
  'bybit:inverse:*': { size: '1', source: 'Bybit inverse contract specifications (1 USD)' },
  // Bybit linear and option quantities are written in the base coin ("Contract Size 1 BTC" for BTC-PERP,
  // Bybit help "Introduction to USDC Contracts").
  'bybit:linear:*': { size: '1', source: 'Bybit linear contracts: quantity in base coin' },
  // "BTCUSD ... Face value 100 USD", "LTCUSD ... Face value 10 USD", "BTCUSDT ... Face value 0.01 BTC"
  // OKX help "OKX Expiry Futures Guide", okx.com/help/i-future-contracts (the same face values apply to swaps).
  'okx:inverse:BTC': { size: '100', source: 'OKX crypto-margined contracts (BTC: 100 USD)' },
  'okx:inverse:*': { size: '10', source: 'OKX crypto-margined contracts (others: 10 USD)' },
  'okx:linear:BTC': { size: '0.01', source: 'OKX USDT-margined contracts (BTC: 0.01 BTC)' },
  // Not confirmed from a primary page here: the value OKX's public instrument list gives for ETH-USDT-SWAP.
  'okx:linear:ETH': { size: '0.1', source: 'OKX ETH-USDT-SWAP face value 0.1 ETH (instrument list; unverified here)' },
  // OKX options: "Contract Size 0.01 BTC | 0.1 ETH" (OKX options specifications as summarised publicly).
  'okx:option:BTC': { size: '0.01', source: 'OKX BTC options: 0.01 BTC per contract' },
  'okx:option:ETH': { size: '0.1', source: 'OKX ETH options: 0.1 ETH per contract' },
  // "Contract size US $10" Deribit BTC futures and perpetual specifications; ETH contracts are 1 USD.
  'deribit:inverse:BTC': { size: '10', source: 'Deribit BTC futures/perpetual: 10 USD' },
  'deribit:inverse:ETH': { size: '1', source: 'Deribit ETH futures/perpetual: 1 USD' },
  // Deribit writes linear and option amounts in the base coin (API: "For options and linear futures it is the
  // underlying base currency coin"), so one Fulcrum contract is one coin and quantity equals Deribit's amount.
  'deribit:linear:*': { size: '1', source: 'Deribit linear/option amounts are in the base coin' },
}

function tableSize(venue: SymbolVenue, family: string, underlying: string): string | undefined {
  return (CONTRACT_SIZES[`${venue}:${family}:${underlying}`] ?? CONTRACT_SIZES[`${venue}:${family}:*`])?.size
}

const MONTHS: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
}
/** Futures month codes (CME convention) used in Bybit's inverse futures symbols, e.g. BTCUSDH26. */
const MONTH_CODES: Record<string, number> = { F: 1, G: 2, H: 3, J: 4, K: 5, M: 6, N: 7, Q: 8, U: 9, V: 10, X: 11, Z: 12 }

function expiryAt8(year: number, month: number, day: number): string | undefined {
  const t = Date.UTC(year, month - 1, day, 8, 0, 0)
  const d = new Date(t)
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined
  return d.toISOString().replace('.000Z', 'Z')
}

function fromYymmdd(s: string): string | undefined {
  return expiryAt8(2000 + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)))
}

function fromDmmmyy(day: string, mon: string, yy: string): string | undefined {
  const m = MONTHS[mon]
  return m === undefined ? undefined : expiryAt8(2000 + Number(yy), m, Number(day))
}

function lastFridayOfMonth(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0))
  const back = (last.getUTCDay() - 5 + 7) % 7
  return last.getUTCDate() - back
}

function canonicalStrike(s: string): string | undefined {
  const t = s.replace(/d/i, '.') // Deribit writes 0.625 as "0d625"
  if (!/^\d+(?:\.\d+)?$/.test(t)) return undefined
  const v = new Decimal(t)
  return v.gt(0) ? decToString(v) : undefined
}

function finish(ins: Instrument, notes: string[]): SymbolResult {
  // The output must be an instrument the portfolio schema accepts, so the ledger can never hold one it rejects.
  const defined = Object.fromEntries(Object.entries(ins).filter(([, v]) => v !== undefined))
  const parsed = instrumentSchema.safeParse(defined)
  if (!parsed.success) {
    return { ok: false, reason: `internal: ${ins.symbol ?? ''} parsed to an invalid instrument (${parsed.error.issues[0]?.message})` }
  }
  return { ok: true, instrument: parsed.data, notes }
}

function sizeOrError(
  venue: SymbolVenue,
  family: string,
  symbol: string,
  underlying: string,
  options: SymbolOptions,
): { size: string } | { reason: string } {
  const user = options.contractSizes?.[symbol]
  if (user !== undefined) return { size: user }
  const size = tableSize(venue, family, underlying)
  if (size !== undefined) return { size }
  return {
    reason: `the contract size of ${symbol} is not in Fulcrum's table of ${venue} contract sizes; enter it (contract sizes option)`,
  }
}

const BAD_DATE = (symbol: string): SymbolResult => ({ ok: false, reason: `${symbol} names a date that does not exist` })

function parseBinance(s: string, options: SymbolOptions): SymbolResult {
  const coinm = /^([A-Z0-9]+)USD_(PERP|\d{6})$/.exec(s)
  if (coinm && options.binanceMarket !== 'usdm') {
    const underlying = coinm[1]!
    const size = sizeOrError('binance', 'coinm', s, underlying, options)
    if ('reason' in size) return { ok: false, reason: size.reason }
    const perp = coinm[2] === 'PERP'
    const expiry = perp ? undefined : fromYymmdd(coinm[2]!)
    if (!perp && !expiry) return BAD_DATE(s)
    return finish(
      { kind: perp ? 'perpetual' : 'future', settlement: 'inverse', underlying, quote: 'USD', contractSize: size.size, expiry, symbol: s },
      [],
    )
  }
  const usdm = /^([A-Z0-9]+?)(USDT|USDC|BUSD|FDUSD|BTC)(?:_(\d{6}))?$/.exec(s)
  if (usdm && options.binanceMarket !== 'coinm') {
    const [, underlying, quote, date] = usdm
    const expiry = date ? fromYymmdd(date) : undefined
    if (date && !expiry) return BAD_DATE(s)
    const size = sizeOrError('binance', 'usdm', s, underlying!, options)
    if ('reason' in size) return { ok: false, reason: size.reason }
    return finish(
      { kind: date ? 'future' : 'perpetual', settlement: 'linear', underlying: underlying!, quote: quote!, contractSize: size.size, expiry, symbol: s },
      [],
    )
  }
  const examples = options.binanceMarket === 'coinm' ? 'BTCUSD_PERP or BTCUSD_261225' : 'BTCUSDT, BTCUSDT_261225, BTCUSD_PERP or BTCUSD_261225'
  return { ok: false, reason: `"${s}" is not a Binance futures symbol Fulcrum knows (expected e.g. ${examples})` }
}

function parseBybit(s: string, options: SymbolOptions): SymbolResult {
  let m = /^([A-Z0-9]+)-(\d{1,2})([A-Z]{3})(\d{2})-(\d+(?:\.\d+)?)-([CP])(?:-(USDT|USDC))?$/.exec(s)
  if (m) {
    const expiry = fromDmmmyy(m[2]!, m[3]!, m[4]!)
    const strike = canonicalStrike(m[5]!)
    if (!expiry || !strike) return BAD_DATE(s)
    // Bybit options settle in USDC unless the symbol ends in -USDT.
    return finish(
      {
        kind: 'option', settlement: 'linear', underlying: m[1]!, quote: m[7] ?? 'USDC', contractSize: '1', expiry,
        optionType: m[6] === 'C' ? 'call' : 'put', strike, symbol: s,
      },
      [],
    )
  }
  m = /^([A-Z0-9]+?)(USDT|USDC)?-(\d{1,2})([A-Z]{3})(\d{2})$/.exec(s)
  if (m) {
    const expiry = fromDmmmyy(m[3]!, m[4]!, m[5]!)
    if (!expiry) return BAD_DATE(s)
    return finish(
      { kind: 'future', settlement: 'linear', underlying: m[1]!, quote: m[2] ?? 'USDC', contractSize: '1', expiry, symbol: s },
      [],
    )
  }
  m = /^([A-Z0-9]+)USD([FGHJKMNQUVXZ])(\d{2})$/.exec(s)
  if (m) {
    const year = 2000 + Number(m[3])
    const month = MONTH_CODES[m[2]!]!
    const day = lastFridayOfMonth(year, month)
    const size = sizeOrError('bybit', 'inverse', s, m[1]!, options)
    if ('reason' in size) return { ok: false, reason: size.reason }
    return finish(
      {
        kind: 'future', settlement: 'inverse', underlying: m[1]!, quote: 'USD', contractSize: size.size,
        expiry: expiryAt8(year, month, day), symbol: s,
      },
      [
        `${s}: the symbol names only the month; expiry taken as the last Friday of the month at 08:00 UTC (Bybit has deviated, e.g. Dec 2021)`,
      ],
    )
  }
  m = /^([A-Z0-9]+?)(USDT|USDC|PERP|USD)$/.exec(s)
  if (m) {
    const inverse = m[2] === 'USD'
    const quote = m[2] === 'PERP' ? 'USDC' : m[2]!
    const size = sizeOrError('bybit', inverse ? 'inverse' : 'linear', s, m[1]!, options)
    if ('reason' in size) return { ok: false, reason: size.reason }
    return finish(
      { kind: 'perpetual', settlement: inverse ? 'inverse' : 'linear', underlying: m[1]!, quote, contractSize: size.size, symbol: s },
      [],
    )
  }
  return {
    ok: false,
    reason: `"${s}" is not a Bybit derivatives symbol Fulcrum knows (expected e.g. BTCUSDT, BTCUSD, BTCPERP, BTCUSDT-26DEC26, BTC-26DEC26, BTCUSDH26 or BTC-26DEC26-70000-C)`,
  }
}

function parseOkx(s: string, options: SymbolOptions): SymbolResult {
  let m = /^([A-Z0-9]+)-(USD|USDT|USDC)-(\d{6})-(\d+(?:\.\d+)?)-([CP])$/.exec(s)
  if (m) {
    const expiry = fromYymmdd(m[3]!)
    const strike = canonicalStrike(m[4]!)
    if (!expiry || !strike) return BAD_DATE(s)
    const size = sizeOrError('okx', 'option', s, m[1]!, options)
    if ('reason' in size) return { ok: false, reason: size.reason }
    return finish(
      {
        kind: 'option', settlement: m[2] === 'USD' ? 'inverse' : 'linear', underlying: m[1]!, quote: m[2]!,
        contractSize: size.size, expiry, optionType: m[5] === 'C' ? 'call' : 'put', strike, symbol: s,
      },
      [],
    )
  }
  m = /^([A-Z0-9]+)-(USD|USDT|USDC)-(SWAP|\d{6})$/.exec(s)
  if (m) {
    const inverse = m[2] === 'USD'
    const perp = m[3] === 'SWAP'
    const expiry = perp ? undefined : fromYymmdd(m[3]!)
    if (!perp && !expiry) return BAD_DATE(s)
    const size = sizeOrError('okx', inverse ? 'inverse' : 'linear', s, m[1]!, options)
    if ('reason' in size) return { ok: false, reason: size.reason }
    return finish(
      {
        kind: perp ? 'perpetual' : 'future', settlement: inverse ? 'inverse' : 'linear', underlying: m[1]!, quote: m[2]!,
        contractSize: size.size, expiry, symbol: s,
      },
      [],
    )
  }
  m = /^([A-Z0-9]+)-([A-Z0-9]+)$/.exec(s)
  if (m) return finish({ kind: 'spot', settlement: 'linear', underlying: m[1]!, quote: m[2]!, symbol: s }, [])
  return {
    ok: false,
    reason: `"${s}" is not an OKX symbol Fulcrum knows (expected e.g. BTC-USDT-SWAP, BTC-USD-SWAP, BTC-USD-261225 or BTC-USD-261225-70000-C)`,
  }
}

function parseDeribit(original: string, options: SymbolOptions): SymbolResult {
  // Deribit's names are upper case except the "d" of decimal strikes (XRP_USDC-30JUN23-0d625-C): keep that one
  // lower case and the rest upper case, whatever case the file used.
  const s = original.toUpperCase().replace(/-(\d+)D(\d+)-([CP])$/, '-$1d$2-$3')
  const m = /^([A-Z0-9]+)(?:_(USDC|USDT))?-(?:(PERPETUAL)|(\d{1,2})([A-Z]{3})(\d{2})(?:-(\d+(?:[dD]\d+)?)-([CP]))?)$/.exec(s)
  if (!m) {
    const spot = /^([A-Z0-9]+)_([A-Z0-9]+)$/.exec(s)
    if (spot) return finish({ kind: 'spot', settlement: 'linear', underlying: spot[1]!, quote: spot[2]!, symbol: s }, [])
    return {
      ok: false,
      reason: `"${s}" is not a Deribit instrument Fulcrum knows (expected e.g. BTC-PERPETUAL, BTC-27DEC26, BTC-27DEC26-70000-C, BTC_USDC-PERPETUAL or BTC_USDC-27DEC26-70000-C)`,
    }
  }
  const [, underlying, linearQuote, perp, day, mon, yy, strikeText, cp] = m
  const linear = linearQuote !== undefined
  const expiry = perp ? undefined : fromDmmmyy(day!, mon!, yy!)
  if (!perp && !expiry) return BAD_DATE(s)
  if (strikeText !== undefined) {
    const strike = canonicalStrike(strikeText)
    if (!strike) return BAD_DATE(s)
    // Inverse options are priced in the coin and settle in it; one contract is one coin either way.
    return finish(
      {
        kind: 'option', settlement: linear ? 'linear' : 'inverse', underlying: underlying!, quote: linearQuote ?? 'USD',
        contractSize: '1', expiry, optionType: cp === 'C' ? 'call' : 'put', strike, symbol: s,
      },
      [],
    )
  }
  const size = sizeOrError('deribit', linear ? 'linear' : 'inverse', s, underlying!, options)
  if ('reason' in size) return { ok: false, reason: size.reason }
  return finish(
    {
      kind: perp ? 'perpetual' : 'future', settlement: linear ? 'linear' : 'inverse', underlying: underlying!,
      quote: linearQuote ?? 'USD', contractSize: size.size, expiry, symbol: s,
    },
    [],
  )
}

export function parseSymbol(venue: SymbolVenue, symbol: string, options: SymbolOptions = {}): SymbolResult {
  const trimmed = symbol.trim()
  const s = trimmed.toUpperCase()
  if (s === '') return { ok: false, reason: 'the symbol is empty' }
  switch (venue) {
    case 'binance':
      return parseBinance(s, options)
    case 'bybit':
      return parseBybit(s, options)
    case 'okx':
      return parseOkx(s, options)
    case 'deribit':
      return parseDeribit(trimmed, options)
  }
}

/** Symbols repeat on every row: parse each once per file (zod validation included). */
export function createSymbolCache(venue: SymbolVenue, options: SymbolOptions = {}): (symbol: string) => SymbolResult {
  const cache = new Map<string, SymbolResult>()
  return (symbol) => {
    let r = cache.get(symbol)
    if (!r) {
      r = parseSymbol(venue, symbol, options)
      cache.set(symbol, r)
    }
    return r
  }
}
