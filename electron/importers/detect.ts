/**
 * Which export is this? Decided from the header (every required column of a format must be there; the more
 * of its columns and the fewer unknown ones, the surer), then from the first rows where two formats share a
 * header (Binance USDⓈ-M and COIN-M). Below MIN_CONFIDENCE the answer is the generic mapper, with the
 * closest format and what it lacks as the reason, so the user sees why their file was not recognised.
 */
import { cleanHeader, headerKey } from './csv'
import { BUILT_IN_FORMATS } from './formats'
import type { ColumnSpec, FormatDefinition, RowView } from './formats/format'
import { headerSignature } from './generic'
import type { FormatId } from './types'

export const MIN_CONFIDENCE = 0.5

export interface ColumnMatch {
  /** Column key to its index in the header. */
  index: Map<string, number>
  /** Header text of each matched key, as written in the file (for messages). */
  headerOf: Map<string, string>
  missingRequired: string[]
  matched: number
  distinctiveMatched: number
  unknownHeaders: string[]
}

function nameMatches(spec: ColumnSpec, key: string): boolean {
  return spec.names.some((n) => (typeof n === 'string' ? n === key : n.test(key)))
}

export function matchColumns(columns: readonly ColumnSpec[], headers: readonly string[]): ColumnMatch {
  const keys = headers.map(headerKey)
  const used = new Set<number>()
  const index = new Map<string, number>()
  const headerOf = new Map<string, string>()
  const missingRequired: string[] = []
  let distinctiveMatched = 0
  for (const spec of columns) {
    const i = keys.findIndex((k, j) => !used.has(j) && nameMatches(spec, k))
    if (i >= 0) {
      used.add(i)
      index.set(spec.key, i)
      headerOf.set(spec.key, cleanHeader(headers[i]!))
      if (spec.distinctive) distinctiveMatched++
    } else if (spec.required) {
      const first = spec.names.find((n) => typeof n === 'string')
      missingRequired.push(typeof first === 'string' ? first : spec.key)
    }
  }
  const unknownHeaders = headers.filter((h, j) => !used.has(j) && cleanHeader(h) !== '').map(cleanHeader)
  return { index, headerOf, missingRequired, matched: index.size, distinctiveMatched, unknownHeaders }
}

export interface DetectionCandidate {
  format: FormatId
  label: string
  confidence: number
  reason: string
}

export interface Detection {
  /** 'generic' when no built-in format fits: the user maps the columns. */
  format: FormatId
  confidence: number
  reason: string
  candidates: DetectionCandidate[]
  headerSignature: string
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

export function scoreFormat(
  format: FormatDefinition,
  headers: readonly string[],
  makeRows?: (match: ColumnMatch) => readonly RowView[],
): DetectionCandidate {
  const m = matchColumns(format.columns, headers)
  const required = format.columns.filter((c) => c.required).length
  if (m.missingRequired.length > 0) {
    const have = required - m.missingRequired.length
    return {
      format: format.id,
      label: format.label,
      confidence: round2((0.4 * have) / required),
      reason: `${format.label}: missing ${m.missingRequired.map((c) => `"${c}"`).join(', ')}`,
    }
  }
  const distinctive = format.columns.filter((c) => c.distinctive).length
  const known = headers.filter((h) => cleanHeader(h) !== '').length || 1
  let confidence =
    0.6 +
    0.2 * (m.matched / format.columns.length) +
    0.2 * (distinctive ? m.distinctiveMatched / distinctive : 1) -
    0.3 * (m.unknownHeaders.length / known)
  let reason = `${format.label}: all ${required} required columns, ${m.matched} of ${format.columns.length} known columns`
  if (m.unknownHeaders.length) reason += `, ${m.unknownHeaders.length} unknown (${m.unknownHeaders.slice(0, 3).join(', ')})`
  if (format.sampleAffinity && makeRows) {
    const a = format.sampleAffinity(makeRows(m))
    confidence += 0.15 * a.score
    reason += `; ${a.reason}`
  }
  return { format: format.id, label: format.label, confidence: round2(Math.max(0, Math.min(1, confidence))), reason }
}

/**
 * Picks the format of a file from its header and, optionally, its first data rows (raw fields).
 */
export function detectFormat(headers: readonly string[], sampleRows: readonly { line: number; fields: readonly string[] }[] = []): Detection {
  const makeRows = (m: ColumnMatch): RowView[] =>
    sampleRows.map((r) => ({
      line: r.line,
      has: (k: string) => m.index.has(k),
      text: (k: string) => {
        const i = m.index.get(k)
        return i === undefined ? '' : (r.fields[i] ?? '').trim()
      },
    }))
  const candidates = BUILT_IN_FORMATS.map((f) => scoreFormat(f, headers, makeRows)).sort((a, b) => b.confidence - a.confidence)
  const best = candidates[0]!
  const signature = headerSignature(headers)
  if (best.confidence < MIN_CONFIDENCE) {
    return {
      format: 'generic',
      confidence: 0,
      reason: `No built-in format matches this header; map its columns. Closest: ${best.reason}.`,
      candidates,
      headerSignature: signature,
    }
  }
  const second = candidates[1]
  let reason = best.reason
  if (second && second.confidence >= MIN_CONFIDENCE && best.confidence - second.confidence < 0.1) {
    reason += `. Close second: ${second.label} (${second.confidence})`
  }
  return { format: best.format, confidence: best.confidence, reason, candidates, headerSignature: signature }
}
