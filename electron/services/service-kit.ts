/**
 * What every feature service shares: the error type handlers throw, the dependencies they receive,
 * and the shape of a feature module. A feature (book, ledger, market data, reminders, analytics) is
 * one file in services/ exporting a `FeatureModule`; fulcrum-service.ts merges them into the table.
 */
import type { MethodName } from '../shared/channels'
import type { AppMode, AppSettings, ErrorCode, FulcrumEvent, Outputs, ParsedInput } from '../shared/api-contract'
import type { PortfolioDocument, ValidationIssue } from '../shared/portfolio-document'
import type { RiskReport } from '../engine/report-types'
import type { Db } from '../store/database'
import type { BookRepository, Clock } from '../store/book-repository'
import type { EventBus } from './event-bus'
import type { Timers } from './timers'

export class ServiceError extends Error {
  override name = 'ServiceError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message)
  }
}

export function invalid(message: string, issues: ValidationIssue[]): ServiceError {
  return new ServiceError('invalid_input', message, issues)
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>) => Outputs[M] | Promise<Outputs[M]>
export type ServiceTable = { [M in MethodName]: Handler<M> }

export interface ServiceContext {
  db: Db
  dataFile: string
  schemaVersion: number
  clock: Clock
  mode: AppMode
  version: string
  events?: EventBus<FulcrumEvent>
  /** Where desktop/browser notifications go (set by the Electron shell or the browser server). */
  platform?: PlatformHooks
  /** Timers of the schedulers (reminders); tests inject fakes. Default: the system's. */
  timers?: Timers
  /** better-sqlite3 build for this runtime (Electron's ABI differs): worker threads that open the file need it too. */
  nativeBinding?: string
}

/** The few things only the shell around the backend can do. Electron and browser mode each provide them. */
export interface PlatformHooks {
  notify?: (n: { title: string; body: string; route?: string; tag?: string }) => void
  setBadgeCount?: (count: number) => void
}

/** What a feature's handlers may use. */
export interface ServiceDeps {
  ctx: ServiceContext
  db: Db
  clock: Clock
  book: BookRepository
  events: EventBus<FulcrumEvent>
  /** Call after every write that changes what the book or its figures look like. */
  changed: () => void
  settings: () => AppSettings
  /** The book as a portfolio document, settings completed with their defaults. */
  document: () => PortfolioDocument
  /**
   * The risk report of a document: computed on the spot for a small book (a few ms), in the
   * interactive worker thread for a big one, so the main loop never stalls on valuation.
   */
  valueBook: (doc: PortfolioDocument, now: Date) => RiskReport | Promise<RiskReport>
  /** The current book's report (always a promise; see valueBook). */
  report: (now?: Date) => Promise<RiskReport>
}

export interface FeatureModule<M extends MethodName = MethodName> {
  handlers: { [K in M]: Handler<K> }
  /** Started once the whole service exists (timers, feeds); stopped before the database closes. */
  start?: () => void
  stop?: () => void | Promise<void>
}
