/**
 * Margin-call prevention: for every account whose margin ratio is above the trader's target
 * (settings.marginRatioTarget), the ways back to the target, each with its cost and the new
 * liquidation distance:
 *
 * - add collateral: MM / (E + x) = target, so x = MM / target − E in USD, in the account's own
 *   margin asset (its stablecoin where it has one, else its largest coin), from the accounts that
 *   have margin to spare at the target themselves;
 * - cut a position: the smallest fraction f of one position for which the account's ratio, with that
 *   position reduced and the taker fee paid, is at most the target (bisection on f; the quantity is
 *   rounded UP to the position's lot so the ratio lands at or below the target);
 * - DeFi loans: repay debt (debt' = target × Σ collateral × threshold) or add collateral.
 *
 * Every figure after the change is recomputed by the engine on the changed account (account-what-if).
 */
import type { Account, PortfolioDocument, Position, Venue } from '../../shared/portfolio-document'
import { openPositions } from '../../shared/portfolio-document'
import { Decimal } from '../../shared/decimal'
import { ACCOUNT_DEFI, USD_LIKE, prepareBook, type PreparedBook } from '../book'
import type { AccountReport } from '../report-types'
import { positionMarginUsd, positionNotionalUsd } from '../revalue'
import { reportNumber, reportNumberOrNull } from '../seam'
import { accountDocument, accountFiguresAfter, type AccountFigures } from './account-what-if'
import { accountState } from './state'
import type { ResolvedAnalyticsSettings } from './settings'
import { hedgeInstruments, venueTakerFee } from './venue-instruments'
import { VENUE_NAME } from './venues'

/**
 * What moving collateral between venues costs: withdrawal network fees of the cheapest common
 * networks (assumed, they change); between accounts of one venue a transfer is free.
 */
const WITHDRAWAL_FEE_UNITS: Record<string, number> = { USDT: 1, USDC: 1, USD: 0, BTC: 0.0001, ETH: 0.001, SOL: 0.01 }

/** Cut suggestions per account: its positions with the largest maintenance margin. */
const MAX_CUT_CANDIDATES = 3

function positionMaintenance(book: PreparedBook, id: string): number {
  const i = book.positions.findIndex((x) => x.id === id)
  if (i < 0) return 0
  const f = book.posFactor[i]!
  return positionMarginUsd(book, i, book.basePrices[f]!, book.basePrices, 0, 0, 0)
}

export interface CollateralSource {
  account: string
  venue: Venue
  /** Equity the source can give up and still be at or below the target ratio and its initial margin, USD. */
  availableUsd: number
  transferCostUsd: number
  note: string
}

export interface MarginCallAction {
  kind: 'add-collateral' | 'cut-position' | 'repay-debt'
  /** Collateral asset added or debt asset repaid; for cuts, the position's underlying. */
  asset: string | null
  /** Amount of the asset (decimal string), or contracts cut (signed like the trade: a long is cut by selling). */
  amount: string
  amountUsd: number
  position: string | null
  /** Cuts: the lot the quantity is rounded to (contracts). */
  lotStep?: string
  /** Taker fee of a cut, or the cheapest transfer of collateral, USD. */
  costUsd: number
  marginRatioAfter: number | null
  /** Nearest cross liquidation distance of the account after the change, fraction of the index. */
  liquidationDistanceAfter: number | null
  liquidationPriceAfter: Record<string, number | null>
  /** The account reaches the target with this action alone. */
  reachesTarget: boolean
  sources: CollateralSource[]
  note: string
}

export interface MarginCallPlan {
  account: string
  venue: Venue
  marginRatio: number | null
  target: number
  equityUsd: number
  maintenanceUsd: number
  liquidationDistance: number | null
  /** Cheapest first among those that reach the target. */
  actions: MarginCallAction[]
}

export function marginCallPlans(
  doc: PortfolioDocument,
  book: PreparedBook,
  settings: ResolvedAnalyticsSettings,
  accounts: readonly AccountReport[],
  target: number = settings.marginRatioTarget,
): MarginCallPlan[] {
  const plans: MarginCallPlan[] = []
  const docAccounts = new Map(doc.accounts.map((a) => [a.id, a]))
  const open = openPositions(doc)
  for (const r of accounts) {
    const over = r.marginRatio === null ? r.status === 'liquidatable' : r.marginRatio > target
    if (!over) continue
    const a = book.accounts.findIndex((x) => x.id === r.id)
    const account = docAccounts.get(r.id)!
    const actions: MarginCallAction[] = []
    const defi = book.accounts[a]!.regime === ACCOUNT_DEFI
    const sources = collateralSources(book, accounts, r, target)
    if (defi) {
      actions.push(...defiActions(doc, book, a, account, target, sources))
    } else {
      const add = addCollateral(doc, book, a, account, r, target, sources)
      if (add) actions.push(add)
      // The positions carrying the most maintenance margin are the ones worth cutting.
      const mine = open.filter((x) => x.account === r.id)
      const mmOf = new Map(mine.map((p) => [p.id, positionMaintenance(book, p.id)]))
      const worth = mine.filter((p) => mmOf.get(p.id)! > 0).sort((x, y) => mmOf.get(y.id)! - mmOf.get(x.id)!).slice(0, MAX_CUT_CANDIDATES)
      for (const p of worth) {
        const cut = cutPosition(doc, book, account, p, r, target)
        if (cut) actions.push(cut)
      }
    }
    actions.sort((x, y) => Number(y.reachesTarget) - Number(x.reachesTarget) || x.costUsd - y.costUsd)
    plans.push({
      account: r.id,
      venue: r.venue,
      marginRatio: r.marginRatio,
      target,
      equityUsd: r.equity,
      maintenanceUsd: r.maintenanceMargin,
      liquidationDistance: minDistance(r),
      actions,
    })
  }
  return plans
}

function minDistance(a: AccountReport): number | null {
  let best: number | null = null
  for (const d of Object.values(a.liquidationDistance)) if (d !== null && (best === null || d < best)) best = d
  return best
}

function collateralSources(book: PreparedBook, accounts: readonly AccountReport[], needy: AccountReport, target: number): CollateralSource[] {
  const out: CollateralSource[] = []
  for (const b of accounts) {
    if (b.id === needy.id || b.venue === 'defi') continue
    const keep = Math.max(b.initialMargin, b.maintenanceMargin / target)
    const free = b.equity - keep
    if (!(free > 0)) continue
    const sameVenue = b.venue === needy.venue
    const a = book.accounts.findIndex((x) => x.id === b.id)
    const asset = marginAsset(book, a)
    const fee = sameVenue ? 0 : transferFeeUsd(book, asset)
    out.push({
      account: b.id,
      venue: b.venue,
      availableUsd: reportNumber(free),
      transferCostUsd: reportNumber(fee),
      note: sameVenue ? `internal transfer on ${VENUE_NAME[b.venue]}` : `withdraw ${asset} from ${VENUE_NAME[b.venue]}${fee > 0 ? ` (network fee about ${fee.toFixed(2)} USD, assumed)` : ''}`,
    })
  }
  return out.sort((x, y) => x.transferCostUsd - y.transferCostUsd || y.availableUsd - x.availableUsd)
}

/** The asset an account is margined in: a stablecoin if it holds one, else its largest coin. */
function marginAsset(book: PreparedBook, a: number): string {
  let best = 'USDT'
  let bestValue = -1
  for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) {
    const f = book.collFactor[c]!
    if (f < 0) return 'USDT'
    const v = book.collAmount[c]! * book.basePrices[f]!
    if (v > bestValue) {
      bestValue = v
      best = book.factors[f]!
    }
  }
  return best
}

function transferFeeUsd(book: PreparedBook, asset: string): number {
  const units = WITHDRAWAL_FEE_UNITS[asset] ?? 0
  const f = book.factorIndex.get(asset)
  return units * (f === undefined ? 1 : book.basePrices[f]!)
}

/** Smallest x ≥ target-reaching amount in `decimals`, as a string. */
function ceilTo(x: number, decimals: number): string {
  const m = 10 ** decimals
  const v = Math.ceil(x * m - 1e-9) / m
  return v.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}

function withCollateral(account: Account, asset: string, amount: string, haircut: number | undefined): Account {
  const list = account.collateral.map((c) => ({ ...c }))
  const i = list.findIndex((c) => c.asset === asset)
  if (i >= 0) list[i]!.amount = new Decimal(list[i]!.amount).plus(amount).toFixed()
  else list.push({ asset, amount, ...(haircut !== undefined ? { haircut } : {}) })
  return { ...account, collateral: list }
}

function addCollateral(
  doc: PortfolioDocument,
  book: PreparedBook,
  a: number,
  account: Account,
  r: AccountReport,
  target: number,
  sources: CollateralSource[],
): MarginCallAction | null {
  const asset = marginAsset(book, a)
  const usd = USD_LIKE.has(asset)
  const existing = account.collateral.find((c) => c.asset === asset)
  const haircut = existing?.haircut ?? 0
  const f = book.factorIndex.get(asset)
  const px = usd || f === undefined ? 1 : book.basePrices[f]!
  const needUsd = r.maintenanceMargin / target - r.equity
  if (!(needUsd > 0)) return null
  const decimals = usd ? 2 : 8
  const amount = ceilTo(needUsd / (px * (1 - haircut)), decimals)
  let after: AccountFigures
  try {
    after = accountFiguresAfter(doc, account.id, (acc, positions) => ({ account: withCollateral(acc, asset, amount, haircut), positions }))
  } catch {
    return null
  }
  const amountUsd = Number(amount) * px
  const enough = sources.filter((s) => s.availableUsd >= amountUsd)
  const cheapest = enough[0] ?? null
  const coinNote = usd ? '' : `; adding ${asset} also adds ${asset} price exposure (it is collateral that falls with ${asset})`
  return {
    kind: 'add-collateral',
    asset,
    amount,
    amountUsd: reportNumber(amountUsd),
    position: null,
    costUsd: cheapest ? cheapest.transferCostUsd : 0,
    marginRatioAfter: reportNumberOrNull(after.marginRatio),
    liquidationDistanceAfter: reportNumberOrNull(after.minDistance),
    liquidationPriceAfter: after.liquidationPrice,
    reachesTarget: after.marginRatio !== null && after.marginRatio <= target + 1e-9,
    sources,
    note:
      (cheapest
        ? `add ${amount} ${asset} (${Math.round(amountUsd).toLocaleString('en-US')} USD), e.g. from ${cheapest.account} on ${VENUE_NAME[cheapest.venue]} (${cheapest.note})`
        : sources.length
          ? `add ${amount} ${asset}; no single account can spare ${Math.round(amountUsd).toLocaleString('en-US')} USD at the target, combine ${sources.map((s) => s.account).join(', ')} or bring new funds`
          : `add ${amount} ${asset} from outside: no other account has margin to spare at the target`) + coinNote,
  }
}

function cutPosition(doc: PortfolioDocument, book: PreparedBook, account: Account, p: Position, r: AccountReport, target: number): MarginCallAction | null {
  const i = book.positions.findIndex((x) => x.id === p.id)
  if (i < 0) return null
  const f = book.posFactor[i]!
  const fee = venueTakerFee(book.accounts[book.posAccount[i]!]!.venue) ?? 0.0005
  const notional = positionNotionalUsd(book, i, book.basePrices[f]!, book.basePrices)
  const lot = cutLot(book, i, p)
  const decimals = Math.max(lot.decimals, p.quantity.includes('.') ? p.quantity.split('.')[1]!.length : 0)
  const qty = Number(p.quantity)
  const sign = Math.sign(qty)
  const usdCollateral = account.collateral.find((c) => USD_LIKE.has(c.asset))?.asset ?? null

  // Closing at the mark realises the P&L (equity unchanged) and pays the fee out of collateral.
  const figuresFor = (cutAbs: string, withLiquidation = true): AccountFigures | null => {
    const remaining = new Decimal(p.quantity).abs().minus(cutAbs).times(sign)
    const feeUsd = (Number(cutAbs) / Math.abs(qty)) * notional * fee
    try {
      return accountFiguresAfter(
        doc,
        account.id,
        (acc, positions) => {
          const next = positions.map((x) => (x.id === p.id ? { ...x, quantity: remaining.toFixed() } : x)).filter((x) => !new Decimal(x.quantity).isZero())
          return { account: payFee(acc, feeUsd, usdCollateral), positions: next }
        },
        withLiquidation,
      )
    } catch {
      return null
    }
  }
  const full = figuresFor(Math.abs(qty).toFixed(decimals))
  if (!full) return null
  const before = r.marginRatio ?? Infinity
  const fullRatio = full.marginRatio ?? Infinity
  if (!(fullRatio < before)) return null
  const ok = (x: AccountFigures | null): boolean => x !== null && x.marginRatio !== null && x.marginRatio <= target
  let cutAbs: string
  let after: AccountFigures
  if (!ok(full)) {
    cutAbs = Math.abs(qty).toFixed(decimals)
    after = full
  } else {
    // Bisection on the fraction cut, on the account's own prepared book with the quantity scaled in
    // place (cheap); the rounded answer is then re-checked through the document like every action.
    const sub = accountBook(doc, account.id, p.id)
    const j = sub.j
    const usdC = usdCollateral === null ? -1 : sub.usdCollateralIndex
    const ratioAt = (frac: number): number | null => {
      sub.book.posQty[j] = sub.q0 * (1 - frac)
      if (sub.iso0 === sub.iso0) sub.book.posIsolatedMargin[j] = sub.iso0 * (1 - frac)
      if (usdC >= 0) sub.book.collAmount[usdC] = Math.max(0, sub.coll0 - frac * notional * fee)
      return accountState(sub.book, 0, sub.book.basePrices, sub.zero, 0).marginRatio
    }
    let lo = 0
    let hi = 1
    for (let it = 0; it < 40; it++) {
      const mid = 0.5 * (lo + hi)
      const x = ratioAt(mid)
      if (x !== null && x <= target) hi = mid
      else lo = mid
    }
    // Whole lots, rounded up so the ratio lands at or below the target.
    const lots = Math.ceil((Math.abs(qty) * hi) / lot.step - 1e-9)
    cutAbs = Decimal.min(new Decimal(lot.step).times(lots), new Decimal(p.quantity).abs()).toFixed()
    after = figuresFor(cutAbs) ?? full
    // Float noise at the boundary: one more lot if the rounded cut still misses the target.
    if (!ok(after) && Number(cutAbs) < Math.abs(qty)) {
      cutAbs = Decimal.min(new Decimal(cutAbs).plus(lot.step), new Decimal(p.quantity).abs()).toFixed()
      after = figuresFor(cutAbs) ?? full
    }
  }
  const cutUsd = (Number(cutAbs) / Math.abs(qty)) * notional
  const reaches = ok(after)
  const signed = sign > 0 ? `-${cutAbs}` : cutAbs
  return {
    kind: 'cut-position',
    asset: p.instrument.underlying,
    amount: signed.replace(/^-?0+(\.0*)?$/, '0'),
    amountUsd: reportNumber(cutUsd),
    position: p.id,
    lotStep: String(lot.step),
    costUsd: reportNumber(cutUsd * fee),
    marginRatioAfter: reportNumberOrNull(after.marginRatio),
    liquidationDistanceAfter: reportNumberOrNull(after.minDistance),
    liquidationPriceAfter: after.liquidationPrice,
    reachesTarget: reaches,
    sources: [],
    note: reaches
      ? `${sign > 0 ? 'sell' : 'buy back'} ${cutAbs} of ${p.id} (${Math.round(cutUsd).toLocaleString('en-US')} USD notional, taker fee ${(fee * 100).toFixed(3)} %); this changes the ${p.instrument.underlying} delta`
      : `closing all of ${p.id} only brings the ratio to ${after.marginRatio === null ? 'n/a' : (after.marginRatio * 100).toFixed(1) + ' %'}`,
  }
}

/** The account alone as a prepared book whose position `positionId` a bisection may scale in place. */
function accountBook(doc: PortfolioDocument, id: string, positionId: string) {
  const account = doc.accounts.find((a) => a.id === id)!
  const book = prepareBook(accountDocument(doc, account, openPositions(doc).filter((p) => p.account === id)))
  const mutable: PreparedBook = { ...book, posQty: book.posQty.slice(), posIsolatedMargin: book.posIsolatedMargin.slice(), collAmount: book.collAmount.slice() }
  let usdCollateralIndex = -1
  for (let c = book.collStart[0]!; c < book.collStart[1]!; c++) if (book.collFactor[c]! < 0 && usdCollateralIndex < 0) usdCollateralIndex = c
  const j = book.positions.findIndex((x) => x.id === positionId)
  return {
    book: mutable,
    zero: new Float64Array(book.factors.length),
    j,
    q0: book.posQty[j]!,
    iso0: book.posIsolatedMargin[j]!,
    usdCollateralIndex,
    coll0: usdCollateralIndex >= 0 ? book.collAmount[usdCollateralIndex]! : 0,
  }
}

/** The venue's lot for the position's instrument, else the finer of its own decimals and 0.001. */
function cutLot(book: PreparedBook, i: number, p: Position): { step: number; decimals: number } {
  const venue = book.accounts[book.posAccount[i]!]!.venue
  const ins = p.instrument
  if (ins.kind === 'option') return { step: 0.01, decimals: 2 }
  if (ins.kind !== 'spot') {
    const spec = hedgeInstruments(venue, ins.underlying, book.basePrices[book.posFactor[i]!]!).find((x) => x.settlement === ins.settlement && x.contractSize === (ins.contractSize ?? '1'))
    if (spec) return { step: spec.step, decimals: Math.max(0, -Math.floor(Math.log10(spec.step) + 1e-9)) }
  }
  const own = p.quantity.includes('.') ? p.quantity.split('.')[1]!.length : 0
  const d = Math.max(own, 3)
  return { step: 10 ** -d, decimals: d }
}

function payFee(account: Account, feeUsd: number, usdAsset: string | null): Account {
  if (feeUsd <= 0 || usdAsset === null) return account
  return {
    ...account,
    collateral: account.collateral.map((c) => (c.asset === usdAsset ? { ...c, amount: Decimal.max(0, new Decimal(c.amount).minus(feeUsd.toFixed(8))).toFixed() } : c)),
  }
}

function defiActions(doc: PortfolioDocument, book: PreparedBook, a: number, account: Account, target: number, sources: CollateralSource[]): MarginCallAction[] {
  const out: MarginCallAction[] = []
  let collT = 0
  let debtUsd = 0
  for (let c = book.collStart[a]!; c < book.collStart[a + 1]!; c++) {
    const f = book.collFactor[c]!
    collT += book.collAmount[c]! * (f < 0 ? 1 : book.basePrices[f]!) * book.collThreshold[c]!
  }
  const debts = account.debts ?? []
  for (let d = book.debtStart[a]!; d < book.debtStart[a + 1]!; d++) {
    const f = book.debtFactor[d]!
    debtUsd += book.debtAmount[d]! * (f < 0 ? 1 : book.basePrices[f]!)
  }
  // Repay the largest debt: debt' = target × Σ collateral × threshold.
  const repayUsd = debtUsd - target * collT
  if (repayUsd > 0 && debts.length) {
    const d0 = debts.reduce((x, y) => (usdValue(book, y.asset, y.amount) > usdValue(book, x.asset, x.amount) ? y : x))
    const px = priceOf(book, d0.asset)
    const amount = ceilTo(Math.min(repayUsd / px, Number(d0.amount)), USD_LIKE.has(d0.asset) ? 2 : 8)
    const after = safeFigures(doc, account.id, (acc) => ({
      ...acc,
      debts: (acc.debts ?? []).map((d) => (d.asset === d0.asset ? { ...d, amount: Decimal.max(0, new Decimal(d.amount).minus(amount)).toFixed() } : d)),
    }))
    if (after) out.push(defiAction('repay-debt', d0.asset, amount, Number(amount) * px, after, target, sources, `repay ${amount} ${d0.asset}`))
  }
  // Add the collateral with the best threshold.
  const coll = account.collateral.filter((c) => (c.liquidationThreshold ?? 0) > 0)
  if (coll.length && collT > 0) {
    const best = coll.reduce((x, y) => ((y.liquidationThreshold ?? 0) > (x.liquidationThreshold ?? 0) ? y : x))
    const px = priceOf(book, best.asset)
    const needUsd = (debtUsd / target - collT) / (best.liquidationThreshold ?? 1)
    if (needUsd > 0) {
      const amount = ceilTo(needUsd / px, USD_LIKE.has(best.asset) ? 2 : 8)
      const after = safeFigures(doc, account.id, (acc) => withCollateral(acc, best.asset, amount, best.haircut))
      if (after) out.push(defiAction('add-collateral', best.asset, amount, Number(amount) * px, after, target, sources, `supply ${amount} ${best.asset} as collateral`))
    }
  }
  return out
}

function defiAction(kind: 'repay-debt' | 'add-collateral', asset: string, amount: string, amountUsd: number, after: AccountFigures, target: number, sources: CollateralSource[], note: string): MarginCallAction {
  return {
    kind,
    asset,
    amount,
    amountUsd: reportNumber(amountUsd),
    position: null,
    costUsd: 0,
    marginRatioAfter: reportNumberOrNull(after.marginRatio),
    liquidationDistanceAfter: reportNumberOrNull(after.minDistance),
    liquidationPriceAfter: after.liquidationPrice,
    reachesTarget: after.marginRatio !== null && after.marginRatio <= target + 1e-9,
    sources,
    note,
  }
}

function safeFigures(doc: PortfolioDocument, id: string, change: (a: Account) => Account): AccountFigures | null {
  try {
    return accountFiguresAfter(doc, id, (acc, positions) => ({ account: change(acc), positions }))
  } catch {
    return null
  }
}

function priceOf(book: PreparedBook, asset: string): number {
  const f = book.factorIndex.get(asset)
  return f === undefined ? 1 : book.basePrices[f]!
}

function usdValue(book: PreparedBook, asset: string, amount: string): number {
  return Number(amount) * priceOf(book, asset)
}
