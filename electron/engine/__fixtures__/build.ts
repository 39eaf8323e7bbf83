/** Test helpers: build a valid portfolio document from a compact description (parsed by the real schema). */
import { parsePortfolioDocument, type PortfolioDocument, type PortfolioDocumentInput } from '../../shared/portfolio-document'

export const AS_OF = '2026-11-24T08:00:00Z'

type Loose = Record<string, unknown>

export function makeDoc(parts: { accounts: Loose[]; positions?: Loose[]; market?: Loose; settings?: Loose; asOf?: string }): PortfolioDocument {
  const input = {
    format: 'fulcrum.portfolio/1',
    asOf: parts.asOf ?? AS_OF,
    accounts: parts.accounts,
    positions: parts.positions ?? [],
    market: parts.market ?? { underlyings: {} },
    ...(parts.settings ? { settings: parts.settings } : {}),
  } as unknown as PortfolioDocumentInput
  const r = parsePortfolioDocument(input)
  if (!r.ok) throw new Error(`fixture is not a valid document:\n${r.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`)
  return r.value
}

/** One account with one position: the shape most exchange examples have. */
export function singlePosition(opts: {
  venue: string
  position: Loose
  price: string
  mark?: string
  collateral?: Loose[]
  marginMode?: string
  underlying?: string
  vol?: number
}): PortfolioDocument {
  const underlying = opts.underlying ?? 'BTC'
  return makeDoc({
    accounts: [{ id: 'a', venue: opts.venue, marginMode: opts.marginMode ?? 'cross', collateral: opts.collateral ?? [] }],
    positions: [{ id: 'p', account: 'a', ...opts.position }],
    market: {
      underlyings: { [underlying]: { price: opts.price, ...(opts.vol !== undefined ? { vol: opts.vol } : {}) } },
      instruments: opts.mark ? { p: { mark: opts.mark } } : {},
    },
  })
}
