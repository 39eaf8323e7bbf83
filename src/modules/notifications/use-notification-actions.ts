/** What the user does with reminders and alerts: acknowledge, snooze, set a position's lead times. */
import { ref } from 'vue'
import { call } from '@/api'
import { useNotificationsStore } from './use-notifications-store'

export const SNOOZE_OPTIONS = [
  { duration: 'PT15M', label: '15 min' },
  { duration: 'PT1H', label: '1 h' },
  { duration: 'PT4H', label: '4 h' },
  { duration: 'P1D', label: '1 day' },
] as const

export function useNotificationActions() {
  const store = useNotificationsStore()
  const error = ref<string | null>(null)
  const busy = ref(false)

  const run = async (fn: () => Promise<void>): Promise<void> => {
    error.value = null
    busy.value = true
    try {
      await fn()
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      busy.value = false
    }
  }

  return {
    error,
    busy,
    acknowledge: (ids: string[]) =>
      run(async () => {
        const r = await call('notificationsAcknowledge', { ids })
        store.setUnacknowledged(r.unacknowledged)
      }),
    acknowledgeAll: () =>
      run(async () => {
        const r = await call('notificationsAcknowledge', { all: true })
        store.setUnacknowledged(r.unacknowledged)
      }),
    snooze: (id: string, duration: string) =>
      run(async () => {
        await call('notificationSnooze', { id, duration })
      }),
    /** Throws ApiCallError so a form can show the field's message. null: back to the settings' lead times. */
    setLeadTimes: async (positionId: string, leadTimes: string[] | null) => {
      const r = await call('reminderLeadTimesSet', { positionId, leadTimes })
      store.setReminders([...store.reminders.filter((x) => x.positionId !== positionId), ...r.reminders])
      return r
    },
  }
}
