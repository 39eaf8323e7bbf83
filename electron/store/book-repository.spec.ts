import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase, type OpenedDatabase } from './database'
import { BookRepository, ConflictError, NotFoundError } from './book-repository'
import { demoDocument } from '../services/demo'
import { parsePortfolioDocument, type PortfolioDocument } from '../shared/portfolio-document'

const NOW = new Date('2026-11-24T09:30:00Z')
const clock = { now: () => NOW }

let dir: string
let opened: OpenedDatabase
let book: BookRepository
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-book-'))
  opened = openDatabase(path.join(dir, 'book.sqlite'))
  book = new BookRepository(opened.db, clock)
})
afterEach(() => {
  closeDatabase(opened.db)
  fs.rmSync(dir, { recursive: true, force: true })
})

function parse(doc: unknown): PortfolioDocument {
  const r = parsePortfolioDocument(doc)
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.value
}

const small = (): PortfolioDocument =>
  parse({
    format: 'fulcrum.portfolio/1',
    asOf: '2026-11-24T09:30:00Z',
    desk: 'kept: an unknown top-level field',
    accounts: [
      {
        id: 'bn',
        venue: 'binance',
        marginMode: 'cross',
        collateral: [
          { asset: 'USDT', amount: '10000.00' },
          { asset: 'BTC', amount: '0.5', haircut: 0.05, custodian: 'kept' },
        ],
        label: 'kept too',
      },
      { id: 'aave', venue: 'defi', marginMode: 'cross', collateral: [{ asset: 'ETH', amount: '10', liquidationThreshold: 0.83 }], debts: [{ asset: 'USDC', amount: '12000' }] },
    ],
    positions: [
      {
        id: 'p1',
        account: 'bn',
        instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT' },
        quantity: '0.5',
        entryPrice: '60000',
        marginMode: 'isolated',
        isolatedMargin: '3000',
        marginTiers: [{ maxNotional: '50000', maintenanceRate: 0.004, maintenanceAmount: '0', maxLeverage: 125 }],
        strategy: 'basis',
      },
    ],
    market: {
      underlyings: { BTC: { price: '65000', vol: 0.55, history: [['2026-11-01', '61000.5'], ['2026-11-02', '61800']] } },
      instruments: { p1: { mark: '65010', fundingRate: 0.0001, fundingIntervalHours: 8 } },
      rates: { USD: 0 },
      correlations: { 'BTC/ETH': 0.8 },
    },
    settings: { varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: ['P1D', 'PT1H'] },
  })

describe('BookRepository', () => {
  it('round-trips a document, keeping unknown fields and normalising decimals', () => {
    const doc = small()
    book.loadDocument(doc, { replace: true })
    const out = book.toDocument()
    // Top-level unknown fields are not stored (the book is not the document); everything in it is.
    const { desk: _desk, ...expected } = doc as PortfolioDocument & { desk?: string }
    // Marks without their own time are stamped with the document's asOf, so staleness can be judged.
    expected.market.underlyings.BTC!.updatedAt = doc.asOf
    expected.market.instruments.p1!.updatedAt = doc.asOf
    expect(out).toEqual(expected)
    expect(out.accounts[0]!.collateral[0]!.amount).toBe('10000')
    expect((out.accounts[0] as Record<string, unknown>).label).toBe('kept too')
    expect((out.positions[0] as Record<string, unknown>).strategy).toBe('basis')
    // export → import → export is byte-identical
    book.loadDocument(parse(out), { replace: true })
    expect(JSON.stringify(book.toDocument())).toBe(JSON.stringify(out))
  })

  it('round-trips the demo portfolio', () => {
    const demo = demoDocument(NOW)
    book.loadDocument(demo, { replace: false, demo: true })
    const out = book.toDocument()
    expect(out.accounts).toEqual(demo.accounts)
    expect(out.positions.map((p) => p.id)).toEqual(demo.positions.map((p) => p.id))
    expect(out.market.underlyings.BTC!.history).toEqual(demo.market.underlyings.BTC!.history)
    expect(book.demoIds().accountIds).toEqual(demo.accounts.map((a) => a.id))
  })

  it('keeps a document import atomic: a failure half-way leaves the book as it was', () => {
    book.loadDocument(small(), { replace: true })
    const before = JSON.stringify(book.toDocument())
    const revision = book.revision()
    const bad = small()
    // Collateral listed twice is caught by the store after accounts and some rows are written.
    bad.accounts[1]!.collateral.push({ asset: 'ETH', amount: '1' })
    expect(() => book.loadDocument(bad, { replace: true })).toThrow(ConflictError)
    expect(JSON.stringify(book.toDocument())).toBe(before)
    expect(book.revision()).toBe(revision)
  })

  it('records the history of a position through edit, close, reopen and delete', () => {
    book.loadDocument(small(), { replace: true })
    const p = book.getPosition('p1')!
    book.savePosition({ ...p, quantity: '0.75' })
    book.closePosition('p1', '66000', '2026-11-24T10:00:00Z')
    expect(() => book.closePosition('p1', '66000', undefined)).toThrow(ConflictError)
    book.reopenPosition('p1')
    book.deletePosition('p1')
    expect(book.getPosition('p1')).toBeUndefined()
    const history = book.positionHistory('p1')
    expect(history.map((h) => h.kind)).toEqual(['opened', 'edited', 'closed', 'reopened', 'deleted'])
    expect(history[1]!.position.quantity).toBe('0.75')
    expect(history[2]!.position.closePrice).toBe('66000')
  })

  it('refuses to delete an account that holds positions unless asked to take them along', () => {
    book.loadDocument(small(), { replace: true })
    expect(() => book.deleteAccount('bn', false)).toThrow(ConflictError)
    expect(book.deleteAccount('bn', true)).toEqual({ deletedPositions: 1 })
    expect(book.getAccount('bn')).toBeUndefined()
    expect(() => book.deleteAccount('bn', true)).toThrow(NotFoundError)
  })

  it('refuses a position on an account that does not exist', () => {
    const p = small().positions[0]!
    expect(() => book.savePosition({ ...p, account: 'nope' })).toThrow(NotFoundError)
    expect(book.listPositions()).toEqual([])
  })

  it('removes the demo and what only it used, keeping the user’s own book', () => {
    book.loadDocument(demoDocument(NOW), { replace: false, demo: true })
    const mine = small()
    book.saveAccount(mine.accounts[0]!, { create: true })
    book.savePosition(mine.positions[0]!)
    book.removeDemo()
    const out = book.toDocument()
    expect(out.accounts.map((a) => a.id)).toEqual(['bn'])
    expect(out.positions.map((p) => p.id)).toEqual(['p1'])
    // BTC stays (the user's position uses it); ETH and SOL were the demo's alone.
    expect(Object.keys(out.market.underlyings)).toEqual(['BTC'])
    expect(book.demoIds()).toEqual({ accountIds: [], positionIds: [] })
  })

  it('bumps the revision once per write', () => {
    const r0 = book.revision()
    book.loadDocument(small(), { replace: true })
    expect(book.revision()).toBe(r0 + 1)
    book.saveUnderlying('ETH', { price: '3000' })
    expect(book.revision()).toBe(r0 + 2)
  })
})
