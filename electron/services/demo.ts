/**
 * The demo portfolio (resources/demo/demo-portfolio.json), re-anchored to the present so its
 * expiries are always ahead and its history ends yesterday, whatever day the app first starts.
 */
import template from '../../resources/demo/demo-portfolio.json'
import { parsePortfolioDocument, type PortfolioDocument } from '../shared/portfolio-document'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS

function shiftInstant(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() + ms).toISOString().replace('.000Z', 'Z')
}
function shiftDay(day: string, days: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Expiries and open times move by whole weeks (Deribit's weekly expiries are Fridays 08:00 UTC and must
 * stay Fridays), rounded up so no expiry lands in the past. History moves by whole days so that its last
 * close is the day before `now`.
 */
export function demoDocument(now: Date): PortfolioDocument {
  const parsed = parsePortfolioDocument(template)
  if (!parsed.ok) {
    throw new Error(`resources/demo/demo-portfolio.json is invalid: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`)
  }
  const doc = parsed.value
  const asOfMs = new Date(doc.asOf).getTime()
  const weeks = Math.max(0, Math.ceil((now.getTime() - asOfMs) / WEEK_MS))
  const shiftMs = weeks * WEEK_MS

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
      openedAt: p.openedAt ? shiftInstant(p.openedAt, Math.min(shiftMs, Math.max(0, now.getTime() - asOfMs))) : undefined,
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
