/**
 * CSV records from text chunks, for files of a million rows.
 *
 * Papaparse splits fields (quotes, doubled quotes, embedded delimiters and newlines); batches without any
 * quote character are split on the delimiter directly, which is the same answer several times faster. Around it, a small
 * quote-aware scanner finds where complete records end, so text can arrive in chunks of any size (a chunk
 * may end inside a quoted field or between \r and \n) and every record knows the physical line it starts
 * on: "line 1,204" must mean line 1,204 in the user's editor even when an earlier field held a newline.
 * Nothing is collected: each record goes to the callback and is forgotten.
 *
 * The scanner and papaparse follow the same RFC 4180 rules; when they disagree on a malformed batch, the
 * batch is re-parsed record by record so the error lands on the right line.
 */
import Papa from 'papaparse'

export type Delimiter = ',' | ';' | '\t'
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t']

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number
  fields: string[]
  /** Set when papaparse or the scanner could not read the record cleanly (bad quotes, truncation). */
  error?: string
  /** The last record of the file, not followed by a line break. */
  unterminated?: boolean
}

export function delimiterName(d: Delimiter): string {
  return d === ',' ? 'comma' : d === ';' ? 'semicolon' : 'tab'
}

/** Header text as shown to the user: BOM and surrounding spaces removed. */
export function cleanHeader(h: string): string {
  return h.replace(/^\uFEFF+/, '').trim()
}

/** Header text for matching: also case-, width- and space-insensitive ("Fee  Paid" = "fee paid"). */
export function headerKey(h: string): string {
  return cleanHeader(h).normalize('NFKC').toLowerCase().replace(/\s+/g, ' ')
}

export interface DelimiterGuess {
  delimiter: Delimiter
  reason: string
}

/**
 * Picks the delimiter among comma, semicolon and tab from the first lines: the one that splits the most lines
 * into the same number (> 1) of fields, ties going to the one giving more fields. Characters inside quotes are
 * ignored, so "1,5" in a semicolon file does not vote for comma.
 */
export function sniffDelimiter(sample: string): DelimiterGuess {
  const lines: string[] = []
  for (const raw of sample.split(/\r\n|\n|\r/)) {
    if (raw.trim() !== '') lines.push(raw)
    if (lines.length >= 30) break
  }
  let best: { d: Delimiter; score: number; fields: number } | undefined
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d))
    const freq = new Map<number, number>()
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1)
    let modeCount = 0
    let modeFields = 0
    for (const [c, n] of freq) {
      if (n > modeCount || (n === modeCount && c > modeFields)) {
        modeCount = n
        modeFields = c
      }
    }
    const score = modeCount
    if (score > 0 && (!best || score > best.score || (score === best.score && modeFields > best.fields))) {
      best = { d, score, fields: modeFields }
    }
  }
  if (!best) return { delimiter: ',', reason: 'no comma, semicolon or tab found; assuming comma (one column)' }
  return {
    delimiter: best.d,
    reason: `${best.score} of the first ${lines.length} lines split into ${best.fields + 1} fields on ${delimiterName(best.d)}`,
  }
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0
  let q = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '"') q = !q
    else if (!q && ch === d) n++
  }
  return n
}

const QUOTE = 34
const LF = 10
const CR = 13

/**
 * Feeds text in, gets records out. `push` may be called with chunks cut anywhere; `end` flushes the last
 * record and reports a file that ends inside a quoted field (a truncated download or copy).
 */
export class CsvRecordReader {
  private pending = ''
  private scanPos = 0
  private recordStart = 0
  private recordLine = 1
  private line = 1
  private inQuote = false
  private fieldStart = true
  private readonly delimCode: number
  private stopped = false

  constructor(
    readonly delimiter: Delimiter,
    private readonly onRecord: (record: CsvRecord) => void | false,
  ) {
    this.delimCode = delimiter.charCodeAt(0)
  }

  /** True once the callback returned false: the rest of the input is ignored. */
  get isStopped(): boolean {
    return this.stopped
  }

  push(text: string): void {
    if (this.stopped || text.length === 0) return
    this.pending += text
    this.scan(false)
  }

  end(): void {
    if (this.stopped) return
    this.scan(true)
    const rest = this.pending.slice(this.recordStart)
    if (rest.trim() === '' && !this.inQuote) return
    if (this.inQuote) {
      this.emit({
        line: this.recordLine,
        fields: this.splitOne(rest + '"').fields,
        error: `the file ends inside a quoted field that starts on line ${this.recordLine}: it looks truncated`,
        unterminated: true,
      })
      return
    }
    const one = this.splitOne(rest)
    this.emit({ line: this.recordLine, fields: one.fields, error: one.error, unterminated: true })
  }

  private scan(final: boolean): void {
    const s = this.pending
    const n = s.length
    const batch: { start: number; end: number; line: number }[] = []
    let i = this.scanPos
    // Next quote and carriage return at or after i, looked up lazily (a fresh indexOf per record would scan
    // to the end of the chunk each time when the file has none).
    let nextQuote = -2
    let nextCr = -2
    while (i < n) {
      // Fast path: at the start of a record with no quote before its line feed (nearly every exchange row),
      // jump to the line feed instead of walking characters.
      if (!this.inQuote && i === this.recordStart) {
        const lf = s.indexOf('\n', i)
        if (lf >= 0) {
          if (nextQuote !== -1 && nextQuote < i) nextQuote = s.indexOf('"', i)
          if (nextCr !== -1 && nextCr < i) nextCr = s.indexOf('\r', i)
          const q = nextQuote
          const cr = nextCr
          if ((q < 0 || q > lf) && (cr < 0 || cr >= lf - 1)) {
            batch.push({ start: i, end: cr === lf - 1 ? lf - 1 : lf, line: this.recordLine })
            i = lf + 1
            this.line++
            this.recordStart = i
            this.recordLine = this.line
            this.fieldStart = true
            continue
          }
        }
      }
      const c = s.charCodeAt(i)
      if (this.inQuote) {
        if (c === QUOTE) {
          if (i + 1 >= n && !final) break // cannot tell "" from " yet
          if (s.charCodeAt(i + 1) === QUOTE) {
            i += 2
            continue
          }
          this.inQuote = false
        } else if (c === LF) {
          this.line++
        } else if (c === CR) {
          if (i + 1 >= n && !final) break
          if (s.charCodeAt(i + 1) !== LF) this.line++
        }
        i++
        continue
      }
      if (c === QUOTE && this.fieldStart) {
        this.inQuote = true
        this.fieldStart = false
        i++
        continue
      }
      if (c === this.delimCode) {
        this.fieldStart = true
        i++
        continue
      }
      if (c === LF || c === CR) {
        if (c === CR && i + 1 >= n && !final) break
        const termLen = c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1
        batch.push({ start: this.recordStart, end: i, line: this.recordLine })
        i += termLen
        this.line++
        this.recordStart = i
        this.recordLine = this.line
        this.fieldStart = true
        continue
      }
      this.fieldStart = false
      i++
    }
    this.scanPos = i
    if (batch.length > 0) this.flush(s, batch)
    // Drop consumed text so memory stays bounded by one chunk plus one partial record.
    if (this.recordStart > 0 && !this.stopped) {
      this.pending = this.pending.slice(this.recordStart)
      this.scanPos -= this.recordStart
      this.recordStart = 0
    }
  }

  private flush(s: string, batch: { start: number; end: number; line: number }[]): void {
    const texts: string[] = []
    const lines: number[] = []
    for (const r of batch) {
      const t = s.slice(r.start, r.end)
      if (t.trim() === '') continue // empty lines are skipped, not rows
      texts.push(t)
      lines.push(r.line)
    }
    if (texts.length === 0) return
    if (!texts.some((t) => t.includes('"'))) {
      // Without a quote character, RFC 4180 fields are exactly the pieces between delimiters; papaparse is
      // kept for records that quote (it would give the same answer here, several times slower).
      for (let k = 0; k < texts.length; k++) {
        if (!this.emit({ line: lines[k]!, fields: texts[k]!.split(this.delimiter) })) return
      }
      return
    }
    const parsed = Papa.parse<string[]>(texts.join('\n'), {
      delimiter: this.delimiter,
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
      header: false,
      dynamicTyping: false, // ids like "0012" must keep their zeros
      skipEmptyLines: false,
    })
    if (parsed.data.length === texts.length && parsed.errors.length === 0) {
      for (let k = 0; k < texts.length; k++) {
        if (!this.emit({ line: lines[k]!, fields: parsed.data[k]! })) return
      }
      return
    }
    for (let k = 0; k < texts.length; k++) {
      const one = this.splitOne(texts[k]!)
      if (!this.emit({ line: lines[k]!, fields: one.fields, error: one.error })) return
    }
  }

  private splitOne(text: string): { fields: string[]; error?: string } {
    const r = Papa.parse<string[]>(text, {
      delimiter: this.delimiter,
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
    })
    const fields = r.data.length === 1 ? r.data[0]! : r.data.flat()
    const err = r.errors[0]
    return err ? { fields, error: `malformed CSV: ${err.message.toLowerCase()}` } : { fields }
  }

  private emit(record: CsvRecord): boolean {
    if (this.stopped) return false
    // A row of only empty fields (",,,," as spreadsheets write) is an empty line too.
    if (!record.error && record.fields.every((f) => f.trim() === '')) return true
    if (this.onRecord(record) === false) {
      this.stopped = true
      return false
    }
    return true
  }
}

export interface SmallCsv {
  delimiter: Delimiter
  records: CsvRecord[]
}

/** Convenience for small texts (tests, pasted snippets): every record in memory. */
export function readCsvRecords(text: string, delimiter?: Delimiter): SmallCsv {
  const d = delimiter ?? sniffDelimiter(text.slice(0, 64 * 1024)).delimiter
  const records: CsvRecord[] = []
  const reader = new CsvRecordReader(d, (r) => {
    records.push(r)
  })
  reader.push(text.replace(/^\uFEFF/, ''))
  reader.end()
  return { delimiter: d, records }
}
