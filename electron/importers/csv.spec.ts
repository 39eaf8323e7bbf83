import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvRecordReader, headerKey, readCsvRecords, sniffDelimiter, type CsvRecord, type Delimiter } from './csv'

function readChunks(chunks: string[], delimiter: Delimiter): CsvRecord[] {
  const out: CsvRecord[] = []
  const r = new CsvRecordReader(delimiter, (rec) => {
    out.push(rec)
  })
  for (const c of chunks) r.push(c)
  r.end()
  return out
}

describe('sniffDelimiter', () => {
  it('picks comma, semicolon and tab', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n').delimiter).toBe(',')
    expect(sniffDelimiter('a;b;c\n1;2;3\n').delimiter).toBe(';')
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n').delimiter).toBe('\t')
  })

  it('is not fooled by decimal commas in a semicolon file', () => {
    const g = sniffDelimiter('Datum;Preis;Menge\n17.03.2026;65.000,10;0,5\n18.03.2026;64.900,00;1,25\n')
    expect(g.delimiter).toBe(';')
    expect(g.reason).toMatch(/semicolon/)
  })

  it('ignores delimiters inside quotes', () => {
    expect(sniffDelimiter('a;b\n"1,5";"2,5"\n"3,5";"4,5"\n').delimiter).toBe(';')
  })
})

describe('CsvRecordReader', () => {
  it('reads quoted fields with embedded delimiters, quotes and newlines, keeping physical line numbers', () => {
    const text = 'id,note,amount\n1,"a, b",5\n2,"line one\nline two",6\n3,"say ""hi""",7\n'
    const recs = readCsvRecords(text, ',').records
    expect(recs.map((r) => r.fields)).toEqual([
      ['id', 'note', 'amount'],
      ['1', 'a, b', '5'],
      ['2', 'line one\nline two', '6'],
      ['3', 'say "hi"', '7'],
    ])
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 5])
  })

  it('skips empty lines (and rows of empty fields) but counts them in line numbers', () => {
    const recs = readCsvRecords('a,b\r\n\r\n1,2\r\n   \r\n,\r\n3,4\r\n', ',').records
    expect(recs.map((r) => [r.line, r.fields.join('|')])).toEqual([
      [1, 'a|b'],
      [3, '1|2'],
      [6, '3|4'],
    ])
  })

  it('accepts CRLF, LF and lone CR line ends', () => {
    expect(readCsvRecords('a,b\r1,2\n3,4\r\n', ',').records.map((r) => r.line)).toEqual([1, 2, 3])
  })

  it('marks a last line without a line break as unterminated (for truncation checks)', () => {
    const recs = readCsvRecords('a,b,c\n1,2,3\n4,5', ',').records
    expect(recs.at(-1)).toMatchObject({ line: 3, fields: ['4', '5'], unterminated: true })
    expect(recs[1]!.unterminated).toBeUndefined()
  })

  it('reports a file that ends inside a quoted field as truncated', () => {
    const recs = readCsvRecords('a,b\n1,"never closed\n2,3\n', ',').records
    expect(recs.at(-1)!.error).toMatch(/ends inside a quoted field that starts on line 2.*truncated/)
  })

  it('reports malformed quotes on the right line', () => {
    const recs = readCsvRecords('a,b\n1,2\n"x"y,3\n4,5\n', ',').records
    expect(recs.find((r) => r.error)?.line).toBe(3)
    expect(recs.at(-1)!.fields).toEqual(['4', '5'])
  })

  it('keeps leading zeros and long ids as text', () => {
    expect(readCsvRecords('id\n0012001\n61000000000000000001\n', ',').records.map((r) => r.fields[0])).toEqual([
      'id',
      '0012001',
      '61000000000000000001',
    ])
  })

  it('gives the same records however the text is cut into chunks', () => {
    // Fields drawn from the characters that matter to record boundaries, so escaped quotes, delimiters and
    // line breaks meet inside one field and at chunk edges.
    const field = fc.oneof(fc.string({ unit: fc.constantFrom('a', '"', ',', '\n', '\r', 'é', ' ') }), fc.string())
    const row = fc.tuple(field, field)
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (rows, cuts) => {
        const quote = (s: string): string => '"' + s.replace(/"/g, '""') + '"'
        const text = 'h1,h2\r\n' + rows.map(([a, b]) => `${quote(a)},${quote(b)}`).join('\r\n') + '\r\n'
        const whole = readChunks([text], ',')
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((x, y) => x - y)
        const chunks: string[] = []
        let prev = 0
        for (const p of points) {
          chunks.push(text.slice(prev, p))
          prev = p
        }
        chunks.push(text.slice(prev))
        expect(readChunks(chunks, ',')).toEqual(whole)
      }),
      { numRuns: 300 },
    )
  })
})

describe('headerKey', () => {
  it('matches headers regardless of BOM, case and spacing', () => {
    expect(headerKey('\uFEFF  Fee  Paid ')).toBe('fee paid')
    expect(headerKey('Realized Profit')).toBe(headerKey('realized   profit'))
  })
})
