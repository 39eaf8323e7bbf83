/**
 * Starting and stopping the backend (database + service table) the same way for the desktop app,
 * browser mode and tests. The Electron main process and `fulcrum serve` differ only in transport.
 */
import pkg from '../../package.json'
import type { AppMode, FulcrumEvent } from '../shared/api-contract'
import { closeDatabase, openDatabase, type OpenedDatabase } from '../store/database'
import type { Clock } from '../store/book-repository'
import { createFulcrumService, type FulcrumService } from './fulcrum-service'
import type { PlatformHooks } from './service-kit'
import type { Timers } from './timers'
import { EventBus } from './event-bus'

export const systemClock: Clock = { now: () => new Date() }

export interface BackendOptions {
  dataFile: string
  mode: AppMode
  /** The app seeds the demo portfolio into a database it has just created; the CLI never does. */
  seedDemoOnCreate: boolean
  clock?: Clock
  nativeBinding?: string
  /** Start the features' timers and feeds (reminders, live marks). The one-shot CLI commands do not. */
  startFeatures?: boolean
  platform?: PlatformHooks
  /** Timers of the schedulers (reminders); tests pass a fake together with a fake clock. */
  timers?: Timers
}

export interface Backend {
  service: FulcrumService
  database: OpenedDatabase
  events: EventBus<FulcrumEvent>
  /** Stops the features' timers and feeds, then closes the database (folding the WAL back). */
  close: () => Promise<void>
}

export function startBackend(options: BackendOptions): Backend {
  const database = openDatabase(options.dataFile, { nativeBinding: options.nativeBinding })
  const events = new EventBus<FulcrumEvent>()
  const service = createFulcrumService({
    db: database.db,
    dataFile: database.file,
    schemaVersion: database.schemaVersion,
    clock: options.clock ?? systemClock,
    mode: options.mode,
    version: pkg.version,
    events,
    platform: options.platform,
    timers: options.timers,
    nativeBinding: options.nativeBinding,
  })
  if (database.created && options.seedDemoOnCreate) service.seedDemo()
  if (options.startFeatures !== false) service.start()
  let closing: Promise<void> | undefined
  return {
    service,
    database,
    events,
    close: () =>
      (closing ??= (async () => {
        try {
          await service.stop()
        } finally {
          closeDatabase(database.db)
        }
      })()),
  }
}
