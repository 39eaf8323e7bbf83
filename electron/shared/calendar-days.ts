/**
 * UTC calendar days ("2026-11-24") as consecutive integers, and the gaps in a series of them.
 * Crypto trades every day, so a daily close history has one close per calendar day; a missing day
 * is a gap to report, never one to fill in silently.
 */
import type { DayGap } from './market-contract'

const DAY_MS = 86_400_000
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 (UTC), or NaN for text that is not a real calendar day. */
export function dayNumber(day: string): number {
  const m = DAY_RE.exec(day)
  if (!m) return NaN
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  // Date.UTC rolls 2026-02-30 over to March: such a day is not a day.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms / DAY_MS : NaN
}

export function dayFromNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

export function dayOfInstant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Gaps between sorted, distinct days. */
export function findGaps(sortedDays: readonly string[]): { gaps: DayGap[]; missingDays: number } {
  const gaps: DayGap[] = []
  let missingDays = 0
  for (let i = 1; i < sortedDays.length; i++) {
    const prev = dayNumber(sortedDays[i - 1]!)
    const cur = dayNumber(sortedDays[i]!)
    if (cur - prev > 1) {
      const days = cur - prev - 1
      gaps.push({ from: dayFromNumber(prev + 1), to: dayFromNumber(cur - 1), days })
      missingDays += days
    }
  }
  return { gaps, missingDays }
}
