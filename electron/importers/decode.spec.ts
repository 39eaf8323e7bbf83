import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { createDecoder, decodeBytes, detectEncoding } from './decode'
import { ImportError } from './types'

const CSV = 'Symbol,Note\nBTCUSDT,café – 5€\n'

function importError(fn: () => unknown): ImportError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ImportError) return e
    throw e
  }
  throw new Error('expected an ImportError')
}

describe('decodeBytes', () => {
  it('reads UTF-8 without a BOM', () => {
    const d = decodeBytes(Buffer.from(CSV, 'utf8'))
    expect(d.encoding).toBe('utf-8')
    expect(d.bomLength).toBe(0)
    expect(d.text).toBe(CSV)
    expect(d.warnings).toEqual([])
  })

  it('strips a UTF-8 BOM so the first header is not "\\uFEFFSymbol"', () => {
    const d = decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]))
    expect(d.encoding).toBe('utf-8')
    expect(d.bomLength).toBe(3)
    expect(d.text.startsWith('Symbol')).toBe(true)
  })

  it('reads UTF-16 LE with a BOM (Excel "Unicode text")', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, 'utf-16le')])
    const d = decodeBytes(bytes)
    expect(d.encoding).toBe('utf-16le')
    expect(d.text).toBe(CSV)
  })

  it('reads UTF-16 BE with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CSV, 'utf-16be')])
    expect(decodeBytes(bytes).text).toBe(CSV)
  })

  it('recognises BOM-less UTF-16 LE from its zero bytes and says so', () => {
    const d = decodeBytes(iconv.encode(CSV, 'utf-16le'))
    expect(d.encoding).toBe('utf-16le')
    expect(d.text).toBe(CSV)
    expect(d.warnings[0]).toMatch(/no byte-order mark.*UTF-16LE/)
  })

  it('decodes Windows-1252 when the bytes are not UTF-8, and warns instead of writing U+FFFD', () => {
    const d = decodeBytes(iconv.encode(CSV, 'windows-1252'))
    expect(d.encoding).toBe('windows-1252')
    expect(d.text).toBe(CSV)
    expect(d.text).not.toContain('\uFFFD')
    expect(d.warnings[0]).toMatch(/not valid UTF-8 \(first invalid byte at offset \d+\).*Windows-1252/)
  })

  it('falls back to Latin-1 for bytes Windows-1252 leaves undefined', () => {
    const d = decodeBytes(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x81, 0x2c, 0x32, 0x0a]))
    expect(d.encoding).toBe('latin1')
    expect(d.text).not.toContain('\uFFFD')
  })

  it('refuses an empty file with one clear error', () => {
    const e = importError(() => decodeBytes(new Uint8Array(0)))
    expect(e.issue.code).toBe('empty')
    expect(e.message).toMatch(/empty/)
  })

  it('refuses a file of only a BOM and blank lines as empty', () => {
    expect(importError(() => decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a, 0x20]))).issue.code).toBe('empty')
  })

  it('names a PNG for what it is', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])
    const e = importError(() => decodeBytes(png))
    expect(e.issue.code).toBe('binary')
    expect(e.message).toMatch(/PNG image/)
  })

  it('names an xlsx workbook (a ZIP) and says to save it as CSV', () => {
    expect(importError(() => decodeBytes(Buffer.from('PK\u0003\u0004xl/workbook.xml', 'latin1'))).message).toMatch(/xlsx.*CSV/)
  })

  it('refuses unknown binary content', () => {
    const bytes = Buffer.from([1, 2, 3, 0, 5, 6, 0x41, 0x42, 0, 0, 7, 8, 9, 10, 11, 12, 0x43, 0])
    expect(importError(() => decodeBytes(bytes)).issue.code).toBe('binary')
  })
})

describe('createDecoder', () => {
  it('joins a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('a,é€\n', 'utf8')
    for (let cut = 0; cut <= bytes.length; cut++) {
      const dec = createDecoder('utf-8')
      expect(dec.write(bytes.subarray(0, cut)) + dec.write(bytes.subarray(cut)) + dec.end()).toBe('a,é€\n')
    }
  })

  it('stops with an error, not U+FFFD, when a stream stops being UTF-8', () => {
    const dec = createDecoder('utf-8')
    dec.write(Buffer.from('a,b\n', 'utf8'))
    expect(() => dec.write(Buffer.from([0x63, 0xe9, 0x0a]))).toThrow(/not valid UTF-8.*Windows-1252/)
  })

  it('detects from the start of a stream without failing on a character cut at the sample edge', () => {
    const text = 'x'.repeat(10) + 'é'
    const bytes = Buffer.from(text, 'utf8')
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), false).encoding).toBe('utf-8')
  })
})
