/**
 * How old the market data behind each figure is. A figure is only as good as the marks it rests on:
 * a position is stale when its underlying's index price, its own instrument entry (mark, iv,
 * funding) or a non-USD quote's price was set longer than `staleAfterSeconds` before asOf; an
 * account is stale when one of its positions is, or when the price of a coin it holds as collateral
 * (or owes) is. Market data without a time cannot be judged: its age is null and it is not flagged.
 *
 * Ages are measured against the document's asOf, the instant the figures are "as of".
 */
import type { PortfolioDocument } from '../shared/portfolio-document'
import { openPositions } from '../shared/portfolio-document'
import type { MarketDataAge, MarketDataFreshness } from './report-types'

export const DEFAULT_STALE_AFTER_SECONDS = 86_400

function ageOf(updatedAt: string | undefined, asOfMs: number, staleAfterSeconds: number): MarketDataAge {
  if (updatedAt === undefined) return { updatedAt: null, ageSeconds: null, stale: false }
  const ms = Date.parse(updatedAt)
  if (!Number.isFinite(ms)) return { updatedAt, ageSeconds: null, stale: false }
  // Data stamped after asOf (a clock ahead, a document valued in the past) is not old.
  const ageSeconds = Math.max(0, Math.floor((asOfMs - ms) / 1000))
  return { updatedAt, ageSeconds, stale: ageSeconds > staleAfterSeconds }
}

export interface PositionFreshness {
  stale: boolean
  /** Document paths of the stale inputs, e.g. `market.underlyings.BTC`. */
  staleInputs: string[]
  /** The oldest time among the position's inputs that carry one. */
  marketDataUpdatedAt: string | null
}

export interface Freshness {
  report: MarketDataFreshness
  position: (id: string) => PositionFreshness
  accountStale: (id: string) => boolean
}

const NOT_STALE: PositionFreshness = { stale: false, staleInputs: [], marketDataUpdatedAt: null }

export function marketFreshness(doc: PortfolioDocument, staleAfterSeconds = DEFAULT_STALE_AFTER_SECONDS): Freshness {
  const asOfMs = Date.parse(doc.asOf)
  const underlyings: Record<string, MarketDataAge> = {}
  for (const [name, u] of Object.entries(doc.market.underlyings)) underlyings[name] = ageOf(u.updatedAt, asOfMs, staleAfterSeconds)
  const instruments: Record<string, MarketDataAge> = {}
  for (const [id, m] of Object.entries(doc.market.instruments)) instruments[id] = ageOf(m.updatedAt, asOfMs, staleAfterSeconds)

  const positions = new Map<string, PositionFreshness>()
  const staleAccounts = new Set<string>()
  for (const p of openPositions(doc)) {
    const inputs: [string, MarketDataAge | undefined][] = [
      [`market.underlyings.${p.instrument.underlying}`, underlyings[p.instrument.underlying]],
      [`market.instruments.${p.id}`, instruments[p.id]],
    ]
    if (p.instrument.quote !== p.instrument.underlying && underlyings[p.instrument.quote]) {
      inputs.push([`market.underlyings.${p.instrument.quote}`, underlyings[p.instrument.quote]])
    }
    const staleInputs: string[] = []
    let oldest: string | null = null
    for (const [path, age] of inputs) {
      if (!age) continue
      if (age.stale) staleInputs.push(path)
      if (age.updatedAt !== null && (oldest === null || Date.parse(age.updatedAt) < Date.parse(oldest))) oldest = age.updatedAt
    }
    const f = { stale: staleInputs.length > 0, staleInputs, marketDataUpdatedAt: oldest }
    positions.set(p.id, f)
    if (f.stale) staleAccounts.add(p.account)
  }
  for (const a of doc.accounts) {
    for (const asset of [...a.collateral.map((c) => c.asset), ...(a.debts ?? []).map((d) => d.asset)]) {
      if (underlyings[asset]?.stale) staleAccounts.add(a.id)
    }
  }
  const stalePositions = [...positions].filter(([, f]) => f.stale).map(([id]) => id)
  return {
    report: {
      staleAfterSeconds,
      stale: stalePositions.length > 0 || staleAccounts.size > 0,
      underlyings,
      instruments,
      stalePositions,
      staleAccounts: doc.accounts.filter((a) => staleAccounts.has(a.id)).map((a) => a.id),
    },
    position: (id) => positions.get(id) ?? NOT_STALE,
    accountStale: (id) => staleAccounts.has(id),
  }
}
