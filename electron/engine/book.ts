/**
 * The prepared book: a portfolio document parsed once into flat typed arrays, so that revaluing it
 * under a shocked market (thousands of times for VaR, a hundred times per liquidation search) is a
 * tight loop over numbers with no allocation, no Decimal and no string lookups.
 *
 * This is where ledger decimals cross into floats (through seam.ts), and nowhere else.
 */
import type { Account, PortfolioDocument, Position, Venue } from '../shared/portfolio-document'
import { openPositions } from '../shared/portfolio-document'
import { RiskInputError } from './errors'
import { decimalToFloat } from './seam'
import type { TierTable } from './margin/tiers'
import { builtinTierTable, tierTableFromDocument } from './margin/tiers'
import { deribitFuturesParams, type DeribitFuturesParams } from './margin/deribit'
import { impliedVolatility, optionValue } from './option-model'
// A cycle with revalue.ts (which imports this module's constants); both sides use the other's
// bindings only inside functions, never while the modules load, so ES module order is safe.
import { positionMarginUsd } from './revalue'

export const SECONDS_PER_YEAR = 365 * 86_400

/** Instrument families the revaluation loop switches on. */
export const KIND_SPOT = 0
export const KIND_LINEAR = 1 // linear perpetual or dated future
export const KIND_INVERSE = 2 // coin-settled perpetual or dated future
export const KIND_OPTION = 3

/** How a position's maintenance margin is computed when its account is not on portfolio margin. */
export const MARGIN_NONE = 0
export const MARGIN_TIERS = 1
export const MARGIN_DERIBIT_FUTURES = 2
export const MARGIN_OPTION_STANDARD = 3

/** Account margin regimes. */
export const ACCOUNT_CROSS = 0
export const ACCOUNT_ISOLATED = 1
export const ACCOUNT_PORTFOLIO = 2
export const ACCOUNT_DEFI = 3

/**
 * Which notional an isolated liquidation measures maintenance margin on. Binance publishes the
 * notional at the liquidation price (re-solving when it lands in another tier); Bybit publishes
 * the position value at entry; venue `other` uses the notional at the liquidation price.
 */
export const LIQ_RULE_AT_LIQUIDATION = 0
export const LIQ_RULE_AT_ENTRY = 1

/** Assets that are USD unless `market.fx` prices them. */
export const USD_LIKE = new Set(['USD', 'USDT', 'USDC'])

export interface PreparedAccount {
  id: string
  venue: Venue
  marginMode: Account['marginMode']
  regime: number
  /** Document index, for JSON paths in messages. */
  index: number
}

export interface PreparedBook {
  asOfMs: number
  /** Price factors: every non-USD asset the book touches (underlyings, collateral, debts, quotes). */
  factors: string[]
  factorIndex: Map<string, number>
  /** Index (spot) price of each factor at asOf, USD. */
  basePrices: Float64Array
  accounts: PreparedAccount[]

  // Positions, struct of arrays, indexed 0..n-1 in document order of the open positions.
  n: number
  positions: Position[]
  posAccount: Int32Array
  posFactor: Int32Array
  /** Factor of the quote currency, or −1 when it is USD-like (worth exactly 1 USD). */
  posQuoteFactor: Int32Array
  posKind: Uint8Array
  posInverse: Uint8Array
  posIsCall: Uint8Array
  posIsolated: Uint8Array
  posMarginModel: Uint8Array
  posLiqRule: Uint8Array
  posTier: Int32Array
  posQty: Float64Array
  posSize: Float64Array
  posEntry: Float64Array
  /** Delta-one: mark / index at asOf, so the mark moves with the index under a scenario. */
  posMarkRatio: Float64Array
  posStrike: Float64Array
  /** Options: year fraction to expiry at asOf (may be ≤ 0 for an expired option). */
  posYears: Float64Array
  posVol: Float64Array
  posRate: Float64Array
  /** Options: forward / index at asOf when a forward is given (Black-76), else NaN. */
  posForwardRatio: Float64Array
  /** Options: quoted mark − model value at asOf, USD per unit, held constant under scenarios. */
  posValueOffset: Float64Array
  /** Isolated margin in the settlement currency (quote for linear, coin for inverse); NaN when cross. */
  posIsolatedMargin: Float64Array
  /** Leverage set on the position, NaN when not given. */
  posLeverage: Float64Array
  tiers: TierTable[]
  deribitFutures: DeribitFuturesParams[]
  posDeribit: Int32Array

  // Positions of each account: posOfAccount[accStart[a] .. accStart[a+1]).
  accStart: Int32Array
  posOfAccount: Int32Array

  // Collateral and debts, flat, grouped by account the same way.
  collStart: Int32Array
  collFactor: Int32Array
  collAmount: Float64Array
  collHaircut: Float64Array
  collThreshold: Float64Array
  debtStart: Int32Array
  debtFactor: Int32Array
  debtAmount: Float64Array

  /** Non-fatal findings while preparing (stale market data, assumed margin tables...). */
  warnings: string[]
}

interface Issue {
  path: string
  message: string
}

function venueLiqRule(venue: Venue): number {
  return venue === 'bybit' ? LIQ_RULE_AT_ENTRY : LIQ_RULE_AT_LIQUIDATION
}

/** A conservative stand-in when nothing better is known: 0.5 % maintenance, 100x, flat. */
const FALLBACK_TIERS: TierTable = {
  key: 'fallback:flat-0.5%',
  unit: 'quote',
  status: 'assumed',
  rows: [{ maxNotional: Number.MAX_VALUE, maintenanceRate: 0.005, maintenanceAmount: 0, maxLeverage: 100 }],
}

export interface PrepareOptions {
  /** Market data older than this relative to asOf is reported as stale (default 24 h). */
  staleAfterSeconds?: number
}

export function prepareBook(doc: PortfolioDocument, options: PrepareOptions = {}): PreparedBook {
  const issues: Issue[] = []
  const warnings: string[] = []
  const asOfMs = Date.parse(doc.asOf)
  const market = doc.market
  const staleMs = (options.staleAfterSeconds ?? 86_400) * 1000

  // --- price factors -------------------------------------------------------------------------
  const factors: string[] = []
  const factorIndex = new Map<string, number>()
  const prices: number[] = []
  const fx = market.fx ?? {}
  const priceOf = (asset: string): number | undefined => {
    const u = market.underlyings[asset]
    if (u) return decimalToFloat(u.price)
    const f = fx[asset]
    if (f !== undefined) return decimalToFloat(f)
    return undefined
  }
  /** Factor index of an asset, −1 for USD-like, −2 when nobody prices it. */
  const factorOf = (asset: string): number => {
    const known = factorIndex.get(asset)
    if (known !== undefined) return known
    if (USD_LIKE.has(asset) && fx[asset] === undefined && market.underlyings[asset] === undefined) return -1
    const p = priceOf(asset)
    if (p === undefined) return -2
    const idx = factors.length
    factors.push(asset)
    factorIndex.set(asset, idx)
    prices.push(p)
    return idx
  }

  for (const [name, u] of Object.entries(market.underlyings)) {
    if (u.updatedAt && asOfMs - Date.parse(u.updatedAt) > staleMs) {
      warnings.push(`market.underlyings.${name}: price updated ${u.updatedAt}, more than ${staleMs / 3_600_000} h before asOf`)
    }
  }

  // --- accounts, collateral, debts ----------------------------------------------------------
  const accountIdx = new Map<string, number>()
  const accounts: PreparedAccount[] = doc.accounts.map((a, i) => {
    accountIdx.set(a.id, i)
    const regime =
      a.venue === 'defi' ? ACCOUNT_DEFI : a.marginMode === 'portfolio' ? ACCOUNT_PORTFOLIO : a.marginMode === 'isolated' ? ACCOUNT_ISOLATED : ACCOUNT_CROSS
    return { id: a.id, venue: a.venue, marginMode: a.marginMode, regime, index: i }
  })
  const collStart = new Int32Array(accounts.length + 1)
  const debtStart = new Int32Array(accounts.length + 1)
  const collF: number[] = []
  const collA: number[] = []
  const collH: number[] = []
  const collT: number[] = []
  const debtF: number[] = []
  const debtA: number[] = []
  doc.accounts.forEach((a, ai) => {
    collStart[ai] = collF.length
    a.collateral.forEach((c, ci) => {
      const f = factorOf(c.asset)
      if (f === -2) {
        issues.push({ path: `accounts[${ai}].collateral[${ci}].asset`, message: `no price for "${c.asset}": give market.underlyings.${c.asset}.price or market.fx.${c.asset}` })
        return
      }
      if (a.venue === 'defi' && c.liquidationThreshold === undefined) {
        warnings.push(`accounts[${ai}].collateral[${ci}]: no liquidationThreshold, so "${c.asset}" counts nothing toward the health factor`)
      }
      collF.push(f)
      collA.push(decimalToFloat(c.amount))
      collH.push(c.haircut ?? 0)
      collT.push(c.liquidationThreshold ?? 0)
    })
    debtStart[ai] = debtF.length
    ;(a.debts ?? []).forEach((d, di) => {
      const f = factorOf(d.asset)
      if (f === -2) {
        issues.push({ path: `accounts[${ai}].debts[${di}].asset`, message: `no price for "${d.asset}": give market.underlyings.${d.asset}.price or market.fx.${d.asset}` })
        return
      }
      debtF.push(f)
      debtA.push(decimalToFloat(d.amount))
    })
  })
  collStart[accounts.length] = collF.length
  debtStart[accounts.length] = debtF.length

  // --- positions ----------------------------------------------------------------------------
  const open = openPositions(doc)
  const docIndex = new Map<Position, number>()
  doc.positions.forEach((p, i) => docIndex.set(p, i))
  const n = open.length
  const book: PreparedBook = {
    asOfMs,
    factors,
    factorIndex,
    basePrices: new Float64Array(0),
    accounts,
    n,
    positions: open,
    posAccount: new Int32Array(n),
    posFactor: new Int32Array(n),
    posQuoteFactor: new Int32Array(n),
    posKind: new Uint8Array(n),
    posInverse: new Uint8Array(n),
    posIsCall: new Uint8Array(n),
    posIsolated: new Uint8Array(n),
    posMarginModel: new Uint8Array(n),
    posLiqRule: new Uint8Array(n),
    posTier: new Int32Array(n).fill(-1),
    posQty: new Float64Array(n),
    posSize: new Float64Array(n),
    posEntry: new Float64Array(n),
    posMarkRatio: new Float64Array(n).fill(1),
    posStrike: new Float64Array(n),
    posYears: new Float64Array(n),
    posVol: new Float64Array(n),
    posRate: new Float64Array(n),
    posForwardRatio: new Float64Array(n).fill(NaN),
    posValueOffset: new Float64Array(n),
    posIsolatedMargin: new Float64Array(n).fill(NaN),
    posLeverage: new Float64Array(n).fill(NaN),
    tiers: [],
    deribitFutures: [],
    posDeribit: new Int32Array(n).fill(-1),
    accStart: new Int32Array(accounts.length + 1),
    posOfAccount: new Int32Array(n),
    collStart,
    collFactor: Int32Array.from(collF),
    collAmount: Float64Array.from(collA),
    collHaircut: Float64Array.from(collH),
    collThreshold: Float64Array.from(collT),
    debtStart,
    debtFactor: Int32Array.from(debtF),
    debtAmount: Float64Array.from(debtA),
    warnings,
  }
  const tierKeys = new Map<string, number>()
  const addTable = (t: TierTable): number => {
    const known = tierKeys.get(t.key)
    if (known !== undefined) return known
    tierKeys.set(t.key, book.tiers.length)
    book.tiers.push(t)
    return book.tiers.length - 1
  }
  const deribitKeys = new Map<string, number>()
  const needsDefaultMargin: number[] = []

  open.forEach((p, i) => {
    const di = docIndex.get(p)!
    const path = `positions[${di}]`
    const ins = p.instrument
    const ai = accountIdx.get(p.account)!
    const account = doc.accounts[ai]!
    const m = market.instruments[p.id]
    if (m?.updatedAt && asOfMs - Date.parse(m.updatedAt) > staleMs) {
      warnings.push(`market.instruments.${p.id}: updated ${m.updatedAt}, more than ${staleMs / 3_600_000} h before asOf`)
    }
    book.posAccount[i] = ai
    const qty = decimalToFloat(p.quantity)
    const size = ins.contractSize !== undefined ? decimalToFloat(ins.contractSize) : 1
    const entry = decimalToFloat(p.entryPrice)
    book.posQty[i] = qty
    book.posSize[i] = size
    book.posEntry[i] = entry

    // Index price. A delta-one position without an index but with a mark is valued on its mark.
    let f = factorOf(ins.underlying)
    if (f < 0 && USD_LIKE.has(ins.underlying)) f = -2
    if (f === -2) {
      if (m?.mark !== undefined && ins.kind !== 'option') {
        const idx = factors.length
        factors.push(ins.underlying)
        factorIndex.set(ins.underlying, idx)
        prices.push(decimalToFloat(m.mark))
        f = idx
        warnings.push(`${path}: no index price for ${ins.underlying}; its mark stands in for the index`)
      } else {
        issues.push({ path: `market.underlyings.${ins.underlying}.price`, message: `is required to value ${path} (${p.id})` })
        return
      }
    }
    book.posFactor[i] = f
    const qf = factorOf(ins.quote)
    if (qf === -2) {
      issues.push({ path: `${path}.instrument.quote`, message: `no USD price for quote currency "${ins.quote}": give market.fx.${ins.quote}` })
      return
    }
    book.posQuoteFactor[i] = qf
    const index = prices[f]!

    const isolated = (p.marginMode ?? (account.marginMode === 'isolated' ? 'isolated' : 'cross')) === 'isolated'
    book.posIsolated[i] = isolated ? 1 : 0
    book.posLiqRule[i] = venueLiqRule(account.venue)
    if (p.leverage !== undefined) book.posLeverage[i] = p.leverage
    const inverse = ins.settlement === 'inverse'
    book.posInverse[i] = inverse ? 1 : 0

    if (ins.kind === 'option') {
      book.posKind[i] = KIND_OPTION
      book.posIsCall[i] = ins.optionType === 'call' ? 1 : 0
      const strike = decimalToFloat(ins.strike!)
      book.posStrike[i] = strike
      const years = (Date.parse(ins.expiry!) - asOfMs) / 1000 / SECONDS_PER_YEAR
      book.posYears[i] = years
      if (years <= 0) warnings.push(`${path}: option ${p.id} expired at ${ins.expiry}; valued at intrinsic value`)
      const rate = market.rates[ins.quote] ?? (USD_LIKE.has(ins.quote) ? (market.rates['USD'] ?? 0) : 0)
      book.posRate[i] = rate
      if (m?.forward !== undefined) book.posForwardRatio[i] = decimalToFloat(m.forward) / index
      const fwd = Number.isNaN(book.posForwardRatio[i]!) ? undefined : book.posForwardRatio[i]! * index
      const isCall = ins.optionType === 'call'
      // The quoted mark is per unit in the quote currency (linear) or in the coin (inverse).
      const markUsd = m?.mark === undefined ? undefined : inverse ? decimalToFloat(m.mark) * index : decimalToFloat(m.mark)
      let vol = m?.iv ?? market.underlyings[ins.underlying]?.vol
      if (vol === undefined && markUsd !== undefined && years > 0) {
        const iv = impliedVolatility(isCall, markUsd, index, strike, years, rate, fwd)
        if (Number.isFinite(iv)) {
          vol = iv
          warnings.push(`${path}: no iv or underlying vol; using the volatility implied by its mark (${(iv * 100).toFixed(2)} %)`)
        }
      }
      if (vol === undefined) {
        if (years > 0) {
          issues.push({ path: `market.underlyings.${ins.underlying}.vol`, message: `is required to value option ${path} (${p.id}) without an iv` })
          return
        }
        vol = 0
      }
      book.posVol[i] = vol
      if (markUsd !== undefined) book.posValueOffset[i] = markUsd - optionValue(isCall, index, strike, years, rate, vol, fwd)
      book.posMarginModel[i] = MARGIN_OPTION_STANDARD
    } else {
      book.posKind[i] = ins.kind === 'spot' ? KIND_SPOT : inverse ? KIND_INVERSE : KIND_LINEAR
      const mark = m?.mark !== undefined ? decimalToFloat(m.mark) : index
      book.posMarkRatio[i] = mark / index
      if (ins.kind === 'future' && ins.expiry && Date.parse(ins.expiry) <= asOfMs) {
        warnings.push(`${path}: future ${p.id} expired at ${ins.expiry}; still valued at its mark`)
      }
      if (ins.kind === 'spot') {
        book.posMarginModel[i] = MARGIN_NONE
      } else if (p.marginTiers) {
        book.posMarginModel[i] = MARGIN_TIERS
        book.posTier[i] = addTable(tierTableFromDocument(`position:${p.id}`, p.marginTiers))
      } else if (account.venue === 'deribit') {
        book.posMarginModel[i] = MARGIN_DERIBIT_FUTURES
        let d = deribitKeys.get(ins.underlying)
        if (d === undefined) {
          d = book.deribitFutures.length
          deribitKeys.set(ins.underlying, d)
          book.deribitFutures.push(deribitFuturesParams(ins.underlying))
        }
        book.posDeribit[i] = d
      } else {
        book.posMarginModel[i] = MARGIN_TIERS
        const builtin = builtinTierTable(account.venue, inverse ? 'inverse' : 'linear', ins.underlying)
        if (builtin) book.posTier[i] = addTable(builtin)
        else {
          book.posTier[i] = addTable(FALLBACK_TIERS)
          warnings.push(`${path}: no margin tiers for ${account.venue} ${ins.settlement} ${ins.underlying}; assumed a flat 0.5 % maintenance rate (give marginTiers)`)
        }
      }
    }

    if (isolated) {
      if (p.isolatedMargin !== undefined) book.posIsolatedMargin[i] = decimalToFloat(p.isolatedMargin)
      else if (p.leverage !== undefined) {
        // Isolated by leverage: the margin the exchange would have locked at entry, in the settlement currency.
        const entryNotional = ins.kind === 'option' ? Math.abs(qty) * size * entry : inverse ? (Math.abs(qty) * size) / entry : Math.abs(qty) * size * entry
        book.posIsolatedMargin[i] = entryNotional / p.leverage
      } else {
        // Isolated because its account is, with neither margin nor leverage given (the schema only
        // demands one when the position itself says isolated): filled below at the venue's initial margin.
        needsDefaultMargin.push(i)
        warnings.push(`${path}: isolated without isolatedMargin or leverage; assumed the venue's initial margin at entry`)
      }
    }
  })

  if (issues.length > 0) throw new RiskInputError(issues)
  book.basePrices = Float64Array.from(prices)
  for (const i of needsDefaultMargin) {
    // Initial margin at the entry price by the position's own margin rule, converted from USD to
    // the settlement currency (quote for linear, coin at the entry mark for inverse).
    const f = book.posFactor[i]!
    const entryIndex = book.posEntry[i]! / book.posMarkRatio[i]!
    const atEntry = book.basePrices.slice()
    atEntry[f] = entryIndex
    const imUsd = positionMarginUsd(book, i, entryIndex, atEntry, 0, 0, 1)
    const qf = book.posQuoteFactor[i]!
    book.posIsolatedMargin[i] = book.posInverse[i] === 1 && book.posKind[i] !== KIND_OPTION ? imUsd / book.posEntry[i]! : imUsd / (qf < 0 ? 1 : atEntry[qf]!)
  }

  // Positions grouped by account, in document order within each account.
  const counts = new Int32Array(accounts.length)
  for (let i = 0; i < n; i++) counts[book.posAccount[i]!]!++
  for (let a = 0; a < accounts.length; a++) book.accStart[a + 1] = book.accStart[a]! + counts[a]!
  const fill = book.accStart.slice(0, accounts.length)
  for (let i = 0; i < n; i++) {
    const a = book.posAccount[i]!
    book.posOfAccount[fill[a]!++] = i
  }
  return book
}
