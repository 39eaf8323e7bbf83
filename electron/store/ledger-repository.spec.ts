/**
 * The ledger tables on a real SQLite file: uniqueness per account, batches and undo, remembered mappings,
 * and the book's own writes (account delete, document replace) never failing because of the ledger.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase, type Db } from './database'
import { BookRepository } from './book-repository'
import { LedgerRepository, fingerprintBase } from './ledger-repository'
import type { LedgerEntry } from '../importers/types'
import type { Instrument } from '../shared/portfolio-document'

const NOW = '2026-11-24T08:00:00Z'
const perp: Instrument = { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', contractSize: '1', symbol: 'BTCUSDT' }

let dir: string
let db: Db
let book: BookRepository
let ledger: LedgerRepository

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-ledger-repo-'))
  db = openDatabase(path.join(dir, 'f.sqlite')).db
  const clock = { now: () => new Date(NOW) }
  book = new BookRepository(db, clock)
  ledger = new LedgerRepository(db, clock)
  book.saveAccount({ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [] }, { create: true })
})
afterEach(() => {
  closeDatabase(db)
  fs.rmSync(dir, { recursive: true, force: true })
})

const fill = (id: string, quantity: string, price: string, time: string): LedgerEntry => ({
  kind: 'trade', venue: 'binance', format: 'binance-usdm-trades', time, symbol: 'BTCUSDT', instrument: perp,
  side: quantity.startsWith('-') ? 'sell' : 'buy', quantity, price, fee: '0.1', feeAsset: 'USDT', line: 2,
  dedupeKey: `binance:BTCUSDT:${id}:trade`, externalId: id,
})

function importBatch(accountId: string, entries: LedgerEntry[]): number {
  return book.write(() => {
    const w = ledger.beginBatch({ accountId, fileName: 'f.csv', fileSha256: 'x', fileBytes: 1, format: 'binance-usdm-trades' }, 'binance')
    for (const e of entries) w.add(e)
    ledger.finishBatch(w, { rowsTotal: entries.length, rowsRejected: 0, dateFrom: null, dateTo: null, warnings: [] })
    ledger.reconcile(book, w.touched.values())
    return w.batchId
  })
}

describe('LedgerRepository', () => {
  it('keeps an entry once per account, and counts what a batch added', () => {
    const b1 = importBatch('a', [fill('1', '1', '100', '2026-11-20T00:00:00Z'), fill('1', '1', '100', '2026-11-20T00:00:00Z')])
    expect(ledger.getBatch(b1)).toMatchObject({ inserted: 1, duplicates: 1, entries: 1 })
    book.saveAccount({ id: 'b', venue: 'binance', marginMode: 'cross', collateral: [] }, { create: true })
    importBatch('b', [fill('1', '1', '100', '2026-11-20T00:00:00Z')])
    expect(ledger.countEntries()).toBe(2)
    expect(ledger.listEntries({ accountId: 'b' })).toEqual([expect.objectContaining({ accountId: 'b', symbol: 'BTCUSDT', quantity: '1', dedupeKey: 'binance:BTCUSDT:1:trade' })])
  })

  it('undo reports the pairs to re-derive and marks the batch', () => {
    importBatch('a', [fill('1', '2', '100', '2026-11-20T00:00:00Z')])
    const b2 = importBatch('a', [fill('2', '-1', '110', '2026-11-21T00:00:00Z')])
    expect(ledger.listPositions()[0]!.derived).toMatchObject({ quantity: '1', realizedPnl: { USDT: '10' } })
    book.write(() => {
      const { removed, pairs } = ledger.undoBatch(b2)
      expect(removed).toBe(1)
      ledger.reconcile(book, pairs)
    })
    expect(ledger.listPositions()[0]!.derived).toMatchObject({ quantity: '2', realizedPnl: {} })
    expect(ledger.listBatches().map((b) => [b.id, b.undoneAt])).toEqual([[b2, NOW], [b2 - 1, null]])
  })

  it('remembers a mapping by header signature', () => {
    ledger.saveMapping('h1:abc', ['Date', 'Pair'], { columns: { time: 'Date' } })
    expect(ledger.getMapping('h1:abc')).toEqual({ mapping: { columns: { time: 'Date' } }, headers: ['Date', 'Pair'], updatedAt: NOW })
    expect(ledger.getMapping('h1:other')).toBeUndefined()
  })

  it('never blocks the book: deleting the account or replacing the book keeps the ledger', () => {
    importBatch('a', [fill('1', '2', '100', '2026-11-20T00:00:00Z')])
    const linked = ledger.listPositions()[0]!
    expect(linked.status).toBe('linked')
    expect(book.deleteAccount('a', true)).toEqual({ deletedPositions: 1 })
    book.write(() => ledger.reconcile(book, ledger.allPairs()))
    expect(ledger.listPositions()[0]).toMatchObject({ status: 'no-account' })
    expect(ledger.countEntries({ accountId: 'a' })).toBe(1)
    // The account comes back: so does its ledger position.
    book.saveAccount({ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [] }, { create: true })
    book.write(() => ledger.reconcile(book, ledger.allPairs()))
    expect(ledger.listPositions()[0]).toMatchObject({ status: 'linked', positionId: linked.positionId })
    expect(book.getPosition(linked.positionId!)).toMatchObject({ quantity: '2', entryPrice: '100' })
    book.loadDocument({ format: 'fulcrum.portfolio/1', asOf: NOW, accounts: [], positions: [], market: { underlyings: {}, instruments: {}, rates: {}, correlations: {} }, settings: { varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: [] } }, { replace: true })
    expect(ledger.countEntries()).toBe(1)
  })

  it('a ledger whose account is gone waits as no-account', () => {
    book.saveAccount({ id: 'c', venue: 'binance', marginMode: 'cross', collateral: [] }, { create: true })
    book.deleteAccount('c', false)
    importBatch('c', [fill('9', '1', '100', '2026-11-20T00:00:00Z')])
    expect(ledger.listPositions()).toEqual([expect.objectContaining({ accountId: 'c', status: 'no-account' })])
  })

  it('fingerprints fills to the minute, without sign, and funding by minute', () => {
    expect(fingerprintBase({ kind: 'trade', quantity: '-0.5', price: '100', side: 'sell', time: '2026-11-20T10:05:59Z' }, 'k')).toBe('T|k|sell|0.5|100|2026-11-20T10:05')
    expect(fingerprintBase({ kind: 'funding', time: '2026-11-20T16:00:00Z' }, 'k')).toBe('F|k|2026-11-20T16:00')
    expect(fingerprintBase({ kind: 'transfer', time: '2026-11-20T16:00:00Z' }, 'k')).toBeNull()
  })
})
