/**
 * The reminders and alerts part of the API contract (issue 7): the notification centre, the expiry
 * reminder schedule, per-position lead times and the alert history. api-contract.ts merges these into
 * the one table. Times are ISO 8601 UTC; ids on the wire are "reminder:<n>" and "alert:<n>".
 */
import { z } from 'zod'
import { isoDuration } from './portfolio-document'
import type { AlertDirection, AlertMetric } from './alerts'

const notificationId = z.string().regex(/^(reminder|alert):\d{1,15}$/, { error: 'must be a notification id such as "reminder:12"' })
const positionId = z.string().trim().min(1).max(120)

/** Snoozes from one minute to thirty days. */
export const SNOOZE_CHOICES = ['PT15M', 'PT1H', 'PT4H', 'P1D'] as const

export const remindersInputSchemas = {
  notificationsList: z
    .object({
      /** `open`: delivered or snoozed, not yet acknowledged. */
      include: z.enum(['open', 'all']).default('all'),
      limit: z.number().int().min(1).max(1000).default(200),
    })
    .strict(),
  notificationsAcknowledge: z
    .object({ ids: z.array(notificationId).max(1000).optional(), all: z.boolean().default(false) })
    .strict()
    .refine((x) => x.all || (x.ids !== undefined && x.ids.length > 0), { error: 'give the ids to acknowledge, or all: true', path: ['ids'] }),
  notificationSnooze: z.object({ id: notificationId, duration: isoDuration }).strict(),
  /** A window showed these (toast): they are not shown again when another window or a restart loads the list. */
  notificationsSeen: z.object({ ids: z.array(notificationId).min(1).max(1000) }).strict(),
  remindersList: z.object({ positionId: positionId.optional() }).strict(),
  /** The position's own lead times; null goes back to the settings' `reminderLeadTimes`, [] turns its reminders off. */
  reminderLeadTimesSet: z
    .object({ positionId, leadTimes: z.array(isoDuration).max(20, { error: 'at most 20 lead times' }).nullable() })
    .strict(),
  alertHistory: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
}

export type NotificationKind = 'reminder' | 'alert'
export type NotificationSeverity = 'info' | 'warning' | 'danger'
export type NotificationState = 'delivered' | 'snoozed' | 'acknowledged' | 'dropped'

/** One entry of the notification centre: an expiry reminder or a risk alert that reached the user. */
export interface NotificationItem {
  id: string
  kind: NotificationKind
  title: string
  body: string
  /** The view a click opens (`/review-windows?position=p1`, `/margin?account=bn`). */
  route: string
  severity: NotificationSeverity
  state: NotificationState
  /** Delivered late: its time passed while Fulcrum was closed or the machine slept. */
  missed: boolean
  deliveredAt: string
  acknowledgedAt: string | null
  snoozedUntil: string | null
  deliveries: number
  /** A window has shown it (as a toast) already. */
  seen: boolean
  positionId: string | null
  /** Reminders: the lead time as written (P1D). */
  leadTime: string | null
  /** Alerts: the rule and what it watched; when the condition ended (null while it holds). */
  ruleId: string | null
  subject: string | null
  clearedAt: string | null
}

export interface NotificationList {
  items: NotificationItem[]
  /** Delivered and not acknowledged (snoozed ones wait for their time). */
  unacknowledged: number
}

export type ReminderState = 'pending' | 'delivered' | 'snoozed' | 'acknowledged' | 'dropped' | 'skipped'

/** One expiry reminder of the current schedule. */
export interface ReminderView {
  id: string
  positionId: string
  expiry: string
  leadTime: string
  leadSeconds: number
  /** From the position's own lead times rather than the settings. */
  custom: boolean
  dueAt: string
  state: ReminderState
  missed: boolean
  deliveredAt: string | null
  acknowledgedAt: string | null
  snoozedUntil: string | null
  deliveries: number
  /** Why it was skipped or dropped. */
  reason: string | null
}

export interface AlertEventView {
  id: string
  ruleId: string
  subject: string
  metric: AlertMetric
  kind: 'triggered' | 'cleared'
  /** null: beyond measure (equity gone) or no longer applicable. */
  value: number | null
  threshold: number
  direction: AlertDirection
  at: string
  title: string
  state: 'delivered' | 'snoozed' | 'acknowledged' | 'history'
  clearedAt: string | null
}

export interface AlertStatusView {
  ruleId: string
  subject: string
  firing: boolean
  value: number | null
  since: string
}

export interface RemindersOutputs {
  notificationsList: NotificationList
  notificationsAcknowledge: { acknowledged: number; unacknowledged: number }
  notificationSnooze: { id: string; snoozedUntil: string }
  notificationsSeen: { seen: number }
  remindersList: ReminderView[]
  reminderLeadTimesSet: { positionId: string; leadTimes: string[] | null; reminders: ReminderView[] }
  alertHistory: { events: AlertEventView[]; active: AlertStatusView[] }
}

/** What a toast or a desktop notification shows: one item, or several collapsed into one. */
export interface ShownNotification {
  title: string
  body: string
  route: string
  severity: NotificationSeverity
  missed: boolean
  itemIds: string[]
  kind: NotificationKind
  positionId: string | null
  leadTime: string | null
}

export type RemindersEvent =
  /** Something reached the user now: windows show a toast (and, in browser mode, a Web Notification). */
  | { type: 'notification.shown'; notification: ShownNotification }
  /** The centre or the reminder schedule changed: reload the lists. */
  | { type: 'notifications.changed'; unacknowledged: number }
