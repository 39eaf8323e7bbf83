/**
 * Worker-thread tasks of the market-data feature (registered in workers/tasks.ts): the demo's risk
 * history (hundreds of full reports) and parsing large price-history files. Pure functions of
 * structured-clonable payloads.
 */
import { parsePriceHistory } from '../../importers/price-history'
import { demoSnapshots } from './demo-snapshots'

export const marketTasks = {
  demoSnapshots,
  parsePriceHistory: (payload: { bytes: Uint8Array; fileName: string }) => parsePriceHistory(payload.bytes, payload.fileName),
}
