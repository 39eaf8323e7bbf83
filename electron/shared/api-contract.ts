/**
 * The Fulcrum API contract: one zod schema per call's input, the result envelope, the pushed events,
 * and the one `FulcrumApi` interface that the preload, the browser transport, the in-process
 * transport and the renderer all implement or consume. Channel names live in ./channels.
 *
 * Every call resolves to a `Result` and never rejects for a domain error: Electron's IPC keeps only an
 * error's message, and a renderer must be able to show the field an error belongs to.
 */
import { z } from 'zod'
import type { MethodName } from './channels'
import {
  accountSchema,
  isoInstant,
  positionDraftSchema,
  positiveDecimal,
  settingsSchema,
  type Account,
  type PortfolioDocument,
  type Position,
  type ValidationIssue,
} from './portfolio-document'
import type { RiskReport } from '../engine/report-types'
import { ledgerInputSchemas, type LedgerEvent, type LedgerOutputs } from './ledger-contract'
import { alertRulesSchema, DEFAULT_ALERT_RULES } from './alerts'
import { remindersInputSchemas, type RemindersEvent, type RemindersOutputs } from './reminders-contract'
import { MARKET_FEED_DEFAULTS, marketFeedSettingsSchema, marketInputSchemas, type MarketEvent, type MarketOutputs } from './market-contract'
import { analyticsSettingsShape } from './analytics-settings'
import { analyticsInputSchemas, type AnalyticsEvent, type AnalyticsOutputs } from './analytics-contract'

export type { RiskReport }

// ---------------------------------------------------------------------------------------------
// Result envelope

export type ErrorCode =
  | 'invalid_input' // the payload failed validation; `issues` name the fields
  | 'not_found'
  | 'conflict' // e.g. deleting an account that still has open positions
  | 'refused' // the database cannot be used (newer schema, corrupt, foreign file)
  | 'unavailable' // a feature this build or mode does not offer
  | 'internal'

export interface ApiError {
  code: ErrorCode
  message: string
  issues?: ValidationIssue[]
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string, issues?: ValidationIssue[]): Result<never> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
})

// ---------------------------------------------------------------------------------------------
// App settings: the portfolio document's settings plus what only the app uses. All of it is exported
// with the document (`settings` allows extra fields), so a backup restores the workstation as it was.

export const THEMES = ['dark', 'light', 'system'] as const
export const appSettingsSchema = settingsSchema.extend({
  theme: z.enum(THEMES).default('dark'),
  /** Gross leverage the trader allows themself; the dashboard gauge and alerts use it. */
  leverageLimit: z.number().positive().max(1000).default(5),
  /** Margin ratio (maintenance / equity) above which a venue is flagged; liquidation is at 1. */
  marginRatioLimit: z.number().positive().max(1).default(0.5),
  /** A mark older than this is stale. */
  staleMarkMinutes: z.number().int().positive().max(525_600).default(60),
  /** BCP 47 locale for number formatting; empty = the system's. */
  numberLocale: z.string().max(35).default(''),
  displayCurrency: z.enum(['USD']).default('USD'),
  /** Risk alert rules (issue 7, shared/alerts.ts); the defaults follow the two limits above. */
  alertRules: alertRulesSchema.default(DEFAULT_ALERT_RULES),
  /** Live public market data (issue 8, shared/market-contract.ts): off by default, no API keys. */
  marketFeed: marketFeedSettingsSchema.default(MARKET_FEED_DEFAULTS),
  /** Risk analytics (issue 4, shared/analytics-settings.ts): Monte Carlo, caps' k, margin-ratio target, hedges, scenarios. */
  ...analyticsSettingsShape,
})
export type AppSettings = z.output<typeof appSettingsSchema>
export const appSettingsPatchSchema = appSettingsSchema.partial().strict()
export type AppSettingsPatch = z.input<typeof appSettingsPatchSchema>

// ---------------------------------------------------------------------------------------------
// Inputs, one schema per method. `.strict()` so a typo in a payload is an error, not ignored.

const empty = z.object({}).strict()
const byId = z.object({ id: z.string().min(1).max(120) }).strict()

export const inputSchemas = {
  appInfo: empty,
  bookGet: empty,
  riskReport: z.object({ asOf: isoInstant.optional() }).strict(),
  accountSave: z
    .object({
      account: accountSchema,
      /** true when creating: refuse if the id exists, so a form never overwrites another account */
      create: z.boolean().default(false),
    })
    .strict(),
  accountDelete: z
    .object({ id: z.string().min(1).max(120), withPositions: z.boolean().default(false) })
    .strict(),
  positionSave: z
    .object({
      position: positionDraftSchema,
      /** Index price of the underlying, required when the book has no price for it yet. */
      indexPrice: positiveDecimal.optional(),
    })
    .strict(),
  positionClose: z
    .object({ id: z.string().min(1).max(120), closePrice: positiveDecimal, closedAt: isoInstant.optional() })
    .strict(),
  positionReopen: byId,
  positionDelete: byId,
  positionHistory: byId,
  underlyingSave: z
    .object({
      symbol: z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/).transform((s) => s.toUpperCase()),
      price: positiveDecimal,
      vol: z.number().min(0).max(20).optional(),
    })
    .strict(),
  demoRemove: empty,
  demoLoad: empty,
  portfolioExport: empty,
  portfolioImport: z
    .object({
      /** The document as parsed JSON; validated by the service so errors carry document paths. */
      document: z.unknown(),
      mode: z.enum(['replace']).default('replace'),
    })
    .strict(),
  settingsGet: empty,
  settingsUpdate: z.object({ patch: appSettingsPatchSchema }).strict(),
  // ledger and exchange CSV import (issue 5)
  ...ledgerInputSchemas,
  // expiry reminders, risk alerts, notification centre (issue 7)
  ...remindersInputSchemas,
  // market data and history (issue 8)
  ...marketInputSchemas,
  // risk analytics (issue 4)
  ...analyticsInputSchemas,
} as const satisfies Record<MethodName, z.ZodType>

export type MethodInput<M extends MethodName> = z.input<(typeof inputSchemas)[M]>
export type ParsedInput<M extends MethodName> = z.output<(typeof inputSchemas)[M]>

// ---------------------------------------------------------------------------------------------
// Outputs (trusted: produced by our own service, so typed but not re-validated)

export type AppMode = 'electron' | 'browser' | 'test'

export interface AppInfo {
  name: string
  version: string
  mode: AppMode
  dataFile: string
  schemaVersion: number
  platform: string
  demo: DemoState
}

export interface DemoState {
  /** true while any demo account is in the book */
  present: boolean
  accountIds: string[]
  positionIds: string[]
}

export interface BookView {
  /** Increments on every write; lets a view tell whether it is current. */
  revision: number
  document: PortfolioDocument
  demo: DemoState
}

export type PositionEventKind = 'opened' | 'edited' | 'closed' | 'reopened' | 'deleted'
export interface PositionEvent {
  at: string
  kind: PositionEventKind
  position: Position
}

export interface ImportSummary {
  accounts: number
  positions: number
  underlyings: number
}

export interface RiskReportView {
  revision: number
  report: RiskReport
  /** Problems that kept part of the book out of the figures (e.g. a position with no price). */
  warnings: string[]
}

export interface Outputs {
  appInfo: AppInfo
  bookGet: BookView
  riskReport: RiskReportView
  accountSave: Account
  accountDelete: { deletedPositions: number }
  positionSave: Position
  positionClose: Position
  positionReopen: Position
  positionDelete: { id: string }
  positionHistory: PositionEvent[]
  underlyingSave: { symbol: string }
  demoRemove: DemoState
  demoLoad: DemoState
  portfolioExport: PortfolioDocument
  portfolioImport: ImportSummary
  settingsGet: AppSettings
  settingsUpdate: AppSettings
  // ledger and exchange CSV import (issue 5)
  ledgerUploadBegin: LedgerOutputs['ledgerUploadBegin']
  ledgerUploadChunk: LedgerOutputs['ledgerUploadChunk']
  ledgerUploadDiscard: LedgerOutputs['ledgerUploadDiscard']
  ledgerPreview: LedgerOutputs['ledgerPreview']
  ledgerImport: LedgerOutputs['ledgerImport']
  ledgerCancel: LedgerOutputs['ledgerCancel']
  ledgerBatches: LedgerOutputs['ledgerBatches']
  ledgerUndo: LedgerOutputs['ledgerUndo']
  ledgerEntries: LedgerOutputs['ledgerEntries']
  ledgerPositions: LedgerOutputs['ledgerPositions']
  ledgerReconcile: LedgerOutputs['ledgerReconcile']
  ledgerExport: LedgerOutputs['ledgerExport']
  // expiry reminders, risk alerts, notification centre (issue 7)
  notificationsList: RemindersOutputs['notificationsList']
  notificationsAcknowledge: RemindersOutputs['notificationsAcknowledge']
  notificationSnooze: RemindersOutputs['notificationSnooze']
  notificationsSeen: RemindersOutputs['notificationsSeen']
  remindersList: RemindersOutputs['remindersList']
  reminderLeadTimesSet: RemindersOutputs['reminderLeadTimesSet']
  alertHistory: RemindersOutputs['alertHistory']
  // market data and history (issue 8)
  marketGet: MarketOutputs['marketGet']
  markSave: MarketOutputs['markSave']
  priceHistoryGet: MarketOutputs['priceHistoryGet']
  priceHistoryPreview: MarketOutputs['priceHistoryPreview']
  priceHistoryImport: MarketOutputs['priceHistoryImport']
  snapshotsGet: MarketOutputs['snapshotsGet']
  snapshotsExport: MarketOutputs['snapshotsExport']
  snapshotTake: MarketOutputs['snapshotTake']
  // risk analytics (issue 4)
  analyticsVar: AnalyticsOutputs['analyticsVar']
  analyticsScenarios: AnalyticsOutputs['analyticsScenarios']
  analyticsScenarioSave: AnalyticsOutputs['analyticsScenarioSave']
  analyticsScenarioDelete: AnalyticsOutputs['analyticsScenarioDelete']
  analyticsStress: AnalyticsOutputs['analyticsStress']
  analyticsPayoff: AnalyticsOutputs['analyticsPayoff']
  analyticsHedgeWhatIf: AnalyticsOutputs['analyticsHedgeWhatIf']
  analyticsHedgeApply: AnalyticsOutputs['analyticsHedgeApply']
  analyticsPlannedHedges: AnalyticsOutputs['analyticsPlannedHedges']
  analyticsPlannedHedgeUpdate: AnalyticsOutputs['analyticsPlannedHedgeUpdate']
  analyticsMarginCalls: AnalyticsOutputs['analyticsMarginCalls']
}

// ---------------------------------------------------------------------------------------------
// Events pushed from the backend

export type FulcrumEvent =
  | { type: 'book.changed'; revision: number }
  | { type: 'settings.changed'; settings: AppSettings }
  /** Sent by the desktop menu to its window: go to a view (`/positions`). */
  | { type: 'ui.navigate'; route: string }
  /** Ledger import progress and ledger changes (issue 5). */
  | LedgerEvent
  /** Reminders and alerts reached the user; the notification centre changed (issue 7). */
  | RemindersEvent
  /** The live feed's status changed; a risk snapshot was stored (issue 8). */
  | MarketEvent
  /** Heavy VaR ready for a revision; planned hedges changed (issue 4). */
  | AnalyticsEvent

// ---------------------------------------------------------------------------------------------
// The API as every transport exposes it

export type FulcrumApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<Outputs[M]>>
} & {
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent: (listener: (event: FulcrumEvent) => void) => () => void
}
