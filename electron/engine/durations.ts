/**
 * ISO 8601 durations as used by settings.reminderLeadTimes ("P1D", "PT1H", "P1DT12H"). Years and
 * months have no fixed length; a reminder lead time only needs a sensible one (365 and 30 days).
 */
const RE = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/** Seconds in an ISO 8601 duration, or null when it is not one. */
export function durationSeconds(iso: string): number | null {
  const m = RE.exec(iso)
  if (!m || iso === 'P' || iso.endsWith('T')) return null
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]))
  return n(1) * 365 * 86_400 + n(2) * 30 * 86_400 + n(3) * 7 * 86_400 + n(4) * 86_400 + n(5) * 3600 + n(6) * 60 + n(7)
}
