import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { NotificationItem, ReminderView, ShownNotification } from '@shared/reminders-contract'

export interface Toast {
  key: number
  notification: ShownNotification
}

/**
 * The notification centre as the backend last sent it: delivered reminders and alerts, the reminder
 * schedule of the book, and the toasts on screen. Synchronous state only; use-notifications.ts fetches.
 */
export const useNotificationsStore = defineStore('fulcrum/notifications', () => {
  const items = shallowRef<NotificationItem[]>([])
  const unacknowledged = ref(0)
  const reminders = shallowRef<ReminderView[]>([])
  const toasts = ref<Toast[]>([])
  const panelOpen = ref(false)
  let toastSeq = 0

  const remindersByPosition = computed(() => {
    const out = new Map<string, ReminderView[]>()
    for (const r of reminders.value) out.set(r.positionId, [...(out.get(r.positionId) ?? []), r])
    return out
  })

  const setList = (list: { items: NotificationItem[]; unacknowledged: number }): void => {
    items.value = list.items
    unacknowledged.value = list.unacknowledged
  }
  const setUnacknowledged = (n: number): void => {
    unacknowledged.value = n
  }
  const setReminders = (list: ReminderView[]): void => {
    reminders.value = list
  }
  const pushToast = (notification: ShownNotification): number => {
    const key = ++toastSeq
    // A handful on screen at most: the centre keeps the rest.
    toasts.value = [...toasts.value.slice(-3), { key, notification }]
    return key
  }
  const dismissToast = (key: number): void => {
    toasts.value = toasts.value.filter((t) => t.key !== key)
  }
  const setPanelOpen = (open: boolean): void => {
    panelOpen.value = open
  }

  return {
    items,
    unacknowledged,
    reminders,
    remindersByPosition,
    toasts,
    panelOpen,
    setList,
    setUnacknowledged,
    setReminders,
    pushToast,
    dismissToast,
    setPanelOpen,
  }
})
