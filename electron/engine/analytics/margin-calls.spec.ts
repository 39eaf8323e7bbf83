import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeDoc } from '../__fixtures__/build'
import { computeRiskReport } from '../report'
import type { PortfolioDocument } from '../../shared/portfolio-document'

/** A cross account at a chosen leverage on one or two perpetuals; margin ratio well above a low target. */
function stretched(usdt: number, btcQty: number, ethQty: number, target: number, venue = 'binance'): PortfolioDocument {
  return makeDoc({
    accounts: [
      { id: 'hot', venue, marginMode: 'cross', collateral: [{ asset: 'USDT', amount: String(usdt) }] },
      { id: 'spare', venue: 'bybit', marginMode: 'cross', collateral: [{ asset: 'USDT', amount: '1000000' }] },
    ],
    positions: [
      { id: 'btc', account: 'hot', instrument: { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }, quantity: String(btcQty), entryPrice: '93000' },
      ...(ethQty ? [{ id: 'eth', account: 'hot', instrument: { kind: 'perpetual', underlying: 'ETH', quote: 'USDT' }, quantity: String(ethQty), entryPrice: '3050' }] : []),
    ],
    market: { underlyings: { BTC: { price: '93000' }, ETH: { price: '3050' } } },
    settings: { marginRatioTarget: target },
  })
}

/** Applies a suggestion to the document the way a trader would. */
function follow(doc: PortfolioDocument, account: string, action: { kind: string; asset: string | null; amount: string; position: string | null; costUsd: number }): PortfolioDocument {
  if (action.kind === 'add-collateral') {
    return {
      ...doc,
      accounts: doc.accounts.map((a) =>
        a.id !== account ? a : { ...a, collateral: a.collateral.map((c) => (c.asset === action.asset ? { ...c, amount: (Number(c.amount) + Number(action.amount)).toFixed(2) } : c)) },
      ),
    }
  }
  // A cut trades at the mark (equity unchanged) and pays its taker fee from the USDT balance.
  return {
    ...doc,
    accounts: doc.accounts.map((a) => (a.id !== account ? a : { ...a, collateral: a.collateral.map((c) => (c.asset === 'USDT' ? { ...c, amount: (Number(c.amount) - action.costUsd).toFixed(8) } : c)) })),
    positions: doc.positions.map((p) => (p.id !== action.position ? p : { ...p, quantity: (Number(p.quantity) + Number(action.amount)).toFixed(6) })),
  }
}

describe('margin-call prevention', () => {
  it('law: adding the suggested collateral brings the margin ratio to the target (from below, within a cent)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 20000 }), fc.integer({ min: 5, max: 60 }), fc.integer({ min: -300, max: 300 }), fc.constantFrom(0.1, 0.2, 0.3), (usdt, btc10, eth, target) => {
        const doc = stretched(usdt, btc10 / 10, eth, target)
        const r = computeRiskReport(doc)
        const acc = r.accounts.find((a) => a.id === 'hot')!
        const plan = r.marginCalls.find((p) => p.account === 'hot')
        if (acc.marginRatio !== null && acc.marginRatio <= target) {
          expect(plan).toBeUndefined()
          return
        }
        const add = plan!.actions.find((a) => a.kind === 'add-collateral')!
        const after = computeRiskReport(follow(doc, 'hot', add)).accounts.find((a) => a.id === 'hot')!
        expect(after.marginRatio!).toBeLessThanOrEqual(target + 1e-12)
        // One cent less would miss it: the suggestion is the least that works.
        const mm = after.maintenanceMargin
        expect(mm / (after.equity - 0.011)).toBeGreaterThan(target)
        expect(add.marginRatioAfter).toBeCloseTo(after.marginRatio!, 8)
        expect(add.sources[0]).toMatchObject({ account: 'spare' })
      }),
      { numRuns: 40 },
    )
  })

  it('law: cutting the suggested quantity brings the margin ratio to the target, one lot less would not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1500, max: 6000 }), fc.integer({ min: 10, max: 40 }), fc.constantFrom(0.1, 0.15, 0.2), (usdt, btc10, target) => {
        const doc = stretched(usdt, btc10 / 10, 0, target)
        const r = computeRiskReport(doc)
        const plan = r.marginCalls.find((p) => p.account === 'hot')
        if (!plan) return
        const cut = plan.actions.find((a) => a.kind === 'cut-position' && a.position === 'btc')!
        // Whenever closing the whole position would do, the suggestion must reach the target.
        const closedAll = computeRiskReport({ ...doc, positions: doc.positions.filter((p) => p.id !== 'btc') }).accounts.find((a) => a.id === 'hot')!
        expect(cut.reachesTarget).toBe(closedAll.marginRatio === null || closedAll.marginRatio <= target - 1e-6 ? true : cut.reachesTarget)
        if (!cut.reachesTarget) return
        const after = computeRiskReport(follow(doc, 'hot', cut)).accounts.find((a) => a.id === 'hot')!
        expect(after.marginRatio!).toBeLessThanOrEqual(target + 1e-9)
        expect(cut.marginRatioAfter!).toBeLessThanOrEqual(target + 1e-9)
        const lot = Number(cut.lotStep)
        expect(lot).toBe(0.001)
        if (Math.abs(Number(cut.amount)) < lot) return
        const lessByOneLot = follow(doc, 'hot', { ...cut, amount: (Number(cut.amount) + lot).toFixed(3), costUsd: cut.costUsd * (1 - lot / Math.abs(Number(cut.amount))) })
        const worse = computeRiskReport(lessByOneLot).accounts.find((a) => a.id === 'hot')!
        expect(worse.marginRatio!).toBeGreaterThan(target - 1e-9)
      }),
      { numRuns: 25 },
    )
  })

  it('an account at the target or below gets no plan; an account beyond liquidation gets one', () => {
    const fine = computeRiskReport(stretched(1_000_000, 1, 0, 0.3))
    expect(fine.marginCalls).toEqual([])
    const broke = computeRiskReport(stretched(100, 1, 0, 0.3))
    expect(broke.accounts[0]!.status).toBe('liquidatable')
    expect(broke.marginCalls[0]!.actions.some((a) => a.kind === 'add-collateral' && a.reachesTarget)).toBe(true)
  })
})
