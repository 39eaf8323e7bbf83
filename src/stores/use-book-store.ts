import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { BookView, RiskReportView } from '@shared/api-contract'
import type { Account, Position } from '@shared/portfolio-document'

/**
 * The book and its risk report as the backend last sent them. Synchronous state only: the
 * composables in src/composables fetch and write through the setters. Big collections are replaced
 * whole (shallowRef), never mutated in place.
 */
export const useBookStore = defineStore('fulcrum/book', () => {
  const book = shallowRef<BookView | null>(null)
  const report = shallowRef<RiskReportView | null>(null)
  const reportError = ref<string | null>(null)
  const loading = ref(true)

  const accounts = computed<Account[]>(() => book.value?.document.accounts ?? [])
  const positions = computed<Position[]>(() => book.value?.document.positions ?? [])
  const openPositions = computed(() => positions.value.filter((p) => !p.closedAt))
  const closedPositions = computed(() => positions.value.filter((p) => p.closedAt))
  const accountById = computed(() => new Map(accounts.value.map((a) => [a.id, a])))
  const demoAccountIds = computed(() => new Set(book.value?.demo.accountIds ?? []))
  const demoPresent = computed(() => book.value?.demo.present ?? false)
  const underlyings = computed(() => Object.keys(book.value?.document.market.underlyings ?? {}))

  const setBook = (value: BookView): void => {
    book.value = value
    loading.value = false
  }
  const setReport = (value: RiskReportView | null, error: string | null = null): void => {
    report.value = value
    reportError.value = error
  }

  return {
    book,
    report,
    reportError,
    loading,
    accounts,
    positions,
    openPositions,
    closedPositions,
    accountById,
    demoAccountIds,
    demoPresent,
    underlyings,
    setBook,
    setReport,
  }
})
