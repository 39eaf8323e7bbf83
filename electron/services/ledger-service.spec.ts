/**
 * The ledger calls through the in-process transport (the same validation as IPC and HTTP), a real SQLite
 * file, real worker threads and a fixed clock: upload in chunks, preview, confirm, progress events, cancel,
 * undo, reconcile, and the CSV exports with formula injection neutralised.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FulcrumApi, FulcrumEvent, Result } from '../shared/api-contract'
import { createInProcessApi } from '../transports/in-process'
import { closeWorkerPool } from '../workers/pool'
import { startBackend, type Backend } from './backend'

const NOW = new Date('2026-11-24T09:30:00Z')
const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'importers', '__fixtures__')

let dir: string
let backend: Backend
let api: FulcrumApi
let events: FulcrumEvent[]

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`)
  return r.value
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-ledger-svc-'))
  backend = startBackend({ dataFile: path.join(dir, 'book.sqlite'), mode: 'test', seedDemoOnCreate: false, clock: { now: () => NOW } })
  api = createInProcessApi(backend.service.table, backend.events)
  events = []
  api.onEvent((e) => events.push(e))
})
afterEach(async () => {
  await backend.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
afterAll(async () => {
  await closeWorkerPool()
})

/** Sends a file the way the renderer does: begin, then base64 chunks of at most chunkBytes. */
async function upload(bytes: Uint8Array, fileName: string, chunk?: number): Promise<string> {
  const ticket = value(await api.ledgerUploadBegin({ fileName, size: bytes.length }))
  const step = chunk ?? ticket.chunkBytes
  for (let at = 0; at < bytes.length; at += step) {
    const part = bytes.subarray(at, Math.min(bytes.length, at + step))
    value(await api.ledgerUploadChunk({ uploadId: ticket.uploadId, offset: at, data: Buffer.from(part).toString('base64') }))
  }
  return ticket.uploadId
}

const fixture = (name: string): Uint8Array => fs.readFileSync(path.join(FIXTURES, name))

describe('preview, confirm, undo through the API', () => {
  it('previews the detected format, account, dates, counts and rows, then imports on confirmation', async () => {
    const uploadId = await upload(fixture('binance-usdm-trades.csv'), 'Binance-Futures-Trade-History-202611240800(UTC+3).csv', 100)
    const preview = value(await api.ledgerPreview({ uploadId, jobId: 'p1' }))
    expect(preview).toMatchObject({
      format: 'binance-usdm-trades',
      venue: 'binance',
      accountHint: '900000001',
      account: { id: 'binance-900000001', exists: false, venue: 'binance' },
      dateRange: { from: '2026-11-20T07:15:30.000Z', to: '2026-11-21T06:45:59.000Z' },
      rowCounts: { total: 4, valid: 4, rejected: 0 },
      entries: 6,
      duplicates: 0,
      importable: true,
    })
    expect(preview.firstRows[0]).toMatchObject({ line: 2, kind: 'trade', symbol: 'BTCUSDT', quantity: '0.015', price: '65000.1' })
    expect(value(await api.bookGet({})).document.positions).toEqual([])

    const result = value(await api.ledgerImport({ uploadId, accountId: preview.account!.id, createAccount: { name: preview.account!.name }, jobId: 'i1' }))
    expect(result).toMatchObject({ format: 'binance-usdm-trades', account: 'binance-900000001', inserted: 6, duplicates: 0, rejected: [] })
    expect(events.filter((e) => e.type === 'ledger.progress' && e.jobId === 'i1').at(-1)).toMatchObject({ fraction: 1 })
    expect(events.some((e) => e.type === 'book.changed')).toBe(true)

    const doc = value(await api.bookGet({})).document
    expect(doc.positions.map((p) => [p.instrument.symbol, p.quantity, p.entryPrice]).sort()).toEqual([
      ['1000PEPEUSDT', '-100000', '0.0123456'],
      ['BTCUSDT', '0.005', '65000.1'],
      ['ETHUSDT_261225', '0.5', '3450.25'],
    ])
    // Derived positions are in the report like any other; the dated future is in the review windows.
    const report = value(await api.riskReport({})).report
    expect(report.positions).toHaveLength(3)
    expect(report.reviewWindows.map((w) => w.expiry)).toEqual(['2026-12-25T08:00:00Z'])

    const batches = value(await api.ledgerBatches({}))
    expect(batches).toEqual([expect.objectContaining({ id: result.batchId, accountId: 'binance-900000001', inserted: 6, entries: 6, undoneAt: null })])
    expect(value(await api.ledgerEntries({ accountId: 'binance-900000001', limit: 2 }))).toMatchObject({ total: 6, entries: [{ time: '2026-11-21T06:45:59Z' }, {}] })

    const undo = value(await api.ledgerUndo({ batchId: result.batchId! }))
    expect(undo).toMatchObject({ removed: 6, positions: 3 })
    expect(value(await api.bookGet({})).document.positions.filter((p) => !p.closedAt)).toEqual([])
    expect(value(await api.ledgerBatches({}))[0]).toMatchObject({ undoneAt: '2026-11-24T09:30:00Z', entries: 0 })
  })

  it('imports only the valid rows, or nothing, as asked', async () => {
    const bad = Buffer.from(fs.readFileSync(path.join(FIXTURES, 'okx-trades.csv'), 'utf8').replace('66000,10,-0.33', '66000,ten,-0.33'))
    const uploadId = await upload(bad, 'okx.csv')
    const preview = value(await api.ledgerPreview({ uploadId }))
    expect(preview.rejectedRows).toEqual([{ line: 4, column: 'PnL', value: 'ten', reason: expect.any(String) }])
    const refused = await api.ledgerImport({ uploadId, accountId: 'okx', createAccount: {}, onRejected: 'abort' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/line 4, column "PnL"/) } })
    expect(value(await api.bookGet({})).document.accounts).toEqual([])
    expect(value(await api.ledgerImport({ uploadId, accountId: 'okx', createAccount: {} }))).toMatchObject({ inserted: 7, rejectedCount: 1 })
  })

  it('refuses an unknown account without createAccount, an incomplete upload, and chunks out of order', async () => {
    const bytes = fixture('okx-trades.csv')
    const uploadId = await upload(bytes, 'okx.csv')
    expect(await api.ledgerImport({ uploadId, accountId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    const t = value(await api.ledgerUploadBegin({ fileName: 'x.csv', size: 10 }))
    expect(await api.ledgerUploadChunk({ uploadId: t.uploadId, offset: 5, data: 'AAAA' })).toMatchObject({ ok: false, error: { issues: [{ path: 'offset' }] } })
    expect(await api.ledgerPreview({ uploadId: t.uploadId })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/incomplete \(0 of 10 bytes\)/) } })
  })

  it('a cancelled import writes nothing', async () => {
    // Big enough that the worker is still reading when the cancel lands.
    const head = 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID\n'
    const rows: string[] = []
    for (let i = 0; i < 120_000; i++) rows.push(`1,2026-11-20 10:00:00,BTCUSDT,BUY,65000,0.001,65,0.01USDT,0,true,false,${i},${i}`)
    const uploadId = await upload(Buffer.from(head + rows.join('\n')), 'big.csv')
    const pending = api.ledgerImport({ uploadId, accountId: 'bn', createAccount: {}, jobId: 'big' })
    await new Promise<void>((resolve) => {
      const stop = api.onEvent((e) => {
        if (e.type === 'ledger.progress' && e.jobId === 'big' && e.fraction > 0) {
          stop()
          resolve()
        }
      })
    })
    expect(value(await api.ledgerCancel({ jobId: 'big' }))).toEqual({ cancelled: true })
    expect(await pending).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/Cancelled: nothing was written/) } })
    expect(value(await api.ledgerBatches({}))).toEqual([])
    expect(value(await api.bookGet({})).document.accounts).toEqual([])
  })

  it('adopt and keep settle a conflict with a hand-entered position', async () => {
    value(await api.accountSave({ account: { id: 'okx', venue: 'okx', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '5000' }] }, create: true }))
    value(await api.positionSave({
      position: { id: 'mine', account: 'okx', instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', contractSize: '0.01' }, quantity: '1', entryPrice: '64000' },
      indexPrice: '65000',
    }))
    const uploadId = await upload(fixture('okx-trades.csv'), 'okx.csv')
    value(await api.ledgerImport({ uploadId, accountId: 'okx' }))
    const conflict = value(await api.ledgerPositions({})).find((p) => p.symbol === 'BTC-USDT-SWAP')!
    expect(conflict).toMatchObject({ status: 'conflict', conflictWith: 'mine' })
    const after = value(await api.ledgerReconcile({ action: 'adopt', accountId: 'okx', instrumentKey: conflict.instrumentKey }))
    expect(after.positions.find((p) => p.symbol === 'BTC-USDT-SWAP')).toMatchObject({ status: 'linked', positionId: 'mine' })
    expect(value(await api.bookGet({})).document.positions.find((p) => p.id === 'mine')).toMatchObject({ quantity: '2', entryPrice: '65000' })
    expect(await api.ledgerReconcile({ action: 'adopt' })).toMatchObject({ ok: false, error: { issues: [{ path: 'instrumentKey' }] } })
  })
})

describe('CSV exports', () => {
  it('the ledger export neutralises formulas in text cells and keeps negative numbers numeric', async () => {
    const mapping = {
      venue: 'other', symbolVenue: 'binance',
      columns: { time: 'Date', symbol: 'Pair', side: 'Side', quantity: 'Qty', price: 'Price', externalId: 'Ref' },
    }
    const text = ['Date,Pair,Side,Qty,Price,Ref', '2026-11-20 10:00:00,BTCUSDT,sell,0.5,60000,=HYPERLINK("http://x")', '2026-11-20 11:00:00,BTCUSDT,buy,0.2,59000,@SUM(A1)'].join('\n')
    const uploadId = await upload(Buffer.from(text), 'mine.csv')
    value(await api.ledgerImport({ uploadId, accountId: 'gen', createAccount: {}, mapping }))
    const out = value(await api.ledgerExport({ what: 'ledger', accountId: 'gen' }))
    expect(out.fileName).toBe('fulcrum-ledger-gen-2026-11-24.csv')
    expect(out.rows).toBe(2)
    const lines = out.csv.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('Time (UTC),Account,Kind,Symbol,Side,Quantity,Price,Fee,Fee asset,Amount,Asset,Liquidity,Trade ID,Order ID,Venue type,Format,Batch,Line,Dedupe key')
    expect(lines[1]).toContain(`,sell,-0.5,60000,`)
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://x"")",`)
    expect(lines[2]).toContain(`,'@SUM(A1),`)
    expect(lines.slice(1).every((l) => !/,[=+@-][A-Z]/.test(l))).toBe(true)
  })

  it('the risk report export has one row per position, numbers as numbers', async () => {
    const uploadId = await upload(fixture('bybit-trades.csv'), 'bybit.csv')
    value(await api.ledgerImport({ uploadId, accountId: 'bb', createAccount: {} }))
    const out = value(await api.ledgerExport({ what: 'report' }))
    const lines = out.csv.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines).toHaveLength(4)
    const row = lines.find((l) => l.includes('BTCUSD,'))!.split(',')
    expect(row[9]).toBe('-5000')
    expect(row[10]).toBe('64950')
  })
})
