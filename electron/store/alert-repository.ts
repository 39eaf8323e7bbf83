/**
 * Risk alerts in SQLite (migration 4): whether each (rule, subject) is in alarm, and the history of
 * every crossing. The alarm state survives restarts, so an alert that still holds after a restart is
 * not announced again; an alert is announced when it starts to hold, not while it keeps holding.
 */
import type { Db } from './database'

export type AlertEventState = 'delivered' | 'snoozed' | 'acknowledged' | 'history'

export interface AlertStateRow {
  rule_id: string
  subject: string
  firing: number
  value: number | null
  since: string
  event_id: number | null
}

export interface AlertEventRow {
  id: number
  rule_id: string
  subject: string
  metric: string
  kind: 'triggered' | 'cleared'
  value: number | null
  threshold: number
  direction: 'above' | 'below'
  at: string
  at_ms: number
  title: string
  body: string
  route: string
  severity: 'info' | 'warning' | 'danger'
  state: AlertEventState
  snoozed_until_ms: number | null
  deliveries: number
  delivered_at: string | null
  acknowledged_at: string | null
  seen_at: string | null
  cleared_at: string | null
}

export type NewAlertEvent = Pick<
  AlertEventRow,
  'rule_id' | 'subject' | 'metric' | 'kind' | 'value' | 'threshold' | 'direction' | 'title' | 'body' | 'route' | 'severity'
>

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
/** SQLite has no Infinity in JSON and the UI cannot show it: "beyond measure" is stored as NULL. */
const finiteOrNull = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v)

export class AlertRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn()
    return this.db.transaction(fn)()
  }

  states(): AlertStateRow[] {
    return this.db.prepare('SELECT * FROM alert_state ORDER BY rule_id, subject').all() as AlertStateRow[]
  }

  putState(s: { ruleId: string; subject: string; firing: boolean; value: number | null; since: string; eventId: number | null }): void {
    this.db
      .prepare(
        `INSERT INTO alert_state(rule_id, subject, firing, value, since, event_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(rule_id, subject) DO UPDATE SET firing = excluded.firing, value = excluded.value, since = excluded.since,
           event_id = excluded.event_id`,
      )
      .run(s.ruleId, s.subject, s.firing ? 1 : 0, finiteOrNull(s.value), s.since, s.eventId)
  }

  /** Records the latest value of an alarm without changing whether it holds. */
  touchState(ruleId: string, subject: string, value: number | null): void {
    this.db.prepare('UPDATE alert_state SET value = ? WHERE rule_id = ? AND subject = ?').run(finiteOrNull(value), ruleId, subject)
  }

  deleteState(ruleId: string, subject: string): void {
    this.db.prepare('DELETE FROM alert_state WHERE rule_id = ? AND subject = ?').run(ruleId, subject)
  }

  /** A triggered event is delivered at once; a cleared one is history only. */
  insertEvent(e: NewAlertEvent, atMs: number): number {
    const at = iso(atMs)
    const delivered = e.kind === 'triggered'
    return Number(
      this.db
        .prepare(
          `INSERT INTO alert_events(rule_id, subject, metric, kind, value, threshold, direction, at, at_ms, title, body, route,
             severity, state, deliveries, delivered_at)
           VALUES (@rule_id, @subject, @metric, @kind, @value, @threshold, @direction, @at, @at_ms, @title, @body, @route,
             @severity, @state, @deliveries, @delivered_at)`,
        )
        .run({
          ...e,
          value: finiteOrNull(e.value),
          at,
          at_ms: atMs,
          state: delivered ? 'delivered' : 'history',
          deliveries: delivered ? 1 : 0,
          delivered_at: delivered ? at : null,
        }).lastInsertRowid,
    )
  }

  /** The alarm behind a triggered event ended: a snoozed one has nothing left to come back for. */
  markCleared(eventId: number, atMs: number): void {
    const at = iso(atMs)
    this.db.prepare('UPDATE alert_events SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL').run(at, eventId)
    this.db
      .prepare("UPDATE alert_events SET state = 'acknowledged', acknowledged_at = ?, snoozed_until_ms = NULL WHERE id = ? AND state = 'snoozed'")
      .run(at, eventId)
  }

  dueSnoozed(nowMs: number): AlertEventRow[] {
    return this.db
      .prepare("SELECT * FROM alert_events WHERE state = 'snoozed' AND snoozed_until_ms <= ? ORDER BY snoozed_until_ms, id")
      .all(nowMs) as AlertEventRow[]
  }

  nextSnoozeEndMs(): number | null {
    return (this.db.prepare("SELECT min(snoozed_until_ms) AS t FROM alert_events WHERE state = 'snoozed'").get() as { t: number | null }).t
  }

  redeliver(id: number, atMs: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE alert_events SET state = 'delivered', deliveries = deliveries + 1, delivered_at = ?, snoozed_until_ms = NULL,
             seen_at = NULL WHERE id = ? AND state = 'snoozed'`,
        )
        .run(iso(atMs), id).changes === 1
    )
  }

  acknowledge(ids: readonly number[] | 'all', atMs: number): number {
    const at = iso(atMs)
    if (ids === 'all') {
      return this.db
        .prepare("UPDATE alert_events SET state = 'acknowledged', acknowledged_at = ?, snoozed_until_ms = NULL WHERE state IN ('delivered', 'snoozed')")
        .run(at).changes
    }
    const stmt = this.db.prepare(
      "UPDATE alert_events SET state = 'acknowledged', acknowledged_at = ?, snoozed_until_ms = NULL WHERE id = ? AND state IN ('delivered', 'snoozed')",
    )
    return this.transaction(() => ids.reduce((n, id) => n + stmt.run(at, id).changes, 0))
  }

  snooze(id: number, untilMs: number): boolean {
    return (
      this.db
        .prepare("UPDATE alert_events SET state = 'snoozed', snoozed_until_ms = ? WHERE id = ? AND state IN ('delivered', 'snoozed') AND cleared_at IS NULL")
        .run(untilMs, id).changes === 1
    )
  }

  markSeen(ids: readonly number[], atMs: number): number {
    const stmt = this.db.prepare("UPDATE alert_events SET seen_at = ? WHERE id = ? AND seen_at IS NULL AND kind = 'triggered'")
    return this.transaction(() => ids.reduce((n, id) => n + stmt.run(iso(atMs), id).changes, 0))
  }

  unacknowledgedCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM alert_events WHERE state = 'delivered'").get() as { n: number }).n
  }

  get(id: number): AlertEventRow | undefined {
    return this.db.prepare('SELECT * FROM alert_events WHERE id = ?').get(id) as AlertEventRow | undefined
  }

  /** Triggered alerts (the notification centre), newest first. */
  notifications(opts: { includeDone: boolean; limit: number }): AlertEventRow[] {
    return this.db
      .prepare(
        `SELECT * FROM alert_events WHERE kind = 'triggered' AND (@all = 1 OR state IN ('delivered', 'snoozed'))
          ORDER BY delivered_at DESC, id DESC LIMIT @limit`,
      )
      .all({ all: opts.includeDone ? 1 : 0, limit: opts.limit }) as AlertEventRow[]
  }

  /** Every crossing, newest first. */
  history(limit: number): AlertEventRow[] {
    return this.db.prepare('SELECT * FROM alert_events ORDER BY id DESC LIMIT ?').all(limit) as AlertEventRow[]
  }
}
