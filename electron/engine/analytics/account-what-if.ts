/**
 * An account's margin figures after a change (a hedge added, collateral added, a position cut),
 * from a document holding only that account, so a what-if costs one small prepared book rather than
 * the whole portfolio's. Accounts share nothing, so the figures equal those of the full report.
 */
import type { Account, PortfolioDocument, Position } from '../../shared/portfolio-document'
import { openPositions } from '../../shared/portfolio-document'
import { ACCOUNT_DEFI, prepareBook, type PreparedBook } from '../book'
import { accountRiskFactors, crossLiquidation } from '../liquidation'
import { accountInitialUsd } from '../revalue'
import { accountState } from './state'

export interface AccountFigures {
  equityUsd: number
  initialUsd: number
  maintenanceUsd: number
  marginRatio: number | null
  liquidatable: boolean
  /** Cross (index) liquidation price per factor, and the distance from the index (fraction). */
  liquidationPrice: Record<string, number | null>
  liquidationDistance: Record<string, number | null>
  /** Smallest distance over the factors, null when none. */
  minDistance: number | null
}

export function accountDocument(doc: PortfolioDocument, account: Account, positions: Position[], extraMarket?: PortfolioDocument['market']['instruments']): PortfolioDocument {
  return {
    ...doc,
    accounts: [account],
    positions,
    market: extraMarket ? { ...doc.market, instruments: { ...doc.market.instruments, ...extraMarket } } : doc.market,
  }
}

export function accountFiguresOf(book: PreparedBook, a = 0, withLiquidation = true): AccountFigures {
  const zero = new Float64Array(book.factors.length)
  const st = accountState(book, a, book.basePrices, zero, 0)
  const liq: Record<string, number | null> = {}
  const dist: Record<string, number | null> = {}
  let minDistance: number | null = null
  for (const f of withLiquidation ? accountRiskFactors(book, a) : []) {
    const s = crossLiquidation(book, a, f)
    const name = book.factors[f]!
    liq[name] = s.price
    const d = s.price === null ? null : Math.abs(book.basePrices[f]! - s.price) / book.basePrices[f]!
    dist[name] = d
    if (d !== null && (minDistance === null || d < minDistance)) minDistance = d
  }
  return {
    equityUsd: st.equityUsd,
    initialUsd: book.accounts[a]!.regime === ACCOUNT_DEFI ? 0 : accountInitialUsd(book, a, book.basePrices, zero, 0),
    maintenanceUsd: st.maintenanceUsd,
    marginRatio: st.marginRatio,
    liquidatable: st.liquidatable,
    liquidationPrice: liq,
    liquidationDistance: dist,
    minDistance,
  }
}

/** Figures of one account of `doc` after `change` is applied to its own document. */
export function accountFiguresAfter(
  doc: PortfolioDocument,
  accountId: string,
  change: (account: Account, positions: Position[]) => { account: Account; positions: Position[]; instruments?: PortfolioDocument['market']['instruments'] },
  withLiquidation = true,
): AccountFigures {
  const account = doc.accounts.find((a) => a.id === accountId)
  if (!account) throw new Error(`unknown account ${accountId}`)
  const mine = openPositions(doc).filter((p) => p.account === accountId)
  const next = change(account, mine)
  return accountFiguresOf(prepareBook(accountDocument(doc, next.account, next.positions, next.instruments)), 0, withLiquidation)
}
