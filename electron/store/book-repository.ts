/**
 * The book in SQLite: accounts, collateral, positions and their history, market inputs and settings.
 * Reads and writes the portfolio document's shapes (already validated by the shared zod schemas);
 * each public write is one transaction and bumps the book's revision.
 */
import type { Db } from './database'
import type {
  Account,
  Collateral,
  Debt,
  Instrument,
  InstrumentMarket,
  MarginTier,
  Market,
  PortfolioDocument,
  Position,
  UnderlyingMarket,
} from '../shared/portfolio-document'
import { PORTFOLIO_FORMAT } from '../shared/portfolio-document'

export interface Clock {
  now: () => Date
}

export type PositionEventKind = 'opened' | 'edited' | 'closed' | 'reopened' | 'deleted'

export class NotFoundError extends Error {
  override name = 'NotFoundError'
}
export class ConflictError extends Error {
  override name = 'ConflictError'
}

interface AccountRow {
  id: string
  name: string | null
  venue: Account['venue']
  margin_mode: Account['marginMode']
  is_demo: number
  extra: string
}
interface CollateralRow {
  account_id: string
  asset: string
  amount: string
  haircut: number | null
  liquidation_threshold: number | null
  extra: string
}
interface PositionRow {
  id: string
  account_id: string
  instrument: string
  quantity: string
  entry_price: string
  margin_mode: 'cross' | 'isolated' | null
  isolated_margin: string | null
  leverage: number | null
  margin_tiers: string | null
  opened_at: string | null
  closed_at: string | null
  close_price: string | null
  note: string | null
  is_demo: number
  extra: string
}
interface UnderlyingRow {
  symbol: string
  price: string
  vol: number | null
  updated_at: string | null
  extra: string
}
interface MarkRow {
  position_id: string
  mark: string | null
  iv: number | null
  forward: string | null
  funding_rate: number | null
  funding_interval_hours: number | null
  updated_at: string | null
  extra: string
}

const ACCOUNT_KEYS = new Set(['id', 'name', 'venue', 'marginMode', 'collateral', 'debts'])
const COLLATERAL_KEYS = new Set(['asset', 'amount', 'haircut', 'liquidationThreshold'])
const POSITION_KEYS = new Set([
  'id',
  'account',
  'instrument',
  'quantity',
  'entryPrice',
  'marginMode',
  'isolatedMargin',
  'leverage',
  'marginTiers',
  'openedAt',
  'closedAt',
  'closePrice',
  'note',
])
const UNDERLYING_KEYS = new Set(['price', 'vol', 'history', 'updatedAt'])
const MARK_KEYS = new Set(['mark', 'iv', 'forward', 'fundingRate', 'fundingIntervalHours', 'updatedAt'])

/** Fields a producer added that Fulcrum does not know: kept so the document round-trips. */
function extraOf(obj: Record<string, unknown>, known: Set<string>): string {
  const extra: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (!known.has(k) && v !== undefined) extra[k] = v
  return JSON.stringify(extra)
}

function withExtra<T extends object>(base: T, extra: string): T {
  const parsed = JSON.parse(extra) as Record<string, unknown>
  return Object.keys(parsed).length ? { ...parsed, ...base } : base
}

function groupBy<T extends { account_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const row of rows) {
    const list = out.get(row.account_id)
    if (list) list.push(row)
    else out.set(row.account_id, [row])
  }
  return out
}

/** Drops undefined members so exported JSON carries no `"x": null` noise and compares cleanly. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== null)) as T
}

export class BookRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** ISO instant in the same canonical form the schema produces (no ".000" milliseconds). */
  private nowIso(): string {
    return this.clock.now().toISOString().replace('.000Z', 'Z')
  }

  /** Wraps a write: one transaction, one revision bump. Nested calls join the outer transaction and its bump. */
  write<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn()
    return this.db.transaction(() => {
      const result = fn()
      this.db.prepare("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'revision'").run()
      return result
    })()
  }

  revision(): number {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'revision'").get() as { value: string } | undefined
    return row ? Number(row.value) : 0
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  // -------------------------------------------------------------------------------------------
  // Accounts

  listAccounts(): Account[] {
    return this.readAccounts(undefined)
  }

  getAccount(id: string): Account | undefined {
    return this.readAccounts(id)[0]
  }

  /** Every account, or the one with `onlyId`: one query per table, collateral and debts grouped once. */
  private readAccounts(onlyId: string | undefined): Account[] {
    const where = onlyId === undefined ? '' : ' WHERE account_id = @id'
    const args = onlyId === undefined ? {} : { id: onlyId }
    const rows = this.db
      .prepare(`SELECT * FROM accounts${onlyId === undefined ? '' : ' WHERE id = @id'} ORDER BY ord, id`)
      .all(args) as AccountRow[]
    const collateralOf = groupBy(
      this.db.prepare(`SELECT * FROM collateral${where} ORDER BY account_id, ord`).all(args) as CollateralRow[],
    )
    const debtsOf = groupBy(
      this.db.prepare(`SELECT * FROM debts${where} ORDER BY account_id, ord`).all(args) as (Debt & { account_id: string })[],
    )
    return rows.map((r) => {
      const account: Account = compact({
        id: r.id,
        name: r.name ?? undefined,
        venue: r.venue,
        marginMode: r.margin_mode,
        collateral: (collateralOf.get(r.id) ?? []).map((c) =>
          withExtra<Collateral>(
            compact({
              asset: c.asset,
              amount: c.amount,
              haircut: c.haircut ?? undefined,
              liquidationThreshold: c.liquidation_threshold ?? undefined,
            }),
            c.extra,
          ),
        ),
        debts: undefined as Debt[] | undefined,
      })
      const own = (debtsOf.get(r.id) ?? []).map((d) => ({ asset: d.asset, amount: d.amount }))
      if (own.length) account.debts = own
      return withExtra(account, r.extra)
    })
  }

  accountExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM accounts WHERE id = ?').get(id) !== undefined
  }

  saveAccount(account: Account, opts: { create: boolean; demo?: boolean }): Account {
    return this.write(() => {
      const exists = this.accountExists(account.id)
      if (opts.create && exists) throw new ConflictError(`An account with id "${account.id}" already exists`)
      const now = this.nowIso()
      if (exists) {
        this.db
          .prepare('UPDATE accounts SET name = ?, venue = ?, margin_mode = ?, extra = ?, updated_at = ? WHERE id = ?')
          .run(account.name ?? null, account.venue, account.marginMode, extraOf(account, ACCOUNT_KEYS), now, account.id)
      } else {
        const ord = (this.db.prepare('SELECT coalesce(max(ord), -1) + 1 AS n FROM accounts').get() as { n: number }).n
        this.db
          .prepare(
            `INSERT INTO accounts(id, ord, name, venue, margin_mode, is_demo, extra, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(account.id, ord, account.name ?? null, account.venue, account.marginMode, opts.demo ? 1 : 0, extraOf(account, ACCOUNT_KEYS), now, now)
      }
      this.db.prepare('DELETE FROM collateral WHERE account_id = ?').run(account.id)
      const insC = this.db.prepare(
        'INSERT INTO collateral(account_id, ord, asset, amount, haircut, liquidation_threshold, extra) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      const seen = new Set<string>()
      account.collateral.forEach((c, i) => {
        if (seen.has(c.asset)) throw new ConflictError(`collateral[${i}].asset: ${c.asset} is listed twice`)
        seen.add(c.asset)
        insC.run(account.id, i, c.asset, c.amount, c.haircut ?? null, c.liquidationThreshold ?? null, extraOf(c, COLLATERAL_KEYS))
      })
      this.db.prepare('DELETE FROM debts WHERE account_id = ?').run(account.id)
      const insD = this.db.prepare('INSERT INTO debts(account_id, ord, asset, amount) VALUES (?, ?, ?, ?)')
      ;(account.debts ?? []).forEach((d, i) => insD.run(account.id, i, d.asset, d.amount))
      return this.getAccount(account.id)!
    })
  }

  /** Deletes an account. With open or closed positions it refuses unless `withPositions`. */
  deleteAccount(id: string, withPositions: boolean): { deletedPositions: number } {
    return this.write(() => {
      if (!this.accountExists(id)) throw new NotFoundError(`No account "${id}"`)
      const positions = this.db.prepare('SELECT id FROM positions WHERE account_id = ?').all(id) as { id: string }[]
      if (positions.length && !withPositions) {
        throw new ConflictError(`Account "${id}" still holds ${positions.length} position(s); delete them with it or move them first`)
      }
      for (const p of positions) this.deletePositionRow(p.id)
      this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id)
      return { deletedPositions: positions.length }
    })
  }

  // -------------------------------------------------------------------------------------------
  // Positions

  private rowToPosition(r: PositionRow): Position {
    const p: Position = compact({
      id: r.id,
      account: r.account_id,
      instrument: JSON.parse(r.instrument) as Instrument,
      quantity: r.quantity,
      entryPrice: r.entry_price,
      marginMode: r.margin_mode ?? undefined,
      isolatedMargin: r.isolated_margin ?? undefined,
      leverage: r.leverage ?? undefined,
      marginTiers: r.margin_tiers ? (JSON.parse(r.margin_tiers) as MarginTier[]) : undefined,
      openedAt: r.opened_at ?? undefined,
      closedAt: r.closed_at ?? undefined,
      closePrice: r.close_price ?? undefined,
      note: r.note ?? undefined,
    })
    return withExtra(p, r.extra)
  }

  listPositions(): Position[] {
    const rows = this.db.prepare('SELECT * FROM positions ORDER BY ord, id').all() as PositionRow[]
    return rows.map((r) => this.rowToPosition(r))
  }

  getPosition(id: string): Position | undefined {
    const row = this.db.prepare('SELECT * FROM positions WHERE id = ?').get(id) as PositionRow | undefined
    return row ? this.rowToPosition(row) : undefined
  }

  /** Creates or replaces a position; records an 'opened' or 'edited' event with its new state. */
  savePosition(position: Position, opts: { demo?: boolean; stampOpenedAt?: boolean } = {}): Position {
    return this.write(() => {
      if (!this.accountExists(position.account)) throw new NotFoundError(`account: no account "${position.account}"`)
      const existing = this.getPosition(position.id)
      const now = this.nowIso()
      const ins = position.instrument
      const values = {
        id: position.id,
        account_id: position.account,
        instrument: JSON.stringify(ins),
        kind: ins.kind,
        underlying: ins.underlying,
        expiry: ins.expiry ?? null,
        quantity: position.quantity,
        entry_price: position.entryPrice,
        margin_mode: position.marginMode ?? null,
        isolated_margin: position.isolatedMargin ?? null,
        leverage: position.leverage ?? null,
        margin_tiers: position.marginTiers ? JSON.stringify(position.marginTiers) : null,
        opened_at: position.openedAt ?? existing?.openedAt ?? (opts.stampOpenedAt && !existing ? now : null),
        closed_at: position.closedAt ?? null,
        close_price: position.closePrice ?? null,
        note: position.note ?? null,
        extra: extraOf(position, POSITION_KEYS),
        now,
      }
      if (existing) {
        this.db
          .prepare(
            `UPDATE positions SET account_id=@account_id, instrument=@instrument, kind=@kind, underlying=@underlying,
               expiry=@expiry, quantity=@quantity, entry_price=@entry_price, margin_mode=@margin_mode,
               isolated_margin=@isolated_margin, leverage=@leverage, margin_tiers=@margin_tiers, opened_at=@opened_at,
               closed_at=@closed_at, close_price=@close_price, note=@note, extra=@extra, updated_at=@now
             WHERE id=@id`,
          )
          .run(values)
      } else {
        const ord = (this.db.prepare('SELECT coalesce(max(ord), -1) + 1 AS n FROM positions').get() as { n: number }).n
        this.db
          .prepare(
            `INSERT INTO positions(id, ord, account_id, instrument, kind, underlying, expiry, quantity, entry_price,
               margin_mode, isolated_margin, leverage, margin_tiers, opened_at, closed_at, close_price, note, is_demo,
               extra, created_at, updated_at)
             VALUES (@id, @ord, @account_id, @instrument, @kind, @underlying, @expiry, @quantity, @entry_price,
               @margin_mode, @isolated_margin, @leverage, @margin_tiers, @opened_at, @closed_at, @close_price, @note,
               @is_demo, @extra, @now, @now)`,
          )
          .run({ ...values, ord, is_demo: opts.demo ? 1 : 0 })
      }
      const saved = this.getPosition(position.id)!
      this.recordEvent(saved, existing ? 'edited' : 'opened')
      return saved
    })
  }

  closePosition(id: string, closePrice: string, closedAt: string | undefined): Position {
    return this.write(() => {
      const p = this.getPosition(id)
      if (!p) throw new NotFoundError(`No position "${id}"`)
      if (p.closedAt) throw new ConflictError(`Position "${id}" was already closed at ${p.closedAt}`)
      const at = closedAt ?? this.nowIso()
      this.db
        .prepare('UPDATE positions SET closed_at = ?, close_price = ?, updated_at = ? WHERE id = ?')
        .run(at, closePrice, this.nowIso(), id)
      const closed = this.getPosition(id)!
      this.recordEvent(closed, 'closed')
      return closed
    })
  }

  reopenPosition(id: string): Position {
    return this.write(() => {
      const p = this.getPosition(id)
      if (!p) throw new NotFoundError(`No position "${id}"`)
      if (!p.closedAt) throw new ConflictError(`Position "${id}" is open`)
      this.db.prepare('UPDATE positions SET closed_at = NULL, close_price = NULL, updated_at = ? WHERE id = ?').run(this.nowIso(), id)
      const reopened = this.getPosition(id)!
      this.recordEvent(reopened, 'reopened')
      return reopened
    })
  }

  deletePosition(id: string): void {
    this.write(() => {
      if (!this.getPosition(id)) throw new NotFoundError(`No position "${id}"`)
      this.deletePositionRow(id)
    })
  }

  private deletePositionRow(id: string): void {
    const p = this.getPosition(id)
    if (p) this.recordEvent(p, 'deleted')
    this.db.prepare('DELETE FROM instrument_marks WHERE position_id = ?').run(id)
    this.db.prepare('DELETE FROM positions WHERE id = ?').run(id)
  }

  private recordEvent(p: Position, kind: PositionEventKind): void {
    this.db
      .prepare('INSERT INTO position_events(position_id, at, kind, snapshot) VALUES (?, ?, ?, ?)')
      .run(p.id, this.nowIso(), kind, JSON.stringify(p))
  }

  positionHistory(id: string): { at: string; kind: PositionEventKind; position: Position }[] {
    const rows = this.db
      .prepare('SELECT at, kind, snapshot FROM position_events WHERE position_id = ? ORDER BY id')
      .all(id) as { at: string; kind: PositionEventKind; snapshot: string }[]
    return rows.map((r) => ({ at: r.at, kind: r.kind, position: JSON.parse(r.snapshot) as Position }))
  }

  // -------------------------------------------------------------------------------------------
  // Market

  getMarket(): Market {
    const underlyings: Record<string, UnderlyingMarket> = {}
    const uRows = this.db.prepare('SELECT * FROM underlyings ORDER BY ord, symbol').all() as UnderlyingRow[]
    const hist = this.db.prepare('SELECT day, close FROM price_history WHERE underlying = ? ORDER BY day')
    for (const u of uRows) {
      const history = (hist.all(u.symbol) as { day: string; close: string }[]).map((h) => [h.day, h.close] as [string, string])
      underlyings[u.symbol] = withExtra<UnderlyingMarket>(
        compact({
          price: u.price,
          vol: u.vol ?? undefined,
          history: history.length ? history : undefined,
          updatedAt: u.updated_at ?? undefined,
        }),
        u.extra,
      )
    }
    const instruments: Record<string, InstrumentMarket> = {}
    for (const m of this.db.prepare('SELECT * FROM instrument_marks ORDER BY position_id').all() as MarkRow[]) {
      instruments[m.position_id] = withExtra<InstrumentMarket>(
        compact({
          mark: m.mark ?? undefined,
          iv: m.iv ?? undefined,
          forward: m.forward ?? undefined,
          fundingRate: m.funding_rate ?? undefined,
          fundingIntervalHours: m.funding_interval_hours ?? undefined,
          updatedAt: m.updated_at ?? undefined,
        }),
        m.extra,
      )
    }
    const rates = Object.fromEntries(
      (this.db.prepare('SELECT currency, rate FROM rates ORDER BY currency').all() as { currency: string; rate: number }[]).map((r) => [r.currency, r.rate]),
    )
    const correlations = Object.fromEntries(
      (this.db.prepare('SELECT pair, value FROM correlations ORDER BY pair').all() as { pair: string; value: number }[]).map((r) => [r.pair, r.value]),
    )
    const fxRows = this.db.prepare('SELECT currency, usd_per_unit FROM fx ORDER BY currency').all() as { currency: string; usd_per_unit: string }[]
    const market: Market = { underlyings, instruments, rates, correlations }
    if (fxRows.length) market.fx = Object.fromEntries(fxRows.map((r) => [r.currency, r.usd_per_unit]))
    return market
  }

  hasUnderlying(symbol: string): boolean {
    return this.db.prepare('SELECT 1 FROM underlyings WHERE symbol = ?').get(symbol) !== undefined
  }

  saveUnderlying(symbol: string, u: UnderlyingMarket, opts: { demo?: boolean; replaceHistory?: boolean } = {}): void {
    this.write(() => {
      const ord = (this.db.prepare('SELECT coalesce(max(ord), -1) + 1 AS n FROM underlyings').get() as { n: number }).n
      this.db
        .prepare(
          `INSERT INTO underlyings(symbol, ord, price, vol, updated_at, is_demo, extra) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(symbol) DO UPDATE SET price = excluded.price, vol = coalesce(excluded.vol, underlyings.vol),
             updated_at = excluded.updated_at, extra = json_patch(underlyings.extra, excluded.extra)`,
        )
        .run(symbol, ord, u.price, u.vol ?? null, u.updatedAt ?? this.nowIso(), opts.demo ? 1 : 0, extraOf(u, UNDERLYING_KEYS))
      if (opts.replaceHistory) this.db.prepare('DELETE FROM price_history WHERE underlying = ?').run(symbol)
      if (u.history) {
        const ins = this.db.prepare(
          'INSERT INTO price_history(underlying, day, close) VALUES (?, ?, ?) ON CONFLICT(underlying, day) DO UPDATE SET close = excluded.close',
        )
        for (const [day, close] of u.history) ins.run(symbol, day, close)
      }
    })
  }

  saveInstrumentMarket(positionId: string, m: InstrumentMarket): void {
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO instrument_marks(position_id, mark, iv, forward, funding_rate, funding_interval_hours, updated_at, extra)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(position_id) DO UPDATE SET mark = excluded.mark, iv = excluded.iv, forward = excluded.forward,
             funding_rate = excluded.funding_rate, funding_interval_hours = excluded.funding_interval_hours,
             updated_at = excluded.updated_at, extra = excluded.extra`,
        )
        .run(
          positionId,
          m.mark ?? null,
          m.iv ?? null,
          m.forward ?? null,
          m.fundingRate ?? null,
          m.fundingIntervalHours ?? null,
          m.updatedAt ?? this.nowIso(),
          extraOf(m, MARK_KEYS),
        )
    })
  }

  // -------------------------------------------------------------------------------------------
  // Settings

  getSettings(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[]
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
  }

  saveSettings(values: Record<string, unknown>): void {
    this.write(() => {
      const up = this.db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      for (const [k, v] of Object.entries(values)) if (v !== undefined) up.run(k, JSON.stringify(v))
    })
  }

  // -------------------------------------------------------------------------------------------
  // Demo portfolio

  demoIds(): { accountIds: string[]; positionIds: string[] } {
    return {
      accountIds: (this.db.prepare('SELECT id FROM accounts WHERE is_demo = 1 ORDER BY ord').all() as { id: string }[]).map((r) => r.id),
      positionIds: (this.db.prepare('SELECT id FROM positions WHERE is_demo = 1 ORDER BY ord').all() as { id: string }[]).map((r) => r.id),
    }
  }

  /**
   * Removes the demo accounts with their positions, and demo market data nothing else uses.
   * Positions the user added to a demo account go with it: the account is demo, so is what it holds.
   */
  removeDemo(): void {
    this.write(() => {
      const accounts = this.db.prepare('SELECT id FROM accounts WHERE is_demo = 1').all() as { id: string }[]
      for (const a of accounts) {
        for (const p of this.db.prepare('SELECT id FROM positions WHERE account_id = ?').all(a.id) as { id: string }[]) {
          this.deletePositionRow(p.id)
        }
        this.db.prepare('DELETE FROM accounts WHERE id = ?').run(a.id)
      }
      for (const p of this.db.prepare('SELECT id FROM positions WHERE is_demo = 1').all() as { id: string }[]) {
        this.deletePositionRow(p.id)
      }
      const unused = this.db
        .prepare('SELECT symbol FROM underlyings WHERE is_demo = 1 AND symbol NOT IN (SELECT underlying FROM positions)')
        .all() as { symbol: string }[]
      for (const u of unused) {
        this.db.prepare('DELETE FROM price_history WHERE underlying = ?').run(u.symbol)
        this.db.prepare('DELETE FROM underlyings WHERE symbol = ?').run(u.symbol)
      }
      // What stays is the user's now.
      this.db.prepare('UPDATE underlyings SET is_demo = 0').run()
      this.setMeta('demo_removed_at', this.nowIso())
    })
  }

  // -------------------------------------------------------------------------------------------
  // The whole document

  toDocument(): PortfolioDocument {
    const settings = this.getSettings()
    return {
      format: PORTFOLIO_FORMAT,
      asOf: this.nowIso(),
      accounts: this.listAccounts(),
      positions: this.listPositions(),
      market: this.getMarket(),
      settings: settings as PortfolioDocument['settings'],
    }
  }

  /**
   * Adds a whole document to the book (`replace` first empties it). One transaction: a document
   * that fails half-way leaves the book exactly as it was.
   */
  loadDocument(doc: PortfolioDocument, opts: { replace: boolean; demo?: boolean }): void {
    this.write(() => {
      if (opts.replace) {
        for (const { id } of this.db.prepare('SELECT id FROM positions').all() as { id: string }[]) this.deletePositionRow(id)
        for (const table of ['instrument_marks', 'collateral', 'debts', 'accounts', 'price_history', 'underlyings', 'rates', 'correlations', 'fx']) {
          this.db.prepare(`DELETE FROM ${table}`).run()
        }
      }
      for (const a of doc.accounts) this.saveAccount(a, { create: true, demo: opts.demo ?? false })
      for (const p of doc.positions) this.savePosition(p, { demo: opts.demo ?? false })
      for (const [symbol, u] of Object.entries(doc.market.underlyings)) {
        // A price without its own time is as old as the document that carries it (staleness needs a time).
        this.saveUnderlying(symbol, { ...u, updatedAt: u.updatedAt ?? doc.asOf }, { demo: opts.demo ?? false, replaceHistory: true })
      }
      for (const [id, m] of Object.entries(doc.market.instruments)) {
        this.saveInstrumentMarket(id, { ...m, updatedAt: m.updatedAt ?? doc.asOf })
      }
      const rate = this.db.prepare('INSERT INTO rates(currency, rate) VALUES (?, ?) ON CONFLICT(currency) DO UPDATE SET rate = excluded.rate')
      for (const [c, r] of Object.entries(doc.market.rates)) rate.run(c, r)
      const corr = this.db.prepare('INSERT INTO correlations(pair, value) VALUES (?, ?) ON CONFLICT(pair) DO UPDATE SET value = excluded.value')
      for (const [pair, v] of Object.entries(doc.market.correlations)) corr.run(pair, v)
      const fx = this.db.prepare('INSERT INTO fx(currency, usd_per_unit) VALUES (?, ?) ON CONFLICT(currency) DO UPDATE SET usd_per_unit = excluded.usd_per_unit')
      for (const [c, v] of Object.entries(doc.market.fx ?? {})) fx.run(c, v)
      if (opts.replace || !opts.demo) this.saveSettings(doc.settings as Record<string, unknown>)
    })
  }
}
