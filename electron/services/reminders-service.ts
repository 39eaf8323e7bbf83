/**
 * Expiry reminders and risk alerts (issue 7): the scheduler, the alert evaluation and the notification
 * centre's calls.
 *
 * Never miss: every reminder is a row in SQLite from the moment the book asks for it; whatever fell due
 * while the app was closed or the machine slept is delivered at the next start (marked missed, oldest
 * first, collapsed when many). Never repeat: a delivery is committed before anyone is told, and the
 * update only succeeds on a row that is still pending, so no path delivers a row twice; an alert's
 * alarm state is stored too, so a restart does not announce an alarm again.
 *
 * One timer for the next due item (re-armed whenever the schedule changes), plus a coarse watchdog that
 * compares the wall clock with the monotonic clock: when they disagree the wall clock jumped (the user
 * set the time, NTP stepped it, the machine slept) and everything is re-checked. Everything inside is
 * UTC epoch milliseconds, so time zones and daylight saving never move a reminder.
 */
import { RiskInputError, type RiskReport } from '../engine'
import type { PortfolioDocument } from '../shared/portfolio-document'
import { durationSeconds } from '../engine/durations'
import type { AlertObservation } from './alert-evaluator'
import { hysteresisStep, observe } from './alert-evaluator'
import { alertText, clearedText, reminderText } from './notification-text'
import { desiredReminders } from './reminder-schedule'
import { invalid, ServiceError, type FeatureModule, type ServiceDeps } from './service-kit'
import { MAX_TIMEOUT_MS, systemTimers, type TimerHandle } from './timers'
import type {
  AlertEventView,
  NotificationItem,
  ReminderView,
  ShownNotification,
} from '../shared/reminders-contract'
import { positionSchema } from '../shared/portfolio-document'
import type { AlertMetric } from '../shared/alerts'
import { ConflictError, NotFoundError } from '../store/book-repository'
import { AlertRepository, type AlertEventRow } from '../store/alert-repository'
import { ReminderRepository, type ReminderRow } from '../store/reminder-repository'

export type RemindersMethod =
  | 'notificationsList'
  | 'notificationsAcknowledge'
  | 'notificationSnooze'
  | 'notificationsSeen'
  | 'remindersList'
  | 'reminderLeadTimesSet'
  | 'alertHistory'

/** Delivered later than this after its time while running (the machine slept): counts as missed. */
export const MISSED_AFTER_MS = 60_000
/** How often the watchdog compares the wall clock with the monotonic clock. */
export const WATCHDOG_MS = 30_000
/** A disagreement between the two clocks larger than this is a jump of the wall clock. */
export const CLOCK_JUMP_MS = 2_000
/** Alert evaluation waits this long after a change, so a burst of mark updates costs one report. */
export const ALERT_DEBOUNCE_MS = 250
/** More than this many notifications at once are shown as one summary (the centre lists them all). */
export const COLLAPSE_OVER = 3
const MIN_SNOOZE_S = 60
const MAX_SNOOZE_S = 30 * 86_400

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const reminderRoute = (positionId: string): string => `/review-windows?position=${encodeURIComponent(positionId)}`

function parseId(id: string): { kind: 'reminder' | 'alert'; n: number } {
  const [kind, n] = id.split(':') as ['reminder' | 'alert', string]
  return { kind, n: Number(n) }
}

function reminderSeverity(r: Pick<ReminderRow, 'missed' | 'lead_seconds'>): NotificationItem['severity'] {
  return r.missed || r.lead_seconds <= 3600 ? 'warning' : 'info'
}

function reminderItem(r: ReminderRow): NotificationItem {
  return {
    id: `reminder:${r.id}`,
    kind: 'reminder',
    title: r.title ?? r.position_id,
    body: r.body ?? '',
    route: reminderRoute(r.position_id),
    severity: reminderSeverity(r),
    state: r.state === 'snoozed' || r.state === 'acknowledged' || r.state === 'dropped' ? r.state : 'delivered',
    missed: r.missed === 1,
    deliveredAt: r.delivered_at ?? r.updated_at,
    acknowledgedAt: r.acknowledged_at,
    snoozedUntil: r.snoozed_until_ms === null ? null : iso(r.snoozed_until_ms),
    deliveries: r.deliveries,
    seen: r.seen_at !== null,
    positionId: r.position_id,
    leadTime: r.lead_time,
    ruleId: null,
    subject: null,
    clearedAt: null,
  }
}

function alertItem(a: AlertEventRow): NotificationItem {
  return {
    id: `alert:${a.id}`,
    kind: 'alert',
    title: a.title,
    body: a.body,
    route: a.route,
    severity: a.severity,
    state: a.state === 'history' ? 'acknowledged' : a.state,
    missed: false,
    deliveredAt: a.delivered_at ?? a.at,
    acknowledgedAt: a.acknowledged_at,
    snoozedUntil: a.snoozed_until_ms === null ? null : iso(a.snoozed_until_ms),
    deliveries: a.deliveries,
    seen: a.seen_at !== null,
    positionId: null,
    leadTime: null,
    ruleId: a.rule_id,
    subject: a.subject,
    clearedAt: a.cleared_at,
  }
}

function reminderView(r: ReminderRow): ReminderView {
  return {
    id: `reminder:${r.id}`,
    positionId: r.position_id,
    expiry: r.expiry,
    leadTime: r.lead_time,
    leadSeconds: r.lead_seconds,
    custom: r.custom === 1,
    dueAt: iso(r.due_ms),
    state: r.state,
    missed: r.missed === 1,
    deliveredAt: r.delivered_at,
    acknowledgedAt: r.acknowledged_at,
    snoozedUntil: r.snoozed_until_ms === null ? null : iso(r.snoozed_until_ms),
    deliveries: r.deliveries,
    reason: r.dropped_reason,
  }
}

function alertEventView(a: AlertEventRow): AlertEventView {
  return {
    id: `alert:${a.id}`,
    ruleId: a.rule_id,
    subject: a.subject,
    metric: a.metric as AlertMetric,
    kind: a.kind,
    value: a.value,
    threshold: a.threshold,
    direction: a.direction,
    at: a.at,
    title: a.title,
    state: a.state,
    clearedAt: a.cleared_at,
  }
}

const SEVERITY_RANK = { info: 0, warning: 1, danger: 2 } as const

/** Many at once (a catch-up after a week away) become one notification; the centre keeps each. */
function collapse(shown: ShownNotification[]): ShownNotification {
  const reminders = shown.filter((s) => s.kind === 'reminder')
  const missed = shown.filter((s) => s.missed).length
  const title =
    missed === shown.length
      ? `${shown.length} reminders missed while Fulcrum was closed`
      : reminders.length === shown.length
        ? `${shown.length} expiry reminders`
        : `${shown.length} new notifications`
  const listed = shown.slice(0, COLLAPSE_OVER).map((s) => s.title)
  const more = shown.length - listed.length
  return {
    title,
    body: `${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
    route: reminders.length === shown.length ? '/review-windows' : '/',
    severity: shown.reduce<ShownNotification['severity']>((w, s) => (SEVERITY_RANK[s.severity] > SEVERITY_RANK[w] ? s.severity : w), 'info'),
    missed: missed > 0,
    itemIds: shown.flatMap((s) => s.itemIds),
    kind: reminders.length === shown.length ? 'reminder' : 'alert',
    positionId: null,
    leadTime: null,
  }
}

export function createRemindersFeature(deps: ServiceDeps): FeatureModule<RemindersMethod> {
  const { db, clock, events, book } = deps
  const timers = deps.ctx.timers ?? systemTimers
  const platform = deps.ctx.platform
  const reminders = new ReminderRepository(db)
  const alerts = new AlertRepository(db)

  let started = false
  let timer: TimerHandle | null = null
  /** The wall-clock instant the timer is armed for. */
  let armedFor: number | null = null
  let watchdog: TimerHandle | null = null
  let alertTimer: TimerHandle | null = null
  let lastWall = 0
  let lastMono = 0
  let lastBadge = -1
  let unsubscribe: (() => void) | null = null
  let lastInputProblem: string | null = null

  const nowMs = (): number => clock.now().getTime()

  /** Work triggered by timers and events must never throw into the event loop or the emitter. */
  const safely = (what: string, fn: () => void): void => {
    try {
      fn()
    } catch (error) {
      console.error(`fulcrum reminders: ${what} failed:`, error)
    }
  }

  const unacknowledged = (): number => reminders.unacknowledgedCount() + alerts.unacknowledgedCount()

  function notificationsChanged(): void {
    const count = unacknowledged()
    events.emit({ type: 'notifications.changed', unacknowledged: count })
    if (count !== lastBadge) {
      lastBadge = count
      safely('setting the badge', () => platform?.setBadgeCount?.(count))
    }
  }

  /** Tells the windows and the desktop; the rows are already committed. */
  function announce(shown: ShownNotification[]): void {
    if (shown.length === 0) return
    for (const n of shown.length > COLLAPSE_OVER ? [collapse(shown)] : shown) {
      events.emit({ type: 'notification.shown', notification: n })
      safely('showing a notification', () =>
        platform?.notify?.({ title: n.title, body: n.body, route: n.route, tag: n.itemIds.length === 1 ? n.itemIds[0] : 'fulcrum-summary' }),
      )
    }
    notificationsChanged()
  }

  /** What the schedule was last built from: live marks change the book every second, the schedule rarely. */
  let lastInputs: string | null = null
  function reconcile(): number {
    const positions = reminders.expiringPositions()
    const leads = deps.settings().reminderLeadTimes
    const inputs = JSON.stringify([leads, positions])
    if (inputs === lastInputs) return 0
    const changes = reminders.reconcile(desiredReminders(positions, leads), nowMs())
    lastInputs = inputs
    return changes
  }

  /**
   * Delivers everything due, oldest first, in one transaction. `catchUp` (the pass at start): whatever
   * fell due before this start was missed. While running, a delivery later than MISSED_AFTER_MS (the
   * machine slept) is missed too. A reminder created after its time (an import) is never "missed".
   */
  function deliverDue(catchUp: boolean): void {
    const now = nowMs()
    const shown: ShownNotification[] = []
    reminders.transaction(() => {
      for (const r of reminders.due(now)) {
        const dueAt = r.state === 'snoozed' ? r.snoozed_until_ms! : r.due_ms
        const missed = r.created_ms < dueAt && (catchUp || now - dueAt > MISSED_AFTER_MS)
        const position = book.getPosition(r.position_id)
        const account = position ? book.getAccount(position.account) : undefined
        const text = reminderText({
          positionId: r.position_id,
          position,
          account,
          expiryMs: Date.parse(r.expiry),
          leadSeconds: r.lead_seconds,
          dueMs: dueAt,
          nowMs: now,
          missed,
        })
        if (!reminders.deliver(r.id, { atMs: now, missed, ...text })) continue
        shown.push({
          ...text,
          route: reminderRoute(r.position_id),
          severity: reminderSeverity({ missed: missed ? 1 : 0, lead_seconds: r.lead_seconds }),
          missed,
          itemIds: [`reminder:${r.id}`],
          kind: 'reminder',
          positionId: r.position_id,
          leadTime: r.lead_time,
        })
      }
      // A snoozed alert comes back only while its alarm holds (a cleared one was acknowledged then).
      for (const a of alerts.dueSnoozed(now)) {
        if (!alerts.redeliver(a.id, now)) continue
        shown.push({
          title: a.title,
          body: a.body,
          route: a.route,
          severity: a.severity,
          missed: false,
          itemIds: [`alert:${a.id}`],
          kind: 'alert',
          positionId: null,
          leadTime: null,
        })
      }
    })
    announce(shown)
  }

  /** One timer, for the next thing due. */
  function arm(): void {
    if (timer !== null) timers.clearTimeout(timer)
    timer = null
    armedFor = null
    if (!started) return
    const candidates = [reminders.nextDueMs(), alerts.nextSnoozeEndMs()].filter((t): t is number => t !== null)
    if (candidates.length === 0) return
    const next = Math.min(...candidates)
    armedFor = next
    // Longer than Node's longest timeout: wake early, find nothing due, re-arm.
    timer = timers.setTimeout(onTimer, Math.min(Math.max(0, next - nowMs()), MAX_TIMEOUT_MS))
  }

  function onTimer(): void {
    timer = null
    if (!started) return
    // Another process (the CLI) may have changed the file since: the schedule is checked first (cheap when unchanged).
    safely('delivering reminders', () => {
      reconcile()
      deliverDue(false)
    })
    safely('arming the timer', arm)
  }

  /**
   * The timer runs on the monotonic clock; reminders are due on the wall clock. When the two disagree
   * by more than CLOCK_JUMP_MS between two ticks, the wall clock jumped (forward: things may be due now;
   * backward: the timer would fire early) and the schedule is re-checked.
   */
  function onWatchdog(): void {
    if (!started) return
    const wall = nowMs()
    const mono = timers.monotonicNow()
    const drift = wall - lastWall - (mono - lastMono)
    lastWall = wall
    lastMono = mono
    if (Math.abs(drift) > CLOCK_JUMP_MS || (armedFor !== null && wall >= armedFor)) {
      safely('re-checking after a clock jump', () => {
        reconcile()
        deliverDue(false)
      })
      safely('arming the timer', arm)
    }
  }

  function refreshSchedule(): void {
    const changes = reconcile()
    deliverDue(false)
    arm()
    if (changes > 0) notificationsChanged()
  }

  // ---- alerts ----

  function scheduleAlerts(): void {
    if (!started || alertTimer !== null) return
    alertTimer = timers.setTimeout(() => {
      alertTimer = null
      if (started) safely('evaluating alerts', evaluateAlerts)
    }, ALERT_DEBOUNCE_MS)
  }

  /** Only alarms that hold are stored: a row in alert_state means "announced, not yet back to normal". */
  function evaluateAlerts(): void {
    const doc = deps.document()
    const now = nowMs()
    // A book the engine cannot value (an option without a vol) has no figures to alert on; the
    // views already say why. Alarms keep their state until figures return. Said once per problem.
    const unvaluable = (error: unknown): void => {
      if (!(error instanceof RiskInputError)) throw error
      if (error.message !== lastInputProblem) console.warn(`fulcrum reminders: alerts wait for a valuable book: ${error.message}`)
      lastInputProblem = error.message
    }
    let valued: RiskReport | Promise<RiskReport>
    try {
      valued = deps.valueBook(doc, new Date(now))
    } catch (error) {
      unvaluable(error)
      return
    }
    // Small books are valued on the spot; big ones in a worker thread, and the alerts follow when it answers.
    if (valued instanceof Promise) {
      valued.then(
        (report) => started && safely('evaluating alerts', () => applyAlerts(doc, report, now)),
        (error: unknown) => safely('evaluating alerts', () => unvaluable(error)),
      )
      return
    }
    applyAlerts(doc, valued, now)
  }

  function applyAlerts(doc: PortfolioDocument, report: RiskReport, now: number): void {
    const settings = deps.settings()
    lastInputProblem = null
    const names = new Map(doc.accounts.map((a) => [a.id, a.name || a.id]))
    const observations = observe(
      settings.alertRules,
      report,
      { leverageLimit: settings.leverageLimit, marginRatioLimit: settings.marginRatioLimit },
      (id) => names.get(id) ?? id,
    )
    const k = (ruleId: string, subject: string): string => `${ruleId}\u0000${subject}`
    const states = new Map(alerts.states().map((s) => [k(s.rule_id, s.subject), s]))
    const shown: ShownNotification[] = []
    let changed = false
    const event = (o: AlertObservation, kind: 'triggered' | 'cleared', text: { title: string; body: string }, severity: 'info' | 'warning' | 'danger') =>
      alerts.insertEvent(
        {
          rule_id: o.rule.id,
          subject: o.subject,
          metric: o.rule.metric,
          kind,
          value: o.value,
          threshold: o.threshold,
          direction: o.rule.direction,
          title: text.title,
          body: text.body,
          route: o.route,
          severity,
        },
        now,
      )
    alerts.transaction(() => {
      const observed = new Set<string>()
      for (const o of observations) {
        const key = k(o.rule.id, o.subject)
        observed.add(key)
        const state = states.get(key)
        const step = hysteresisStep(state?.firing === 1, o.value, o.rule, o.threshold)
        if (step === 'trigger') {
          const text = alertText(o)
          const id = event(o, 'triggered', text, text.severity)
          alerts.putState({ ruleId: o.rule.id, subject: o.subject, firing: true, value: o.value, since: iso(now), eventId: id })
          shown.push({ ...text, route: o.route, missed: false, itemIds: [`alert:${id}`], kind: 'alert', positionId: null, leadTime: null })
        } else if (step === 'clear') {
          event(o, 'cleared', clearedText(o), 'info')
          if (state?.event_id != null) alerts.markCleared(state.event_id, now)
          alerts.deleteState(o.rule.id, o.subject)
          changed = true
        }
      }
      // A rule removed or disabled, an account deleted: its alarm ends without a word.
      for (const [key, s] of states) {
        if (observed.has(key)) continue
        if (s.event_id !== null) alerts.markCleared(s.event_id, now)
        alerts.deleteState(s.rule_id, s.subject)
        changed = true
      }
    })
    announce(shown)
    if (changed && shown.length === 0) notificationsChanged()
    if (changed) arm()
  }

  function onBookOrSettingsChanged(): void {
    if (!started) return
    safely('rescheduling reminders', refreshSchedule)
    scheduleAlerts()
  }

  // ---- handlers ----

  const handlers: FeatureModule<RemindersMethod>['handlers'] = {
    notificationsList: ({ include, limit }) => {
      const includeDone = include === 'all'
      const items = [
        ...reminders.delivered({ includeDone, limit }).map(reminderItem),
        ...alerts.notifications({ includeDone, limit }).map(alertItem),
      ]
        .sort((x, y) => Date.parse(y.deliveredAt) - Date.parse(x.deliveredAt) || y.id.localeCompare(x.id))
        .slice(0, limit)
      return { items, unacknowledged: unacknowledged() }
    },

    notificationsAcknowledge: ({ ids, all }) => {
      const now = nowMs()
      let acknowledged = 0
      reminders.transaction(() => {
        if (all) {
          acknowledged = reminders.acknowledge('all', now) + alerts.acknowledge('all', now)
          return
        }
        const parsed = (ids ?? []).map(parseId)
        acknowledged =
          reminders.acknowledge(parsed.filter((p) => p.kind === 'reminder').map((p) => p.n), now) +
          alerts.acknowledge(parsed.filter((p) => p.kind === 'alert').map((p) => p.n), now)
      })
      arm()
      notificationsChanged()
      return { acknowledged, unacknowledged: unacknowledged() }
    },

    notificationSnooze: ({ id, duration }) => {
      const seconds = durationSeconds(duration)
      if (seconds === null || seconds < MIN_SNOOZE_S || seconds > MAX_SNOOZE_S) {
        throw invalid('The snooze is out of range', [{ path: 'duration', message: 'must be between one minute (PT1M) and 30 days (P30D)' }])
      }
      const now = nowMs()
      const until = now + Math.round(seconds * 1000)
      const { kind, n } = parseId(id)
      if (kind === 'reminder') {
        const row = reminders.get(n)
        if (!row) throw new NotFoundError(`No reminder ${id}`)
        if (!reminders.snooze(n, until, now)) throw new ConflictError(`Reminder ${id} is ${row.state}: only a pending or delivered reminder can be snoozed`)
      } else {
        const row = alerts.get(n)
        if (!row || row.kind !== 'triggered') throw new NotFoundError(`No alert ${id}`)
        if (!alerts.snooze(n, until)) {
          throw new ConflictError(
            row.cleared_at ? `Alert ${id} has already cleared: nothing to snooze` : `Alert ${id} is ${row.state}: only a delivered alert can be snoozed`,
          )
        }
      }
      arm()
      notificationsChanged()
      return { id, snoozedUntil: iso(until) }
    },

    notificationsSeen: ({ ids }) => {
      const now = nowMs()
      const parsed = ids.map(parseId)
      const seen = reminders.transaction(
        () =>
          reminders.markSeen(parsed.filter((p) => p.kind === 'reminder').map((p) => p.n), now) +
          alerts.markSeen(parsed.filter((p) => p.kind === 'alert').map((p) => p.n), now),
      )
      return { seen }
    },

    remindersList: ({ positionId }) => reminders.current(positionId).map(reminderView),

    reminderLeadTimesSet: ({ positionId, leadTimes }) => {
      const position = book.getPosition(positionId)
      if (!position) throw new NotFoundError(`No position "${positionId}"`)
      if (position.closedAt) throw new ConflictError(`Position "${positionId}" is closed: it has no expiry left to be reminded of`)
      if (!position.instrument.expiry) {
        throw new ServiceError('invalid_input', 'The position has no expiry', [
          { path: 'positionId', message: `"${positionId}" is a ${position.instrument.kind} without an expiry: there is nothing to remind of` },
        ])
      }
      const next: Record<string, unknown> = { ...position }
      if (leadTimes === null) delete next.reminderLeadTimes
      else next.reminderLeadTimes = leadTimes
      book.savePosition(positionSchema.parse(next))
      deps.changed()
      // The change listener reschedules while running; a backend without started features does it here.
      if (!started) reconcile()
      return { positionId, leadTimes, reminders: reminders.current(positionId).map(reminderView) }
    },

    alertHistory: ({ limit }) => ({
      events: alerts.history(limit).map(alertEventView),
      active: alerts
        .states()
        .filter((s) => s.firing === 1)
        .map((s) => ({ ruleId: s.rule_id, subject: s.subject, firing: true, value: s.value, since: s.since })),
    }),
  }

  return {
    handlers,
    start: () => {
      if (started) return
      started = true
      lastWall = nowMs()
      lastMono = timers.monotonicNow()
      unsubscribe = events.subscribe((e) => {
        if (e.type === 'book.changed' || e.type === 'settings.changed') onBookOrSettingsChanged()
      })
      // Catch-up: positions closed meanwhile are dropped first, then whatever fell due is delivered once.
      lastInputs = null
      safely('catching up on reminders', () => {
        reconcile()
        deliverDue(true)
        arm()
      })
      safely('evaluating alerts', evaluateAlerts)
      safely('counting notifications', notificationsChanged)
      watchdog = timers.setInterval(onWatchdog, WATCHDOG_MS)
    },
    stop: () => {
      started = false
      unsubscribe?.()
      unsubscribe = null
      for (const h of [timer, alertTimer]) if (h !== null) timers.clearTimeout(h)
      if (watchdog !== null) timers.clearInterval(watchdog)
      timer = alertTimer = watchdog = null
      armedFor = null
    },
  }
}
