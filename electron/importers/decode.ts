/**
 * Bytes to text, without ever guessing silently.
 *
 * Exchange exports are UTF-8, but files reach us through Excel and mail: Excel's "Unicode text" is UTF-16 LE
 * with a BOM, "CSV" on a Western Windows is Windows-1252, and some tools drop the BOM. The rules, in order:
 * 1. nothing (or only a BOM / whitespace) is an empty file: one clear error;
 * 2. a BOM decides (UTF-8, UTF-16 LE, UTF-16 BE);
 * 3. a known binary signature (PNG, ZIP/XLSX, PDF, GZIP...) or control bytes make it "not text": one clear error;
 * 4. BOM-less UTF-16 is recognised by its zero bytes (ASCII text has a 0 in every other byte);
 * 5. valid UTF-8 is UTF-8; anything else is decoded as Windows-1252 and that choice is reported as a warning,
 *    because a wrong guess changes names (never amounts: digits are ASCII in every one of these encodings).
 * Invalid bytes never turn silently into U+FFFD: a stream that turns out not to be UTF-8 after detection
 * stops with an error that says how to retry.
 */
import iconv from 'iconv-lite'
import { isUtf8 } from 'node:buffer'
import { ImportError } from './types'

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1'

export interface EncodingInfo {
  encoding: TextEncodingName
  /** Bytes of byte-order mark at the start of the file (skipped by the decoder). */
  bomLength: number
  warnings: string[]
}

export interface DecodedText extends EncodingInfo {
  text: string
}

/** Signatures of files people pick by mistake; the message says what the file really is. */
const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx workbook is one: save it as CSV, or unzip the export)' },
  { bytes: [0x1f, 0x8b], what: 'a GZIP archive (decompress it first)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel .xls workbook (save it as CSV)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'a SQLite database' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF)' },
  { bytes: [0x4d, 0x5a], what: 'a Windows program' },
]

const SNIFF_BYTES = 64 * 1024

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  if (bytes.length < sig.length) return false
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false
  return true
}

/** Bytes outside the ones text files contain (tab, LF, FF, CR are fine; NUL and the other C0 codes are not). */
function isControl(b: number): boolean {
  return b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d
}

function guessUtf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2)
  if (pairs < 2) return undefined
  let zeroEven = 0
  let zeroOdd = 0
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) zeroEven++
    if (sample[2 * i + 1] === 0) zeroOdd++
  }
  // Latin text in UTF-16 has a zero high byte in nearly every unit; real binary has zeros on both sides.
  if (zeroOdd / pairs > 0.4 && zeroEven / pairs < 0.05) return 'utf-16le'
  if (zeroEven / pairs > 0.4 && zeroOdd / pairs < 0.05) return 'utf-16be'
  return undefined
}

/** Only spaces, line breaks and (for UTF-16) the zero bytes between them. */
function isBlank(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0) return false
  }
  return true
}

/** Windows-1252 leaves five bytes undefined; iconv-lite would turn them into U+FFFD. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d])

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  // Only called on failure, so a simple walk is fine: it names the place for the warning.
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (need < 0) return i
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined) return i
      if ((c & 0xc0) !== 0x80) return i
    }
    i += need + 1
  }
  return -1
}

/**
 * Decides the encoding of a file. `complete` says whether `bytes` is the whole file (then UTF-8 validity is
 * checked over all of it) or only its beginning (streaming: the rest is checked while decoding).
 * Throws ImportError for an empty or binary file.
 */
export function detectEncoding(bytes: Uint8Array, complete = true): EncodingInfo {
  const warnings: string[] = []
  if (bytes.length === 0) throw new ImportError({ code: 'empty', message: 'The file is empty (0 bytes).' })

  let encoding: TextEncodingName | undefined
  let bomLength = 0
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    encoding = 'utf-8'
    bomLength = 3
  } else if (startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) {
    encoding = 'utf-16le'
    bomLength = 2
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    encoding = 'utf-16be'
    bomLength = 2
  }

  if (encoding === undefined) {
    for (const sig of SIGNATURES) {
      if (startsWith(bytes, sig.bytes)) {
        throw new ImportError({ code: 'binary', message: `This is not a CSV file: it is ${sig.what}.` })
      }
    }
  }

  const sample = bytes.subarray(0, SNIFF_BYTES)
  if (encoding === undefined) {
    const utf16 = guessUtf16WithoutBom(sample)
    if (utf16) {
      encoding = utf16
      warnings.push(`The file has no byte-order mark; its zero bytes show it is ${utf16.toUpperCase()} text, decoded as such.`)
    }
  }

  const unit = encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1
  if (isBlank(bytes, bomLength)) {
    throw new ImportError({ code: 'empty', message: 'The file is empty: it holds no text, only blank lines.' })
  }

  if (unit === 1) {
    let control = 0
    for (const b of sample) if (isControl(b)) control++
    if (control > 0 && (control / sample.length > 0.01 || sample.includes(0))) {
      throw new ImportError({
        code: 'binary',
        message: 'This is not a text file: it contains binary bytes (NUL or control characters). Export the data as CSV.',
      })
    }
  }

  if (encoding === undefined) {
    const probe = complete ? bytes : trimIncompleteUtf8Tail(sample)
    if (isUtf8(probe)) {
      encoding = 'utf-8'
    } else {
      const at = firstInvalidUtf8Offset(probe)
      let undefinedIn1252 = false
      for (const b of probe) if (CP1252_UNDEFINED.has(b)) undefinedIn1252 = true
      encoding = undefinedIn1252 ? 'latin1' : 'windows-1252'
      warnings.push(
        `The file is not valid UTF-8 (first invalid byte at offset ${at}); it was decoded as ${
          encoding === 'latin1' ? 'ISO-8859-1 (Latin-1)' : 'Windows-1252'
        }. Check that names and symbols look right; numbers are unaffected.`,
      )
    }
  }
  return { encoding, bomLength, warnings }
}

/** A sample cut in the middle of a multi-byte character is not invalid UTF-8: drop the partial tail. */
function trimIncompleteUtf8Tail(sample: Uint8Array): Uint8Array {
  let end = sample.length
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = sample[end - k]!
    if ((b & 0xc0) === 0x80) continue
    if (b >= 0xc0) {
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
      if (k < len) end -= k
    }
    break
  }
  return sample.subarray(0, end)
}

export interface StreamingDecoder {
  write(chunk: Uint8Array): string
  end(): string
}

/**
 * A decoder for chunks of one file, holding back split multi-byte characters between chunks. UTF-8 is decoded
 * strictly: an invalid sequence met after detection raises an ImportError instead of a replacement character.
 * The BOM is skipped.
 */
export function createDecoder(encoding: TextEncodingName): StreamingDecoder {
  let first = true
  const stripBom = (s: string): string => {
    if (first && s.length > 0) {
      first = false
      if (s.charCodeAt(0) === 0xfeff) return s.slice(1)
    }
    return s
  }
  if (encoding === 'utf-8') {
    const td = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    const fail = (): never => {
      throw new ImportError({
        code: 'encoding',
        message:
          'The file is not valid UTF-8 past its beginning. Import it again with the encoding set to Windows-1252, or re-export it as UTF-8.',
      })
    }
    return {
      write: (chunk) => {
        try {
          return stripBom(td.decode(chunk, { stream: true }))
        } catch {
          return fail()
        }
      },
      end: () => {
        try {
          return stripBom(td.decode())
        } catch {
          return fail()
        }
      },
    }
  }
  const dec = iconv.getDecoder(encoding === 'latin1' ? 'iso-8859-1' : encoding, { stripBOM: true })
  return {
    write: (chunk) => stripBom(dec.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))),
    end: () => stripBom(dec.end() ?? ''),
  }
}

/** Convenience for a whole file in memory: detection and decoding in one call. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  const info = detectEncoding(bytes, true)
  const dec = createDecoder(info.encoding)
  const text = dec.write(bytes) + dec.end()
  return { ...info, text }
}

export function encodingLabel(info: Pick<EncodingInfo, 'encoding' | 'bomLength'>): string {
  const names: Record<TextEncodingName, string> = {
    'utf-8': 'UTF-8',
    'utf-16le': 'UTF-16 LE',
    'utf-16be': 'UTF-16 BE',
    'windows-1252': 'Windows-1252',
    latin1: 'ISO-8859-1',
  }
  return names[info.encoding] + (info.bomLength > 0 ? ' with BOM' : '')
}
