/**
 * `fulcrum import` of exchange exports: in-process for the JSON output and exit codes, and as a real
 * subprocess killed with SIGKILL in the middle of a large import, which must leave the database as it was.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../index'
import type { CliIo } from '../command'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..')
const FIXTURES = path.join(ROOT, 'electron', 'importers', '__fixtures__')

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-cli-ledger-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '' }
  const code = await main(argv, io)
  return { code, out, err }
}

function place(fixture: string, as = fixture): string {
  const file = path.join(dir, as)
  fs.copyFileSync(path.join(FIXTURES, fixture), file)
  return file
}

describe('fulcrum import EXPORT.csv', () => {
  it('prints the JSON summary, adds nothing the second time, and export shows the derived positions', async () => {
    const db = path.join(dir, 'book.sqlite')
    const file = place('deribit-transactions.csv', 'transaction_log-100200-BTC-2026-11-24.csv')
    const first = await run(['import', file, '--db', db, '--json'])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.out)).toEqual({ format: 'deribit-transactions', account: 'deribit-100200', inserted: 9, duplicates: 0, rejected: [] })
    const again = await run(['import', file, '--db', db, '--json'])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.out)).toMatchObject({ inserted: 0, duplicates: 9 })

    const exported = await run(['export', '--db', db])
    const doc = JSON.parse(exported.out) as { accounts: { id: string; venue: string }[]; positions: Record<string, unknown>[] }
    expect(doc.accounts).toEqual([expect.objectContaining({ id: 'deribit-100200', venue: 'deribit', exchangeUid: '100200' })])
    const open = doc.positions.filter((p) => p.closedAt === undefined)
    expect(open.map((p) => [(p.instrument as { symbol: string }).symbol, p.quantity, p.entryPrice, p.origin]).sort()).toEqual([
      ['BTC-27DEC26-70000-C', '0.5', '0.0425', 'ledger'],
      ['BTC-PERPETUAL', '600', '65000', 'ledger'],
    ])
  })

  it('--account and --format are honoured; rejected rows are listed with line, column and reason', async () => {
    const db = path.join(dir, 'book.sqlite')
    const file = path.join(dir, 'trades.csv')
    fs.writeFileSync(file, fs.readFileSync(path.join(FIXTURES, 'binance-coinm-trades.csv'), 'utf8').replace(',SELL,64000.0,', ',SIDEWAYS,64000.0,'))
    const r = await run(['import', file, '--db', db, '--format', 'binance-coinm-trades', '--account', 'coin', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      format: 'binance-coinm-trades', account: 'coin', inserted: 3, duplicates: 0,
      rejected: [{ line: 2, column: 'Side', reason: '"SIDEWAYS" is not a side (expected buy or sell)' }],
    })
  })

  it('exits 2 when nothing could be imported, and --dry-run writes nothing', async () => {
    const db = path.join(dir, 'book.sqlite')
    const allBad = path.join(dir, 'bad.csv')
    fs.writeFileSync(allBad, 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID\n1,2026-11-20 10:00:00,NOPE,BUY,1,1,1,0,0,true,true,1,1\n')
    const bad = await run(['import', allBad, '--db', db, '--json'])
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.out)).toMatchObject({ inserted: 0, duplicates: 0, rejected: [{ line: 2, column: 'Symbol' }] })

    const unknown = path.join(dir, 'unknown.csv')
    fs.writeFileSync(unknown, 'a,b,c\n1,2,3\n')
    const u = await run(['import', unknown, '--db', db, '--json'])
    expect(u.code).toBe(2)
    expect(u.err).toMatch(/not an export Fulcrum knows/)

    const dry = await run(['import', place('okx-trades.csv'), '--db', db, '--dry-run', '--json'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.out)).toMatchObject({ inserted: 9 })
    const after = await run(['export', '--db', db])
    expect(JSON.parse(after.out)).toMatchObject({ accounts: [], positions: [] })

    expect((await run(['import', unknown, '--db', db, '--format', 'nasdaq'])).code).toBe(2)
  })
})

describe('a crash in the middle of an import', () => {
  it('leaves the database exactly as it was before the import (subprocess killed with SIGKILL)', async () => {
    const db = path.join(dir, 'book.sqlite')
    // Something in the ledger first, so "as it was" is not just "empty".
    expect((await run(['import', place('okx-trades.csv'), '--db', db])).code).toBe(0)
    const snapshot = (): string => {
      const h = new BetterSqlite3(db, { readonly: true })
      try {
        const tables = ['accounts', 'positions', 'underlyings', 'ledger_batches', 'ledger_entries', 'ledger_positions', 'ledger_instruments', 'meta']
        return JSON.stringify(tables.map((t) => h.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()))
      } finally {
        h.close()
      }
    }
    const before = snapshot()

    const big = path.join(dir, 'big.csv')
    const out = fs.createWriteStream(big)
    out.write('Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID\n')
    for (let i = 0; i < 400_000; i++) out.write(`7,2026-11-20 10:00:00,BTCUSDT,${i % 2 ? 'SELL' : 'BUY'},65000,0.001,65,0.01USDT,0,true,false,${i},${i}\n`)
    await new Promise<void>((resolve) => out.end(resolve))

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'cli', 'index.ts'), 'import', big, '--db', db, '--account', 'victim', '--progress'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    // Kill once the import has written a good part of the file into its open transaction.
    await new Promise<void>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stderr })
      rl.on('line', (line) => {
        const m = /^import: (\d+)% read, (\d+) entries/.exec(line)
        if (m && Number(m[1]) >= 30 && Number(m[2]) > 50_000) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.once('exit', () => reject(new Error('the import finished before it could be killed')))
    })
    expect(await exited).toBe('SIGKILL')

    expect(snapshot()).toBe(before)
    const h = new BetterSqlite3(db)
    expect(h.pragma('integrity_check', { simple: true })).toBe('ok')
    h.close()
    // And the database takes the same import afterwards.
    const r = await run(['import', place('binance-usdm-trades.csv'), '--db', db, '--json'])
    expect(JSON.parse(r.out)).toMatchObject({ inserted: 6 })
  }, 120_000)
})
