/**
 * Every fixture (real header and value shapes, synthesised values) is detected and parsed with its values
 * asserted, so a change in a format's mapping shows up as a failing number, not a silent drift.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { previewImport, type ImportPreview } from '../preview'
import { ledgerEntrySchema, type LedgerEntry } from '../types'

function fixture(name: string, fileName = name): ImportPreview {
  const bytes = readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url))
  return previewImport(bytes, { fileName, firstRows: 100 })
}

function only(p: ImportPreview, line: number, kind: LedgerEntry['kind']): LedgerEntry {
  const found = p.firstRows.filter((e) => e.line === line && e.kind === kind)
  expect(found).toHaveLength(1)
  return found[0]!
}

function expectClean(p: ImportPreview): void {
  expect(p.errors).toEqual([])
  expect(p.rowCounts.rejected).toBe(0)
  for (const e of p.firstRows) expect(ledgerEntrySchema.safeParse(e).success).toBe(true)
  const keys = p.firstRows.map((e) => e.dedupeKey)
  expect(new Set(keys).size).toBe(keys.length)
}

describe('Binance USDⓈ-M trade history', () => {
  const p = fixture('binance-usdm-trades.csv', 'Binance-Futures-Trade-History-202611240800(UTC+3).csv')

  it('is detected, with the file name giving the zone', () => {
    expect(p.format).toBe('binance-usdm-trades')
    expect(p.confidence).toBeGreaterThan(0.9)
    expect(p.reason).toMatch(/USD-M/)
    expect(p.encoding).toBe('UTF-8')
    expect(p.zone).toMatchObject({ offsetMinutes: 180, assumed: false })
    expect(p.accountHint).toBe('900000001')
    expect(p.rowCounts).toMatchObject({ total: 4, valid: 4, rejected: 0, byKind: { trade: 4, realized_pnl: 2 } })
    expect(p.dateRange).toEqual({ from: '2026-11-20T07:15:30.000Z', to: '2026-11-21T06:45:59.000Z' })
    expectClean(p)
  })

  it('maps fills, fees with their currency, realized profit and ids', () => {
    expect(only(p, 2, 'trade')).toMatchObject({
      venue: 'binance', time: '2026-11-20T07:15:30Z', symbol: 'BTCUSDT', side: 'buy', quantity: '0.015', price: '65000.1',
      fee: '0.3900006', feeAsset: 'USDT', liquidity: 'taker', externalId: '5123456789', orderId: '700000000001',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', contractSize: '1' },
      dedupeKey: 'binance:BTCUSDT:5123456789:trade',
    })
    expect(only(p, 3, 'trade')).toMatchObject({ side: 'sell', quantity: '-0.01', liquidity: 'maker' })
    expect(only(p, 3, 'realized_pnl')).toMatchObject({ amount: '5.004', asset: 'USDT', dedupeKey: 'binance:BTCUSDT:5123460001:pnl' })
    expect(only(p, 4, 'trade')).toMatchObject({
      symbol: 'ETHUSDT_261225', fee: '0.000982', feeAsset: 'BNB', externalId: '0012001',
      instrument: { kind: 'future', expiry: '2026-12-25T08:00:00Z' },
    })
    expect(only(p, 5, 'trade')).toMatchObject({ quantity: '-100000', price: '0.0123456', fee: '0.61728', feeAsset: 'USDT' })
    expect(only(p, 5, 'realized_pnl')).toMatchObject({ amount: '-12.5' })
  })
})

describe('Binance COIN-M trade history', () => {
  const p = fixture('binance-coinm-trades.csv')

  it('is told from USDⓈ-M by its symbols', () => {
    expect(p.format).toBe('binance-coinm-trades')
    expect(p.candidates.find((c) => c.format === 'binance-usdm-trades')!.confidence).toBeLessThan(p.confidence)
    expect(p.warnings.join(' ')).toMatch(/read as UTC/)
    expectClean(p)
  })

  it('keeps quantities in contracts and PnL in the coin', () => {
    expect(only(p, 2, 'trade')).toMatchObject({
      quantity: '-10', price: '64000', fee: '0.00000781', feeAsset: 'BTC',
      instrument: { kind: 'perpetual', settlement: 'inverse', contractSize: '100' },
    })
    expect(only(p, 3, 'realized_pnl')).toMatchObject({ amount: '0.0000992', asset: 'BTC' })
    expect(only(p, 4, 'trade').instrument).toMatchObject({ kind: 'future', underlying: 'ETH', contractSize: '10', expiry: '2026-12-25T08:00:00Z' })
  })
})

describe('Bybit trade history', () => {
  const p = fixture('bybit-trades.csv')

  it('is detected, with the zone from the time column header', () => {
    expect(p.format).toBe('bybit-trades')
    expect(p.zone).toMatchObject({ offsetMinutes: 0, source: 'column "Transaction Time(UTC+0)"' })
    expect(p.rowCounts.byKind).toMatchObject({ trade: 3, funding: 2 })
    expectClean(p)
  })

  it('maps trades (trimmed ids), inverse quantities in USD contracts and funding signs', () => {
    expect(only(p, 2, 'trade')).toMatchObject({
      time: '2026-11-20T09:30:00Z', side: 'buy', quantity: '0.02', price: '65010.5', fee: '0.7151155', feeAsset: 'USDT',
      externalId: '3f2a9c1e-0b6d-5c4e-9a1f-2b7c8d9e0f11', dedupeKey: 'bybit:3f2a9c1e-0b6d-5c4e-9a1f-2b7c8d9e0f11:trade',
    })
    expect(only(p, 3, 'funding')).toMatchObject({ amount: '-0.1302', asset: 'USDT' })
    expect(only(p, 3, 'funding').orderId).toBeUndefined()
    expect(only(p, 4, 'trade')).toMatchObject({ quantity: '-5000', feeAsset: 'BTC', instrument: { settlement: 'inverse', contractSize: '1' } })
    expect(only(p, 5, 'trade').instrument).toMatchObject({ kind: 'future', expiry: '2026-12-26T08:00:00Z' })
    expect(only(p, 6, 'funding')).toMatchObject({ amount: '0.1304' })
  })
})

describe('Bybit transaction log (UTA)', () => {
  const p = fixture('bybit-transactions.csv')

  it('finds the header under the UID preamble line', () => {
    expect(p.format).toBe('bybit-transactions')
    expect(p.accountHint).toBe('10000001')
    expect(p.rowCounts).toMatchObject({ total: 7, valid: 7 })
    expectClean(p)
  })

  it('reads fee and funding signs from each row\'s arithmetic (Change = Cash Flow + Funding + Fee Paid)', () => {
    expect(only(p, 3, 'trade')).toMatchObject({ side: 'buy', quantity: '0.02', price: '65000', fee: '0.715', feeAsset: 'USDT' })
    expect(only(p, 4, 'funding')).toMatchObject({ amount: '-0.13', asset: 'USDT', symbol: 'BTCUSDT' })
    expect(only(p, 5, 'trade')).toMatchObject({ side: 'sell', quantity: '-0.02', fee: '0.726' })
    expect(only(p, 5, 'realized_pnl')).toMatchObject({ amount: '20', asset: 'USDT' })
    expect(only(p, 6, 'trade')).toMatchObject({ instrument: { kind: 'option', quote: 'USDC' }, fee: '0.75' })
    expect(p.firstRows.filter((e) => e.line === 6 && e.kind === 'realized_pnl')).toEqual([])
    expect(only(p, 7, 'transfer')).toMatchObject({ amount: '500', asset: 'USDT', subtype: 'TRANSFER_IN' })
    expect(only(p, 8, 'transfer')).toMatchObject({ amount: '0.000999', asset: 'BTC' })
    expect(only(p, 9, 'transfer')).toMatchObject({ amount: '-65.5', asset: 'USDT' })
  })

  it('accepts the API sign convention too (fee positive when paid)', () => {
    const text = readFileSync(new URL('../__fixtures__/bybit-transactions.csv', import.meta.url), 'utf8')
      .replace('-0.71500000000000000000,0.00000000000000000000,-0.71500000000000000000', '0.71500000000000000000,0.00000000000000000000,-0.71500000000000000000')
    const q = previewImport(Buffer.from(text), { firstRows: 100 })
    expect(only(q, 3, 'trade').fee).toBe('0.715')
  })

  it('rejects a row whose numbers do not add up, naming the column', () => {
    const text = readFileSync(new URL('../__fixtures__/bybit-transactions.csv', import.meta.url), 'utf8')
      .replace('19.27400000000000000000', '19.00000000000000000000')
    const q = previewImport(Buffer.from(text), { firstRows: 100 })
    expect(q.rejectedRows).toEqual([expect.objectContaining({ line: 5, column: 'Change', reason: expect.stringMatching(/does not equal Cash Flow/) })])
  })
})

describe('OKX trading history', () => {
  const p = fixture('okx-trades.csv')

  it('takes the zone and account from the preamble', () => {
    expect(p.format).toBe('okx-trades')
    expect(p.zone).toMatchObject({ offsetMinutes: 480 })
    expect(p.accountHint).toBe('000000001')
    expectClean(p)
  })

  it('maps contracts, fee signs, PnL, funding, options and spot legs', () => {
    expect(only(p, 3, 'trade')).toMatchObject({
      time: '2026-11-20T10:00:00Z', side: 'buy', quantity: '3', price: '65000', fee: '0.975', feeAsset: 'USDT',
      instrument: { contractSize: '0.01' }, dedupeKey: 'okx:61000000000000000001:trade', externalId: '61000000000000000001',
    })
    expect(only(p, 4, 'trade')).toMatchObject({ side: 'sell', quantity: '-1' })
    expect(only(p, 4, 'realized_pnl')).toMatchObject({ amount: '10', asset: 'USDT' })
    expect(only(p, 5, 'funding')).toMatchObject({ amount: '-0.013', asset: 'USDT' })
    expect(only(p, 6, 'trade')).toMatchObject({ side: 'sell', quantity: '-5', feeAsset: 'BTC', instrument: { settlement: 'inverse', contractSize: '100' } })
    expect(only(p, 7, 'trade')).toMatchObject({ quantity: '2', price: '0.021', instrument: { kind: 'option', optionType: 'call' } })
    expect(only(p, 8, 'transfer')).toMatchObject({ amount: '0.00999', asset: 'BTC' })
    expect(only(p, 10, 'transfer')).toMatchObject({ amount: '1000', asset: 'USDT' })
  })
})

describe('Deribit transaction log', () => {
  const p = fixture('deribit-transactions.csv', 'transaction_log-100200-BTC-2026-11-24.csv')

  it('takes account and currency from the file name', () => {
    expect(p.format).toBe('deribit-transactions')
    expect(p.accountHint).toBe('100200')
    expect(p.zone).toMatchObject({ offsetMinutes: 0, assumed: false })
    expectClean(p)
  })

  it('maps USD amounts of inverse contracts to contracts, settlements to funding and session PnL', () => {
    expect(only(p, 2, 'transfer')).toMatchObject({ amount: '1', asset: 'BTC', subtype: 'deposit' })
    expect(only(p, 3, 'trade')).toMatchObject({ side: 'buy', quantity: '1000', price: '65000', fee: '0.00007692', feeAsset: 'BTC', externalId: '310000001' })
    expect(only(p, 4, 'funding')).toMatchObject({ amount: '-0.000012', asset: 'BTC' })
    expect(only(p, 4, 'settlement')).toMatchObject({ amount: '0.002332' })
    expect(only(p, 5, 'trade')).toMatchObject({ quantity: '-400' })
    expect(only(p, 5, 'realized_pnl')).toMatchObject({ amount: '0.0001099' })
    expect(only(p, 6, 'trade')).toMatchObject({ quantity: '0.5', price: '0.0425', instrument: { kind: 'option', settlement: 'inverse' } })
    expect(only(p, 7, 'settlement')).toMatchObject({ quantity: '-200', price: '67000', amount: '0.00045' })
    // Balance effect = amount − fee = the row's Change (−0.2001).
    expect(only(p, 8, 'transfer')).toMatchObject({ amount: '-0.2', fee: '0.0001' })
  })

  it('asks for the file name when a cash row has no currency', () => {
    const q = previewImport(readFileSync(new URL('../__fixtures__/deribit-transactions.csv', import.meta.url)))
    expect(q.rejectedRows.map((r) => r.line)).toEqual([2, 8])
    expect(q.rejectedRows[0]!.reason).toMatch(/file name/)
  })
})
