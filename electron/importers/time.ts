/**
 * Exchange timestamps to ISO UTC instants.
 *
 * Exports write local wall-clock times without a zone and say the zone elsewhere: in the header
 * ("Date(UTC)", Bybit's "Transaction Time(UTC+0)"), in a preamble line (OKX "Time Zone:UTC+8"), or in the
 * file name (Binance "...Trade-History-202603230520(UTC+3).csv"). The importer gathers that evidence into a
 * fixed offset; where there is none it assumes UTC and says so. Offsets are fixed: a zone with daylight
 * saving would need the IANA name, which no venue writes.
 */

export type TimeResult = { ok: true; iso: string; epochMs: number } | { ok: false; reason: string }

export interface ZoneEvidence {
  /** Minutes east of UTC. */
  offsetMinutes: number
  /** Where it came from, for the preview ("file name (UTC+3)"). */
  source: string
  /** True when nothing said and UTC was assumed. */
  assumed: boolean
}

const UTC_OFFSET_RE = /(?:UTC|GMT)\s*([+\-\u2212]{1,2})?\s*(\d{1,2})(?::?(\d{2}))?/i

/**
 * Reads "UTC+3", "UTC-05:30", "GMT+8", "UTC+0", "UTC" and Binance's "UTC--6" (seen in real file names, meaning
 * UTC-6) into minutes east of UTC. Returns undefined when the text has no such marker.
 */
export function parseUtcOffset(text: string): number | undefined {
  const m = UTC_OFFSET_RE.exec(text)
  if (!m) {
    return /\b(?:UTC|GMT)\b/i.test(text) ? 0 : undefined
  }
  const sign = m[1] && /[-\u2212]/.test(m[1]) ? -1 : 1
  const hours = Number(m[2])
  const minutes = m[3] ? Number(m[3]) : 0
  if (hours > 14 || minutes > 59) return undefined
  return sign * (hours * 60 + minutes)
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const a = Math.abs(minutes)
  const h = Math.floor(a / 60)
  const m = a % 60
  return `UTC${sign}${h}${m ? ':' + String(m).padStart(2, '0') : ''}`
}

const PATTERNS: readonly { re: RegExp; order: 'ymd' | 'yymd' | 'hm-ymd' | 'dmy' }[] = [
  // 2026-03-17 09:34:12(.123) and the same with "T" or "/" separators
  { re: /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/, order: 'ymd' },
  // Binance's newer exports: 26-03-17 09:34:12 (two-digit year first)
  { re: /^(\d{2})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/, order: 'yymd' },
  // Bybit's trade history: 10:00 2026-01-10 (time first)
  { re: /^(\d{1,2}):(\d{2})(?::(\d{2}))? (\d{4})-(\d{1,2})-(\d{1,2})$/, order: 'hm-ymd' },
  // Spreadsheets re-saved in Europe: 17.03.2026 09:34(:12)
  { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/, order: 'dmy' },
]

function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): TimeResult {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return { ok: false, reason: 'is not a valid date and time' }
  }
  const local = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms)
  const check = new Date(local)
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return { ok: false, reason: 'is not a valid calendar date' }
  const epochMs = local - offset * 60_000
  return { ok: true, epochMs, iso: isoFromEpoch(epochMs) }
}

/** Canonical form shared with the portfolio document: no ".000" when there are no milliseconds. */
export function isoFromEpoch(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z')
}

function fraction(f: string | undefined): number {
  return f ? Math.round(Number(('0.' + f).slice(0, 5)) * 1000) : 0
}

/**
 * Parses one timestamp. A zone written in the value itself ("Z", "+08:00") wins over `offsetMinutes`.
 * Epoch numbers are accepted in seconds (10 digits) and milliseconds (13 digits).
 */
/** Consecutive fills of one order share their timestamp: remember the last answer. */
let lastText = ''
let lastOffset = 0
let lastResult: TimeResult | undefined

export function parseTimestamp(text: string, offsetMinutes = 0): TimeResult {
  if (text === lastText && offsetMinutes === lastOffset && lastResult) return lastResult
  const r = parseTimestampUncached(text, offsetMinutes)
  lastText = text
  lastOffset = offsetMinutes
  lastResult = r
  return r
}

function parseTimestampUncached(text: string, offsetMinutes: number): TimeResult {
  const t = text.trim()
  if (t === '') return { ok: false, reason: 'is empty' }
  if (/^\d{13}$/.test(t)) {
    const ms = Number(t)
    return { ok: true, epochMs: ms, iso: isoFromEpoch(ms) }
  }
  if (/^\d{10}$/.test(t)) {
    const ms = Number(t) * 1000
    return { ok: true, epochMs: ms, iso: isoFromEpoch(ms) }
  }
  const zoned = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(t)
  if (zoned) {
    const zone = zoned[3]!.toUpperCase()
    const off = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)))
    return parseTimestamp(`${zoned[1]} ${zoned[2]}`, off)
  }
  for (const { re, order } of PATTERNS) {
    const m = re.exec(t)
    if (!m) continue
    const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]))
    switch (order) {
      case 'ymd':
        return instant(n(1), n(2), n(3), n(4), n(5), n(6), fraction(m[7]), offsetMinutes)
      case 'yymd':
        return instant(2000 + n(1), n(2), n(3), n(4), n(5), n(6), fraction(m[7]), offsetMinutes)
      case 'hm-ymd':
        return instant(n(4), n(5), n(6), n(1), n(2), n(3), 0, offsetMinutes)
      case 'dmy':
        return instant(n(3), n(2), n(1), n(4), n(5), n(6), 0, offsetMinutes)
    }
  }
  return { ok: false, reason: `"${t}" is not a date and time Fulcrum reads (e.g. "2026-03-17 09:34:12")` }
}
