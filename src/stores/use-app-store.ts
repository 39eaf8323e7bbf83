import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AppInfo } from '@shared/api-contract'

export type ConnectionState = 'connecting' | 'online' | 'lost'

/** What the shell shows about the app itself: mode, data file, connection, the last error. */
export const useAppStore = defineStore('fulcrum/app', () => {
  const info = shallowRef<AppInfo | null>(null)
  const connection = ref<ConnectionState>('connecting')
  const fatal = ref<string | null>(null)
  const setInfo = (value: AppInfo): void => {
    info.value = value
  }
  const setConnection = (value: ConnectionState): void => {
    connection.value = value
  }
  const setFatal = (message: string | null): void => {
    fatal.value = message
  }
  return { info, connection, fatal, setInfo, setConnection, setFatal }
})
