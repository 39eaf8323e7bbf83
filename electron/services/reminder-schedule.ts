/**
 * Which expiry reminders the book asks for: one per open position with an expiry and per lead time,
 * the position's own lead times where it has them, else the global ones. Pure: the repository stores
 * the answer and the scheduler delivers it.
 *
 * Every instant is UTC epoch milliseconds and a lead time is a fixed number of seconds (P1D is 86,400 s),
 * so neither the machine's time zone nor a daylight-saving change moves a reminder.
 */
import { durationSeconds } from '../engine/durations'
import type { DesiredReminder, ExpiringPositionRow } from '../store/reminder-repository'

export type ExpiringPosition = ExpiringPositionRow
export type { DesiredReminder }

export function desiredReminders(positions: readonly ExpiringPosition[], globalLeadTimes: readonly string[]): DesiredReminder[] {
  const out: DesiredReminder[] = []
  for (const p of positions) {
    const expiryMs = Date.parse(p.expiry)
    if (!Number.isFinite(expiryMs)) continue
    const custom = p.leadTimes !== null
    const seen = new Set<number>()
    for (const leadTime of p.leadTimes ?? globalLeadTimes) {
      const seconds = durationSeconds(leadTime)
      // Two spellings of one lead (P1D, PT24H) are one reminder.
      if (seconds === null) continue
      const leadSeconds = Math.round(seconds)
      if (seen.has(leadSeconds)) continue
      seen.add(leadSeconds)
      out.push({ positionId: p.id, expiry: p.expiry, expiryMs, leadTime, leadSeconds, custom, dueMs: expiryMs - leadSeconds * 1000 })
    }
  }
  return out
}
