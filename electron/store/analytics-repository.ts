/**
 * Planned hedges (issue 4): what the trader chose to place from the Hedging view. One row per
 * decision; a status change is one statement. Quantities and prices stay decimal strings.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from './database'
import type { Clock } from './book-repository'
import { NotFoundError } from './book-repository'
import type { PlannedHedge, PlannedHedgeStatus } from '../shared/analytics-contract'
import type { Instrument, Venue } from '../shared/portfolio-document'

interface Row {
  id: string
  created_at: string
  updated_at: string
  status: PlannedHedgeStatus
  candidate_id: string
  underlying: string
  account_id: string
  venue: Venue
  instrument: string
  quantity: string
  price: string
  daily_cost: number
  margin_used: number
  reason: string
  note: string | null
  book_revision: number
}

function fromRow(r: Row): PlannedHedge {
  return {
    id: r.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    candidateId: r.candidate_id,
    underlying: r.underlying,
    account: r.account_id,
    venue: r.venue,
    instrument: JSON.parse(r.instrument) as Instrument,
    quantity: r.quantity,
    price: r.price,
    dailyCost: r.daily_cost,
    marginUsedUsd: r.margin_used,
    reason: r.reason,
    note: r.note,
    bookRevision: r.book_revision,
  }
}

export class AnalyticsRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  plan(h: Omit<PlannedHedge, 'id' | 'createdAt' | 'updatedAt' | 'status'>): PlannedHedge {
    const at = this.now()
    const id = `ph-${randomUUID().slice(0, 8)}`
    this.db
      .prepare(
        `INSERT INTO planned_hedges (id, created_at, updated_at, status, candidate_id, underlying, account_id, venue, instrument, quantity, price, daily_cost, margin_used, reason, note, book_revision)
         VALUES (?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, at, at, h.candidateId, h.underlying, h.account, h.venue, JSON.stringify(h.instrument), h.quantity, h.price, h.dailyCost, h.marginUsedUsd, h.reason, h.note, h.bookRevision)
    return this.get(id)
  }

  get(id: string): PlannedHedge {
    const row = this.db.prepare('SELECT * FROM planned_hedges WHERE id = ?').get(id) as Row | undefined
    if (!row) throw new NotFoundError(`no planned hedge "${id}"`)
    return fromRow(row)
  }

  list(): PlannedHedge[] {
    return (this.db.prepare('SELECT * FROM planned_hedges ORDER BY created_at DESC, id').all() as Row[]).map(fromRow)
  }

  setStatus(id: string, status: PlannedHedgeStatus): PlannedHedge {
    const r = this.db.prepare('UPDATE planned_hedges SET status = ?, updated_at = ? WHERE id = ?').run(status, this.now(), id)
    if (r.changes === 0) throw new NotFoundError(`no planned hedge "${id}"`)
    return this.get(id)
  }
}
