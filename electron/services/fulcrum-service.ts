/**
 * The application: what each API call does, using the store and the engine. Transport-free: the
 * Electron IPC handlers, the browser-mode HTTP server, the in-process test transport and the CLI all
 * call this one table, so a behaviour tested once holds everywhere.
 *
 * Handlers receive input already validated by the contract's schemas (see transports/dispatch.ts)
 * and throw ServiceError / NotFoundError / ConflictError for domain failures.
 */
import { randomUUID } from 'node:crypto'
import type { AppInfo, AppSettings, DemoState, FulcrumEvent } from '../shared/api-contract'
import { appSettingsSchema } from '../shared/api-contract'
import type { PortfolioDocument } from '../shared/portfolio-document'
import { parsePortfolioDocument, positionSchema, formatPath } from '../shared/portfolio-document'
import { BookRepository } from '../store/book-repository'
import { computeRiskReport, RiskInputError, type RiskReport } from '../engine'
import { workerPool } from '../workers/pool'
import { demoDocument } from './demo'
import { EventBus } from './event-bus'
import { createLedgerFeature } from './ledger-service'
import { createRemindersFeature } from './reminders-service'
import { createMarketFeature } from './market-service'
import { createAnalyticsFeature } from './analytics-service'
import { invalid, type FeatureModule, type ServiceContext, type ServiceDeps, type ServiceTable } from './service-kit'

export { ServiceError, type ServiceTable, type ServiceContext } from './service-kit'

/** The calls of the book itself; other features bring their own in their modules. */
type BookMethod =
  | 'appInfo'
  | 'bookGet'
  | 'riskReport'
  | 'accountSave'
  | 'accountDelete'
  | 'positionSave'
  | 'positionClose'
  | 'positionReopen'
  | 'positionDelete'
  | 'positionHistory'
  | 'underlyingSave'
  | 'demoRemove'
  | 'demoLoad'
  | 'portfolioExport'
  | 'portfolioImport'
  | 'settingsGet'
  | 'settingsUpdate'

export interface FulcrumService {
  table: ServiceTable
  events: EventBus<FulcrumEvent>
  book: BookRepository
  /** Puts the demo portfolio in the book. The app calls it on the first start of a new database. */
  seedDemo: () => DemoState
  /** Starts the features' timers and feeds. */
  start: () => void
  /** Stops them; call before closing the database. */
  stop: () => Promise<void>
}

export function createFulcrumService(ctx: ServiceContext): FulcrumService {
  const book = new BookRepository(ctx.db, ctx.clock)
  const events = ctx.events ?? new EventBus<FulcrumEvent>()

  const demoState = (): DemoState => {
    const ids = book.demoIds()
    return { present: ids.accountIds.length > 0, ...ids }
  }

  const settings = (): AppSettings => {
    const stored = book.getSettings()
    const parsed = appSettingsSchema.safeParse(stored)
    if (parsed.success) return parsed.data
    // A stored value this version rejects (hand-edited file, older build's bug): keep the valid keys.
    const valid: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(stored)) {
      if (appSettingsSchema.safeParse({ ...valid, [k]: v }).success) valid[k] = v
    }
    return appSettingsSchema.parse(valid)
  }

  /** The book as a portfolio document, settings completed with their defaults. */
  const document = (): PortfolioDocument => ({ ...book.toDocument(), settings: settings() })

  const changed = (): void => events.emit({ type: 'book.changed', revision: book.revision() })

  const seedDemo = (): DemoState => {
    const doc = demoDocument(ctx.clock.now())
    book.loadDocument(doc, { replace: false, demo: true })
    book.setMeta('demo_seeded_at', ctx.clock.now().toISOString())
    changed()
    return demoState()
  }

  /** Below this many positions the engine values the book in a few milliseconds: no thread hop. */
  const INLINE_REPORT_POSITIONS = 250
  const valueBook = (doc: PortfolioDocument, now: Date): RiskReport | Promise<RiskReport> => {
    const staleAfterSeconds = settings().staleMarkMinutes * 60
    if (doc.positions.length < INLINE_REPORT_POSITIONS) return computeRiskReport(doc, { now, staleAfterSeconds })
    return workerPool('interactive')
      .run('riskReport', { document: doc, now: now.toISOString(), staleAfterSeconds })
      .then((r) => {
        if (!r.ok) throw new RiskInputError(r.issues)
        return r.report
      })
  }
  const report = async (now: Date = ctx.clock.now()): Promise<RiskReport> => valueBook(document(), now)

  const deps: ServiceDeps = { ctx, db: ctx.db, clock: ctx.clock, book, events, changed, settings, document, valueBook, report }

  /** Features beyond the book; each adds its handlers (and timers) here. */
  // `never`: each module brings only its own handlers; the table below merges them all.
  const features: FeatureModule<never>[] = []
  void deps // handed to each feature module as it is added: features.push(createXFeature(deps))
  // trade ledger and exchange CSV import (issue 5)
  features.push(createLedgerFeature(deps))
  // expiry reminders, risk alerts, notification centre (issue 7)
  features.push(createRemindersFeature(deps))
  // market data and history (issue 8): snapshots store what the riskReport call shows, VaR included
  features.push(createMarketFeature(deps, { report: async () => (await table.riskReport({})).report }))
  // risk analytics (issue 4): heavy VaR in worker threads, merged into riskReport once ready
  const analytics = createAnalyticsFeature(deps, { autoRefresh: ctx.mode !== 'test' })
  features.push(analytics)

  const bookHandlers: FeatureModule<BookMethod>['handlers'] = {
    appInfo: (): AppInfo => ({
      name: 'Fulcrum',
      version: ctx.version,
      mode: ctx.mode,
      dataFile: ctx.dataFile,
      schemaVersion: ctx.schemaVersion,
      platform: process.platform,
      demo: demoState(),
    }),

    bookGet: () => ({ revision: book.revision(), document: document(), demo: demoState() }),

    riskReport: async (input) => {
      const revision = book.revision()
      const doc = document()
      const now = input.asOf ? new Date(input.asOf) : ctx.clock.now()
      const report = analytics.withHeavy(await valueBook(doc, now), doc)
      return { revision, report, warnings: [] }
    },

    accountSave: ({ account, create }) => {
      const saved = book.saveAccount(account, { create })
      changed()
      return saved
    },

    accountDelete: ({ id, withPositions }) => {
      const result = book.deleteAccount(id, withPositions)
      changed()
      return result
    },

    positionSave: ({ position: draft, indexPrice }) => {
      const id = draft.id ?? `pos-${randomUUID().slice(0, 8)}`
      const parsed = positionSchema.safeParse({ ...draft, id })
      if (!parsed.success) {
        throw invalid(
          'The position is not valid',
          parsed.error.issues.map((i) => ({ path: formatPath(['position', ...i.path]), message: i.message })),
        )
      }
      const position = parsed.data
      if (!book.accountExists(position.account)) {
        throw invalid('The position is not valid', [{ path: 'position.account', message: `refers to an unknown account "${position.account}"` }])
      }
      const underlying = position.instrument.underlying
      if (!book.hasUnderlying(underlying) && indexPrice === undefined) {
        throw invalid(`The book has no price for ${underlying} yet`, [
          { path: 'indexPrice', message: `is required: the book has no index price for ${underlying} yet` },
        ])
      }
      const saved = book.write(() => {
        if (indexPrice !== undefined) book.saveUnderlying(underlying, { price: indexPrice })
        return book.savePosition(position, { stampOpenedAt: true })
      })
      changed()
      return saved
    },

    positionClose: ({ id, closePrice, closedAt }) => {
      const closed = book.closePosition(id, closePrice, closedAt)
      changed()
      return closed
    },

    positionReopen: ({ id }) => {
      const reopened = book.reopenPosition(id)
      changed()
      return reopened
    },

    positionDelete: ({ id }) => {
      book.deletePosition(id)
      changed()
      return { id }
    },

    positionHistory: ({ id }) => book.positionHistory(id),

    underlyingSave: ({ symbol, price, vol }) => {
      book.saveUnderlying(symbol, { price, vol, priceSource: 'manual' })
      changed()
      return { symbol }
    },

    demoRemove: () => {
      book.removeDemo()
      changed()
      return demoState()
    },

    demoLoad: () => {
      if (demoState().present) return demoState()
      return seedDemo()
    },

    portfolioExport: () => document(),

    portfolioImport: ({ document }) => {
      const parsed = parsePortfolioDocument(document)
      if (!parsed.ok) throw invalid('The portfolio document is not valid; nothing was imported', parsed.issues)
      book.loadDocument(parsed.value, { replace: true })
      changed()
      return {
        accounts: parsed.value.accounts.length,
        positions: parsed.value.positions.length,
        underlyings: Object.keys(parsed.value.market.underlyings).length,
      }
    },

    settingsGet: () => settings(),

    settingsUpdate: ({ patch }) => {
      const next = appSettingsSchema.parse({ ...settings(), ...patch })
      book.saveSettings(next)
      events.emit({ type: 'settings.changed', settings: next })
      changed()
      return next
    },
  }

  const table = Object.assign({}, bookHandlers, ...features.map((f) => f.handlers)) as ServiceTable
  return {
    table,
    events,
    book,
    seedDemo,
    start: () => features.forEach((f) => f.start?.()),
    stop: async () => {
      for (const f of [...features].reverse()) await f.stop?.()
    },
  }
}
