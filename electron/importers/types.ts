/**
 * The normalised output of every importer: what the ledger tables and the import service will store.
 *
 * One exchange row becomes zero or more LedgerEntry values (a Binance fill with a realized profit is a
 * `trade` and a `realized_pnl`). Every decimal is a canonical plain decimal string (never a float), every
 * time an ISO 8601 UTC instant, and every entry carries the physical line it came from so a rejected or
 * surprising value can always be traced back to the file.
 *
 * Sign conventions (the same for every venue, whatever the venue itself writes):
 * - `quantity`: signed contracts, positive bought, negative sold (portfolio-format.md: positions are in contracts).
 * - `fee`: positive is a cost paid, negative a rebate received. Its currency is `feeAsset`.
 * - `amount`: a signed cash flow into the account in `asset`: positive credited, negative debited.
 * - The balance effect of any entry is `amount − fee` (fee in `feeAsset`); a trade's premium or notional is
 *   implied by quantity × price × contract size and is not repeated as an amount. Realized PnL of a fill is
 *   its own `realized_pnl` entry, so a closing fill's cash effect is pnl − fee, as the venues book it.
 */
import { z } from 'zod'
import { VENUES, instrumentSchema, type Instrument, type Venue } from '../shared/portfolio-document'
import { DECIMAL_RE } from '../shared/decimal'

export const LEDGER_ENTRY_KINDS = ['trade', 'funding', 'fee', 'transfer', 'settlement', 'realized_pnl'] as const
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number]

export const FORMAT_IDS = [
  'binance-usdm-trades',
  'binance-coinm-trades',
  'bybit-trades',
  'bybit-transactions',
  'okx-trades',
  'deribit-transactions',
  'generic',
] as const
export type FormatId = (typeof FORMAT_IDS)[number]

const decimal = z.string().regex(DECIMAL_RE)

/** zod schema of an entry, so the service can re-validate what crosses a worker or IPC boundary. */
export const ledgerEntrySchema = z.object({
  kind: z.enum(LEDGER_ENTRY_KINDS),
  venue: z.enum(VENUES),
  format: z.enum(FORMAT_IDS),
  accountHint: z.string().optional(),
  time: z.iso.datetime(),
  symbol: z.string().optional(),
  instrument: instrumentSchema.optional(),
  side: z.enum(['buy', 'sell']).optional(),
  quantity: decimal.optional(),
  price: decimal.optional(),
  fee: decimal.optional(),
  feeAsset: z.string().optional(),
  amount: decimal.optional(),
  asset: z.string().optional(),
  liquidity: z.enum(['maker', 'taker']).optional(),
  externalId: z.string().optional(),
  orderId: z.string().optional(),
  subtype: z.string().optional(),
  line: z.number().int().positive(),
  dedupeKey: z.string().min(1),
})

export interface LedgerEntry {
  kind: LedgerEntryKind
  venue: Venue
  format: FormatId
  /** Account identity the file reveals (exchange UID, Deribit file name); the user still picks the account. */
  accountHint?: string
  /** ISO 8601 UTC, "2026-03-17T09:34:12Z" or with milliseconds when the source has them. */
  time: string
  symbol?: string
  instrument?: Instrument
  side?: 'buy' | 'sell'
  quantity?: string
  price?: string
  fee?: string
  feeAsset?: string
  amount?: string
  asset?: string
  liquidity?: 'maker' | 'taker'
  /** The venue's own id of the fill or transaction, kept as text (ids overflow float64 and have leading zeros). */
  externalId?: string
  orderId?: string
  /** The venue's own word for the row ("Funding fee", "delivery", "TRANSFER_IN"), for display and audits. */
  subtype?: string
  /** 1-based physical line of the file where the record starts. */
  line: number
  /**
   * Stable identity for duplicate-safe import: venue + exchange id where the venue gives one, else a content
   * hash of the normalised row plus its occurrence index among identical rows of the same file (two identical
   * fills without ids stay two entries, and re-importing the same file yields the same keys). Unique within
   * one account: the store should scope uniqueness by account (a self-trade between two sub-accounts has the
   * same trade id in both exports).
   */
  dedupeKey: string
}

/** An entry before the pipeline adds the fields common to the whole file. */
export type LedgerEntryDraft = Omit<LedgerEntry, 'venue' | 'format' | 'line' | 'dedupeKey' | 'accountHint'> & {
  accountHint?: string
  /** Part of the dedupe key that separates several entries made from one row ("trade", "pnl"). */
  role: string
  /**
   * The venue-unique id this entry is keyed on (Binance trade ids are unique per symbol, so "BTCUSDT:123");
   * absent when the venue gives none, and the pipeline then keys on a content hash.
   */
  idKey?: string
}

/** A row the importer could not use. `column` is the header text as written in the file. */
export interface RowIssue {
  line: number
  column?: string
  value?: string
  reason: string
}

/** A problem with the file as a whole (nothing was imported, or everything is suspect). */
export interface FileIssue {
  code:
    | 'empty'
    | 'binary'
    | 'encoding'
    | 'not-csv'
    | 'no-header'
    | 'unknown-format'
    | 'missing-columns'
    | 'truncated'
    | 'too-many-errors'
  message: string
  line?: number
}

export class ImportError extends Error {
  constructor(readonly issue: FileIssue) {
    super(issue.message)
    this.name = 'ImportError'
  }
}

export type { Instrument, Venue }
