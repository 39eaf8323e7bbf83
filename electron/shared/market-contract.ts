/**
 * The market-data part of the API contract (issue 8): marks and their age, price history and its
 * CSV import, risk snapshots over time, and the optional live public feed. api-contract.ts pulls
 * these schemas and types into its one table, so every transport validates them the same way.
 */
import { z } from 'zod'
import { isoInstant, positiveDecimal } from './portfolio-document'

export const FEED_VENUES = ['binance', 'bybit', 'okx', 'deribit'] as const
export type FeedVenue = (typeof FEED_VENUES)[number]

/** The feed's settings, kept with the app settings (so a backup restores them). Off by default. */
export const marketFeedSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    venues: z.array(z.enum(FEED_VENUES)).default([...FEED_VENUES]),
    /** Seconds between polls of each venue; each venue's published limits are far above this. */
    pollSeconds: z.number().int().min(10).max(3600).default(30),
  })
  .strict()
export type MarketFeedSettings = z.output<typeof marketFeedSettingsSchema>
export const MARKET_FEED_DEFAULTS: MarketFeedSettings = { enabled: false, venues: [...FEED_VENUES], pollSeconds: 30 }

const symbol = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, { error: 'must be an asset code such as "BTC"' })
  .transform((s) => s.toUpperCase())
/** Base64 of the file's bytes: the importer detects the encoding itself (UTF-16 from Excel, Windows-1252...). */
const fileContent = z.string().max(40_000_000, { error: 'the file is too large (30 MB at most)' })

export const marketInputSchemas = {
  marketGet: z.object({}).strict(),
  /** Sets an instrument's market inputs by hand; null clears a field, an absent field keeps it. */
  markSave: z
    .object({
      positionId: z.string().min(1).max(120),
      mark: positiveDecimal.nullable().optional(),
      iv: z.number().min(0).max(20).nullable().optional(),
      forward: positiveDecimal.nullable().optional(),
      fundingRate: z.number().min(-1).max(1).nullable().optional(),
      fundingIntervalHours: z.number().positive().max(24 * 7).nullable().optional(),
    })
    .strict(),
  priceHistoryGet: z.object({ underlying: symbol }).strict(),
  priceHistoryPreview: z
    .object({ fileName: z.string().max(260), contentBase64: fileContent, underlying: symbol.optional() })
    .strict(),
  priceHistoryImport: z
    .object({
      fileName: z.string().max(260),
      contentBase64: fileContent,
      underlying: symbol,
      /** merge: add the file's days to the stored ones; replace: the file becomes the whole history. */
      mode: z.enum(['merge', 'replace']).default('merge'),
      /** A day stored with another close: take the file's (replace) or keep the stored one. */
      onConflict: z.enum(['replace', 'keep']).default('replace'),
    })
    .strict(),
  snapshotsGet: z
    .object({
      from: isoInstant.optional(),
      to: isoInstant.optional(),
      /** Points per series after downsampling (LTTB). */
      maxPoints: z.number().int().min(50).max(20_000).default(2000),
    })
    .strict(),
  snapshotsExport: z.object({ from: isoInstant.optional(), to: isoInstant.optional() }).strict(),
  /** Takes a snapshot now (also what the History view's "Snapshot now" does). */
  snapshotTake: z.object({}).strict(),
} as const

// ---------------------------------------------------------------------------------------------
// Outputs

/** A run of missing calendar days: `from` and `to` are the first and last day missing. */
export interface DayGap {
  from: string
  to: string
  days: number
}

export interface HistorySummary {
  count: number
  firstDay: string | null
  lastDay: string | null
  /** True when the stored closes are generated (the demo's), not market data. */
  generated: boolean
  /** How the history came to be, as the user should read it ("generated (demo): ...", "imported from x.csv"). */
  label: string | null
  sources: Array<{ source: string; count: number }>
  /** Missing calendar days between the first and the last close (crypto trades every day). */
  gaps: DayGap[]
  missingDays: number
  /** Annualised realized volatility of the last 30 and 90 daily log returns (null with fewer than 10). */
  realizedVol30d: number | null
  realizedVol90d: number | null
}

export interface UnderlyingMarks {
  symbol: string
  /** Index price, USD, as stored (exact decimal string). */
  price: string
  vol: number | null
  updatedAt: string | null
  ageSeconds: number | null
  stale: boolean
  /** Who set the price: "manual", "document", "feed:binance"... (null when unknown). */
  source: string | null
  demo: boolean
  openPositions: number
  history: HistorySummary
}

export interface InstrumentMarks {
  positionId: string
  account: string
  venue: string
  label: string
  kind: string
  underlying: string
  quote: string
  settlement: string
  mark: string | null
  iv: number | null
  forward: string | null
  fundingRate: number | null
  fundingIntervalHours: number | null
  updatedAt: string | null
  ageSeconds: number | null
  stale: boolean
  source: string | null
}

export type FeedState = 'off' | 'connecting' | 'online' | 'stale' | 'offline'

export interface VenueFeedStatus {
  venue: FeedVenue
  state: FeedState
  lastSuccessAt: string | null
  lastErrorAt: string | null
  lastError: string | null
  consecutiveFailures: number
  /** When the venue will be asked next (after backoff or a rate-limit pause). */
  nextAttemptAt: string | null
  rateLimitedUntil: string | null
  /** Instruments and indices the venue priced in its last successful poll. */
  quotes: number
}

export interface FeedStatus {
  enabled: boolean
  /** The worst state among the enabled venues that have something to price ('off' when disabled). */
  state: FeedState
  pollSeconds: number
  venues: VenueFeedStatus[]
  lastUpdateAt: string | null
}

export interface MarketView {
  asOf: string
  staleAfterSeconds: number
  underlyings: UnderlyingMarks[]
  instruments: InstrumentMarks[]
  feed: FeedStatus
}

export interface PriceHistoryView {
  underlying: string
  points: Array<[string, string]>
  summary: HistorySummary
}

export interface DuplicateDay {
  day: string
  closes: string[]
  lines: number[]
  /** Different closes for the same day: the day is left out, the user decides. */
  conflicting: boolean
}

export interface PriceHistoryPreview {
  fileName: string
  format: { id: string; label: string }
  underlying: string | null
  /** Where the underlying was read: given by the user, the file name, or a symbol column. */
  underlyingFrom: 'input' | 'file name' | 'symbol column' | null
  encoding: string
  delimiter: string
  rows: number
  days: number
  firstDay: string | null
  lastDay: string | null
  /** The first and last few closes, for the user to recognise the file. */
  sample: Array<[string, string]>
  duplicates: DuplicateDay[]
  gaps: DayGap[]
  missingDays: number
  issues: Array<{ line: number; column: string | null; message: string }>
  warnings: string[]
  existing: { count: number; firstDay: string | null; lastDay: string | null; generated: boolean }
  /** What a merge would do with the stored history. */
  merge: { added: number; unchanged: number; changed: number }
  /** Suggested: replace when the stored history is generated. */
  suggestedMode: 'merge' | 'replace'
}

export interface PriceHistoryImportResult {
  underlying: string
  added: number
  changed: number
  unchanged: number
  kept: number
  removed: number
  /** Days of the file not imported: conflicting duplicates and rows with errors. */
  skipped: number
  summary: HistorySummary
}

export type SnapshotUnit = 'usd' | 'ratio' | 'times' | 'coin'

export interface SnapshotSeries {
  key: string
  label: string
  group: 'portfolio' | 'venue' | 'underlying' | 'risk'
  unit: SnapshotUnit
  /** [epoch ms, value], oldest first, downsampled to maxPoints. */
  points: Array<[number, number]>
}

export interface SnapshotsView {
  /** Snapshots stored in the requested range. */
  count: number
  from: string | null
  to: string | null
  downsampled: boolean
  /** True when the range holds snapshots generated for the demo (revalued on its generated history). */
  generated: boolean
  /** The last generated snapshot's time: the chart shades everything up to it. */
  generatedUntil: string | null
  series: SnapshotSeries[]
  lastAt: string | null
}

export interface SnapshotsExport {
  fileName: string
  csv: string
  rows: number
}

export interface MarketOutputs {
  marketGet: MarketView
  markSave: InstrumentMarks
  priceHistoryGet: PriceHistoryView
  priceHistoryPreview: PriceHistoryPreview
  priceHistoryImport: PriceHistoryImportResult
  snapshotsGet: SnapshotsView
  snapshotsExport: SnapshotsExport
  snapshotTake: { at: string | null }
}

export type MarketEvent =
  | { type: 'market.feed'; status: FeedStatus }
  | { type: 'history.snapshot'; at: string }
