/**
 * Work that runs in worker threads, never on the main process's event loop: each task is a pure
 * function from a structured-clonable payload to a structured-clonable result (decimals as strings).
 * Add a task here and call it with `workerPool().run('name', payload)`.
 */
import {
  outcome,
  runExportLedger,
  runImport,
  runPreview,
  runReconcile,
  runUndo,
  type ExportLedgerJob,
  type ReconcileJob,
  type ImportJob,
  type JobOutcome,
  type PreviewJob,
  type UndoJob,
} from '../services/ledger-jobs'
import type { LedgerImportResult, LedgerPreview } from '../shared/ledger-contract'
import { marketTasks } from '../services/market/tasks'
import { computeRiskReport, RiskInputError, type RiskReport } from '../engine'
import type { PortfolioDocument, ValidationIssue } from '../shared/portfolio-document'
import { analyticsTasks } from '../services/analytics-tasks'

export interface TaskContext {
  /** Reports progress in [0, 1] to the caller (throttle it: a message per few percent is plenty). */
  progress: (fraction: number, note?: string) => void
}

export type Task = (payload: never, ctx: TaskContext) => unknown

/** Echo for the pool's own spec; real tasks are added below it. */
const echo = (payload: { value: unknown; spinMs?: number }, ctx: TaskContext): unknown => {
  const end = Date.now() + (payload.spinMs ?? 0)
  while (Date.now() < end) {
    /* busy on purpose: proves the main loop stays free */
  }
  ctx.progress(1)
  return payload.value
}
const fail = (payload: { message: string }): never => {
  throw new Error(payload.message)
}

// --- ledger import (issue 5): the whole read-and-write of an export runs here, off the main loop -------------
type Jobless<T> = Omit<T, 'progress'>
const rowsNote = (ctx: TaskContext) => (fraction: number, rows: number): void => ctx.progress(fraction, String(rows))
const ledgerPreview = (p: Jobless<PreviewJob>, ctx: TaskContext): JobOutcome<LedgerPreview> =>
  outcome(() => runPreview({ ...p, progress: rowsNote(ctx) }))
const ledgerImport = (p: Jobless<ImportJob>, ctx: TaskContext): JobOutcome<LedgerImportResult> =>
  outcome(() => runImport({ ...p, progress: rowsNote(ctx) }))
const ledgerUndo = (p: Jobless<UndoJob>, ctx: TaskContext): JobOutcome<ReturnType<typeof runUndo>> =>
  outcome(() => runUndo({ ...p, progress: rowsNote(ctx) }))
const ledgerExport = (p: Jobless<ExportLedgerJob>, ctx: TaskContext): JobOutcome<{ csv: string; rows: number }> =>
  outcome(() => runExportLedger({ ...p, progress: rowsNote(ctx) }))
const ledgerReconcile = (p: Jobless<ReconcileJob>, ctx: TaskContext): JobOutcome<{ warnings: string[] }> =>
  outcome(() => runReconcile({ ...p, progress: rowsNote(ctx) }))

// --- the risk report (foundation): big books are valued off the main loop ------------------------------------
const riskReport = (p: {
  document: PortfolioDocument
  now: string
  staleAfterSeconds: number
}): { ok: true; report: RiskReport } | { ok: false; issues: ValidationIssue[] } => {
  try {
    return { ok: true, report: computeRiskReport(p.document, { now: new Date(p.now), staleAfterSeconds: p.staleAfterSeconds }) }
  } catch (error) {
    // An error crossing the thread loses its class; the issues (with their JSON paths) must not be lost.
    if (error instanceof RiskInputError) return { ok: false, issues: error.issues }
    throw error
  }
}

export const tasks = {
  echo,
  fail,
  riskReport,
  ledgerPreview,
  ledgerImport,
  ledgerUndo,
  ledgerExport,
  ledgerReconcile,
  // market data (issue 8): the demo's risk history, large price-history files
  ...marketTasks,
  // risk analytics (issue 4): VaR chunks, cascades, scenarios, payoff, hedge what-ifs
  ...analyticsTasks,
} satisfies Record<string, Task>

export type TaskName = keyof typeof tasks
export type TaskPayload<N extends TaskName> = Parameters<(typeof tasks)[N]>[0]
export type TaskResult<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>
