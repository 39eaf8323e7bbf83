/**
 * Delta-neutral hedge suggestions: for each underlying with a net delta, candidate trades on the
 * venues the trader has accounts on (a perpetual, linear or coin-settled, or a dated future the book
 * already trades), each sized in whole lots to bring the delta within one lot of zero, with the
 * margin it takes, its fees and funding per day and its basis risk; ranked by cost per day.
 *
 * The delta hedged is the contract's `portfolio.netDelta` (positions only) by default; with
 * settings.hedgeDeltaBasis = "equity" it is the delta of equity, so coin collateral and debts count.
 *
 * Cost per day (positive = the hedge costs money) = (opening + closing taker fees) spread over
 * settings.hedgeHorizonDays − funding received per day − basis carry per day (a dated future sold at
 * a premium earns the premium as it converges).
 */
import type { Instrument, PortfolioDocument, Position, Venue } from '../../shared/portfolio-document'
import { ACCOUNT_DEFI, KIND_LINEAR, USD_LIKE, type PreparedBook } from '../book'
import type { AccountReport, HedgeSuggestion, PositionReport } from '../report-types'
import { reportNumber, reportNumberOrNull } from '../seam'
import { accountFiguresAfter } from './account-what-if'
import { accountExposures } from './exposures'
import type { ResolvedAnalyticsSettings } from './settings'
import { hedgeInstruments, venueTakerFee } from './venue-instruments'
import { VENUE_NAME } from './venues'

/** A funding rate nobody quotes in the book: the common 0.01 % per 8 h baseline of the big venues. */
const DEFAULT_FUNDING_RATE = 0.0001
const DEFAULT_FUNDING_HOURS = 8

export interface HedgeTarget {
  underlying: string
  basis: 'positions' | 'equity'
  /** Delta to neutralise (underlying units) and its USD value at the index. */
  delta: number
  deltaUsd: number
  index: number
}

export interface HedgeCandidate {
  /** Stable key of the suggestion (underlying, account, symbol). */
  id: string
  rank: number
  underlying: string
  account: string
  venue: Venue
  instrument: Instrument
  /** Contracts, signed (negative sells), a decimal string in the venue's lot step. */
  quantity: string
  lotStep: string
  /** Price the hedge is assumed to trade at (its mark), quote currency per unit. */
  price: string
  notionalUsd: number
  deltaBefore: number
  deltaAfter: number
  /** Delta of one lot, underlying units (the "one contract" of the residual). */
  deltaPerLot: number
  /** Initial margin the hedge adds to its account (negative when it frees margin), USD. */
  marginUsedUsd: number
  takerFeeRate: number
  feeOpenUsd: number
  /** Funding per day, USD, negative when the hedge pays (contract sign convention). */
  fundingPerDay: number
  fundingRate: number
  fundingIntervalHours: number
  fundingSource: 'book' | 'other-venue' | 'assumed'
  /** Basis convergence per day for dated futures (USD, positive earns); 0 for perpetuals. */
  carryPerDay: number
  /** (open + close fees) / horizon − funding − carry, USD per day; positive costs. */
  dailyCost: number
  basisRisk: string
  accountMarginRatioBefore: number | null
  accountMarginRatioAfter: number | null
  liquidationDistanceBefore: number | null
  liquidationDistanceAfter: number | null
  feasible: boolean
  reason: string
}

export interface HedgeAnalysis {
  basis: 'positions' | 'equity'
  horizonDays: number
  targets: HedgeTarget[]
  candidates: HedgeCandidate[]
  /** The best feasible candidate per underlying, in the contract's shape (plus detail). */
  hedges: HedgeSuggestion[]
}

interface Context {
  doc: PortfolioDocument
  book: PreparedBook
  settings: ResolvedAnalyticsSettings
  positions: readonly PositionReport[]
  accounts: readonly AccountReport[]
}

export function hedgeTargets(ctx: Pick<Context, 'book' | 'positions' | 'settings'>): HedgeTarget[] {
  const { book } = ctx
  const basis = ctx.settings.hedgeDeltaBasis
  const delta = new Map<string, number>()
  if (basis === 'positions') {
    for (const p of ctx.positions) delta.set(p.underlying, (delta.get(p.underlying) ?? 0) + p.delta)
  } else {
    const e = new Float64Array(book.factors.length)
    for (const x of accountExposures(book)) for (let f = 0; f < e.length; f++) e[f]! += x[f]!
    for (let f = 0; f < e.length; f++) if (e[f] !== 0) delta.set(book.factors[f]!, e[f]! / book.basePrices[f]!)
  }
  const out: HedgeTarget[] = []
  for (const [u, d] of delta) {
    const f = book.factorIndex.get(u)
    if (f === undefined || USD_LIKE.has(u)) continue
    const S = book.basePrices[f]!
    out.push({ underlying: u, basis, delta: reportNumber(d), deltaUsd: reportNumber(d * S), index: reportNumber(S) })
  }
  return out.sort((x, y) => Math.abs(y.deltaUsd) - Math.abs(x.deltaUsd))
}

/** Decimals of a step like 0.001 → 3. */
function decimalsOf(step: number): number {
  const s = step.toString()
  if (s.includes('e-')) return Number(s.split('e-')[1])
  return s.includes('.') ? s.split('.')[1]!.length : 0
}

function toDecimalString(x: number, decimals: number): string {
  const s = x.toFixed(decimals)
  return /^-?0(\.0*)?$/.test(s) ? '0' : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}

/** Mark/index ratio of a perpetual the book already holds on that venue, underlying and settlement. */
function knownPerp(ctx: Context, venue: Venue, u: string, settlement: 'linear' | 'inverse'): { ratio: number; rate?: number; hours?: number; source: 'book' | 'other-venue' } | null {
  const { book, doc } = ctx
  let fallback: { ratio: number; rate?: number; hours?: number; source: 'book' | 'other-venue' } | null = null
  for (let i = 0; i < book.n; i++) {
    const p = book.positions[i]!
    if (p.instrument.kind !== 'perpetual' || p.instrument.underlying !== u) continue
    const m = doc.market.instruments[p.id]
    const entry = { ratio: book.posMarkRatio[i]!, rate: m?.fundingRate, hours: m?.fundingIntervalHours }
    if (book.accounts[book.posAccount[i]!]!.venue === venue && p.instrument.settlement === settlement && m?.fundingRate !== undefined) return { ...entry, source: 'book' }
    if (m?.fundingRate !== undefined && !fallback) fallback = { ...entry, ratio: 1, source: 'other-venue' }
  }
  return fallback
}

export function hedgeAnalysis(ctx: Context): HedgeAnalysis {
  const { doc, book, settings } = ctx
  const targets = hedgeTargets(ctx)
  const horizon = settings.hedgeHorizonDays
  const candidates: HedgeCandidate[] = []
  const docAccounts = new Map(doc.accounts.map((a) => [a.id, a]))
  const reportAccount = new Map(ctx.accounts.map((a) => [a.id, a]))

  for (const target of targets) {
    const u = target.underlying
    const f = book.factorIndex.get(u)!
    const S = book.basePrices[f]!
    // One account per venue and instrument: the one with the most free margin that can hold it.
    const byVenue = new Map<Venue, number[]>()
    book.accounts.forEach((acc, a) => {
      if (acc.regime === ACCOUNT_DEFI) return
      const list = byVenue.get(acc.venue) ?? []
      list.push(a)
      byVenue.set(acc.venue, list)
    })
    const proposals: Array<{ a: number; build: () => Omit<Proposal, 'a'> }> = []
    for (const [venue, accs] of byVenue) {
      for (const spec of hedgeInstruments(venue, u, S)) {
        const able = accs.filter((a) => canHold(book, a, spec.settlement, u))
        if (able.length === 0) continue
        const a = bestAccount(able, ctx)
        const perp = knownPerp(ctx, venue, u, spec.settlement)
        const ratio = perp?.source === 'book' ? perp.ratio : 1
        proposals.push({
          a,
          build: () => ({
            instrument: { kind: 'perpetual', settlement: spec.settlement, underlying: u, quote: spec.quote, contractSize: spec.contractSize, symbol: spec.symbol },
            step: spec.step,
            mark: S * ratio,
            fee: spec.takerFeeRate,
            feeAssumed: spec.assumed,
            fundingRate: perp?.rate ?? DEFAULT_FUNDING_RATE,
            fundingHours: perp?.hours ?? DEFAULT_FUNDING_HOURS,
            fundingSource: perp?.rate !== undefined ? perp.source : 'assumed',
            expiryMs: null,
          }),
        })
      }
    }
    // Dated futures the book already trades: the same contract in the same account.
    const seen = new Set<string>()
    for (let i = 0; i < book.n; i++) {
      const p = book.positions[i]!
      const ins = p.instrument
      if (ins.kind !== 'future' || ins.underlying !== u || !ins.expiry || Date.parse(ins.expiry) <= book.asOfMs) continue
      const key = `${p.account}:${ins.symbol ?? ins.expiry}:${ins.settlement}`
      if (seen.has(key)) continue
      seen.add(key)
      const a = book.posAccount[i]!
      const venue = book.accounts[a]!.venue
      const step = ins.settlement === 'inverse' ? 1 : smallestStep(p.quantity)
      proposals.push({
        a,
        build: () => ({
          instrument: { ...ins },
          step,
          mark: S * book.posMarkRatio[i]!,
          fee: venueTakerFee(venue) ?? 0.0005,
          feeAssumed: venueTakerFee(venue) === null,
          fundingRate: 0,
          fundingHours: DEFAULT_FUNDING_HOURS,
          fundingSource: 'book',
          expiryMs: Date.parse(ins.expiry!),
        }),
      })
    }

    const built: Array<{ c: HedgeCandidate; p: Proposal }> = []
    for (const { a, build } of proposals) {
      const p = { a, ...build() }
      const c = candidate(ctx, target, a, p, horizon, docAccounts, reportAccount, false)
      if (c) built.push({ c, p })
    }
    // The liquidation search is the costly part of a what-if: only for the best candidate.
    built.sort((x, y) => rankOrder(x.c, y.c))
    if (built[0]) {
      const full = candidate(ctx, target, built[0].p.a, built[0].p, horizon, docAccounts, reportAccount, true)
      if (full) built[0].c = full
    }
    candidates.push(...built.map((b) => b.c))
  }

  // Rank within each underlying: feasible first, then cost per day, then margin used.
  const ranked: HedgeCandidate[] = []
  for (const t of targets) {
    const list = candidates.filter((c) => c.underlying === t.underlying)
    list.sort(rankOrder)
    list.forEach((c, r) => (c.rank = r + 1))
    ranked.push(...list)
  }
  const hedges: HedgeSuggestion[] = []
  for (const t of targets) {
    const best = ranked.find((c) => c.underlying === t.underlying && c.feasible)
    if (!best) continue
    hedges.push({
      underlying: best.underlying,
      account: best.account,
      instrument: { ...best.instrument },
      quantity: best.quantity,
      dailyCost: best.dailyCost,
      reason: best.reason,
      venue: best.venue,
      candidateId: best.id,
      price: best.price,
      marginUsedUsd: best.marginUsedUsd,
      feeOpenUsd: best.feeOpenUsd,
      fundingPerDay: best.fundingPerDay,
      deltaAfter: best.deltaAfter,
    })
  }
  return { basis: settings.hedgeDeltaBasis, horizonDays: horizon, targets, candidates: ranked, hedges }
}

/** Feasible first, then cost per day, then margin used. */
function rankOrder(x: HedgeCandidate, y: HedgeCandidate): number {
  return Number(y.feasible) - Number(x.feasible) || x.dailyCost - y.dailyCost || x.marginUsedUsd - y.marginUsedUsd || x.id.localeCompare(y.id)
}

interface Proposal {
  a: number
  instrument: Instrument
  step: number
  mark: number
  fee: number
  feeAssumed: boolean
  fundingRate: number
  fundingHours: number
  fundingSource: 'book' | 'other-venue' | 'assumed'
  expiryMs: number | null
}

function smallestStep(quantity: string): number {
  const d = quantity.includes('.') ? quantity.split('.')[1]!.length : 0
  return 10 ** -d
}

/** An account can hold a linear hedge with USD collateral or linear positions, an inverse one with coin collateral or inverse positions. */
function canHold(book: PreparedBook, a: number, settlement: 'linear' | 'inverse', u: string): boolean {
  let usd = false
  let coin = false
  let linear = false
  let inverse = false
  let anything = book.accStart[a + 1]! > book.accStart[a]!
  for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) {
    if (book.collAmount[c]! <= 0) continue
    anything = true
    if (book.collFactor[c]! < 0) usd = true
    else if (book.factors[book.collFactor[c]!] === u) coin = true
  }
  for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
    const i = book.posOfAccount[k]!
    // Coin-margined books keep one margin balance per coin (COIN-M, Deribit): an inverse hedge on u
    // needs u as collateral or an inverse position on u already.
    if (book.posInverse[i] === 1) {
      if (book.factors[book.posFactor[i]!] === u) inverse = true
    } else if (book.posKind[i] === KIND_LINEAR) linear = true
  }
  if (!anything) return true
  return settlement === 'linear' ? usd || linear : coin || inverse
}

function bestAccount(accounts: number[], ctx: Context): number {
  let best = accounts[0]!
  let free = -Infinity
  for (const a of accounts) {
    const r = ctx.accounts[a]
    const x = r ? r.availableMargin : 0
    if (x > free) {
      free = x
      best = a
    }
  }
  return best
}

function candidate(
  ctx: Context,
  target: HedgeTarget,
  a: number,
  p: Proposal,
  horizon: number,
  docAccounts: Map<string, PortfolioDocument['accounts'][number]>,
  reportAccount: Map<string, AccountReport>,
  withLiquidation: boolean,
): HedgeCandidate | null {
  const { book, doc } = ctx
  const acc = book.accounts[a]!
  const ins = p.instrument
  const inverse = ins.settlement === 'inverse'
  const size = Number(ins.contractSize ?? '1')
  // The hedge trades at its mark; the entry price is written as a decimal and its delta follows the
  // contract exactly: q × size (linear), q × size / entry (inverse).
  const price = Number(p.mark.toPrecision(8)).toString()
  const entry = Number(price)
  const deltaPerContract = inverse ? size / entry : size
  const decimals = decimalsOf(p.step)
  const lots = Math.round(-target.delta / deltaPerContract / p.step)
  if (lots === 0) return null
  const qty = lots * p.step
  const quantity = toDecimalString(qty, decimals)
  const qn = Number(quantity)
  const deltaAfter = target.delta + qn * deltaPerContract
  const notionalUsd = inverse ? Math.abs(qn) * size : Math.abs(qn) * size * entry
  const feeOpen = notionalUsd * p.fee
  const fundingPerDay = ins.kind === 'perpetual' ? (-Math.sign(qn) * notionalUsd * p.fundingRate * 24) / p.fundingHours : 0
  let carryPerDay = 0
  let basisRisk: string
  const index = book.basePrices[book.factorIndex.get(target.underlying)!]!
  const basisPct = ((entry / index - 1) * 100).toFixed(2)
  if (p.expiryMs !== null) {
    const days = Math.max((p.expiryMs - book.asOfMs) / 86_400_000, 1 / 24)
    // Converging from the mark to the index by expiry, linearly: what a short at a premium earns.
    const totalUsd = inverse ? qn * size * (index / entry - 1) : qn * size * (index - entry)
    carryPerDay = totalUsd / days
    basisRisk = `dated future ${Number(basisPct) >= 0 ? '+' : ''}${basisPct} % to the index, converging by ${new Date(p.expiryMs).toISOString().slice(0, 10)}; the basis can widen before it does`
  } else {
    basisRisk = inverse
      ? 'coin-settled perpetual: P&L and margin in the coin, so the hedge is exact in USD only at this price (rebalance after large moves); basis to the index is paid through funding'
      : 'perpetual tracks the index through funding; funding can turn against the hedge'
  }
  const sameVenue = book.positions.some((pos, i) => book.accounts[book.posAccount[i]!]!.venue === acc.venue && pos.instrument.underlying === target.underlying)
  if (!sameVenue) basisRisk += `; the exposure is on other venues, so a liquidation on either side leaves the other unhedged`
  const dailyCost = (2 * feeOpen) / horizon - fundingPerDay - carryPerDay

  const id = `hedge:${target.underlying}:${acc.id}:${ins.symbol ?? `${ins.kind}-${ins.settlement}`}`
  const before = reportAccount.get(acc.id)
  const hedgePosition: Position = {
    id,
    account: acc.id,
    instrument: ins,
    quantity,
    entryPrice: price,
  } as Position
  let after
  try {
    after = accountFiguresAfter(
      doc,
      acc.id,
      (account, positions) => ({
        account: docAccounts.get(account.id)!,
        positions: [...positions, hedgePosition],
        instruments: { [id]: { mark: price, ...(ins.kind === 'perpetual' ? { fundingRate: p.fundingRate, fundingIntervalHours: p.fundingHours } : {}) } },
      }),
      withLiquidation,
    )
  } catch {
    return null
  }
  const marginUsed = after.initialUsd - (before?.initialMargin ?? 0)
  const available = before?.availableMargin ?? 0
  const feasible = marginUsed <= available + 1e-9 && after.marginRatio !== null && after.marginRatio < 1
  const distBefore = before ? minDistance(before) : null
  const side = qn < 0 ? 'sell' : 'buy'
  const usd = (x: number): string => `${x < 0 ? '−' : ''}${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 2 })}`
  const reason =
    `${target.underlying} ${target.basis === 'equity' ? 'equity' : 'net'} delta ${target.delta >= 0 ? '+' : ''}${target.delta.toPrecision(4)} ` +
    `(${usd(target.deltaUsd)} USD): ${side} ${Math.abs(qn)} ${ins.symbol ?? `${target.underlying} ${ins.kind}`} on ${VENUE_NAME[acc.venue]} (${acc.id}); ` +
    `costs ${usd(dailyCost)} USD/day (fees ${usd(2 * feeOpen)} over ${horizon} d` +
    (ins.kind === 'perpetual' ? `, funding ${fundingPerDay >= 0 ? 'received' : 'paid'} ${usd(Math.abs(fundingPerDay))}/day${p.fundingSource === 'assumed' ? ' at an assumed 0.01 %/8 h' : ''}` : '') +
    `${carryPerDay !== 0 ? `, basis carry ${carryPerDay >= 0 ? 'earned' : 'paid'} ${usd(Math.abs(carryPerDay))}/day` : ''}); margin ${usd(marginUsed)} USD` +
    (feasible ? '' : marginUsed > available ? `; needs ${usd(marginUsed - available)} USD more free margin in ${acc.id}` : '; would leave the account liquidatable') +
    (p.feeAssumed ? '; fee rate assumed' : '')
  return {
    id,
    rank: 0,
    underlying: target.underlying,
    account: acc.id,
    venue: acc.venue,
    instrument: ins,
    quantity,
    lotStep: toDecimalString(p.step, decimals),
    price,
    notionalUsd: reportNumber(notionalUsd),
    deltaBefore: target.delta,
    deltaAfter: reportNumber(deltaAfter),
    deltaPerLot: reportNumber(deltaPerContract * p.step),
    marginUsedUsd: reportNumber(marginUsed),
    takerFeeRate: p.fee,
    feeOpenUsd: reportNumber(feeOpen),
    fundingPerDay: reportNumber(fundingPerDay),
    fundingRate: p.fundingRate,
    fundingIntervalHours: p.fundingHours,
    fundingSource: p.fundingSource,
    carryPerDay: reportNumber(carryPerDay),
    dailyCost: reportNumber(dailyCost),
    basisRisk,
    accountMarginRatioBefore: before?.marginRatio ?? null,
    accountMarginRatioAfter: reportNumberOrNull(after.marginRatio),
    liquidationDistanceBefore: distBefore,
    liquidationDistanceAfter: withLiquidation ? reportNumberOrNull(after.minDistance) : null,
    feasible,
    reason,
  }
}

function minDistance(a: AccountReport): number | null {
  let best: number | null = null
  for (const d of Object.values(a.liquidationDistance)) if (d !== null && (best === null || d < best)) best = d
  return best
}

/** The hedge as a position to add to a document (what-if), entry at its mark. */
export function hedgePosition(c: Pick<HedgeCandidate, 'id' | 'account' | 'instrument' | 'quantity' | 'price'>): Position {
  return { id: c.id, account: c.account, instrument: c.instrument, quantity: c.quantity, entryPrice: c.price } as Position
}

/** `doc` with hedges added as positions (and their marks and funding), for what-if reports and laws. */
export function withHedges(doc: PortfolioDocument, hedges: ReadonlyArray<Pick<HedgeCandidate, 'id' | 'account' | 'instrument' | 'quantity' | 'price'> & { fundingRate?: number; fundingIntervalHours?: number }>): PortfolioDocument {
  const instruments = { ...doc.market.instruments }
  for (const h of hedges) {
    instruments[h.id] = {
      mark: h.price,
      ...(h.instrument.kind === 'perpetual' ? { fundingRate: h.fundingRate ?? DEFAULT_FUNDING_RATE, fundingIntervalHours: h.fundingIntervalHours ?? DEFAULT_FUNDING_HOURS } : {}),
    }
  }
  return { ...doc, positions: [...doc.positions, ...hedges.map(hedgePosition)], market: { ...doc.market, instruments } }
}
