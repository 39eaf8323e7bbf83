/**
 * Tiered (bracketed) margin: the maintenance margin rate grows with the position's notional, and a
 * maintenance amount per tier keeps the requirement continuous across tier boundaries
 * (amount[n] = floor[n] × (rate[n] − rate[n−1]) + amount[n−1], Binance's published rule).
 *
 * Built-in tables are static JSON imports so the engine stays free of I/O; each file under
 * resources/margin-tiers/ names its source and says whether it is a documented snapshot or a
 * reconstruction. A position's own `marginTiers` always wins over the built-in table.
 */
import type { MarginTier, Venue } from '../../shared/portfolio-document'
import { decimalToFloat } from '../seam'
import binanceUsdm from '../../../resources/margin-tiers/binance-usdm.json'
import binanceCoinm from '../../../resources/margin-tiers/binance-coinm.json'
import bybitLinear from '../../../resources/margin-tiers/bybit-linear.json'
import bybitInverse from '../../../resources/margin-tiers/bybit-inverse.json'
import okxSwap from '../../../resources/margin-tiers/okx-swap.json'

/** Where a tier's notional is measured: in the quote currency (USD(T)) or in the coin (COIN-M style). */
export type NotionalUnit = 'quote' | 'base'

export interface TierRow {
  maxNotional: number
  maintenanceRate: number
  maintenanceAmount: number
  maxLeverage: number
}

export interface TierTable {
  /** Stable key shown in the report, e.g. `binance-usdm:BTC` or `position:p1`. */
  key: string
  unit: NotionalUnit
  rows: TierRow[]
  /** 'documented-snapshot' | 'reconstructed' | 'position' (the document's own override). */
  status: string
  source?: string
}

interface TierFile {
  venue: string
  product: string
  notionalUnit: string
  sources: Record<string, { status: string; url: string; retrieved: string }>
  tables: Record<string, Array<{ maxNotional: string; maintenanceRate: number; maintenanceAmount: string; maxLeverage: number }>>
}

function rowsOf(raw: TierFile['tables'][string]): TierRow[] {
  return raw.map((r) => ({
    maxNotional: decimalToFloat(r.maxNotional),
    maintenanceRate: r.maintenanceRate,
    maintenanceAmount: decimalToFloat(r.maintenanceAmount),
    maxLeverage: r.maxLeverage,
  }))
}

function tablesOf(file: TierFile): Map<string, TierTable> {
  const out = new Map<string, TierTable>()
  for (const [underlying, raw] of Object.entries(file.tables)) {
    const src = file.sources[underlying]
    out.set(underlying, {
      key: `${file.venue}-${file.product}:${underlying}`,
      unit: file.notionalUnit === 'base' ? 'base' : 'quote',
      rows: rowsOf(raw),
      status: src?.status ?? 'unknown',
      ...(src ? { source: `${src.url} (retrieved ${src.retrieved})` } : {}),
    })
  }
  return out
}

const BUILTIN: Record<string, Map<string, TierTable>> = {
  'binance:linear': tablesOf(binanceUsdm as TierFile),
  'binance:inverse': tablesOf(binanceCoinm as TierFile),
  'bybit:linear': tablesOf(bybitLinear as TierFile),
  'bybit:inverse': tablesOf(bybitInverse as TierFile),
  'okx:linear': tablesOf(okxSwap as TierFile),
  'okx:inverse': tablesOf(okxSwap as TierFile),
}

/** Every built-in table, for tests and for the app's margin view. */
export function builtinTierTables(): TierTable[] {
  return Object.values(BUILTIN).flatMap((m) => [...m.values()])
}

/** The built-in table for a venue, settlement and underlying, if Fulcrum ships one. */
export function builtinTierTable(venue: Venue, settlement: 'linear' | 'inverse', underlying: string): TierTable | undefined {
  return BUILTIN[`${venue}:${settlement}`]?.get(underlying)
}

/** A position's own `marginTiers`: notional in the quote currency, as the contract defines it. */
export function tierTableFromDocument(key: string, tiers: readonly MarginTier[]): TierTable {
  return {
    key,
    unit: 'quote',
    status: 'position',
    rows: tiers.map((t) => ({
      maxNotional: decimalToFloat(t.maxNotional),
      maintenanceRate: t.maintenanceRate,
      maintenanceAmount: decimalToFloat(t.maintenanceAmount),
      maxLeverage: t.maxLeverage,
    })),
  }
}

/** Index of the tier for a notional: the first with notional ≤ maxNotional; past the last, the last. */
export function tierIndex(rows: readonly TierRow[], notional: number): number {
  const n = rows.length
  for (let i = 0; i < n; i++) if (notional <= rows[i]!.maxNotional) return i
  return n - 1
}

/** Maintenance margin for a notional, in the table's unit: N × rate − amount, never negative. */
export function tieredMaintenance(rows: readonly TierRow[], notional: number): number {
  const row = rows[tierIndex(rows, notional)]!
  const mm = notional * row.maintenanceRate - row.maintenanceAmount
  return mm > 0 ? mm : 0
}

/**
 * Initial margin for a notional: N / leverage, the position's leverage or else the tier's maximum
 * (the contract's rule). A leverage above the tier's maximum is reported by the engine as a warning,
 * not silently capped: the document says what the trader set.
 */
export function tieredInitial(rows: readonly TierRow[], notional: number, leverage?: number): number {
  const row = rows[tierIndex(rows, notional)]!
  return notional / (leverage !== undefined && leverage > 0 ? leverage : row.maxLeverage)
}
