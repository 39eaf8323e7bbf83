/**
 * Review windows in the report follow a position's own reminder lead times (issue 7), so the CLI
 * report, the app's views and the reminder scheduler name the same reminder instants.
 */
import { describe, expect, it } from 'vitest'
import { parsePortfolioDocument } from '../shared/portfolio-document'
import { computeRiskReport } from './report'

const doc = (positionExtra: Record<string, unknown>) => {
  const parsed = parsePortfolioDocument({
    format: 'fulcrum.portfolio/1',
    asOf: '2026-11-24T08:00:00Z',
    accounts: [{ id: 'dr', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '1' }] }],
    positions: [
      {
        id: 'f1',
        account: 'dr',
        instrument: { kind: 'future', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10', expiry: '2026-11-27T08:00:00Z' },
        quantity: '100',
        entryPrice: '90000',
        ...positionExtra,
      },
    ],
    market: { underlyings: { BTC: { price: '95000', vol: 0.6 } } },
    settings: { reminderLeadTimes: ['P1D', 'PT1H'] },
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.value
}

describe('review windows', () => {
  it('use the settings’ lead times by default', () => {
    const r = computeRiskReport(doc({}), { now: new Date('2026-11-26T09:00:00Z') })
    expect(r.reviewWindows[0]!.reminders).toEqual([
      { leadTime: 'P1D', at: '2026-11-26T08:00:00Z', due: true },
      { leadTime: 'PT1H', at: '2026-11-27T07:00:00Z', due: false },
    ])
  })

  it('use a position’s own lead times instead, longest first; none when it sets none', () => {
    const own = computeRiskReport(doc({ reminderLeadTimes: ['PT15M', 'P2D'] }), { now: new Date('2026-11-26T09:00:00Z') })
    expect(own.reviewWindows[0]!.reminders).toEqual([
      { leadTime: 'P2D', at: '2026-11-25T08:00:00Z', due: true },
      { leadTime: 'PT15M', at: '2026-11-27T07:45:00Z', due: false },
    ])
    const none = computeRiskReport(doc({ reminderLeadTimes: [] }), { now: new Date('2026-11-26T09:00:00Z') })
    expect(none.reviewWindows[0]!.reminders).toEqual([])
  })
})
