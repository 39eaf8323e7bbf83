/**
 * The import jobs against a real SQLite file and the real fixtures of every venue: what lands in the ledger,
 * the positions derived from it (values worked out by hand from the fixture rows, commented beside each),
 * re-import, overlapping exports, damaged files, undo, Bybit's two exports, and reconciliation with the book.
 */
import fc from 'fast-check'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, closeDatabase, type Db } from '../store/database'
import { BookRepository } from '../store/book-repository'
import { LedgerRepository, type LedgerPositionRecord } from '../store/ledger-repository'
import { runImport, runPreview, runUndo, type ImportJob } from './ledger-jobs'

const NOW = '2026-11-24T08:00:00Z'
const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'importers', '__fixtures__')

let dir: string
let dbFile: string
let db: Db
let book: BookRepository
let ledger: LedgerRepository

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-ledger-'))
  dbFile = path.join(dir, 'fulcrum.sqlite')
  db = openDatabase(dbFile).db
  const clock = { now: () => new Date(NOW) }
  book = new BookRepository(db, clock)
  ledger = new LedgerRepository(db, clock)
})
afterEach(() => {
  closeDatabase(db)
  fs.rmSync(dir, { recursive: true, force: true })
})

function place(fixture: string, as = fixture, transform?: (text: string) => string): string {
  const file = path.join(dir, as)
  const bytes = fs.readFileSync(path.join(FIXTURES, fixture))
  fs.writeFileSync(file, transform ? transform(bytes.toString('utf8')) : bytes)
  return file
}

function write(name: string, text: string): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

function importFile(file: string, accountId: string, over: Partial<ImportJob> = {}): ReturnType<typeof runImport> {
  return runImport({
    dbFile, now: NOW, filePath: file, fileName: path.basename(file), accountId, createAccount: {}, onRejected: 'skip', ...over,
  })
}

function pos(accountId: string, symbol: string): LedgerPositionRecord {
  const found = ledger.listPositions().filter((p) => p.accountId === accountId && p.symbol === symbol)
  expect(found).toHaveLength(1)
  return found[0]!
}

function snapshot(): string {
  const tables = ['accounts', 'positions', 'underlyings', 'ledger_batches', 'ledger_entries', 'ledger_positions', 'ledger_instruments', 'meta']
  return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()))
}

describe('each venue imports with the right trades and derived positions', () => {
  it('Binance USDⓈ-M: fills, realized profit and three open positions in the book', () => {
    const file = place('binance-usdm-trades.csv', 'Binance-Futures-Trade-History-202611240800(UTC+3).csv')
    const r = importFile(file, 'bn')
    expect(r).toMatchObject({ format: 'binance-usdm-trades', account: 'bn', inserted: 6, duplicates: 0, rejectedCount: 0, rowsTotal: 4 })
    expect(book.getAccount('bn')).toMatchObject({ venue: 'binance', exchangeUid: '900000001' })
    // BTCUSDT: buy 0.015 @ 65,000.1, sell 0.010 @ 65,500.5 (realized 5.004) → 0.005 left at 65,000.1.
    const btc = pos('bn', 'BTCUSDT')
    expect(btc.status).toBe('linked')
    expect(btc.derived).toMatchObject({
      quantity: '0.005', entryPrice: '65000.1', realizedPnl: { USDT: '5.004' }, pnlSource: 'venue',
      feesPaid: { USDT: '0.5210016' }, fills: 2, openedAt: '2026-11-20T07:15:30Z',
    })
    // 1000PEPEUSDT: a sell of 100,000 @ 0.0123456 with −12.5 realized.
    expect(pos('bn', '1000PEPEUSDT').derived).toMatchObject({ quantity: '-100000', entryPrice: '0.0123456', realizedPnl: { USDT: '-12.5' } })
    // The book shows them like any other position; the dated future carries its expiry for the review windows.
    const eth = book.getPosition(pos('bn', 'ETHUSDT_261225').positionId!)!
    expect(eth).toMatchObject({ account: 'bn', quantity: '0.5', entryPrice: '3450.25', origin: 'ledger', instrument: { kind: 'future', expiry: '2026-12-25T08:00:00Z' } })
    expect(book.listPositions().filter((p) => !p.closedAt)).toHaveLength(3)
    // The underlying had no price: the last futures fill stands in (and says so).
    expect(book.getMarket().underlyings.BTC).toMatchObject({ price: '65500.5', updatedAt: '2026-11-20T11:02:11Z' })
    expect(r.warnings.join(' ')).toMatch(/BTC had no price/)
  })

  it('Binance COIN-M: contracts and coin PnL, a reduced short keeps its entry', () => {
    const r = importFile(place('binance-coinm-trades.csv'), 'bn-coin')
    expect(r.inserted).toBe(4)
    // Sell 10 @ 64,000 then buy 4 @ 63,000: −6 contracts at 64,000, 0.0000992 BTC realized by the venue.
    expect(pos('bn-coin', 'BTCUSD_PERP').derived).toMatchObject({
      quantity: '-6', entryPrice: '64000', realizedPnl: { BTC: '0.0000992' }, feesPaid: { BTC: '0.00001098' },
    })
    expect(pos('bn-coin', 'ETHUSD_261225').derived).toMatchObject({ quantity: '25', entryPrice: '3400', feesPaid: { ETH: '0.00003676' } })
  })

  it('Bybit trade history: funding paid and received nets per currency', () => {
    importFile(place('bybit-trades.csv'), 'bb')
    // Funding 0.1302 paid then 0.1304 received: −0.0002 paid.
    expect(pos('bb', 'BTCUSDT').derived).toMatchObject({ quantity: '0.02', entryPrice: '65010.5', fundingPaid: { USDT: '-0.0002' }, feesPaid: { USDT: '0.7151155' } })
    expect(pos('bb', 'BTCUSD').derived).toMatchObject({ quantity: '-5000', entryPrice: '64950', feesPaid: { BTC: '0.0000154' } })
    expect(pos('bb', 'ETHUSDT-26DEC26').derived).toMatchObject({ quantity: '-1.5', entryPrice: '3460' })
  })

  it('Bybit transaction log: a round trip ends flat with its PnL, the option stays open and is priced from the perpetual', () => {
    const r = importFile(place('bybit-transactions.csv'), 'bb-uta')
    expect(r.rejectedCount).toBe(0)
    // Buy 0.02 @ 65,000, sell 0.02 @ 66,000: flat, 20 USDT realized, fees 0.715 + 0.726, funding 0.13 paid.
    const perp = pos('bb-uta', 'BTCUSDT')
    expect(perp.status).toBe('flat')
    expect(perp.derived).toMatchObject({ quantity: '0', realizedPnl: { USDT: '20' }, feesPaid: { USDT: '1.441' }, fundingPaid: { USDT: '0.13' } })
    const opt = pos('bb-uta', 'BTC-27DEC26-70000-C')
    expect(opt.status).toBe('linked')
    expect(opt.derived).toMatchObject({ quantity: '0.1', entryPrice: '2500', feesPaid: { USDC: '0.75' } })
    expect(book.getMarket().underlyings.BTC?.price).toBe('66000')
  })

  it('OKX: contracts, PnL and funding of the swap; the inverse future and the option', () => {
    importFile(place('okx-trades.csv'), 'okx')
    // Open long 3 @ 65,000, close 1 @ 66,000 (PnL 10), funding 0.013 paid.
    expect(pos('okx', 'BTC-USDT-SWAP').derived).toMatchObject({
      quantity: '2', entryPrice: '65000', realizedPnl: { USDT: '10' }, feesPaid: { USDT: '1.305' }, fundingPaid: { USDT: '0.013' },
    })
    expect(pos('okx', 'BTC-USD-261225').derived).toMatchObject({ quantity: '-5', entryPrice: '66500' })
    expect(pos('okx', 'BTC-USD-261225-70000-C').derived).toMatchObject({ quantity: '2', entryPrice: '0.021' })
  })

  it('Deribit: session settlements and realized PnL in the coin; a delivery with no open position changes nothing', () => {
    importFile(place('deribit-transactions.csv', 'transaction_log-100200-BTC-2026-11-24.csv'), 'drb')
    // 1,000 contracts bought @ 65,000, 400 sold @ 66,200: 600 left; settlement 0.002332 + realized 0.0001099.
    expect(pos('drb', 'BTC-PERPETUAL').derived).toMatchObject({
      quantity: '600', entryPrice: '65000', realizedPnl: { BTC: '0.0024419' }, fundingPaid: { BTC: '0.000012' }, feesPaid: { BTC: '0.00010713' },
    })
    expect(pos('drb', 'BTC-27DEC26-70000-C').derived).toMatchObject({ quantity: '0.5', entryPrice: '0.0425' })
    expect(pos('drb', 'BTC-27NOV26')).toMatchObject({ status: 'flat', derived: { quantity: '0', realizedPnl: { BTC: '0.00045' } } })
    // deposit, trade, funding + settlement, trade + PnL, option trade, delivery, withdrawal
    expect(ledger.countEntries({ accountId: 'drb' })).toBe(9)
  })
})

describe('idempotent, atomic, undoable', () => {
  it('importing the same file twice adds nothing and leaves no empty batch', () => {
    const file = place('okx-trades.csv')
    const first = importFile(file, 'okx')
    const before = snapshot()
    const again = importFile(file, 'okx')
    expect(again).toMatchObject({ inserted: 0, duplicates: first.inserted, batchId: null })
    expect(snapshot()).toBe(before)
    const preview = runPreview({ dbFile, now: NOW, filePath: file, fileName: 'okx-trades.csv', uploadId: 'aaaaaaaa', accountId: 'okx' })
    expect(preview).toMatchObject({ duplicates: first.inserted, importable: false, alreadyImported: [{ batchId: first.batchId }] })
  })

  it('two overlapping exports add each fill once', () => {
    const lines = fs.readFileSync(path.join(FIXTURES, 'binance-usdm-trades.csv'), 'utf8').split(/\r?\n/).filter(Boolean)
    const a = write('a(UTC+3).csv', [lines[0], lines[1], lines[2], lines[3]].join('\n'))
    const b = write('b(UTC+3).csv', [lines[0], lines[2], lines[3], lines[4]].join('\n'))
    expect(importFile(a, 'bn').inserted).toBe(4) // fills of lines 2–4, one with realized profit
    const second = importFile(b, 'bn')
    expect(second).toMatchObject({ inserted: 2, duplicates: 3 }) // line 5 is new (fill + PnL)
    expect(ledger.countEntries({ accountId: 'bn' })).toBe(6)
    expect(pos('bn', 'BTCUSDT').derived.quantity).toBe('0.005')
  })

  it('the same trade id in two accounts (a self-trade between sub-accounts) is kept in both', () => {
    const file = place('binance-usdm-trades.csv')
    expect(importFile(file, 'sub-a').inserted).toBe(6)
    expect(importFile(file, 'sub-b').inserted).toBe(6)
  })

  it('a damaged file reports the damaged lines and changes nothing unless the valid rows are asked for', () => {
    importFile(place('okx-trades.csv'), 'okx')
    const damaged = place('binance-usdm-trades.csv', 'damaged.csv', (t) =>
      t.replace('65500.50,0.010', '65500.50,abc').replace(/,700000000004\r?\n?$/, '') /* cut the last line short */,
    )
    const preview = runPreview({ dbFile, now: NOW, filePath: damaged, fileName: 'damaged.csv', uploadId: 'bbbbbbbb' })
    expect(preview.rejectedRows).toEqual([
      expect.objectContaining({ line: 3, column: 'Quantity', value: 'abc' }),
      expect.objectContaining({ line: 5, reason: expect.stringMatching(/truncated|cut short|columns/) }),
    ])
    const before = snapshot()
    expect(() => importFile(damaged, 'bn', { onRejected: 'abort' })).toThrow(/2 row\(s\) of damaged.csv were rejected.*line 3, column "Quantity"/)
    expect(snapshot()).toBe(before)
    const r = importFile(damaged, 'bn', { onRejected: 'skip' })
    expect(r).toMatchObject({ inserted: 2, rejectedCount: 2 })
    expect(r.rejected.map((i) => [i.line, i.column ?? null])).toEqual([[3, 'Quantity'], [5, null]])
  })

  it('a file that is not CSV, or empty, is refused with one message and writes nothing', () => {
    const before = snapshot()
    expect(() => importFile(write('empty.csv', ''), 'x')).toThrow(/^empty.csv: The file is empty \(0 bytes\)\. Nothing was imported\.$/)
    expect(() => importFile(write('notes.txt', 'just some words\nand more words\n'), 'x')).toThrow(/^notes.txt: This does not look like a CSV file.*Nothing was imported\.$/)
    expect(snapshot()).toBe(before)
  })

  it('undo removes exactly what the batch added and restores the positions', () => {
    const first = importFile(place('bybit-trades.csv'), 'bb')
    const afterFirst = JSON.stringify(ledger.listPositions())
    const bookAfterFirst = JSON.stringify(book.listPositions().map((p) => [p.id, p.quantity, p.entryPrice, p.closedAt ?? null]))
    const extra = write('more.csv', [
      'Market,Filled Type,Filled Quantity,Filled Price,Order Price,Fee Rate,Trading Fee,feeCoin,ExecFeeV2,Direction,Order Type,Trasaction ID,Order No.,Transaction Time(UTC+0)',
      'BTCUSDT,Trade,0.020,66000,66000,0.00055,0.726,USDT,0.726,Sell,Market, ffff-0001, o-9,12:00 2026-11-23',
    ].join('\n'))
    const second = importFile(extra, 'bb')
    expect(second.inserted).toBe(1)
    expect(pos('bb', 'BTCUSDT')).toMatchObject({ status: 'flat', derived: { quantity: '0', realizedPnl: { USDT: '19.79' }, pnlSource: 'computed' } })
    const linked = book.getPosition(pos('bb', 'BTCUSDT').positionId!)!
    expect(linked).toMatchObject({ closedAt: '2026-11-23T12:00:00Z', closePrice: '66000' })

    expect(runUndo({ dbFile, now: NOW, batchId: second.batchId! })).toMatchObject({ removed: 1, positions: 1 })
    expect(JSON.stringify(ledger.listPositions().map((p) => ({ ...p, updatedAt: '' })))).toBe(
      JSON.stringify(JSON.parse(afterFirst).map((p: object) => ({ ...p, updatedAt: '' }))),
    )
    expect(JSON.stringify(book.listPositions().map((p) => [p.id, p.quantity, p.entryPrice, p.closedAt ?? null]))).toBe(bookAfterFirst)
    expect(ledger.getBatch(second.batchId!)).toMatchObject({ undoneAt: NOW, entries: 0 })
    expect(() => runUndo({ dbFile, now: NOW, batchId: second.batchId! })).toThrow(/already undone/)

    runUndo({ dbFile, now: NOW, batchId: first.batchId! })
    expect(ledger.countEntries()).toBe(0)
    expect(ledger.listPositions()).toEqual([])
    expect(book.listPositions().every((p) => p.closedAt)).toBe(true)
  })

  it('a cancelled import writes nothing', () => {
    const before = snapshot()
    const cancel = new SharedArrayBuffer(4)
    Atomics.store(new Int32Array(cancel), 0, 1)
    expect(() => importFile(place('okx-trades.csv'), 'okx', { cancel })).toThrow(/Cancelled/)
    expect(snapshot()).toBe(before)
  })

  it('a dry run counts everything and writes nothing', () => {
    const before = snapshot()
    expect(importFile(place('okx-trades.csv'), 'okx', { dryRun: true })).toMatchObject({ inserted: 9, dryRun: true, batchId: null })
    expect(snapshot()).toBe(before)
  })
})

describe("Bybit's trade history and transaction log describe the same fills", () => {
  const log = (rows: string[]): string =>
    [
      'UID: 10000001,Company Name: ,Country: ',
      'Uid,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,Fee Paid,Cash Flow,Change,Wallet Balance,Action,Time(UTC)',
      ...rows,
    ].join('\n')
  // The trade history fixture's first fill and first funding payment, as the transaction log writes them.
  const sameFill = '10000001,USDT,BTCUSDT,TRADE,BUY,0.02,0.02,65010.5,0,-0.7151155,0,-0.7151155,9999.2848845,OPEN,2026-11-20 09:30:41'
  const sameFunding = '10000001,USDT,BTCUSDT,SETTLEMENT,BUY,--,0.02,--,-0.1302,0,0,-0.1302,9999.1546845,SETTLEMENT,2026-11-20 16:00:00'
  const newFill = '10000001,USDT,BTCUSDT,TRADE,BUY,0.01,0.03,65500,0,-0.36025,0,-0.36025,9998.7944345,OPEN,2026-11-22 10:00:00'

  it('in either order, a fill or funding payment is counted once', () => {
    importFile(place('bybit-trades.csv'), 'bb')
    const file = write('AssetChangeDetails_uta_10000001.csv', log([sameFill, sameFunding, newFill]))
    const preview = runPreview({ dbFile, now: NOW, filePath: file, fileName: path.basename(file), uploadId: 'cccccccc', accountId: 'bb' })
    expect(preview).toMatchObject({ duplicates: 2, crossFormatDuplicates: 2 })
    expect(preview.warnings.join(' ')).toMatch(/2 fill\(s\) or funding payment\(s\).*skipped, not counted twice/)
    const r = importFile(file, 'bb')
    expect(r).toMatchObject({ inserted: 1, duplicates: 2, crossFormatDuplicates: 2 })
    expect(pos('bb', 'BTCUSDT').derived).toMatchObject({ quantity: '0.03', fills: 2, fundingPaid: { USDT: '-0.0002' } })
  })

  it('log first, then the trade history', () => {
    importFile(write('log.csv', log([sameFill, sameFunding])), 'bb')
    const r = importFile(place('bybit-trades.csv'), 'bb')
    expect(r.crossFormatDuplicates).toBe(2)
    expect(pos('bb', 'BTCUSDT').derived).toMatchObject({ quantity: '0.02', fills: 1 })
  })
})

describe('reconciliation with hand-entered positions', () => {
  const handEntered = (): void => {
    book.saveAccount({ id: 'okx', venue: 'okx', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '10000' }] }, { create: true })
    book.saveUnderlying('BTC', { price: '65000' })
    book.savePosition({
      id: 'mine', account: 'okx', quantity: '1', entryPrice: '64000', marginMode: 'isolated', isolatedMargin: '500', note: 'hand',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', contractSize: '0.01' },
    })
  }

  it('a hand-entered position of the same contract is never counted twice: conflict until the user adopts', () => {
    handEntered()
    const r = importFile(place('okx-trades.csv'), 'okx')
    expect(r.warnings.join(' ')).toMatch(/already holds a hand-entered position \(mine/)
    const swap = pos('okx', 'BTC-USDT-SWAP')
    expect(swap).toMatchObject({ status: 'conflict', conflictWith: 'mine', positionId: null })
    const btcUsdtPerps = book.listPositions().filter((p) => !p.closedAt && p.instrument.kind === 'perpetual' && p.instrument.underlying === 'BTC')
    expect(btcUsdtPerps.map((p) => p.id)).toEqual(['mine'])

    book.write(() => ledger.decide(book, 'okx', swap.instrumentKey, 'adopt'))
    const adopted = book.getPosition('mine')!
    // Same id and margin settings, the ledger's quantity and entry.
    expect(adopted).toMatchObject({ quantity: '2', entryPrice: '65000', marginMode: 'isolated', isolatedMargin: '500', note: 'hand', origin: 'ledger' })
    expect(pos('okx', 'BTC-USDT-SWAP')).toMatchObject({ status: 'linked', positionId: 'mine' })
    expect(book.listPositions().filter((p) => !p.closedAt && p.instrument.kind === 'perpetual' && p.instrument.underlying === 'BTC')).toHaveLength(1)
  })

  it('keep mine leaves the ledger out of the book, also after later imports', () => {
    handEntered()
    importFile(place('okx-trades.csv'), 'okx')
    const key = pos('okx', 'BTC-USDT-SWAP').instrumentKey
    book.write(() => ledger.decide(book, 'okx', key, 'keep'))
    expect(book.getPosition('mine')).toMatchObject({ quantity: '1', entryPrice: '64000' })
    book.write(() => ledger.reconcile(book, ledger.allPairs()))
    expect(pos('okx', 'BTC-USDT-SWAP').status).toBe('manual')
    expect(book.listPositions().filter((p) => (p as Record<string, unknown>).origin === 'ledger' && p.instrument.kind === 'perpetual')).toEqual([])
  })
})

describe('generic column mapping', () => {
  const header = 'Date,Pair,Dir,Size,Px,Commission,Ref'
  const body = ['2026-11-20 10:00:00,BTCUSDT,buy,0.5,60000,1.2,g-1', '2026-11-21 10:00:00,BTCUSDT,sell,0.2,61000,0.5,g-2']
  const mapping = {
    venue: 'binance', symbolVenue: 'binance',
    columns: { time: 'Date', symbol: 'Pair', side: 'Dir', quantity: 'Size', price: 'Px', fee: 'Commission', externalId: 'Ref' },
  }

  it('asks for a mapping, then remembers it for files with the same header', () => {
    const file = write('mine.csv', [header, ...body].join('\n'))
    const p = runPreview({ dbFile, now: NOW, filePath: file, fileName: 'mine.csv', uploadId: 'dddddddd' })
    expect(p).toMatchObject({ needsMapping: true, importable: false, mapping: null })
    expect(p.suggestedMapping).toMatchObject({ time: 'Date', symbol: 'Pair', quantity: 'Size', fee: 'Commission' })
    expect(() => importFile(file, 'gen')).toThrow(/Map its columns once/)

    expect(importFile(file, 'gen', { mapping })).toMatchObject({ format: 'generic', inserted: 2 })
    // Computed PnL: 0.2 × (61,000 − 60,000) = 200.
    expect(pos('gen', 'BTCUSDT').derived).toMatchObject({ quantity: '0.3', entryPrice: '60000', realizedPnl: { USDT: '200' }, pnlSource: 'computed' })

    // Next month's export: columns in another order, same names.
    const next = write('next.csv', ['Ref,Date,Pair,Dir,Size,Px,Commission', 'g-3,2026-11-22 10:00:00,BTCUSDT,buy,0.1,62000,0.3'].join('\n'))
    const q = runPreview({ dbFile, now: NOW, filePath: next, fileName: 'next.csv', uploadId: 'eeeeeeee', accountId: 'gen' })
    expect(q).toMatchObject({ needsMapping: false, mappingRemembered: true, format: 'generic', entries: 1, importable: true })
    expect(importFile(next, 'gen')).toMatchObject({ inserted: 1 })
    expect(pos('gen', 'BTCUSDT').derived.quantity).toBe('0.4')
  })

  it('a mapping that names a missing column is refused with the column', () => {
    const file = write('mine.csv', [header, ...body].join('\n'))
    expect(() => importFile(file, 'gen', { mapping: { ...mapping, columns: { ...mapping.columns, price: 'Price' } } })).toThrow(/column "Price" \(mapped to price\) is not in this file/)
  })
})

describe('law: overlapping exports, in any order, equal their union imported once', () => {
  const HEADER = 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID'
  const row = (i: number): string => {
    const sym = i % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT'
    const side = (i * 7) % 5 < 2 ? 'SELL' : 'BUY'
    const t = new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
    return `1,${t},${sym},${side},${60000 + ((i * 37) % 900)}.5,0.0${1 + (i % 9)},1,0.0${i % 4}USDT,${i % 4 === 0 ? '-1.25' : '0'},true,false,${1000 + i},${i}`
  }
  // Binance exports newest first: each slice is written in that order.
  const slice = (from: number, to: number): string => [HEADER, ...Array.from({ length: to - from }, (_, k) => row(to - 1 - k))].join('\n')
  const state = (file: string): string => {
    const h = openDatabase(file).db
    try {
      const entries = h.prepare('SELECT dedupe_key, kind, time, quantity, price, fee, amount FROM ledger_entries ORDER BY dedupe_key').all()
      const l = new LedgerRepository(h, { now: () => new Date(NOW) })
      const positions = l.listPositions().map((p) => ({ symbol: p.symbol, ...p.derived }))
      return JSON.stringify({ entries, positions })
    } finally {
      closeDatabase(h)
    }
  }

  it('holds for random windows of a 40-row history', () => {
    let run = 0
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(39), fc.nat(39)).map(([a, b]) => [Math.min(a, b), Math.max(a, b) + 1] as const),
        fc.tuple(fc.nat(39), fc.nat(39)).map(([a, b]) => [Math.min(a, b), Math.max(a, b) + 1] as const),
        fc.boolean(),
        (w1, w2, swap) => {
          fc.pre(w1[1] >= w2[0] && w2[1] >= w1[0]) // overlapping windows: their union is one window
          const k = run++
          const files = [write(`a${k}.csv`, slice(...w1)), write(`b${k}.csv`, slice(...w2))]
          const db1 = path.join(dir, `split${k}.sqlite`)
          const db2 = path.join(dir, `union${k}.sqlite`)
          closeDatabase(openDatabase(db1).db)
          closeDatabase(openDatabase(db2).db)
          for (const f of swap ? [...files].reverse() : files) {
            runImport({ dbFile: db1, now: NOW, filePath: f, fileName: path.basename(f), accountId: 'x', createAccount: {}, onRejected: 'abort' })
          }
          const union = write(`u${k}.csv`, slice(Math.min(w1[0], w2[0]), Math.max(w1[1], w2[1])))
          runImport({ dbFile: db2, now: NOW, filePath: union, fileName: 'u.csv', accountId: 'x', createAccount: {}, onRejected: 'abort' })
          expect(state(db1)).toBe(state(db2))
        },
      ),
      { numRuns: 12 },
    )
  })
})
