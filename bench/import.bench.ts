/**
 * Exchange CSV import at scale: a generated 1,000,000-row Binance USDⓈ-M trade-history export (the real
 * header and value shapes of the fixture, fees with their currency suffix, realized profit on every third
 * fill), read from a file in 1 MB chunks as the app does.
 *
 * - baseline, "parse only": bytes → UTF-8 text → CSV records, nothing else (the floor of any import);
 * - "parse + detect + map": the whole streaming pipeline to ledger entries (encoding and format detection,
 *   zone, decimals, symbols, dedupe keys), no database;
 * - "import into SQLite": runImport as the worker runs it: one transaction into a fresh database, entries
 *   unique per account, then the positions derived from 1.33 M entries and written to the book.
 *
 * Items are rows of the file. Memory: the peak heap and RSS seen during one import of the 1M-row file and
 * of a 100k-row file, sampled at every 1 % of progress. Streaming means the two peaks are about the same.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BenchSuite } from './harness'
import { CsvRecordReader } from '../electron/importers/csv'
import { createDecoder } from '../electron/importers/decode'
import { ImportSession } from '../electron/importers/pipeline'
import { closeDatabase, openDatabase } from '../electron/store/database'
import { runImport } from '../electron/services/ledger-jobs'

const ROWS = 1_000_000
const SMALL_ROWS = 100_000
const CHUNK = 1024 * 1024
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-import-'))
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))

const SYMBOLS = [
  ['BTCUSDT', 65000],
  ['ETHUSDT', 3400],
  ['SOLUSDT', 180],
  ['ETHUSDT_261225', 3450],
] as const

function generate(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w')
  let buf = '\uFEFFUid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID\r\n'
  let state = 12345
  const rand = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
  const t0 = Date.UTC(2026, 0, 1)
  for (let i = 0; i < rows; i++) {
    const [symbol, px] = SYMBOLS[i % SYMBOLS.length]!
    const price = (px * (0.9 + rand() * 0.2)).toFixed(2)
    const qty = (0.001 + rand()).toFixed(3)
    const side = rand() < 0.5 ? 'BUY' : 'SELL'
    const time = new Date(t0 + i * 7_000).toISOString().slice(0, 19).replace('T', ' ')
    const fee = (Number(price) * Number(qty) * 0.0004).toFixed(8)
    const pnl = i % 3 === 0 ? (rand() * 20 - 10).toFixed(4) : '0'
    buf += `900000001,${time},${symbol},${side},${price},${qty},${(Number(price) * Number(qty)).toFixed(4)},${fee}USDT,${pnl},${side === 'BUY'},${rand() < 0.3},${5_000_000_000 + i},${7_000_000_000 + i}\r\n`
    if (buf.length > CHUNK) {
      fs.writeSync(fd, buf)
      buf = ''
    }
  }
  fs.writeSync(fd, buf)
  fs.closeSync(fd)
}

const bigFile = path.join(dir, 'Binance-Futures-Trade-History-202611240800(UTC+0).csv')
const smallFile = path.join(dir, 'small(UTC+0).csv')
generate(bigFile, ROWS)
generate(smallFile, SMALL_ROWS)

function eachChunk(file: string, fn: (chunk: Uint8Array) => void): void {
  const fd = fs.openSync(file, 'r')
  try {
    for (let at = 0; ; ) {
      const buf = Buffer.allocUnsafe(CHUNK)
      const n = fs.readSync(fd, buf, 0, CHUNK, at)
      if (n === 0) break
      fn(buf.subarray(0, n))
      at += n
    }
  } finally {
    fs.closeSync(fd)
  }
}

function parseOnly(file: string): number {
  let records = 0
  const decoder = createDecoder('utf-8')
  const reader = new CsvRecordReader(',', () => {
    records++
  })
  eachChunk(file, (c) => reader.push(decoder.write(c)))
  reader.push(decoder.end())
  reader.end()
  return records - 1
}

function pipeline(file: string): number {
  let entries = 0
  const session = new ImportSession(undefined, { fileName: path.basename(file) }, { onEntry: () => void entries++ })
  eachChunk(file, (c) => session.pushBytes(c))
  const s = session.end()
  if (s.errors.length || s.rowCounts.rejected) throw new Error(`bench file did not parse cleanly: ${JSON.stringify(s.errors)}`)
  return entries
}

interface Peak {
  heapMb: number
  rssMb: number
}

let run = 0
function importOnce(file: string, peak?: Peak): number {
  const dbFile = path.join(dir, `bench-${run++}.sqlite`)
  closeDatabase(openDatabase(dbFile).db)
  const sample = (): void => {
    if (!peak) return
    const m = process.memoryUsage()
    peak.heapMb = Math.max(peak.heapMb, m.heapUsed / 2 ** 20)
    peak.rssMb = Math.max(peak.rssMb, m.rss / 2 ** 20)
  }
  const r = runImport({
    dbFile, now: '2026-11-24T08:00:00Z', filePath: file, fileName: path.basename(file), accountId: 'bench', createAccount: {},
    onRejected: 'abort', progress: sample,
  })
  sample()
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true })
  return r.inserted
}

const bigPeak: Peak = { heapMb: 0, rssMb: 0 }
const smallPeak: Peak = { heapMb: 0, rssMb: 0 }

const suite: BenchSuite = {
  title: `Exchange CSV import: ${ROWS.toLocaleString('en-US')}-row Binance USDⓈ-M export (${(fs.statSync(bigFile).size / 2 ** 20).toFixed(0)} MB), streamed in 1 MB chunks`,
  item: 'row',
  baseline: 'parse only (decode + CSV records)',
  // Each run takes seconds: no timed warm-up beyond the harness's two runs, three samples.
  options: { warmupMs: 0, samples: 3, minSampleMs: 0 },
  verify: () => {
    const records = parseOnly(smallFile)
    const entries = pipeline(smallFile)
    // Every row is one fill; every third carries realized profit (a second entry).
    const expected = SMALL_ROWS + Math.ceil(SMALL_ROWS / 3)
    if (records !== SMALL_ROWS || entries !== expected) throw new Error(`parse ${records} rows, pipeline ${entries} entries, want ${SMALL_ROWS}/${expected}`)
    const inserted = importOnce(smallFile, smallPeak)
    if (inserted !== expected) throw new Error(`import wrote ${inserted} entries, want ${expected}`)
  },
  cases: [
    { name: 'parse only (decode + CSV records)', itemsPerRun: ROWS, run: () => parseOnly(bigFile) },
    { name: 'parse + detect + map to entries', itemsPerRun: ROWS, run: () => pipeline(bigFile) },
    { name: 'import into SQLite (one transaction + positions)', itemsPerRun: ROWS, run: () => importOnce(bigFile, bigPeak) },
  ],
  note: () =>
    `Peak memory while importing (sampled every 1 %): 1M rows heap ${bigPeak.heapMb.toFixed(0)} MB, RSS ${bigPeak.rssMb.toFixed(0)} MB; ` +
    `100k rows heap ${smallPeak.heapMb.toFixed(0)} MB, RSS ${smallPeak.rssMb.toFixed(0)} MB. ` +
    `Ten times the rows, ${(bigPeak.heapMb / Math.max(1, smallPeak.heapMb)).toFixed(1)}× the heap: streamed, not held. ` +
    'The import case includes a fresh database per run, the unique (account, dedupe key) index, and deriving the positions from every entry.',
}

export default suite
