/**
 * The demo portfolio (resources/demo/demo-portfolio.json), re-anchored to the present so its
 * expiries are always ahead and its history ends yesterday, whatever day the app first starts.
 */
import template from '../../resources/demo/demo-portfolio.json'
import { parsePortfolioDocument, type PortfolioDocument } from '../shared/portfolio-document'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS
const HOUR_MS = 3_600_000

function shiftInstant(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() + ms).toISOString().replace('.000Z', 'Z')
}
function shiftDay(day: string, days: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Expiries move by whole weeks (Deribit's weekly expiries are Fridays 08:00 UTC and must stay Fridays),
 * as few as keep the earliest one ahead of `now`. Open times move with the clock, and history by whole
 * days so that its last close is the day before `now`.
 */
export function demoDocument(now: Date): PortfolioDocument {
  const parsed = parsePortfolioDocument(template)
  if (!parsed.ok) {
    throw new Error(`resources/demo/demo-portfolio.json is invalid: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`)
  }
  const doc = parsed.value
  const asOfMs = new Date(doc.asOf).getTime()
  // The fewest whole weeks that put the earliest expiry at least an hour ahead of now.
  const expiries = doc.positions.flatMap((p) => (p.instrument.expiry ? [Date.parse(p.instrument.expiry)] : []))
  const earliest = expiries.length ? Math.min(...expiries) : asOfMs
  const weeks = Math.max(0, Math.ceil((now.getTime() + HOUR_MS - earliest) / WEEK_MS))
  const shiftMs = weeks * WEEK_MS
  const openShiftMs = Math.max(0, now.getTime() - asOfMs)

  let lastHistoryDay = ''
  for (const u of Object.values(doc.market.underlyings)) {
    const last = u.history?.at(-1)?.[0]
    if (last && last > lastHistoryDay) lastHistoryDay = last
  }
  const yesterday = new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10)
  const historyShiftDays = lastHistoryDay
    ? Math.round((new Date(`${yesterday}T00:00:00Z`).getTime() - new Date(`${lastHistoryDay}T00:00:00Z`).getTime()) / DAY_MS)
    : 0

  return {
    ...doc,
    asOf: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    positions: doc.positions.map((p) => ({
      ...p,
      instrument: p.instrument.expiry ? { ...p.instrument, expiry: shiftInstant(p.instrument.expiry, shiftMs) } : p.instrument,
      openedAt: p.openedAt ? shiftInstant(p.openedAt, openShiftMs) : undefined,
    })),
    market: {
      ...doc.market,
      underlyings: Object.fromEntries(
        Object.entries(doc.market.underlyings).map(([k, u]) => [
          k,
          { ...u, history: u.history?.map(([day, close]) => [shiftDay(day, historyShiftDays), close] as [string, string]) },
        ]),
      ),
    },
  }
}
