import { describe, expect, it } from 'vitest'
import { instrumentSchema } from '../shared/portfolio-document'
import { parseSymbol, type SymbolVenue } from './symbols'

function ins(venue: SymbolVenue, symbol: string, options?: Parameters<typeof parseSymbol>[2]) {
  const r = parseSymbol(venue, symbol, options)
  if (!r.ok) throw new Error(r.reason)
  // Every parsed instrument must be one the portfolio document accepts.
  expect(instrumentSchema.safeParse(r.instrument).success).toBe(true)
  return r.instrument
}

function reason(venue: SymbolVenue, symbol: string): string {
  const r = parseSymbol(venue, symbol)
  if (r.ok) throw new Error(`${symbol} should be rejected`)
  return r.reason
}

describe('Binance', () => {
  it('USDⓈ-M perpetual and quarterly (linear, 1 base unit, 08:00 UTC delivery)', () => {
    expect(ins('binance', 'BTCUSDT')).toEqual({ kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', contractSize: '1', symbol: 'BTCUSDT' })
    expect(ins('binance', 'BTCUSDT_261225')).toMatchObject({ kind: 'future', settlement: 'linear', expiry: '2026-12-25T08:00:00Z' })
    expect(ins('binance', '1000PEPEUSDT')).toMatchObject({ underlying: '1000PEPE', quote: 'USDT' })
    expect(ins('binance', 'ETHBTC')).toMatchObject({ underlying: 'ETH', quote: 'BTC', settlement: 'linear' })
    expect(ins('binance', 'btcusdc')).toMatchObject({ underlying: 'BTC', quote: 'USDC' })
  })

  it('COIN-M perpetual and quarterly (inverse, 100 USD for BTC, 10 USD for others)', () => {
    expect(ins('binance', 'BTCUSD_PERP')).toEqual({ kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '100', symbol: 'BTCUSD_PERP' })
    expect(ins('binance', 'BTCUSD_261225')).toMatchObject({ kind: 'future', settlement: 'inverse', contractSize: '100', expiry: '2026-12-25T08:00:00Z' })
    expect(ins('binance', 'ETHUSD_PERP')).toMatchObject({ contractSize: '10' })
  })

  it('rejects unknown symbols and impossible dates with a clear message', () => {
    expect(reason('binance', 'BTC-PERPETUAL')).toMatch(/not a Binance futures symbol.*BTCUSDT_261225/)
    expect(reason('binance', 'BTCUSDT_261332')).toMatch(/date that does not exist/)
    expect(reason('binance', '')).toMatch(/empty/)
  })
})

describe('Bybit', () => {
  it('linear and inverse perpetuals', () => {
    expect(ins('bybit', 'BTCUSDT')).toMatchObject({ kind: 'perpetual', settlement: 'linear', quote: 'USDT', contractSize: '1' })
    expect(ins('bybit', 'BTCUSD')).toMatchObject({ kind: 'perpetual', settlement: 'inverse', quote: 'USD', contractSize: '1' })
    expect(ins('bybit', 'ETHPERP')).toMatchObject({ kind: 'perpetual', settlement: 'linear', underlying: 'ETH', quote: 'USDC' })
  })

  it('dated futures: USDT, USDC and inverse month-code symbols', () => {
    expect(ins('bybit', 'BTCUSDT-26DEC26')).toMatchObject({ kind: 'future', settlement: 'linear', quote: 'USDT', expiry: '2026-12-26T08:00:00Z' })
    expect(ins('bybit', 'BTC-26DEC26')).toMatchObject({ kind: 'future', quote: 'USDC', expiry: '2026-12-26T08:00:00Z' })
    const r = parseSymbol('bybit', 'BTCUSDH26')
    expect(r.ok && r.instrument).toMatchObject({ kind: 'future', settlement: 'inverse', expiry: '2026-03-27T08:00:00Z' }) // last Friday of March 2026
    expect(r.ok && r.notes[0]).toMatch(/last Friday/)
  })

  it('options, USDC- and USDT-settled', () => {
    expect(ins('bybit', 'BTC-27DEC26-70000-C')).toMatchObject({ kind: 'option', optionType: 'call', strike: '70000', quote: 'USDC', expiry: '2026-12-27T08:00:00Z' })
    expect(ins('bybit', 'ETH-20FEB26-2800-P-USDT')).toMatchObject({ optionType: 'put', quote: 'USDT' })
  })

  it('rejects unknown symbols', () => {
    expect(reason('bybit', 'BTC_USDT')).toMatch(/not a Bybit derivatives symbol/)
  })
})

describe('OKX', () => {
  it('swaps: linear with ctVal from the table, inverse 100 USD (BTC) / 10 USD', () => {
    expect(ins('okx', 'BTC-USDT-SWAP')).toMatchObject({ kind: 'perpetual', settlement: 'linear', contractSize: '0.01' })
    expect(ins('okx', 'BTC-USD-SWAP')).toMatchObject({ kind: 'perpetual', settlement: 'inverse', contractSize: '100' })
    expect(ins('okx', 'LTC-USD-SWAP')).toMatchObject({ contractSize: '10' })
  })

  it('futures and options', () => {
    expect(ins('okx', 'BTC-USD-261225')).toMatchObject({ kind: 'future', settlement: 'inverse', expiry: '2026-12-25T08:00:00Z' })
    expect(ins('okx', 'BTC-USD-261225-70000-C')).toMatchObject({ kind: 'option', settlement: 'inverse', optionType: 'call', strike: '70000', contractSize: '0.01' })
    expect(ins('okx', 'BTC-USDT')).toMatchObject({ kind: 'spot' })
  })

  it('asks for the contract size of a linear swap missing from the table, and takes it from the options', () => {
    expect(reason('okx', 'SOL-USDT-SWAP')).toMatch(/contract size of SOL-USDT-SWAP is not in Fulcrum's table/)
    expect(ins('okx', 'SOL-USDT-SWAP', { contractSizes: { 'SOL-USDT-SWAP': '1' } })).toMatchObject({ contractSize: '1' })
  })

  it('rejects unknown symbols', () => {
    expect(reason('okx', 'BTCUSDT')).toMatch(/not an OKX symbol.*BTC-USDT-SWAP/)
  })
})

describe('Deribit', () => {
  it('inverse perpetuals and futures: 10 USD (BTC), 1 USD (ETH)', () => {
    expect(ins('deribit', 'BTC-PERPETUAL')).toEqual({ kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10', symbol: 'BTC-PERPETUAL' })
    expect(ins('deribit', 'ETH-PERPETUAL')).toMatchObject({ contractSize: '1' })
    expect(ins('deribit', 'BTC-27DEC26')).toMatchObject({ kind: 'future', expiry: '2026-12-27T08:00:00Z', contractSize: '10' })
    expect(ins('deribit', 'BTC-5AUG26')).toMatchObject({ expiry: '2026-08-05T08:00:00Z' })
  })

  it('inverse options (coin-settled) expiring 08:00 UTC', () => {
    expect(ins('deribit', 'BTC-27DEC26-70000-C')).toEqual({
      kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '1',
      expiry: '2026-12-27T08:00:00Z', optionType: 'call', strike: '70000', symbol: 'BTC-27DEC26-70000-C',
    })
  })

  it('linear USDC perpetuals and options, including "d" decimal strikes', () => {
    expect(ins('deribit', 'BTC_USDC-PERPETUAL')).toMatchObject({ kind: 'perpetual', settlement: 'linear', quote: 'USDC', contractSize: '1' })
    expect(ins('deribit', 'BTC_USDC-27DEC26-70000-C')).toMatchObject({ kind: 'option', settlement: 'linear', quote: 'USDC', strike: '70000' })
    expect(ins('deribit', 'xrp_usdc-30jun26-0d625-p')).toMatchObject({ strike: '0.625', optionType: 'put', symbol: 'XRP_USDC-30JUN26-0d625-P' })
  })

  it('rejects unknown instruments and unknown inverse sizes', () => {
    expect(reason('deribit', 'BTCUSDT')).toMatch(/not a Deribit instrument.*BTC-PERPETUAL/)
    expect(reason('deribit', 'BTC-31FEB26')).toMatch(/date that does not exist/)
    expect(reason('deribit', 'SOL-PERPETUAL')).toMatch(/contract size of SOL-PERPETUAL/)
  })
})
