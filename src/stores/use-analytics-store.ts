import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AnalyticsVarView, PlannedHedge } from '@shared/analytics-contract'

/**
 * Risk analytics as the backend last sent them (issue 4): the heavy VaR of the book (computed in
 * worker threads, so it may lag the book by a moment) and the planned hedges. Synchronous state;
 * composables/use-analytics.ts fetches.
 */
export const useAnalyticsStore = defineStore('fulcrum/analytics', () => {
  const varView = shallowRef<AnalyticsVarView | null>(null)
  const varError = ref<string | null>(null)
  const planned = shallowRef<PlannedHedge[]>([])
  const setVar = (value: AnalyticsVarView | null, error: string | null = null): void => {
    varView.value = value
    varError.value = error
  }
  const setPlanned = (value: PlannedHedge[]): void => {
    planned.value = value
  }
  return { varView, varError, planned, setVar, setPlanned }
})
