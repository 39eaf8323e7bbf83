import { describe, expect, it } from 'vitest'
import { appSettingsSchema } from '../../shared/api-contract'
import { analyticsSettingsSchema } from '../../shared/analytics-settings'
import { makeDoc } from '../__fixtures__/build'
import { prepareBook } from '../book'
import { computeRiskReport } from '../report'
import { RiskInputError } from '../errors'
import { linearBook, optionBook } from './__fixtures__/books'
import { runStress, STRESS_LIBRARY } from './stress'

describe('stress scenarios', () => {
  it('P&L per position sums to the book P&L net of collateral, accounts sum to venues and total', () => {
    const doc = optionBook(2)
    const book = prepareBook(doc)
    for (const s of STRESS_LIBRARY) {
      const r = runStress(doc, book, s)
      const accounts = r.accounts.reduce((x, a) => x + a.pnlUsd, 0)
      expect(accounts).toBeCloseTo(r.pnlUsd, 2)
      expect(r.venues.reduce((x, v) => x + v.pnlUsd, 0)).toBeCloseTo(r.pnlUsd, 2)
      for (const a of r.accounts) expect(a.equityAfterUsd - a.equityBeforeUsd).toBeCloseTo(a.pnlUsd, 2)
    }
  })

  it('a −20 % move on a linear book: each perpetual loses 20 % of its notional at the mark, coin collateral 20 % less its haircut', () => {
    const doc = makeDoc({
      accounts: [{ id: 'a', venue: 'binance', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '10000' }, { asset: 'BTC', amount: '0.5', haircut: 0.05 }] }],
      positions: [{ id: 'p', account: 'a', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: '0.5', entryPrice: '60000' }],
      market: { underlyings: { BTC: { price: '65000' } }, instruments: { p: { mark: '65010' } } },
    })
    const r = runStress(doc, prepareBook(doc), { ...STRESS_LIBRARY.find((s) => s.id === 'crash-20')! })
    expect(r.positions[0]!.pnlUsd).toBeCloseTo(-0.2 * 0.5 * 65010, 6)
    expect(r.pnlUsd).toBeCloseTo(-0.2 * 0.5 * 65010 - 0.2 * 0.5 * 65000 * 0.95, 6)
    expect(r.pricesAfter['BTC']).toBeCloseTo(52000, 6)
    expect(r.accounts[0]!.marginRatioAfter!).toBeGreaterThan(r.accounts[0]!.marginRatioBefore!)
  })

  it('the report runs the library, the trader\'s own scenarios and the worst day of the history', () => {
    const doc = linearBook(4, 200, { stressScenarios: [{ id: 'mine', name: 'ETH −40 %', priceMoves: { ETH: -0.4 }, volShift: { '*': 0.2 }, daysForward: 3 }] })
    const r = computeRiskReport(doc)
    const ids = r.stress.map((s) => s.id)
    expect(ids.slice(0, STRESS_LIBRARY.length)).toEqual(STRESS_LIBRARY.map((s) => s.id))
    expect(ids).toContain('mine')
    expect(ids.some((id) => id.startsWith('history-'))).toBe(true)
    const mine = r.stress.find((s) => s.id === 'mine')!
    expect(mine.priceMoves).toMatchObject({ ETH: -0.4, BTC: 0, SOL: 0 })
    expect(mine.source).toBe('user')
  })

  it('a bad analytics setting in a document is an input error naming its path', () => {
    const doc = linearBook(4, 50, { stressScenarios: [{ id: 'x', name: 'x', priceMoves: { BTC: -2 } }] })
    expect(() => computeRiskReport(doc)).toThrow(RiskInputError)
    try {
      computeRiskReport(doc)
    } catch (e) {
      expect((e as RiskInputError).issues[0]!.path).toBe('settings.stressScenarios[0].priceMoves.BTC')
    }
  })

  it('the app settings carry the analytics settings with the same defaults', () => {
    const app = appSettingsSchema.parse({})
    const mine = analyticsSettingsSchema.parse({})
    for (const [k, v] of Object.entries(mine)) expect((app as Record<string, unknown>)[k]).toEqual(v)
  })
})
