/**
 * A position from its ledger: the fold of one account's entries for one instrument, oldest first.
 * Pure (no SQLite): the ledger repository feeds it rows and stores what it returns.
 *
 * - Quantity: the sum of the fills' signed contracts. A delivery (settlement whose subtype says deliver,
 *   expire or exercise, or that carries a quantity) closes what is left at its price.
 * - Average entry: average cost of the open part. Linear contracts and options average the price weighted
 *   by contracts; inverse (coin-settled) futures and perpetuals average harmonically, because a contract's
 *   coin value is size / price (the average entry is q / Σ qᵢ / pᵢ). Reducing keeps the average; going
 *   through zero opens the remainder at the fill's price.
 * - Realized PnL: what the venue booked (realized_pnl entries and settlements) where the export carries it;
 *   otherwise computed by the same average cost: linear and options q × size × (exit − entry) in the quote
 *   (coin for inverse options), inverse q × size × (1/entry − 1/exit) in the coin. `pnlSource` says which.
 * - Fees paid (positive = paid, rebates negative) and funding paid (positive = paid) per currency.
 *
 * Decimal all the way: money in the ledger is exact (style.md).
 */
import { Decimal, decToString } from '../shared/decimal'
import type { Instrument } from '../shared/portfolio-document'
import type { LedgerEntryKind } from './types'

export interface DerivationEntry {
  kind: LedgerEntryKind
  time: string
  quantity?: string | null
  price?: string | null
  fee?: string | null
  feeAsset?: string | null
  amount?: string | null
  asset?: string | null
  subtype?: string | null
}

export interface DerivedPosition {
  /** Signed contracts; "0" when flat. */
  quantity: string
  /** Average entry of the open part; null when flat. */
  entryPrice: string | null
  realizedPnl: Record<string, string>
  pnlSource: 'venue' | 'computed'
  feesPaid: Record<string, string>
  fundingPaid: Record<string, string>
  fills: number
  /** When the current position was opened (last time it left zero); null when flat. */
  openedAt: string | null
  lastAt: string | null
  /** Price of the last fill or delivery. */
  lastPrice: string | null
  /** When a delivery or the last fill closed it; null while open. */
  closedAt: string | null
}

const DELIVERY = /deliver|expir|exercis/i
/** Significant digits kept in an average price (34-digit quotients are noise to a reader). */
const PRICE_DIGITS = 16

function add(map: Map<string, Decimal>, asset: string, value: Decimal): void {
  const prev = map.get(asset)
  map.set(asset, prev ? prev.plus(value) : value)
}

function toRecord(map: Map<string, Decimal>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of [...map].sort(([a], [b]) => a.localeCompare(b))) out[k] = decToString(v)
  return out
}

/** Folds entries into a position. Entries must be oldest first (ties in file order). */
export class PositionFold {
  private q = new Decimal(0)
  /** Linear/options: Σ qᵢ pᵢ of the open part. Inverse: Σ qᵢ / pᵢ. */
  private basis = new Decimal(0)
  private readonly inverse: boolean
  private readonly size: Decimal
  private readonly pnlAsset: string
  private readonly venuePnl = new Map<string, Decimal>()
  private readonly computedPnl = new Map<string, Decimal>()
  private readonly fees = new Map<string, Decimal>()
  private readonly funding = new Map<string, Decimal>()
  private venueBooked = false
  private fills = 0
  private openedAt: string | null = null
  private closedAt: string | null = null
  private lastAt: string | null = null
  private lastPrice: string | null = null

  constructor(instrument: Instrument) {
    this.inverse = instrument.settlement === 'inverse' && instrument.kind !== 'option'
    this.size = new Decimal(instrument.contractSize ?? '1')
    this.pnlAsset = instrument.settlement === 'inverse' ? instrument.underlying : instrument.quote
  }

  private avg(): Decimal {
    if (this.q.isZero()) return new Decimal(0)
    return this.inverse ? this.q.div(this.basis) : this.basis.div(this.q)
  }

  private pnlOf(closed: Decimal, exit: Decimal, sign: number): Decimal {
    const entry = this.avg()
    if (this.inverse) return this.size.times(closed).times(new Decimal(1).div(entry).minus(new Decimal(1).div(exit))).times(sign)
    return this.size.times(closed).times(exit.minus(entry)).times(sign)
  }

  private basisOf(q: Decimal, price: Decimal): Decimal {
    return this.inverse ? q.div(price) : q.times(price)
  }

  fill(dq: Decimal, price: Decimal, time: string): void {
    if (dq.isZero()) return
    if (this.q.isZero() || this.q.isNeg() === dq.isNeg()) {
      if (this.q.isZero()) {
        this.openedAt = time
        this.closedAt = null
      }
      this.q = this.q.plus(dq)
      this.basis = this.basis.plus(this.basisOf(dq, price))
      return
    }
    const sign = this.q.isNeg() ? -1 : 1
    const open = this.q.abs()
    const closing = Decimal.min(open, dq.abs())
    add(this.computedPnl, this.pnlAsset, this.pnlOf(closing, price, sign))
    const rest = open.minus(closing)
    if (rest.isZero()) {
      const remainder = this.q.plus(dq)
      this.q = new Decimal(0)
      this.basis = new Decimal(0)
      this.closedAt = time
      if (!remainder.isZero()) {
        this.q = remainder
        this.basis = this.basisOf(remainder, price)
        this.openedAt = time
        this.closedAt = null
      }
    } else {
      // Keep the average: scale the basis with the open quantity.
      this.basis = this.basis.times(rest).div(open)
      this.q = this.q.plus(dq)
    }
  }

  push(e: DerivationEntry): void {
    this.lastAt = e.time
    if (e.fee && e.feeAsset) add(this.fees, e.feeAsset, new Decimal(e.fee))
    switch (e.kind) {
      case 'trade':
        if (e.quantity && e.price) {
          this.fills++
          this.lastPrice = e.price
          this.fill(new Decimal(e.quantity), new Decimal(e.price), e.time)
        }
        break
      case 'realized_pnl':
        this.venueBooked = true
        if (e.amount && e.asset) add(this.venuePnl, e.asset, new Decimal(e.amount))
        break
      case 'settlement': {
        this.venueBooked = true
        if (e.amount && e.asset) add(this.venuePnl, e.asset, new Decimal(e.amount))
        const delivery = (e.subtype !== undefined && e.subtype !== null && DELIVERY.test(e.subtype)) || !!e.quantity
        if (delivery && !this.q.isZero()) {
          if (e.price) {
            this.lastPrice = e.price
            this.fill(this.q.negated(), new Decimal(e.price), e.time)
          } else {
            this.q = new Decimal(0)
            this.basis = new Decimal(0)
          }
          this.closedAt = e.time
        }
        break
      }
      case 'funding':
        // The ledger's funding amount is received (positive) or paid (negative); the position shows paid.
        if (e.amount && e.asset) add(this.funding, e.asset, new Decimal(e.amount).negated())
        break
      case 'fee':
        // A fee row's amount is the cash effect (negative when charged).
        if (e.amount && e.asset) add(this.fees, e.asset, new Decimal(e.amount).negated())
        break
      case 'transfer':
        break
    }
  }

  result(): DerivedPosition {
    const flat = this.q.isZero()
    return {
      quantity: decToString(this.q),
      entryPrice: flat ? null : decToString(this.avg().toSignificantDigits(PRICE_DIGITS)),
      realizedPnl: toRecord(this.venueBooked ? this.venuePnl : this.computedPnl),
      pnlSource: this.venueBooked ? 'venue' : 'computed',
      feesPaid: toRecord(this.fees),
      fundingPaid: toRecord(this.funding),
      fills: this.fills,
      openedAt: flat ? null : this.openedAt,
      lastAt: this.lastAt,
      lastPrice: this.lastPrice,
      closedAt: flat ? (this.closedAt ?? this.lastAt) : null,
    }
  }
}

export function derivePosition(instrument: Instrument, entries: Iterable<DerivationEntry>): DerivedPosition {
  const fold = new PositionFold(instrument)
  for (const e of entries) fold.push(e)
  return fold.result()
}

/**
 * Identity of an instrument for matching a ledger position with a hand-entered one: what the contract is,
 * not how a venue spells it (a hand-entered position rarely carries a symbol). Contract size is left out: it
 * changes what a quantity means, not which contract it is.
 */
export function instrumentIdentity(ins: Instrument): string {
  return [
    ins.kind,
    ins.settlement,
    ins.underlying.toUpperCase(),
    ins.quote.toUpperCase(),
    ins.expiry ?? '',
    ins.optionType ?? '',
    ins.strike ?? '',
  ].join('|')
}
