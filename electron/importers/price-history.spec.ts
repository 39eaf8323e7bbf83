import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { baseAssetOf, parsePriceHistory, underlyingFromFileName } from './price-history'
import { ImportError } from './types'

const fixture = (name: string): Uint8Array => readFileSync(new URL(`./__fixtures__/price-history/${name}`, import.meta.url))
const parse = (name: string) => parsePriceHistory(fixture(name), name)

describe('exchange kline files', () => {
  it('reads Binance spot klines without a header: open time in ms, close in the 5th column', () => {
    const r = parse('BTCUSDT-1d-2026-10.csv')
    expect(r.format.id).toBe('binance-klines')
    expect(r.underlying).toBe('BTC')
    expect(r.underlyingFrom).toBe('file name')
    expect(r.rows).toBe(5)
    expect(r.closes).toEqual([
      ['2026-10-01', '64420.55'],
      ['2026-10-02', '65010'],
      ['2026-10-03', '64120.3'],
      ['2026-10-04', '64700'],
      ['2026-10-05', '65880.25'],
    ])
    expect(r.gaps).toEqual([])
    expect(r.duplicates).toEqual([])
    expect(r.issues).toEqual([])
  })

  it('reads Binance futures klines with their header', () => {
    const r = parse('ETHUSDT-1d-2026-10.csv')
    expect(r.format.id).toBe('binance-klines')
    expect(r.underlying).toBe('ETH')
    expect(r.closes).toEqual([
      ['2026-10-01', '2533.47'],
      ['2026-10-02', '2561.02'],
      ['2026-10-03', '2498.6'],
    ])
  })

  it('turns intraday klines in microseconds into daily closes and leaves out an unfinished last day', () => {
    const r = parse('SOLUSDT-12h-2026-11.csv')
    expect(r.format.id).toBe('binance-klines')
    // 11-01: the 12:00 candle closes the day at 151.25; 11-02 at 152; 11-03 has only its 00:00 candle.
    expect(r.closes).toEqual([
      ['2026-11-01', '151.25'],
      ['2026-11-02', '152'],
    ])
    expect(r.warnings.join(' ')).toMatch(/2026-11-03 stop before midnight/)
    expect(r.warnings.join(' ')).toMatch(/every 720 min/)
  })

  it('reads OKX and Bybit candle arrays (newest first) and sorts them', () => {
    const okx = parse('okx-BTC-USDT-1Dutc.csv')
    expect(okx.format.id).toBe('okx-candles')
    expect(okx.underlying).toBe('BTC')
    expect(okx.closes).toEqual([
      ['2026-10-02', '65012.4'],
      ['2026-10-03', '64125.1'],
      ['2026-10-04', '64702.3'],
    ])
    const bybit = parse('bybit-ETHUSDT-D.csv')
    expect(bybit.format.id).toBe('bybit-klines')
    expect(bybit.underlying).toBe('ETH')
    expect(bybit.closes).toEqual([
      ['2026-10-02', '2560.5'],
      ['2026-10-03', '2499.1'],
    ])
  })

  it('reads a candle export with a header and epoch seconds (TradingView)', () => {
    const r = parse('BINANCE_BTCUSDT_1D.csv')
    expect(r.format.id).toBe('candles')
    expect(r.closes).toEqual([
      ['2026-10-01', '64420.55'],
      ['2026-10-02', '65010'],
    ])
  })
})

describe('generic date,close files', () => {
  const r = parse('sol-closes.csv')

  it('reports the gap without filling it', () => {
    expect(r.format.id).toBe('date-close')
    // 10-04 and 10-05 are not in the file; 10-07 was left out (two closes) and 10-08 is a bad row.
    expect(r.gaps).toEqual([
      { from: '2026-10-04', to: '2026-10-05', days: 2 },
      { from: '2026-10-07', to: '2026-10-08', days: 2 },
    ])
    expect(r.missingDays).toBe(4)
  })

  it('collapses an identical duplicate, leaves out a conflicting one, and says so', () => {
    expect(r.duplicates).toEqual([
      { day: '2026-10-02', closes: ['141.25'], lines: [3, 4], conflicting: false },
      { day: '2026-10-07', closes: ['143.1', '144'], lines: [7, 8], conflicting: true },
    ])
    expect(r.closes.map((c) => c[0])).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-06', '2026-10-09'])
    expect(r.warnings.join(' ')).toMatch(/2026-10-07/)
  })

  it('names the line and column of a bad value and keeps the rest', () => {
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ line: 9, column: 'close' })
    expect(r.issues[0]!.message).toMatch(/^"not a price"/)
    expect(r.closes.find((c) => c[0] === '2026-10-09')).toEqual(['2026-10-09', '145.75'])
  })

  it('reads semicolons, decimal commas and a symbol column', () => {
    const de = parse('closes-de.csv')
    expect(de.delimiter).toBe('semicolon')
    expect(de.underlying).toBe('BTC')
    expect(de.underlyingFrom).toBe('symbol column')
    expect(de.closes).toEqual([
      ['2026-10-01', '64420.55'],
      ['2026-10-02', '65010'],
      ['2026-10-03', '64120.3'],
    ])
  })

  it('decodes a UTF-16 file as Excel saves it', () => {
    const text = 'date\tclose\r\n2026-10-01\t64420.55\r\n2026-10-02\t65010\r\n'
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
    const r = parsePriceHistory(bytes, 'btc.txt')
    expect(r.encoding).toBe('UTF-16 LE with BOM')
    expect(r.closes).toEqual([
      ['2026-10-01', '64420.55'],
      ['2026-10-02', '65010'],
    ])
  })

  it('refuses a file that is not a price history, saying what it needs', () => {
    const bytes = Buffer.from('id,amount\n1,5\n')
    expect(() => parsePriceHistory(bytes, 'trades.csv')).toThrow(ImportError)
    expect(() => parsePriceHistory(bytes, 'trades.csv')).toThrow(/date column and a close column/)
  })

  it('refuses an impossible date and a non-positive close by line', () => {
    const r = parsePriceHistory(Buffer.from('date,close\n2026-02-30,5\n2026-03-01,0\n2026-03-02,7\n'), 'x.csv')
    expect(r.issues).toEqual([
      { line: 2, column: 'date', message: '"2026-02-30" is not a calendar date' },
      { line: 3, column: 'close', message: '"0" is not a price (must be greater than 0)' },
    ])
    expect(r.closes).toEqual([['2026-03-02', '7']])
  })
})

describe('underlying from names', () => {
  it.each([
    ['BTCUSDT-1d-2024-01.csv', 'BTC'],
    ['ETH-USD.csv', 'ETH'],
    ['sol_history.csv', 'SOL'],
    ['BINANCE_BTCUSDT_1D.csv', 'BTC'],
    ['okx-BTC-USDT-1Dutc.csv', 'BTC'],
    ['2024-01.csv', null],
    ['prices.csv', null],
  ])('%s → %s', (name, base) => {
    expect(underlyingFromFileName(name)).toBe(base)
  })
  it.each([
    ['BTC-PERPETUAL', 'BTC'],
    ['ETHUSD_PERP', 'ETH'],
    ['BTC-USDT-SWAP', 'BTC'],
    ['1000PEPEUSDT', '1000PEPE'],
  ])('symbol %s → %s', (symbol, base) => {
    expect(baseAssetOf(symbol)).toBe(base)
  })
})
