/** Short time phrases for reminders and notifications ("1 h", "3 min ago", "in 2 d 4 h"). */
const RE = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/** Seconds of an ISO 8601 duration (years 365 d, months 30 d, as the backend counts them); null if not one. */
export function durationSeconds(iso: string): number | null {
  const m = RE.exec(iso.trim().toUpperCase())
  if (!m || iso.trim() === 'P' || iso.trim().endsWith('T')) return null
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]))
  return n(1) * 365 * 86_400 + n(2) * 30 * 86_400 + n(3) * 7 * 86_400 + n(4) * 86_400 + n(5) * 3600 + n(6) * 60 + n(7)
}

/** Two units at most, rounded down: "2 d 3 h", "1 h 30 min", "45 s". */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.floor(Math.abs(seconds)))
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  if (m > 0) return s % 60 > 0 && m < 10 ? `${m} min ${s % 60} s` : `${m} min`
  return `${s} s`
}

/** A lead time as people say it: P1D → "1 d", PT1H → "1 h"; the ISO text when it is not one. */
export function leadLabel(iso: string): string {
  const s = durationSeconds(iso)
  return s === null ? iso : s === 0 ? 'at expiry' : formatSpan(s)
}

/** "in 5 min" / "3 h ago" relative to `nowMs`. */
export function relative(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return ''
  const diff = (Date.parse(iso) - nowMs) / 1000
  if (Math.abs(diff) < 30) return 'now'
  return diff > 0 ? `in ${formatSpan(diff)}` : `${formatSpan(diff)} ago`
}

/** "2026-11-24 08:00 UTC": the exchanges' clock, the same in every zone. */
export function utcMinute(iso: string | null | undefined): string {
  if (!iso) return '—'
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
