/**
 * Expiry reminders in SQLite (migration 4). A reminder is one row per (position, expiry, lead time);
 * its state records what happened to it: pending → delivered → acknowledged, or snoozed and delivered
 * again, or dropped (position closed, expiry or lead time changed) or skipped (scheduled after its time
 * behind a later one). Every change is one transaction, committed before anyone is notified, so a crash
 * can lose a notification on screen but never repeat one or forget an acknowledgement.
 *
 * Times: `*_ms` columns are UTC epoch milliseconds, `*_at` columns ISO 8601 UTC instants.
 */
import type { Db } from './database'

export type ReminderState = 'pending' | 'delivered' | 'snoozed' | 'acknowledged' | 'dropped' | 'skipped'

export interface ReminderRow {
  id: number
  position_id: string
  expiry: string
  lead_time: string
  lead_seconds: number
  custom: number
  due_ms: number
  state: ReminderState
  missed: number
  snoozed_until_ms: number | null
  deliveries: number
  delivered_at: string | null
  acknowledged_at: string | null
  seen_at: string | null
  dropped_reason: string | null
  title: string | null
  body: string | null
  created_ms: number
  updated_at: string
}

/** A reminder the book asks for (see services/reminder-schedule.ts). */
export interface DesiredReminder {
  positionId: string
  expiry: string
  expiryMs: number
  leadTime: string
  leadSeconds: number
  custom: boolean
  dueMs: number
}

export interface ExpiringPositionRow {
  id: string
  expiry: string
  /** The position's own `reminderLeadTimes`, null when it has none. */
  leadTimes: string[] | null
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const key = (positionId: string, expiry: string, leadSeconds: number): string => `${positionId}\u0000${expiry}\u0000${leadSeconds}`

export class ReminderRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn()
    return this.db.transaction(fn)()
  }

  /** Open positions with an expiry, with their own lead times (kept in the position's extra fields). */
  expiringPositions(): ExpiringPositionRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, expiry, json_extract(extra, '$.reminderLeadTimes') AS leads
           FROM positions WHERE closed_at IS NULL AND expiry IS NOT NULL ORDER BY expiry, id`,
      )
      .all() as { id: string; expiry: string; leads: string | null }[]
    return rows.map((r) => {
      let leadTimes: string[] | null = null
      if (r.leads !== null) {
        const parsed = JSON.parse(r.leads) as unknown
        if (Array.isArray(parsed)) leadTimes = parsed.filter((x): x is string => typeof x === 'string')
      }
      return { id: r.id, expiry: r.expiry, leadTimes }
    })
  }

  private openPositionIds(): Set<string> {
    const rows = this.db.prepare('SELECT id FROM positions WHERE closed_at IS NULL').all() as { id: string }[]
    return new Set(rows.map((r) => r.id))
  }

  /**
   * Brings the stored reminders in line with what the book asks for now; returns the number of rows
   * changed. Reminders of closed or deleted positions are dropped (delivered ones too: nothing is left
   * to decide); pending ones whose expiry or lead time changed are dropped and the new ones inserted.
   *
   * A reminder created after its time (an import, a new lead time, a position opened close to expiry)
   * is not a missed one: only the latest such reminder of a position fires, at once, and the others are
   * skipped, so adding "P7D" to a book does not bring a flood of stale reminders.
   */
  reconcile(desired: readonly DesiredReminder[], nowMs: number): number {
    return this.transaction(() => {
      let changes = 0
      const now = iso(nowMs)
      const open = this.openPositionIds()
      const wanted = new Set(desired.map((d) => key(d.positionId, d.expiry, d.leadSeconds)))

      const drop = this.db.prepare("UPDATE reminders SET state = 'dropped', dropped_reason = ?, updated_at = ? WHERE id = ?")
      const live = this.db
        .prepare("SELECT id, position_id, expiry, lead_seconds, state FROM reminders WHERE state IN ('pending', 'snoozed', 'delivered')")
        .all() as Pick<ReminderRow, 'id' | 'position_id' | 'expiry' | 'lead_seconds' | 'state'>[]
      for (const r of live) {
        if (wanted.has(key(r.position_id, r.expiry, r.lead_seconds))) continue
        if (!open.has(r.position_id)) {
          drop.run('position closed', now, r.id)
          changes++
        } else if (r.state !== 'delivered') {
          // A delivered one stays for the user to acknowledge: it was about the expiry as it then was.
          drop.run('rescheduled', now, r.id)
          changes++
        }
      }

      const find = this.db.prepare('SELECT id, state, lead_time, custom, deliveries FROM reminders WHERE position_id = ? AND expiry = ? AND lead_seconds = ?')
      const insert = this.db.prepare(
        `INSERT INTO reminders(position_id, expiry, lead_time, lead_seconds, custom, due_ms, state, created_ms, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      const revive = this.db.prepare(
        `UPDATE reminders SET state = ?, dropped_reason = NULL, snoozed_until_ms = NULL, lead_time = ?, custom = ?,
           created_ms = ?, updated_at = ? WHERE id = ?`,
      )
      const relabel = this.db.prepare('UPDATE reminders SET lead_time = ?, custom = ?, updated_at = ? WHERE id = ?')
      const fresh: { id: number; d: DesiredReminder }[] = []
      for (const d of desired) {
        const row = find.get(d.positionId, d.expiry, d.leadSeconds) as
          | Pick<ReminderRow, 'id' | 'state' | 'lead_time' | 'custom' | 'deliveries'>
          | undefined
        const custom = d.custom ? 1 : 0
        if (!row) {
          const id = Number(insert.run(d.positionId, d.expiry, d.leadTime, d.leadSeconds, custom, d.dueMs, nowMs, now).lastInsertRowid)
          fresh.push({ id, d })
          changes++
        } else if (row.state === 'dropped') {
          // Back in the book (position reopened, lead time restored). One that was delivered once stays
          // delivered-and-done: it must not repeat.
          revive.run(row.deliveries > 0 ? 'acknowledged' : 'pending', d.leadTime, custom, nowMs, now, row.id)
          if (row.deliveries === 0) fresh.push({ id: row.id, d })
          changes++
        } else if (row.lead_time !== d.leadTime || row.custom !== custom) {
          relabel.run(d.leadTime, custom, now, row.id)
          changes++
        }
      }

      const skip = this.db.prepare("UPDATE reminders SET state = 'skipped', dropped_reason = ?, updated_at = ? WHERE id = ?")
      const late = new Map<string, { id: number; d: DesiredReminder }[]>()
      for (const f of fresh) {
        if (f.d.dueMs > nowMs) continue
        const k = `${f.d.positionId}\u0000${f.d.expiry}`
        late.set(k, [...(late.get(k) ?? []), f])
      }
      for (const group of late.values()) {
        group.sort((a, b) => b.d.dueMs - a.d.dueMs)
        const first = group[0]!
        if (first.d.expiryMs <= nowMs) {
          for (const f of group) skip.run('expired before it was scheduled', now, f.id)
          continue
        }
        // The latest reminder of this expiry already due before this pass (delivered, or about to be).
        const earlier = (
          this.db
            .prepare(
              `SELECT max(due_ms) AS m FROM reminders
                WHERE position_id = ? AND expiry = ? AND due_ms <= ? AND state NOT IN ('dropped', 'skipped')
                  AND id NOT IN (${group.map(() => '?').join(', ')})`,
            )
            .get(first.d.positionId, first.d.expiry, nowMs, ...group.map((f) => f.id)) as { m: number | null }
        ).m
        group.forEach((f, i) => {
          if (i === 0 && (earlier === null || f.d.dueMs > earlier)) return
          skip.run('superseded by a later reminder', now, f.id)
        })
      }
      return changes
    })
  }

  /** Reminders to deliver now, oldest first: pending ones past their time and snoozes that ended. */
  due(nowMs: number): ReminderRow[] {
    return this.db
      .prepare(
        `SELECT * FROM reminders
          WHERE (state = 'pending' AND due_ms <= @now) OR (state = 'snoozed' AND snoozed_until_ms <= @now)
          ORDER BY CASE WHEN state = 'snoozed' THEN snoozed_until_ms ELSE due_ms END, id`,
      )
      .all({ now: nowMs }) as ReminderRow[]
  }

  /** When the next reminder falls due (or a snooze ends), or null when nothing waits. */
  nextDueMs(): number | null {
    const row = this.db
      .prepare(
        `SELECT min(t) AS t FROM (
           SELECT min(due_ms) AS t FROM reminders WHERE state = 'pending'
           UNION ALL SELECT min(snoozed_until_ms) FROM reminders WHERE state = 'snoozed')`,
      )
      .get() as { t: number | null }
    return row.t
  }

  /** Marks one reminder delivered; false when it was not due any more (already delivered elsewhere). */
  deliver(id: number, d: { atMs: number; missed: boolean; title: string; body: string }): boolean {
    const r = this.db
      .prepare(
        `UPDATE reminders SET state = 'delivered', missed = ?, deliveries = deliveries + 1, delivered_at = ?,
           snoozed_until_ms = NULL, seen_at = NULL, title = ?, body = ?, updated_at = ?
         WHERE id = ? AND state IN ('pending', 'snoozed')`,
      )
      .run(d.missed ? 1 : 0, iso(d.atMs), d.title, d.body, iso(d.atMs), id)
    return r.changes === 1
  }

  /** Acknowledges delivered, snoozed or still pending reminders (a pending one then never fires). */
  acknowledge(ids: readonly number[] | 'all', atMs: number): number {
    const at = iso(atMs)
    if (ids === 'all') {
      return this.db
        .prepare("UPDATE reminders SET state = 'acknowledged', acknowledged_at = ?, snoozed_until_ms = NULL, updated_at = ? WHERE state IN ('delivered', 'snoozed')")
        .run(at, at).changes
    }
    const stmt = this.db.prepare(
      "UPDATE reminders SET state = 'acknowledged', acknowledged_at = ?, snoozed_until_ms = NULL, updated_at = ? WHERE id = ? AND state IN ('pending', 'delivered', 'snoozed')",
    )
    return this.transaction(() => ids.reduce((n, id) => n + stmt.run(at, at, id).changes, 0))
  }

  snooze(id: number, untilMs: number, atMs: number): boolean {
    return (
      this.db
        .prepare("UPDATE reminders SET state = 'snoozed', snoozed_until_ms = ?, updated_at = ? WHERE id = ? AND state IN ('pending', 'delivered', 'snoozed')")
        .run(untilMs, iso(atMs), id).changes === 1
    )
  }

  markSeen(ids: readonly number[], atMs: number): number {
    const stmt = this.db.prepare('UPDATE reminders SET seen_at = ? WHERE id = ? AND seen_at IS NULL AND deliveries > 0')
    return this.transaction(() => ids.reduce((n, id) => n + stmt.run(iso(atMs), id).changes, 0))
  }

  unacknowledgedCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM reminders WHERE state = 'delivered'").get() as { n: number }).n
  }

  get(id: number): ReminderRow | undefined {
    return this.db.prepare('SELECT * FROM reminders WHERE id = ?').get(id) as ReminderRow | undefined
  }

  /** Reminders that reached the user (the notification centre), newest first. */
  delivered(opts: { includeDone: boolean; limit: number }): ReminderRow[] {
    return this.db
      .prepare(
        `SELECT * FROM reminders WHERE deliveries > 0 AND (@all = 1 OR state = 'delivered' OR state = 'snoozed')
          ORDER BY delivered_at DESC, id DESC LIMIT @limit`,
      )
      .all({ all: opts.includeDone ? 1 : 0, limit: opts.limit }) as ReminderRow[]
  }

  /** The schedule of the book as it is: reminders of open positions at their current expiry. */
  current(positionId?: string): ReminderRow[] {
    return this.db
      .prepare(
        `SELECT r.* FROM reminders r
           JOIN positions p ON p.id = r.position_id AND p.expiry = r.expiry AND p.closed_at IS NULL
          WHERE r.state <> 'dropped' AND (@pos IS NULL OR r.position_id = @pos)
          ORDER BY r.position_id, r.due_ms`,
      )
      .all({ pos: positionId ?? null }) as ReminderRow[]
  }
}
