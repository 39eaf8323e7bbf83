/**
 * Keeps the notification centre in step with the backend and shows what arrives: an in-app toast
 * always, and in browser mode a Web Notification where the user allowed them (the desktop app shows
 * system notifications from the main process instead).
 *
 * "Seen" is recorded in the backend once a toast is up, so whatever was delivered while no window was
 * open (a catch-up at start in browser mode) is toasted once by the first window that loads, and never
 * again after a reload or restart.
 */
import { onScopeDispose } from 'vue'
import type { Router } from 'vue-router'
import { call, fulcrumApi, isDesktop } from '@/api'
import type { NotificationItem, ShownNotification } from '@shared/reminders-contract'
import { useNotificationsStore } from './use-notifications-store'
import { coalesce } from '@/lib/coalesce'

const COLLAPSE_OVER = 3

/** Ids a toast has already been shown for in this window (an event and a load can race). */
const toasted = new Set<string>()

function webNotify(n: ShownNotification, router: Router): void {
  if (isDesktop() || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  try {
    const w = new Notification(n.title, { body: n.body, tag: n.itemIds.length === 1 ? n.itemIds[0] : 'fulcrum-summary' })
    w.onclick = () => {
      window.focus()
      void router.push(n.route)
      w.close()
    }
  } catch {
    // Some browsers allow notifications only from a service worker; the toast is shown anyway.
  }
}

function fromItems(items: NotificationItem[]): ShownNotification[] {
  const one = (i: NotificationItem): ShownNotification => ({
    title: i.title,
    body: i.body,
    route: i.route,
    severity: i.severity,
    missed: i.missed,
    itemIds: [i.id],
    kind: i.kind,
    positionId: i.positionId,
    leadTime: i.leadTime,
  })
  if (items.length <= COLLAPSE_OVER) return items.map(one)
  const missed = items.filter((i) => i.missed).length
  return [
    {
      title: missed === items.length ? `${items.length} reminders missed while Fulcrum was closed` : `${items.length} new notifications`,
      body: `${items
        .slice(0, COLLAPSE_OVER)
        .map((i) => i.title)
        .join('; ')}; and ${items.length - COLLAPSE_OVER} more.`,
      route: '/review-windows',
      severity: items.some((i) => i.severity === 'danger') ? 'danger' : 'warning',
      missed: missed > 0,
      itemIds: items.map((i) => i.id),
      kind: items.every((i) => i.kind === 'reminder') ? 'reminder' : 'alert',
      positionId: null,
      leadTime: null,
    },
  ]
}

export function useNotificationsSync(router: Router): void {
  const store = useNotificationsStore()

  const load = async (): Promise<void> => {
    const [list, reminders] = await Promise.all([call('notificationsList', { include: 'all', limit: 200 }), call('remindersList', {})])
    store.setList(list)
    store.setReminders(reminders)
  }
  /** Reloads coalesced: a burst of changes costs one round trip. */
  const reloadOnce = coalesce(load)
  const reload = (): Promise<void> =>
    reloadOnce().catch((error: unknown) => console.warn('fulcrum: loading notifications failed:', error))

  const show = (n: ShownNotification): void => {
    const fresh = n.itemIds.filter((id) => !toasted.has(id))
    if (fresh.length === 0) return
    fresh.forEach((id) => toasted.add(id))
    store.pushToast(n)
    webNotify(n, router)
    void call('notificationsSeen', { ids: fresh }).catch(() => undefined)
  }

  const stop = fulcrumApi().onEvent((event) => {
    if (event.type === 'notification.shown') {
      show(event.notification)
      void reload()
    } else if (event.type === 'notifications.changed') {
      store.setUnacknowledged(event.unacknowledged)
      void reload()
    } else if (event.type === 'book.changed') {
      void reload()
    }
  })
  onScopeDispose(stop)

  void (async () => {
    await reload()
    // Delivered while no window was open: shown once, by the first window that loads.
    const unseen = store.items.filter((i) => !i.seen && i.state === 'delivered' && !toasted.has(i.id)).reverse()
    for (const n of fromItems(unseen)) show(n)
  })()
}
