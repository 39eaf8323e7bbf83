import fc from 'fast-check'
import iconv from 'iconv-lite'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseImport, previewImport } from './preview'
import { ImportError, type LedgerEntry, type RowIssue } from './types'

const BINANCE = readFileSync(new URL('./__fixtures__/binance-usdm-trades.csv', import.meta.url))
const BINANCE_TEXT = BINANCE.toString('utf8').replace(/^\uFEFF/, '')
const HEADER = 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID'

function trades(p: { firstRows: LedgerEntry[] }): Pick<LedgerEntry, 'quantity' | 'price' | 'fee' | 'feeAsset'>[] {
  return p.firstRows.filter((e) => e.kind === 'trade').map(({ quantity, price, fee, feeAsset }) => ({ quantity, price, fee, feeAsset }))
}

const reference = previewImport(BINANCE, { utcOffsetMinutes: 0 })

describe('encodings and dialects', () => {
  it('reads the same trades from UTF-16 LE (Excel "Unicode text", tab-separated)', () => {
    const tsv = BINANCE_TEXT.replace(/,/g, '\t')
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf-16le')])
    const p = previewImport(bytes, { utcOffsetMinutes: 0 })
    expect(p.encoding).toBe('UTF-16 LE')
    expect(p.delimiter).toBe('\t')
    expect(p.format).toBe('binance-usdm-trades')
    expect(trades(p)).toEqual(trades(reference))
  })

  it('reads a semicolon file with decimal commas and thousands separators (a German Excel re-save)', () => {
    const german = [
      HEADER.replace(/,/g, ';'),
      '900000001;2026-11-20 10:15:30;BTCUSDT;BUY;65.000,10;0,015;975,0015;0,39000060USDT;0;true;false;5123456789;700000000001',
      '900000001;2026-11-20 14:02:11;BTCUSDT;SELL;65.500,50;0,010;655,005;0,13100100USDT;5,004;false;true;5123460001;700000000002',
      '900000001;2026-11-21 08:30:00;ETHUSDT_261225;BUY;3.450,25;0,5;1.725,125;0,00098200BNB;0;true;true;0012001;700000000003',
      '900000001;2026-11-21 09:45:59;1000PEPEUSDT;SELL;0,0123456;100.000;1.234,56;0,61728000 USDT;-12,5;false;false;88001;700000000004',
    ].join('\r\n')
    const p = previewImport(Buffer.from(german, 'latin1'), { utcOffsetMinutes: 0 })
    expect(p.delimiter).toBe(';')
    expect(p.errors).toEqual([])
    expect(trades(p)).toEqual(trades(reference))
    expect(p.numberStyles['Price']).toMatch(/decimal comma/)
    expect(p.warnings.join(' ')).toMatch(/decimal comma/)
  })

  it('reads quoted thousands separators in a comma file', () => {
    const text = `${HEADER}\n1,2026-11-20 10:15:30,BTCUSDT,BUY,"65,000.10","1,000",0,0.1USDT,0,true,false,1,1\n`
    expect(trades(previewImport(Buffer.from(text), { utcOffsetMinutes: 0 }))).toEqual([
      { quantity: '1000', price: '65000.1', fee: '0.1', feeAsset: 'USDT' },
    ])
  })

  it('rejects an ambiguous "1,234" in a semicolon file that never shows its decimal separator, saying why', () => {
    const text = `${HEADER.replace(/,/g, ';')}\n1;2026-11-20 10:15:30;BTCUSDT;BUY;65000;1,234;0;0;0;true;false;1;1\n`
    const p = previewImport(Buffer.from(text), { utcOffsetMinutes: 0 })
    expect(p.rejectedRows[0]).toMatchObject({ line: 2, column: 'Quantity', value: '1,234', reason: expect.stringMatching(/ambiguous/) })
    const fixed = previewImport(Buffer.from(text), { utcOffsetMinutes: 0, decimalSeparator: ',' })
    expect(fixed.firstRows[0]!.quantity).toBe('1.234')
  })
})

describe('CSV structure', () => {
  it('keeps line numbers right across quoted newlines and empty lines', () => {
    const text = readFileSync(new URL('./__fixtures__/deribit-transactions.csv', import.meta.url), 'utf8')
      .replace('"bc1qexampleaddress000000000000000000000000, confirmed"', '"first line\nsecond, line"')
      .replace('\r\n4000003', '\r\n\r\n\r\n4000003')
    const p = previewImport(Buffer.from(text), { fileName: 'transaction_log-1-BTC-x.csv', firstRows: 100 })
    expect(p.errors).toEqual([])
    expect(p.firstRows.find((e) => e.externalId === '4000003')!.line).toBe(7)
  })

  it('reports a truncated last line with its line number', () => {
    const cut = BINANCE.subarray(0, BINANCE.length - 40)
    const p = previewImport(cut, { utcOffsetMinutes: 0 })
    expect(p.rowCounts).toMatchObject({ total: 4, valid: 3, rejected: 1 })
    expect(p.rejectedRows[0]).toMatchObject({ line: 5, reason: expect.stringMatching(/cut short.*truncated/) })
    expect(p.warnings.join(' ')).toMatch(/looks truncated.*line 5/)
  })

  it('skips Binance\'s "No data matches the criteria." line', () => {
    const p = previewImport(Buffer.from(`${HEADER}\r\nNo data matches the criteria.\r\n`))
    expect(p.rowCounts).toMatchObject({ total: 0, skipped: 1 })
    expect(p.warnings.join(' ')).toMatch(/No data matches the criteria/)
  })

  it('gives every rejected row its line, column and reason, and keeps the good rows', () => {
    const text = BINANCE_TEXT.replace('65500.50', 'abc').replace('1000PEPEUSDT', 'PEPE-PERP')
    const p = previewImport(Buffer.from(text), { utcOffsetMinutes: 0 })
    expect(p.rowCounts).toMatchObject({ total: 4, valid: 2, rejected: 2 })
    expect(p.rejectedRows).toEqual([
      { line: 3, column: 'Price', value: 'abc', reason: '"abc" is not a number' },
      { line: 5, column: 'Symbol', value: 'PEPE-PERP', reason: expect.stringMatching(/not a Binance futures symbol/) },
    ])
    expect(p.errors[0]).toMatch(/^line 3, column "Price": /)
  })
})

describe('files that are not exports', () => {
  it('a PNG gets one clear error', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
    const p = previewImport(png)
    expect(p.errors).toEqual(['This is not a CSV file: it is a PNG image.'])
    expect(p.format).toBeNull()
    expect(p.plan).toBeNull()
  })

  it('an empty file gets one clear error', () => {
    expect(previewImport(new Uint8Array(0)).errors).toEqual(['The file is empty (0 bytes).'])
  })

  it('prose is not CSV', () => {
    expect(previewImport(Buffer.from('Dear trader\nhere are your statements\nregards\n')).fileIssues[0]!.code).toBe('not-csv')
  })

  it('an unknown header falls back to the generic mapper with the reason and a header signature', () => {
    const p = previewImport(Buffer.from('When;What;How many;At\n2026-01-01;BTCUSDT;1;5\n'))
    expect(p.format).toBe('generic')
    expect(p.confidence).toBe(0)
    expect(p.reason).toMatch(/No built-in format matches this header; map its columns\. Closest: /)
    expect(p.headerSignature).toMatch(/^h1:[0-9a-f]{20}$/)
    expect(p.rowCounts.total).toBe(1)
    expect(p.plan).toBeNull()
  })
})

describe('zones', () => {
  it('reads Binance yy-MM-dd times and lets the user override the zone', () => {
    const text = `${HEADER}\n1,26-03-17 09:34:12,BTCUSDT,BUY,1,1,1,0,0,true,false,1,1\n`
    expect(previewImport(Buffer.from(text), { fileName: 'x(UTC+3).csv' }).firstRows[0]!.time).toBe('2026-03-17T06:34:12Z')
    expect(previewImport(Buffer.from(text), { fileName: 'x(UTC+3).csv', utcOffsetMinutes: -300 }).firstRows[0]!.time).toBe('2026-03-17T14:34:12Z')
  })
})

async function collect(source: Parameters<typeof parseImport>[0], plan: NonNullable<ReturnType<typeof previewImport>['plan']>) {
  const entries: LedgerEntry[] = []
  const issues: RowIssue[] = []
  const r = await parseImport(source, plan.format, (e) => entries.push(e), (i) => issues.push(i), plan)
  return { entries, issues, summary: r.summary }
}

describe('parseImport', () => {
  it('streams the same entries from chunks as the preview shows, following its plan', async () => {
    const p = previewImport(BINANCE, { fileName: 'Binance-Futures-Trade-History-1(UTC+3).csv' })
    async function* chunks() {
      for (let i = 0; i < BINANCE.length; i += 7) yield BINANCE.subarray(i, i + 7)
    }
    const r = await collect(chunks(), p.plan!)
    expect(r.entries).toEqual(p.firstRows)
    expect(r.summary.rowCounts).toEqual(p.rowCounts)
  })

  it('detects the encoding from the first chunks when there is no plan (UTF-16 LE, 5-byte chunks)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(BINANCE_TEXT, 'utf-16le')])
    const chunks = Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => bytes.subarray(i * 5, i * 5 + 5))
    const r = await collect(chunks, { format: 'binance-usdm-trades', utcOffsetMinutes: 0 })
    expect(r.summary.encoding).toBe('utf-16le')
    expect(r.entries.map((e) => e.dedupeKey)).toEqual(reference.firstRows.map((e) => e.dedupeKey))
  })

  it('rejects a file that lacks the chosen format\'s columns', async () => {
    await expect(parseImport(BINANCE, 'deribit-transactions', () => {}, () => {})).rejects.toBeInstanceOf(ImportError)
    await expect(parseImport(BINANCE, 'deribit-transactions', () => {}, () => {})).rejects.toThrow(/lacks columns a Deribit transaction log export has/)
  })

  it('stops after maxRejected rows', async () => {
    const bad = HEADER + '\n' + Array.from({ length: 50 }, (_, i) => `1,2026-01-01 00:00:00,NOPE${i},BUY,1,1,1,0,0,true,false,${i},1`).join('\n')
    const issues: RowIssue[] = []
    const r = await parseImport(Buffer.from(bad), 'binance-usdm-trades', () => {}, (i) => issues.push(i), { maxRejected: 10 })
    expect(issues).toHaveLength(10)
    expect(r.summary.errors[0]!.code).toBe('too-many-errors')
  })
})

describe('dedupe keys', () => {
  const mapping = {
    mapping: { symbolVenue: 'binance' as const, columns: { time: 'time', symbol: 'symbol', side: 'side', quantity: 'qty', price: 'price' } },
  }
  const row = fc.record({
    minute: fc.integer({ min: 0, max: 3 }),
    side: fc.constantFrom('buy', 'sell'),
    qty: fc.constantFrom('1', '2', '0.5'),
  })

  it('are stable under re-parse and keep identical fills without ids apart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 40 }), async (rows, chunk) => {
        const text = 'time,symbol,side,qty,price\n' + rows.map((r) => `2026-01-01 00:0${r.minute}:00,BTCUSDT,${r.side},${r.qty},100`).join('\n') + '\n'
        const bytes = Buffer.from(text)
        const plan = { format: mapping, utcOffsetMinutes: 0 }
        const a = await collect(bytes, plan)
        const split = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk))
        const b = await collect(split, plan)
        expect(b.entries.map((e) => e.dedupeKey)).toEqual(a.entries.map((e) => e.dedupeKey))
        expect(new Set(a.entries.map((e) => e.dedupeKey)).size).toBe(rows.length)
      }),
      { numRuns: 50 },
    )
  })

  it('do not depend on line numbers, so an overlapping export with extra rows above keys the same fill the same way', async () => {
    const plan = { format: mapping, utcOffsetMinutes: 0 }
    const one = await collect(Buffer.from('time,symbol,side,qty,price\n2026-01-01 00:01:00,BTCUSDT,buy,1,100\n'), plan)
    const two = await collect(Buffer.from('time,symbol,side,qty,price\n2026-01-01 00:00:00,ETHUSDT,sell,3,10\n2026-01-01 00:01:00,BTCUSDT,buy,1,100\n'), plan)
    expect(two.entries[1]!.dedupeKey).toBe(one.entries[0]!.dedupeKey)
  })
})
