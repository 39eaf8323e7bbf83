/**
 * computeRiskReport: the document in, the report out. Prepares the book once (book.ts), evaluates
 * it at the document's market with the same primitives the scenario revaluation uses (so the app,
 * the CLI and a VaR run can never disagree about what a position is worth), then adds liquidation
 * prices, aggregation by venue and review windows.
 */
import type { PortfolioDocument } from '../shared/portfolio-document'
import {
  ACCOUNT_DEFI,
  ACCOUNT_PORTFOLIO,
  KIND_INVERSE,
  KIND_OPTION,
  KIND_SPOT,
  MARGIN_DERIBIT_FUTURES,
  MARGIN_OPTION_STANDARD,
  MARGIN_TIERS,
  prepareBook,
  type PreparedBook,
} from './book'
import { durationSeconds } from './durations'
import { exactFigures } from './exact'
import { accountRiskFactors, crossLiquidation, isolatedLiquidationPrice, isolatedMarginRatioAtMark } from './liquidation'
import { optionPositionFigures } from './option-model'
import {
  accountInitialUsd,
  createAccountEval,
  evaluateAccount,
  isolatedMarginUsd,
  optionUnitValueUsd,
  positionInitialUsd,
  positionMarginUsd,
  positionNotionalUsd,
  positionPnlUsd,
  quoteUsd,
} from './revalue'
import {
  REPORT_FORMAT,
  type AccountReport,
  type MarginStatus,
  type PortfolioReport,
  type PositionReport,
  type ReviewWindow,
  type RiskReport,
  type VenueReport,
} from './report-types'
import { reportNumber, reportNumberOrNull, reportPriceOrNull } from './seam'
import { DEFAULT_STALE_AFTER_SECONDS, marketFreshness } from './staleness'
import { attachFastAnalytics } from './analytics/fast'

export interface RiskReportOptions {
  /** The clock for review windows (seconds left, reminders due). Default: the document's asOf. */
  now?: Date
  /** Market data older than this before asOf is reported as stale (default 24 h). */
  staleAfterSeconds?: number
  /** Margin ratio from which an account is flagged 'warning' (default 0.5) and 'danger' (default 0.8). */
  warningRatio?: number
  dangerRatio?: number
}

const DEFAULT_FUNDING_INTERVAL_HOURS = 8

function statusOf(ratio: number | null, hasRequirement: boolean, equity: number, warn: number, danger: number): MarginStatus {
  if (ratio === null) return hasRequirement || equity < 0 ? 'liquidatable' : 'no-exposure'
  if (!hasRequirement) return 'no-exposure'
  if (ratio >= 1) return 'liquidatable'
  if (ratio >= danger) return 'danger'
  if (ratio >= warn) return 'warning'
  return 'ok'
}

function ratioOrNull(requirement: number, equity: number): number | null {
  if (equity <= 0) return null
  return requirement / equity
}

const STATUS_RANK: Record<MarginStatus, number> = { 'no-exposure': 0, ok: 1, warning: 2, danger: 3, liquidatable: 4 }

/** Sort key: a null ratio with a requirement is worse than any number. */
function ratioRank(ratio: number | null, status: MarginStatus): number {
  return status === 'liquidatable' && ratio === null ? Infinity : (ratio ?? -1)
}

export function computeRiskReport(doc: PortfolioDocument, options: RiskReportOptions = {}): RiskReport {
  const book = prepareBook(doc, options.staleAfterSeconds === undefined ? {} : { staleAfterSeconds: options.staleAfterSeconds })
  const now = options.now ?? new Date(book.asOfMs)
  const warn = options.warningRatio ?? 0.5
  const danger = options.dangerRatio ?? 0.8
  const warnings = [...book.warnings]
  const prices = book.basePrices
  const zeroShift = new Float64Array(book.factors.length)
  const market = doc.market
  const freshness = marketFreshness(doc, options.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS)

  // ---- accounts first: positions on cross margin report their account's liquidation price ----
  const evalScratch = createAccountEval()
  const crossBy = new Map<string, { price: number | null; below: number | null; above: number | null }>()
  const accounts: AccountReport[] = book.accounts.map((acc, a) => {
    const r = evaluateAccount(book, a, prices, zeroShift, 0, true, evalScratch)
    const im = accountInitialUsd(book, a, prices, zeroShift, 0)
    let gross = 0
    let funding = 0
    const ids: string[] = []
    for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) {
      const i = book.posOfAccount[k]!
      ids.push(book.positions[i]!.id)
      gross += positionNotionalUsd(book, i, prices[book.posFactor[i]!]!, prices)
      funding += fundingOf(book, i, doc).perDay
    }
    const liq: Record<string, number | null> = {}
    const dist: Record<string, number | null> = {}
    const crossings: Record<string, { below: number | null; above: number | null }> = {}
    for (const f of accountRiskFactors(book, a)) {
      const name = book.factors[f]!
      const s = crossLiquidation(book, a, f)
      crossBy.set(`${a}:${f}`, s)
      liq[name] = reportPriceOrNull(s.price)
      dist[name] = s.price === null ? null : reportNumber(Math.abs(prices[f]! - s.price) / prices[f]!)
      crossings[name] = { below: reportPriceOrNull(s.below), above: reportPriceOrNull(s.above) }
    }
    const defi = acc.regime === ACCOUNT_DEFI
    const healthFactor = defi && r.debtUsd > 0 ? r.collateralThresholdUsd / r.debtUsd : null
    const ratio = defi ? (r.debtUsd > 0 ? (r.collateralThresholdUsd > 0 ? r.debtUsd / r.collateralThresholdUsd : null) : 0) : ratioOrNull(r.maintenanceUsd, r.equityUsd)
    const hasRequirement = defi ? r.debtUsd > 0 : r.maintenanceUsd > 0
    const status = statusOf(ratio, hasRequirement, r.equityUsd, warn, danger)
    return {
      id: acc.id,
      venue: acc.venue,
      marginMode: acc.marginMode,
      equity: reportNumber(r.equityUsd),
      collateralValue: reportNumber(r.collateralUsd),
      unrealizedPnl: reportNumber(r.pnlUsd),
      debt: reportNumber(r.debtUsd),
      initialMargin: reportNumber(im),
      maintenanceMargin: reportNumber(r.maintenanceUsd),
      marginRatio: reportNumberOrNull(ratio),
      availableMargin: reportNumber(r.equityUsd - im),
      grossNotional: reportNumber(gross),
      leverage: r.equityUsd > 0 ? reportNumber(gross / r.equityUsd) : null,
      liquidationPrice: liq,
      liquidationDistance: dist,
      liquidationCrossings: crossings,
      healthFactor: reportNumberOrNull(healthFactor),
      fundingPerDay: reportNumber(funding),
      status,
      positions: ids,
      stale: freshness.accountStale(acc.id),
    }
  })

  // ---- positions ----
  const positions: PositionReport[] = []
  const netDelta: Record<string, number> = {}
  let gammaUsd = 0
  let vegaUsd = 0
  let thetaUsd = 0
  const notionalByVenue: Record<string, number> = {}
  const notionalByUnderlying: Record<string, number> = {}
  for (let i = 0; i < book.n; i++) {
    const p = book.positions[i]!
    const a = book.posAccount[i]!
    const acc = book.accounts[a]!
    const f = book.posFactor[i]!
    const index = prices[f]!
    const ins = p.instrument
    const m = market.instruments[p.id]
    const q = book.posQty[i]! * book.posSize[i]!
    const qUsd = quoteUsd(book, i, prices)
    const kind = book.posKind[i]
    let mark: number
    let valueUsd = 0
    let delta: number
    let gamma = 0
    let vega = 0
    let theta = 0
    let vol: number | null = null
    let premiumAdjustedDeltaCoin: number | null = null
    if (kind === KIND_OPTION) {
      const fr = book.posForwardRatio[i]!
      const inverse = book.posInverse[i] === 1
      const g = optionPositionFigures(
        book.posIsCall[i] === 1,
        inverse,
        book.posQty[i]!,
        book.posSize[i]!,
        index,
        book.posStrike[i]!,
        book.posYears[i]!,
        book.posRate[i]!,
        book.posVol[i]!,
        fr === fr ? fr * index : undefined,
      )
      const unitUsd = optionUnitValueUsd(book, i, index, 0, 1, 0)
      // A linear option quoted in a currency other than USD scales its USD figures by that rate.
      const scale = inverse ? 1 : qUsd
      valueUsd = q * unitUsd * scale
      delta = g.deltaUnderlying * scale
      gamma = g.gammaPerUsd * scale
      vega = g.vegaPerVolPoint * scale
      theta = g.thetaPerDay * scale
      premiumAdjustedDeltaCoin = inverse ? g.premiumAdjustedDeltaCoin : null
      vol = book.posVol[i]!
      mark = book.posInverse[i] === 1 ? unitUsd / index : unitUsd / qUsd
    } else {
      mark = kind === KIND_SPOT ? index : index * book.posMarkRatio[i]!
      // Contract: linear and spot q × size; inverse q × size / entry (the USD PnL is linear in S).
      delta = kind === KIND_INVERSE ? q / book.posEntry[i]! : q
    }
    netDelta[ins.underlying] = (netDelta[ins.underlying] ?? 0) + delta
    gammaUsd += gamma
    vegaUsd += vega
    thetaUsd += theta
    const notional = positionNotionalUsd(book, i, index, prices)
    notionalByVenue[acc.venue] = (notionalByVenue[acc.venue] ?? 0) + notional
    notionalByUnderlying[ins.underlying] = (notionalByUnderlying[ins.underlying] ?? 0) + notional
    const pnl = positionPnlUsd(book, i, index, prices, 0, 1, 0)
    const portfolio = acc.regime === ACCOUNT_PORTFOLIO
    const isolated = book.posIsolated[i] === 1 && !portfolio
    const mm = portfolio ? 0 : positionMarginUsd(book, i, index, prices, 0, 0, 0)
    const im = portfolio ? 0 : positionInitialUsd(book, i, index, prices, 0, 0)
    let liquidationPrice: number | null
    let liquidationDistance: number | null
    let marginRatio: number | null = null
    if (isolated) {
      liquidationPrice = isolatedLiquidationPrice(book, i)
      liquidationDistance = liquidationPrice === null ? null : Math.abs(mark - liquidationPrice) / mark
      marginRatio = isolatedMarginRatioAtMark(book, i, mark)
      if (!(marginRatio >= 0) || !Number.isFinite(marginRatio)) marginRatio = null
    } else {
      const s = crossBy.get(`${a}:${f}`)
      liquidationPrice = s?.price ?? null
      liquidationDistance = liquidationPrice === null ? null : Math.abs(index - liquidationPrice) / index
    }
    const funding = fundingOf(book, i, doc)
    const expiry = ins.expiry ?? null
    const table =
      book.posMarginModel[i] === MARGIN_TIERS
        ? book.tiers[book.posTier[i]!]!.key
        : book.posMarginModel[i] === MARGIN_DERIBIT_FUTURES
          ? `deribit-futures:${ins.underlying}`
          : book.posMarginModel[i] === MARGIN_OPTION_STANDARD
            ? 'option-standard'
            : null
    positions.push({
      id: p.id,
      account: p.account,
      venue: acc.venue,
      kind: ins.kind,
      settlement: ins.settlement,
      underlying: ins.underlying,
      quote: ins.quote,
      symbol: ins.symbol ?? null,
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      contractSize: ins.contractSize ?? '1',
      index: reportNumber(index),
      mark: reportNumber(mark),
      markIsModel: m?.mark === undefined,
      valueUsd: reportNumber(valueUsd),
      notional: reportNumber(notional),
      unrealizedPnl: reportNumber(pnl),
      delta: reportNumber(delta),
      deltaUsd: reportNumber(delta * index),
      premiumAdjustedDeltaCoin: reportNumberOrNull(premiumAdjustedDeltaCoin),
      gamma: reportNumber(gamma),
      vega: reportNumber(vega),
      theta: reportNumber(theta),
      vol: vol === null ? null : reportNumber(vol),
      marginMode: portfolio ? 'portfolio' : isolated ? 'isolated' : 'cross',
      isolatedMargin: isolated ? reportNumber(isolatedMarginUsd(book, i, index, prices)) : null,
      initialMargin: reportNumber(im),
      maintenanceMargin: reportNumber(mm),
      marginRatio: reportNumberOrNull(marginRatio),
      liquidationPrice: reportPriceOrNull(liquidationPrice),
      liquidationPriceBasis: isolated ? 'mark' : 'index',
      liquidationDistance: reportNumberOrNull(liquidationDistance),
      fundingRate: funding.rate,
      fundingIntervalHours: funding.intervalHours,
      fundingPerInterval: reportNumber(funding.perInterval),
      fundingPerDay: reportNumber(funding.perDay),
      ...exactFigures(doc, p),
      expiry,
      secondsToExpiry: expiry === null ? null : Math.floor((Date.parse(expiry) - now.getTime()) / 1000),
      marginTable: table,
      ...freshness.position(p.id),
    })
    if (p.leverage !== undefined && book.posMarginModel[i] === MARGIN_TIERS) {
      const rows = book.tiers[book.posTier[i]!]!.rows
      const cap = rows[0]!.maxLeverage
      if (p.leverage > cap) warnings.push(`positions: ${p.id} sets leverage ${p.leverage}, above the table's maximum ${cap}`)
    }
  }

  // ---- venues: collateral never nets across them, so each is judged alone ----
  const venueOrder: string[] = []
  const venueMap = new Map<string, VenueReport>()
  const minDistanceOf = (a: AccountReport): number | null => {
    let best: number | null = null
    for (const d of Object.values(a.liquidationDistance)) if (d !== null && (best === null || d < best)) best = d
    for (const p of positions) {
      if (p.account === a.id && p.marginMode === 'isolated' && p.liquidationDistance !== null && (best === null || p.liquidationDistance < best)) best = p.liquidationDistance
    }
    return best
  }
  for (const a of accounts) {
    let v = venueMap.get(a.venue)
    if (!v) {
      v = {
        venue: a.venue,
        accounts: [],
        equity: 0,
        initialMargin: 0,
        maintenanceMargin: 0,
        marginRatio: null,
        worstAccount: null,
        worstAccountMarginRatio: null,
        minLiquidationDistance: null,
        grossNotional: 0,
        leverage: null,
        status: 'no-exposure',
      }
      venueMap.set(a.venue, v)
      venueOrder.push(a.venue)
    }
    v.accounts.push(a.id)
    v.equity += a.equity
    v.initialMargin += a.initialMargin
    v.maintenanceMargin += a.maintenanceMargin
    v.grossNotional += a.grossNotional
    if (v.worstAccount === null || STATUS_RANK[a.status] > STATUS_RANK[v.status] || (STATUS_RANK[a.status] === STATUS_RANK[v.status] && ratioRank(a.marginRatio, a.status) > ratioRank(v.worstAccountMarginRatio, v.status))) {
      v.worstAccount = a.id
      v.worstAccountMarginRatio = a.marginRatio
      v.status = a.status
    }
    const d = minDistanceOf(a)
    if (d !== null && (v.minLiquidationDistance === null || d < v.minLiquidationDistance)) v.minLiquidationDistance = d
  }
  const venues = venueOrder.map((name) => {
    const v = venueMap.get(name)!
    v.equity = reportNumber(v.equity)
    v.initialMargin = reportNumber(v.initialMargin)
    v.maintenanceMargin = reportNumber(v.maintenanceMargin)
    v.grossNotional = reportNumber(v.grossNotional)
    v.marginRatio = reportNumberOrNull(ratioOrNull(v.maintenanceMargin, v.equity))
    v.leverage = v.equity > 0 ? reportNumber(v.grossNotional / v.equity) : null
    return v
  })
  let weakest: VenueReport | null = null
  for (const v of venues) {
    if (v.status === 'no-exposure') continue
    if (
      weakest === null ||
      STATUS_RANK[v.status] > STATUS_RANK[weakest.status] ||
      (STATUS_RANK[v.status] === STATUS_RANK[weakest.status] && ratioRank(v.worstAccountMarginRatio, v.status) > ratioRank(weakest.worstAccountMarginRatio, weakest.status))
    ) {
      weakest = v
    }
  }
  let weakestAccount: AccountReport | null = null
  for (const a of accounts) {
    if (a.status === 'no-exposure') continue
    if (weakestAccount === null || STATUS_RANK[a.status] > STATUS_RANK[weakestAccount.status] || (STATUS_RANK[a.status] === STATUS_RANK[weakestAccount.status] && ratioRank(a.marginRatio, a.status) > ratioRank(weakestAccount.marginRatio, weakestAccount.status))) {
      weakestAccount = a
    }
  }

  // ---- portfolio ----
  let equity = 0
  let gross = 0
  let im = 0
  let mm = 0
  let funding = 0
  for (const a of accounts) {
    equity += a.equity
    gross += a.grossNotional
    im += a.initialMargin
    mm += a.maintenanceMargin
    funding += a.fundingPerDay
  }
  let netDeltaUsd = 0
  let netNotional = 0
  const netDeltaOut: Record<string, number> = {}
  for (const [u, d] of Object.entries(netDelta)) {
    const s = prices[book.factorIndex.get(u)!]!
    netDeltaUsd += d * s
    netNotional += Math.abs(d * s)
    netDeltaOut[u] = reportNumber(d)
  }
  const collateralDelta: Record<string, number> = {}
  for (let c = 0; c < book.collFactor.length; c++) {
    const f = book.collFactor[c]!
    if (f >= 0) collateralDelta[book.factors[f]!] = (collateralDelta[book.factors[f]!] ?? 0) + book.collAmount[c]!
  }
  for (let d = 0; d < book.debtFactor.length; d++) {
    const f = book.debtFactor[d]!
    if (f >= 0) collateralDelta[book.factors[f]!] = (collateralDelta[book.factors[f]!] ?? 0) - book.debtAmount[d]!
  }
  for (const k of Object.keys(collateralDelta)) collateralDelta[k] = reportNumber(collateralDelta[k]!)
  let minDist: PortfolioReport['minLiquidationDistance'] = null
  for (const a of accounts) {
    for (const [u, d] of Object.entries(a.liquidationDistance)) {
      const price = a.liquidationPrice[u] ?? null
      if (d !== null && price !== null && (minDist === null || d < minDist.distance)) {
        minDist = { account: a.id, venue: a.venue, underlying: u, position: null, distance: d, price, basis: 'index' }
      }
    }
  }
  for (const p of positions) {
    if (p.marginMode === 'isolated' && p.liquidationDistance !== null && p.liquidationPrice !== null && (minDist === null || p.liquidationDistance < minDist.distance)) {
      minDist = { account: p.account, venue: p.venue, underlying: p.underlying, position: p.id, distance: p.liquidationDistance, price: p.liquidationPrice, basis: 'mark' }
    }
  }
  const summedRatio = ratioOrNull(mm, equity)
  const portfolioStatus: MarginStatus = weakestAccount?.status ?? 'no-exposure'
  if (weakest && (weakest.status === 'danger' || weakest.status === 'liquidatable') && summedRatio !== null && summedRatio < danger) {
    warnings.push(
      `venue ${weakest.venue} (account ${weakest.worstAccount}) is ${weakest.status} at margin ratio ${weakest.worstAccountMarginRatio ?? 'n/a'} while the summed ratio is ${reportNumber(summedRatio)}: collateral does not move between venues by itself`,
    )
  }
  for (const a of accounts) {
    if (a.status === 'liquidatable') warnings.push(`account ${a.id} (${a.venue}) is at or beyond liquidation`)
  }

  const portfolio: PortfolioReport = {
    equity: reportNumber(equity),
    grossNotional: reportNumber(gross),
    netNotional: reportNumber(netNotional),
    leverage: equity > 0 ? reportNumber(gross / equity) : null,
    netLeverage: equity > 0 ? reportNumber(netNotional / equity) : null,
    netDelta: netDeltaOut,
    netDeltaUsd: reportNumber(netDeltaUsd),
    collateralDelta,
    gamma: reportNumber(gammaUsd),
    vega: reportNumber(vegaUsd),
    theta: reportNumber(thetaUsd),
    notionalByVenue: mapValues(notionalByVenue, reportNumber),
    notionalByUnderlying: mapValues(notionalByUnderlying, reportNumber),
    initialMargin: reportNumber(im),
    maintenanceMargin: reportNumber(mm),
    marginRatio: reportNumberOrNull(summedRatio),
    worstVenueMarginRatio: weakest?.worstAccountMarginRatio ?? null,
    weakestVenue: weakest?.venue ?? null,
    worstAccountMarginRatio: weakestAccount?.marginRatio ?? null,
    weakestAccount: weakestAccount?.id ?? null,
    minLiquidationDistance: minDist,
    fundingPerDay: reportNumber(funding),
    status: portfolioStatus,
    var: {
      confidence: doc.settings.varConfidence,
      horizonDays: doc.settings.varHorizonDays,
      historical: null,
      parametric: null,
      monteCarlo: null,
      historicalScenarios: 0,
      historicalFrom: null,
      historicalTo: null,
      monteCarloPaths: null,
      monteCarloSeed: null,
    },
    expectedShortfall: { historical: null, parametric: null, monteCarlo: null },
  }

  // Parametric VaR, stress, hedges, caps, collateral and margin calls (engine/analytics/fast.ts).
  return attachFastAnalytics(doc, book, {
    format: REPORT_FORMAT,
    asOf: doc.asOf,
    now: now.toISOString().replace('.000Z', 'Z'),
    currency: 'USD',
    positions,
    accounts,
    venues,
    weakestVenue: weakest?.venue ?? null,
    portfolio,
    reviewWindows: reviewWindows(doc, book, now),
    hedges: [],
    marginTables: book.tiers.map((t) => ({ key: t.key, status: t.status, source: t.source ?? null })),
    warnings,
    units: UNITS,
    marketData: freshness.report,
  })
}

function mapValues(o: Record<string, number>, fn: (x: number) => number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(o)) out[k] = fn(v)
  return out
}

interface Funding {
  rate: number
  intervalHours: number
  perInterval: number
  perDay: number
}

/**
 * Contract: fundingPerDay = −sign(q) × notional × fundingRate × 24 / fundingIntervalHours, USD,
 * negative when the position pays (longs pay shorts when the rate is positive). Perpetuals only.
 */
function fundingOf(book: PreparedBook, i: number, doc: PortfolioDocument): Funding {
  const p = book.positions[i]!
  const m = doc.market.instruments[p.id]
  const intervalHours = m?.fundingIntervalHours ?? DEFAULT_FUNDING_INTERVAL_HOURS
  if (p.instrument.kind !== 'perpetual') return { rate: 0, intervalHours, perInterval: 0, perDay: 0 }
  const rate = m?.fundingRate ?? 0
  const notional = positionNotionalUsd(book, i, book.basePrices[book.posFactor[i]!]!, book.basePrices)
  const perInterval = -Math.sign(book.posQty[i]!) * notional * rate
  return { rate, intervalHours, perInterval, perDay: (perInterval * 24) / intervalHours }
}

function reviewWindows(doc: PortfolioDocument, book: PreparedBook, now: Date): ReviewWindow[] {
  const parseLeads = (list: readonly string[]) =>
    list
      .map((lead) => ({ lead, seconds: durationSeconds(lead) }))
      .filter((x): x is { lead: string; seconds: number } => x.seconds !== null)
      .sort((x, y) => y.seconds - x.seconds)
  const globalLeads = parseLeads(doc.settings.reminderLeadTimes)
  const out: ReviewWindow[] = []
  for (const p of book.positions) {
    const expiry = p.instrument.expiry
    if (expiry === undefined) continue
    // A position's own lead times (issue 7) replace the settings' for it, as the reminder scheduler does.
    const leads = p.reminderLeadTimes ? parseLeads(p.reminderLeadTimes) : globalLeads
    const expiryMs = Date.parse(expiry)
    const secondsLeft = Math.floor((expiryMs - now.getTime()) / 1000)
    out.push({
      positionId: p.id,
      account: p.account,
      kind: p.instrument.kind,
      expiry,
      secondsLeft,
      expired: secondsLeft <= 0,
      reminders: leads.map(({ lead, seconds }) => {
        const at = expiryMs - seconds * 1000
        return { leadTime: lead, at: new Date(at).toISOString().replace('.000Z', 'Z'), due: at <= now.getTime() }
      }),
    })
  }
  out.sort((x, y) => x.secondsLeft - y.secondsLeft || x.positionId.localeCompare(y.positionId))
  return out
}

const UNITS: Record<string, string> = {
  money: 'USD (USDT and USDC count as USD unless market.fx prices them)',
  'positions[].mark': 'quote currency per unit; inverse options: coin per unit',
  'positions[].notional': 'USD: |q|·size·mark (linear), |q|·size (inverse futures), |q|·size·index (options)',
  'positions[].delta': 'underlying units (∂V/∂S)',
  'positions[].gamma': 'underlying units per 1 USD (∂²V/∂S²)',
  'positions[].vega': 'USD per volatility point',
  'positions[].theta': 'USD per calendar day',
  'positions[].liquidationPrice': 'isolated: mark price; cross: index price of the underlying (the account moves as a whole)',
  'positions[].liquidationDistance': 'fraction of the reference price (mark for isolated, index for cross)',
  'positions[].fundingPerDay': 'USD per day, negative when paying',
  'accounts[].marginRatio': 'maintenance margin / equity; liquidation at 1 (DeFi: 1 / health factor)',
  'accounts[].leverage': 'gross notional / equity',
  'accounts[].liquidationPrice': 'index price per underlying at which cross equity = cross maintenance margin; null if none in (0, 100·index)',
  'portfolio.marginRatio': 'Σ maintenance / Σ equity across venues: read next to worstVenueMarginRatio',
  'reviewWindows[].secondsLeft': 'seconds from `now` to expiry',
}

