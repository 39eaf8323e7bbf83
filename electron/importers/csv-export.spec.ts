import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCsvRecords } from './csv'
import { guardFormula, stripFormulaGuard, toCsv, type ExportColumn } from './csv-export'

interface Row {
  note: string
  amount: string
}
const COLUMNS: ExportColumn<Row>[] = [
  { header: 'Note', type: 'text', value: (r) => r.note },
  { header: 'Amount', type: 'number', value: (r) => r.amount },
]

describe('guardFormula', () => {
  it('neutralises text that a spreadsheet would run', () => {
    for (const t of ['=SUM(A1)', '+1', '-2+3', '@cmd', '\tx', '\rx']) expect(guardFormula(t)).toBe("'" + t)
    expect(guardFormula('BTCUSDT')).toBe('BTCUSDT')
    expect(guardFormula("'=x")).toBe("''=x") // so stripping one apostrophe gives "'=x" back
    expect(stripFormulaGuard(guardFormula("'=x"))).toBe("'=x")
    expect(guardFormula("'quoted")).toBe("'quoted")
  })
})

describe('toCsv', () => {
  it('guards text cells but writes numeric cells as plain decimals, so -5 stays -5', () => {
    const csv = toCsv(COLUMNS, [
      { note: '=HYPERLINK("http://x")', amount: '-5' },
      { note: '-5', amount: '0.1' },
      { note: 'a, b\nc', amount: '12' },
    ])
    expect(csv).toBe('Note,Amount\r\n"\'=HYPERLINK(""http://x"")",-5\r\n\'-5,0.1\r\n"a, b\nc",12\r\n')
  })

  it('refuses a numeric cell that is not a plain decimal (it could carry a formula)', () => {
    expect(() => toCsv(COLUMNS, [{ note: '', amount: '=1+1' }])).toThrow(/"=1\+1" is not a plain decimal number/)
    expect(() => toCsv(COLUMNS, [{ note: '', amount: '1e5' }])).toThrow(/plain decimal/)
  })

  it('writes a BOM and other delimiters on request', () => {
    expect(toCsv(COLUMNS, [{ note: 'x;y', amount: '1' }], { bom: true, delimiter: ';', newline: '\n' })).toBe('\uFEFFNote;Amount\n"x;y";1\n')
  })

  it('export then re-parse round-trips text after stripping the guard, and numbers unchanged', () => {
    const decimal = fc.stringMatching(/^-?(0|[1-9]\d{0,8})(\.\d{1,6})?$/)
    fc.assert(
      fc.property(fc.array(fc.record({ note: fc.oneof(fc.string(), fc.constantFrom("'=x", "''+1", '-', '@a', '\t', ' x ')), amount: decimal }), { minLength: 1, maxLength: 10 }), (rows) => {
        const csv = toCsv(COLUMNS, rows)
        const back = readCsvRecords(csv, ',').records
        // Rows of only empty cells are blank lines to a reader; drop them from the expectation too.
        const expected = rows.filter((r) => !(r.note.trim() === '' && r.amount === ''))
        expect(back.slice(1).map((r) => ({ note: stripFormulaGuard(r.fields[0]!), amount: r.fields[1] }))).toEqual(expected)
      }),
    )
  })
})
