/**
 * CSV out, safe to open in a spreadsheet.
 *
 * A text cell that starts with =, +, -, @, tab or carriage return is a formula to Excel, LibreOffice and
 * Google Sheets (OWASP "CSV Injection"): an exchange symbol, a note or a file name from an untrusted export
 * could run there. Such text cells get a leading apostrophe. Numeric columns are not text: they are written
 * as plain decimals and never rewritten, so "-5" stays -5 (papaparse's escapeFormulae would turn it into
 * "'-5", environment.md). A numeric column therefore only accepts plain decimal strings or finite numbers.
 */
import { DECIMAL_RE } from '../shared/decimal'

export interface ExportColumn<Row> {
  header: string
  type: 'text' | 'number'
  value(row: Row): string | number | null | undefined
}

export interface CsvWriteOptions {
  delimiter?: ',' | ';' | '\t'
  newline?: '\r\n' | '\n'
  /** A UTF-8 BOM makes Excel read the file as UTF-8 instead of the system code page. */
  bom?: boolean
}

/**
 * Formula starts, also behind apostrophes: "'=x" is guarded too ("''=x"), so that stripping one apostrophe
 * always gives back the original text, even text that already began with a guard.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/

/** Neutralises a text cell that a spreadsheet would run as a formula. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? "'" + text : text
}

/** Undoes guardFormula for text Fulcrum wrote itself (round trips in tests and re-imports). */
export function stripFormulaGuard(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text
}

function quote(cell: string, delimiter: string): string {
  if (cell.includes('"') || cell.includes(delimiter) || cell.includes('\n') || cell.includes('\r') || cell !== cell.trim()) {
    return '"' + cell.replace(/"/g, '""') + '"'
  }
  return cell
}

function numberCell(v: string | number, header: string): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`column "${header}": ${v} is not a finite number`)
    return String(v)
  }
  const t = v.trim()
  if (!DECIMAL_RE.test(t)) throw new Error(`column "${header}": "${v}" is not a plain decimal number`)
  return t
}

export function formatRow<Row>(columns: readonly ExportColumn<Row>[], row: Row, delimiter = ','): string {
  return columns
    .map((c) => {
      const v = c.value(row)
      if (v === null || v === undefined) return ''
      if (c.type === 'number') return numberCell(v, c.header)
      return quote(guardFormula(String(v)), delimiter)
    })
    .join(delimiter)
}

/** A writer for exports of any size: rows go to `write` one line at a time. */
export function createCsvWriter<Row>(
  columns: readonly ExportColumn<Row>[],
  write: (chunk: string) => void,
  options: CsvWriteOptions = {},
): { row(row: Row): void } {
  const d = options.delimiter ?? ','
  const nl = options.newline ?? '\r\n'
  write((options.bom ? '\uFEFF' : '') + columns.map((c) => quote(guardFormula(c.header), d)).join(d) + nl)
  return { row: (r) => write(formatRow(columns, r, d) + nl) }
}

/** Convenience for small exports: the whole CSV as one string. */
export function toCsv<Row>(columns: readonly ExportColumn<Row>[], rows: Iterable<Row>, options: CsvWriteOptions = {}): string {
  const parts: string[] = []
  const w = createCsvWriter(columns, (s) => parts.push(s), options)
  for (const r of rows) w.row(r)
  return parts.join('')
}
