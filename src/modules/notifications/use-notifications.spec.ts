/**
 * Seam: what the backend sends (the notification list at load, `notification.shown` and
 * `notifications.changed` events) in; toasts in the store and `notificationsSeen` calls out. The API is
 * a recording fake installed with setApiForTests. The rule under test: every delivered item is toasted
 * once per backend "seen" flag, never twice, and many at once collapse into one toast.
 */
import { createPinia, setActivePinia } from 'pinia'
import { effectScope } from 'vue'
import type { Router } from 'vue-router'
import { beforeEach, describe, expect, it } from 'vitest'
import { setApiForTests } from '@/api'
import type { FulcrumApi, FulcrumEvent } from '@shared/api-contract'
import type { NotificationItem, ShownNotification } from '@shared/reminders-contract'
import { useNotificationsSync } from './use-notifications'
import { useNotificationsStore } from './use-notifications-store'

let seq = 0
function item(over: Partial<NotificationItem> = {}): NotificationItem {
  const n = ++seq
  return {
    id: `reminder:${n}`,
    kind: 'reminder',
    title: `BTC-${n} expires in 1 h`,
    body: '',
    route: `/review-windows?position=p${n}`,
    severity: 'warning',
    state: 'delivered',
    missed: false,
    deliveredAt: new Date(Date.UTC(2026, 10, 24, 8, n)).toISOString(),
    acknowledgedAt: null,
    snoozedUntil: null,
    deliveries: 1,
    seen: false,
    positionId: `p${n}`,
    leadTime: 'PT1H',
    ruleId: null,
    subject: null,
    clearedAt: null,
    ...over,
  }
}

let listener: ((e: FulcrumEvent) => void) | undefined
let seen: string[][]
let list: NotificationItem[]

function install(): void {
  seen = []
  setApiForTests(
    new Proxy({} as FulcrumApi, {
      get: (_t, method: string) => {
        if (method === 'onEvent') {
          return (fn: (e: FulcrumEvent) => void) => {
            listener = fn
            return () => (listener = undefined)
          }
        }
        return async (input: { ids?: string[] }) => {
          if (method === 'notificationsList') return { ok: true, value: { items: list, unacknowledged: list.filter((i) => i.state === 'delivered').length } }
          if (method === 'remindersList') return { ok: true, value: [] }
          if (method === 'notificationsSeen') {
            seen.push(input.ids ?? [])
            return { ok: true, value: { seen: input.ids?.length ?? 0 } }
          }
          return { ok: false, error: { code: 'unavailable', message: method } }
        }
      },
    }),
  )
}

const settle = () => new Promise((r) => setTimeout(r, 0))
const router = { push: () => Promise.resolve() } as unknown as Router

async function mountSync(): Promise<ReturnType<typeof useNotificationsStore>> {
  const store = useNotificationsStore()
  effectScope().run(() => useNotificationsSync(router))
  for (let i = 0; i < 5; i++) await settle()
  return store
}
const shown = (n: Partial<ShownNotification> & { itemIds: string[] }): ShownNotification => ({
  title: 't',
  body: '',
  route: '/',
  severity: 'info',
  missed: false,
  kind: 'reminder',
  positionId: null,
  leadTime: null,
  ...n,
})

beforeEach(() => {
  setActivePinia(createPinia())
  install()
})

describe('notification toasts', () => {
  it('on load, toasts what was delivered while no window was open, oldest first, and marks it seen', async () => {
    const older = item()
    const newer = item()
    const already = item({ seen: true })
    const done = item({ state: 'acknowledged' })
    list = [done, already, newer, older] // newest first, as the backend lists them
    const store = await mountSync()
    expect(store.toasts.map((t) => t.notification.itemIds)).toEqual([[older.id], [newer.id]])
    expect(seen).toEqual([[older.id], [newer.id]])
    expect(store.unacknowledged).toBe(3)
  })

  it('collapses many unseen items into one toast', async () => {
    list = [item({ missed: true }), item({ missed: true }), item({ missed: true }), item({ missed: true }), item({ missed: true })]
    const store = await mountSync()
    expect(store.toasts).toHaveLength(1)
    expect(store.toasts[0]!.notification.title).toBe('5 reminders missed while Fulcrum was closed')
    expect(store.toasts[0]!.notification.itemIds).toHaveLength(5)
    expect(seen).toEqual([list.map((i) => i.id).reverse()])
  })

  it('toasts a pushed notification once, even when the reload that follows lists it unseen', async () => {
    list = []
    const store = await mountSync()
    const fresh = item()
    list = [fresh]
    listener!({ type: 'notification.shown', notification: shown({ itemIds: [fresh.id], positionId: fresh.positionId, leadTime: 'PT1H' }) })
    listener!({ type: 'notification.shown', notification: shown({ itemIds: [fresh.id] }) })
    for (let i = 0; i < 5; i++) await settle()
    expect(store.toasts).toHaveLength(1)
    expect(seen).toEqual([[fresh.id]])
    expect(store.items.map((i) => i.id)).toEqual([fresh.id])

    listener!({ type: 'notifications.changed', unacknowledged: 7 })
    expect(store.unacknowledged).toBe(7)
  })
})
