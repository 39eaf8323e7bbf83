/**
 * "Apply as what-if": the report before and after adding hedges, reduced to what a trader compares
 * side by side (Greeks per underlying, margin ratios and liquidation distances per account, the
 * parametric VaR), so the answer stays small however large the book.
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import { computeRiskReport, type RiskReportOptions } from '../report'
import type { MarginStatus, RiskReport } from '../report-types'
import { withHedges, type HedgeCandidate } from './hedges'

export interface ReportDigest {
  equity: number
  netDeltaUsd: number
  gamma: number
  vega: number
  theta: number
  fundingPerDay: number
  varParametric: number | null
  esParametric: number | null
  underlyings: Array<{ underlying: string; delta: number; deltaUsd: number; gamma: number; vega: number; theta: number; hedgeDelta: number | null }>
  accounts: Array<{
    id: string
    venue: Venue
    equity: number
    initialMargin: number
    availableMargin: number
    marginRatio: number | null
    status: MarginStatus
    liquidationPrice: Record<string, number | null>
    liquidationDistance: Record<string, number | null>
  }>
}

export function digestReport(r: RiskReport): ReportDigest {
  const rows = new Map<string, ReportDigest['underlyings'][number]>()
  for (const p of r.positions) {
    const row = rows.get(p.underlying) ?? { underlying: p.underlying, delta: 0, deltaUsd: 0, gamma: 0, vega: 0, theta: 0, hedgeDelta: null }
    row.delta += p.delta
    row.deltaUsd += p.deltaUsd
    row.gamma += p.gamma
    row.vega += p.vega
    row.theta += p.theta
    rows.set(p.underlying, row)
  }
  for (const t of r.hedgeTargets) {
    const row = rows.get(t.underlying)
    if (row) row.hedgeDelta = t.delta
  }
  return {
    equity: r.portfolio.equity,
    netDeltaUsd: r.portfolio.netDeltaUsd,
    gamma: r.portfolio.gamma,
    vega: r.portfolio.vega,
    theta: r.portfolio.theta,
    fundingPerDay: r.portfolio.fundingPerDay,
    varParametric: r.portfolio.var.parametric,
    esParametric: r.portfolio.expectedShortfall.parametric,
    underlyings: [...rows.values()].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd)),
    accounts: r.accounts.map((a) => ({
      id: a.id,
      venue: a.venue,
      equity: a.equity,
      initialMargin: a.initialMargin,
      availableMargin: a.availableMargin,
      marginRatio: a.marginRatio,
      status: a.status,
      liquidationPrice: a.liquidationPrice,
      liquidationDistance: a.liquidationDistance,
    })),
  }
}

export interface HedgeWhatIf {
  hedges: HedgeCandidate[]
  before: ReportDigest
  after: ReportDigest
}

/** The digest before and after adding the given candidates (ids from report.hedgeCandidates). */
export function hedgeWhatIf(doc: PortfolioDocument, candidateIds: readonly string[], options: RiskReportOptions = {}): HedgeWhatIf {
  const before = computeRiskReport(doc, options)
  const hedges = candidateIds.map((id) => {
    const c = before.hedgeCandidates.find((x) => x.id === id)
    if (!c) throw new RangeError(`no hedge candidate "${id}" for the current book`)
    return c
  })
  const after = computeRiskReport(withHedges(doc, hedges), options)
  return { hedges, before: digestReport(before), after: digestReport(after) }
}
