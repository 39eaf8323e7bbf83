import { describe, expect, it } from 'vitest'
import { demoDocument } from '../demo'
import { appSettingsSchema } from '../../shared/api-contract'
import { computeRiskReport } from '../../engine'
import { demoSnapshots } from './demo-snapshots'

const NOW = new Date('2026-11-24T09:30:00Z')
const doc = { ...demoDocument(NOW), settings: appSettingsSchema.parse({}) }

describe('the demo risk history', () => {
  const rows = demoSnapshots({ document: doc })

  it('is dated at the history days: weekly, then daily for the last month, all generated', () => {
    expect(rows.every((r) => r.reason === 'demo' && r.revision === 0)).toBe(true)
    const days = rows.map((r) => r.at.slice(0, 10))
    expect(days.at(-1)).toBe('2026-11-23')
    expect(days.slice(-30)).toEqual(Array.from({ length: 30 }, (_, i) => new Date(Date.parse('2026-10-25T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10)))
    const weekly = rows.slice(0, -30).map((r) => r.atMs)
    for (let i = 1; i < weekly.length; i++) expect(weekly[i]! - weekly[i - 1]!).toBe(7 * 86_400_000)
    expect(rows.every((r) => r.at.endsWith('T00:00:00Z'))).toBe(true)
  })

  it('values the book at that day’s closes: the last day matches a report priced by hand', () => {
    const last = rows.at(-1)!
    const close = (u: string) => doc.market.underlyings[u]!.history!.find(([d]) => d === '2026-11-23')![1]
    const asOf = '2026-11-23T00:00:00Z'
    const underlyings = Object.fromEntries(Object.entries(doc.market.underlyings).map(([u, m]) => [u, { price: close(u), vol: m.vol }]))
    // Delta-one marks keep their ratio to the index; options go to the model.
    const instruments = Object.fromEntries(
      Object.entries(doc.market.instruments).map(([id, m]) => {
        const p = doc.positions.find((x) => x.id === id)!
        if (p.instrument.kind === 'option') return [id, { ...m, mark: undefined }]
        const u = p.instrument.underlying
        return [id, { ...m, mark: String(Number(((Number(m.mark) * Number(close(u))) / Number(doc.market.underlyings[u]!.price)).toFixed(8))) }]
      }),
    )
    const report = computeRiskReport({ ...doc, asOf, market: { ...doc.market, underlyings, instruments } }, { now: new Date(asOf) })
    expect(last.equity).toBeCloseTo(report.portfolio.equity, 4)
    expect(last.leverage).toBeCloseTo(report.portfolio.leverage!, 8)
    expect(last.venues.deribit!.marginRatio).toBeCloseTo(report.venues.find((v) => v.venue === 'deribit')!.worstAccountMarginRatio!, 8)
    expect(last.stale).toBe(false)
  })
})
