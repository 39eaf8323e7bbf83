/**
 * Exact decimal strings from what exchanges and spreadsheets write.
 *
 * Never through a float: "0.1" stays "0.1", an 18-digit Bybit amount keeps its digits, and "1,5" is never 1
 * (environment.md: `parseFloat('1,5')` is 1). Accepted: a sign (+, -, U+2212), thousands separators (comma,
 * dot, space, no-break spaces, apostrophe), a decimal comma, scientific notation ("1.2E-7", "0E-8" as Bybit
 * and OKX write) normalised to plain notation, and the venues' empty markers ("", "--", "-").
 *
 * Which of "," and "." is the decimal separator is decided from evidence, per column, over a sample of the
 * file (`inferNumberStyle`): a value with both separators settles it (the last one is the decimal), as do
 * repeated separators (only groups repeat) and a separator not followed by exactly three digits. "1,234" alone
 * is ambiguous (1234 or 1.234); it is then rejected with that reason rather than guessed, unless the file
 * decided the question elsewhere.
 */
import { Decimal, decToString } from '../shared/decimal'

export interface NumberStyle {
  decimal: '.' | ','
  /** Thousands separators accepted in this column; '' when none were seen. */
  group: string
}

export const DOT_STYLE: NumberStyle = { decimal: '.', group: ',' }
export const COMMA_STYLE: NumberStyle = { decimal: ',', group: '. \u00a0\u202f' }

export type DecimalResult = { ok: true; value: string } | { ok: false; reason: string }

/** Values venues write for "no value". */
export function isEmptyValue(text: string | undefined): boolean {
  if (text === undefined) return true
  const t = text.trim()
  return t === '' || t === '--' || t === '-' || t === '\u2014' || t.toLowerCase() === 'null' || t.toLowerCase() === 'n/a'
}

const SPACE_GROUPS = /[ \u00a0\u202f']/g
const FAST_PLAIN = /^-?\d+(?:\.\d+)?$/

/** "0065000.1000" -> "65000.1", "-0.00" -> "0": what decToString(new Decimal(x)) gives, without the Decimal. */
function canonicalPlain(text: string): string {
  let negative = false
  let t = text
  if (t.charCodeAt(0) === 45) {
    negative = true
    t = t.slice(1)
  }
  const dot = t.indexOf('.')
  let int = dot < 0 ? t : t.slice(0, dot)
  let frac = dot < 0 ? '' : t.slice(dot + 1)
  let i = 0
  while (i < int.length - 1 && int.charCodeAt(i) === 48) i++
  if (i > 0) int = int.slice(i)
  let j = frac.length
  while (j > 0 && frac.charCodeAt(j - 1) === 48) j--
  if (j < frac.length) frac = frac.slice(0, j)
  if (int === '0' && frac === '') return '0'
  return (negative ? '-' : '') + int + (frac ? '.' + frac : '')
}
const PLAIN = /^\d+(?:\.\d+)?$/
const SCI = /^(\d+(?:\.\d*)?|\.\d+)[eE]([+-]?\d{1,4})$/

/**
 * Parses one value. With `style` undefined, the value must be unambiguous on its own: "1.5", "1,5", "1,234.5"
 * and "1234" are; "1,234" and "1.234" are not.
 */
export function parseDecimal(text: string, style?: NumberStyle): DecimalResult {
  // Most exchange cells are already plain ("65000.10", "-0.5"): canonicalise them with string operations,
  // which is an order of magnitude cheaper than a Decimal per cell on a million-row file.
  // Only where a dot cannot be a thousands separator: no dot at all, or a column known to use decimal points.
  if (FAST_PLAIN.test(text) && (style?.decimal === '.' || !text.includes('.'))) return { ok: true, value: canonicalPlain(text) }
  let t = text.trim()
  if (t === '') return { ok: false, reason: 'is empty' }
  let negative = false
  if (t.startsWith('(') && t.endsWith(')')) {
    // Accounting notation from spreadsheets: (5.00) is -5.00.
    negative = true
    t = t.slice(1, -1).trim()
  }
  const sign = t[0]
  if (sign === '-' || sign === '+' || sign === '\u2212') {
    if (negative) return { ok: false, reason: `"${text.trim()}" is not a number` }
    negative = sign !== '+'
    t = t.slice(1).trim()
  }
  if (t === '') return { ok: false, reason: `"${text.trim()}" is not a number` }

  const sci = SCI.exec(t)
  if (sci) {
    // Exchanges print tiny values as "1.2E-7"; decimal.js reads the string exactly.
    const v = new Decimal((negative ? '-' : '') + t)
    return { ok: true, value: decToString(v) }
  }

  const normalised = normaliseSeparators(t, style)
  if (!normalised.ok) return { ok: false, reason: `"${text.trim()}" ${normalised.reason}` }
  if (!PLAIN.test(normalised.value)) return { ok: false, reason: `"${text.trim()}" is not a number` }
  const v = new Decimal((negative ? '-' : '') + normalised.value)
  return { ok: true, value: decToString(v) }
}

/** Returns digits with at most one "." as decimal point, or why that cannot be done. */
function normaliseSeparators(t: string, style: NumberStyle | undefined): DecimalResult {
  const hasSpaceGroups = SPACE_GROUPS.test(t)
  SPACE_GROUPS.lastIndex = 0
  let s = t.replace(SPACE_GROUPS, (m, offset: number) => {
    // Spaces only group digits: "1 234" yes, "1 2" is not a number we accept.
    return /^\d{3}(?:\D|$)/.test(t.slice(offset + 1)) ? '' : '\u0000'
  })
  if (s.includes('\u0000')) return { ok: false, reason: 'has a space that does not separate thousands' }
  const dots = count(s, '.')
  const commas = count(s, ',')
  if (dots === 0 && commas === 0) return { ok: true, value: s }

  let decimal: '.' | ',' | undefined
  if (dots > 0 && commas > 0) {
    decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ','
  } else {
    const sep = dots > 0 ? '.' : ','
    const n = dots > 0 ? dots : commas
    if (n > 1) decimal = sep === '.' ? ',' : '.' // repeated: it groups, so the other one is the decimal
    else {
      const after = s.length - s.indexOf(sep) - 1
      const before = s.indexOf(sep)
      if (after !== 3 || before === 0 || s.startsWith('0' + sep)) decimal = sep
      else if (hasSpaceGroups) decimal = sep // spaces already group the digits
      else if (style) decimal = style.decimal
      else return { ok: false, reason: `is ambiguous: "${sep}" could separate thousands or decimals; set the decimal separator` }
    }
  }
  if (style && decimal !== style.decimal) {
    return { ok: false, reason: `uses "${decimal}" as decimal separator but this column uses "${style.decimal}"` }
  }
  const group = decimal === '.' ? ',' : '.'
  if (decimal === ',' && commas > 1) return { ok: false, reason: 'has more than one decimal comma' }
  if (decimal === '.' && dots > 1) return { ok: false, reason: 'has more than one decimal point' }
  const [intPart, frac] = splitOnce(s, decimal)
  if (intPart.includes(group) && !/^\d{1,3}(?:[.,]\d{3})*$/.test(intPart)) {
    return { ok: false, reason: `has "${group}" where thousands separators do not belong` }
  }
  s = intPart.split(group).join('') + (frac === undefined ? '' : '.' + frac)
  if (s.startsWith('.')) s = '0' + s
  return { ok: true, value: s }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep)
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)]
}

function count(s: string, ch: string): number {
  let n = 0
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++
  return n
}

export interface StyleEvidence {
  style?: NumberStyle
  /** Why the style was chosen, or why it could not be (for the preview's warnings). */
  reason: string
}

/**
 * Decides the decimal separator of one column from sample values. Returns no style when the values never
 * tell (integers only, or only "1,234"-like values); `fallback` (the file's decision) then applies.
 */
export function inferNumberStyle(values: readonly string[], fallback?: NumberStyle): StyleEvidence {
  let dotVotes = 0
  let commaVotes = 0
  let example = ''
  for (const raw of values) {
    if (isEmptyValue(raw)) continue
    const t = raw.trim().replace(/^[-+\u2212(]/, '').replace(/\)$/, '')
    if (SCI.test(t)) {
      dotVotes++
      continue
    }
    const dots = count(t, '.')
    const commas = count(t, ',')
    if (dots === 0 && commas === 0) continue
    if (dots > 0 && commas > 0) {
      if (t.lastIndexOf('.') > t.lastIndexOf(',')) dotVotes++
      else commaVotes++
      example ||= raw.trim()
      continue
    }
    const sep = dots > 0 ? '.' : ','
    const n = dots + commas
    if (n > 1) {
      if (sep === '.') commaVotes++
      else dotVotes++
      example ||= raw.trim()
      continue
    }
    const idx = t.indexOf(sep)
    const after = t.length - idx - 1
    if (after !== 3 || idx === 0 || t.startsWith('0' + sep)) {
      if (sep === '.') dotVotes++
      else commaVotes++
      example ||= raw.trim()
    }
  }
  if (dotVotes > 0 && commaVotes === 0) return { style: DOT_STYLE, reason: `decimal point (e.g. "${example}")` }
  if (commaVotes > 0 && dotVotes === 0) return { style: COMMA_STYLE, reason: `decimal comma (e.g. "${example}")` }
  if (dotVotes > 0 && commaVotes > 0) {
    return {
      style: dotVotes >= commaVotes ? DOT_STYLE : COMMA_STYLE,
      reason: `mixed separators (${dotVotes} values with a decimal point, ${commaVotes} with a decimal comma); using the majority`,
    }
  }
  return fallback ? { style: fallback, reason: 'no separator evidence in this column; using the file default' } : { reason: 'no evidence' }
}

/** Writes a plain decimal string in a locale style (used by tests and by exports that want a locale). */
export function formatDecimal(value: string, style: { decimal: '.' | ','; group: string }): string {
  const negative = value.startsWith('-')
  const [intPart, frac] = splitOnce(negative ? value.slice(1) : value, '.')
  let grouped = intPart
  if (style.group !== '') {
    const parts: string[] = []
    for (let end = intPart.length; end > 0; end -= 3) parts.unshift(intPart.slice(Math.max(0, end - 3), end))
    grouped = parts.join(style.group)
  }
  return (negative ? '-' : '') + grouped + (frac === undefined ? '' : style.decimal + frac)
}

/** The locale styles Fulcrum reads; each formats and parses back to the same decimal (property-tested). */
export const SUPPORTED_LOCALE_STYLES: readonly { name: string; decimal: '.' | ','; group: string }[] = [
  { name: 'plain', decimal: '.', group: '' },
  { name: 'en', decimal: '.', group: ',' },
  { name: 'de', decimal: ',', group: '.' },
  { name: 'fr', decimal: ',', group: '\u202f' },
  { name: 'fr-nbsp', decimal: ',', group: '\u00a0' },
  { name: 'ch', decimal: '.', group: "'" },
  { name: 'plain-comma', decimal: ',', group: '' },
]
