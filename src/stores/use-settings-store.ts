import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { AppSettings } from '@shared/api-contract'

export const useSettingsStore = defineStore('fulcrum/settings', () => {
  const settings = shallowRef<AppSettings | null>(null)
  const setSettings = (value: AppSettings): void => {
    settings.value = value
  }
  return { settings, setSettings }
})
