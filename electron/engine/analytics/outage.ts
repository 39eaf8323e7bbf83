/**
 * Venue outage combined with a price shock: what relying on one exchange costs.
 *
 * The venue is frozen during the shock: its positions cannot be closed or topped up, so they ride
 * the path and are liquidated where their margin runs out (Fulcrum never models interventions, so
 * this is the cascade as it is). Two endings:
 * - the venue survives and reopens: the cascade's result, its hedges having counted throughout;
 * - the venue fails (an insolvency, a withdrawal freeze that never lifts): its equity is lost at
 *   once and its positions are gone from the start, so whatever they hedged elsewhere is naked.
 * The difference is the cost of the reliance; the delta the venue carried is what goes unhedged.
 */
import type { PortfolioDocument, Venue } from '../../shared/portfolio-document'
import type { PreparedBook } from '../book'
import { baseScenario, createRevaluation, revalue } from '../revalue'
import { reportNumber } from '../seam'
import { runCascade } from './cascade'
import { positionExposureInto } from './exposures'
import type { StressScenario } from './stress'
import { VENUE_NAME } from './venues'

export interface VenueOutage {
  venue: Venue
  scenarioId: string
  scenarioName: string
  /** Equity held at the venue at asOf, USD: what a failure writes off. */
  equityAtVenueUsd: number
  /** Book P&L at the end of the scenario (USD) if the venue survives, and liquidations on the way. */
  survivesPnlUsd: number
  survivesLiquidations: number
  /** Book P&L if the venue fails: its equity lost plus the rest of the book through the shock. */
  failsPnlUsd: number
  failsLiquidations: number
  /** survives − fails, USD. */
  costOfRelianceUsd: number
  /** Positions' delta (units) the venue carried per underlying: exposure the rest loses as a hedge. */
  venueDelta: Record<string, number>
  message: string
}

export function venueOutage(doc: PortfolioDocument, book: PreparedBook, s: StressScenario, venue: Venue): VenueOutage {
  const survives = runCascade(doc, book, s)
  const fails = runCascade(doc, book, s, { failedVenue: venue })
  const out = revalue(book, baseScenario(book), createRevaluation(book), false)
  let equity = 0
  const e = new Float64Array(book.factors.length)
  book.accounts.forEach((acc, a) => {
    if (acc.venue !== venue) return
    equity += out.accountEquityUsd[a]!
    for (let k = book.accStart[a]!; k < book.accStart[a + 1]!; k++) positionExposureInto(book, book.posOfAccount[k]!, book.basePrices, e)
  })
  const venueDelta: Record<string, number> = {}
  for (let f = 0; f < e.length; f++) if (e[f] !== 0) venueDelta[book.factors[f]!] = reportNumber(e[f]! / book.basePrices[f]!)
  const cost = survives.finalPnlUsd - fails.finalPnlUsd
  const naked = Object.entries(venueDelta)
    .map(([u, d]) => `${d >= 0 ? '+' : '−'}${Math.abs(d).toPrecision(3)} ${u}`)
    .join(', ')
  return {
    venue,
    scenarioId: s.id,
    scenarioName: s.name,
    equityAtVenueUsd: reportNumber(equity),
    survivesPnlUsd: survives.finalPnlUsd,
    survivesLiquidations: survives.events.length,
    failsPnlUsd: fails.finalPnlUsd,
    failsLiquidations: fails.events.length,
    costOfRelianceUsd: reportNumber(cost),
    venueDelta,
    message: `${VENUE_NAME[venue]} frozen in "${s.name}": ${Math.round(survives.finalPnlUsd).toLocaleString('en-US')} USD if it reopens, ${Math.round(fails.finalPnlUsd).toLocaleString('en-US')} USD if it fails (${Math.round(equity).toLocaleString('en-US')} USD of equity there${naked ? `; its ${naked} stops offsetting the rest` : ''})`,
  }
}
