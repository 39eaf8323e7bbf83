import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../shared/decimal'
import type { Instrument } from '../shared/portfolio-document'
import { derivePosition, instrumentIdentity, type DerivationEntry } from './derive-positions'

const perp: Instrument = { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT', contractSize: '1' }
const inversePerp: Instrument = { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '100' }

const fill = (quantity: string, price: string, time = '2026-11-20T00:00:00Z', fee?: string): DerivationEntry => ({
  kind: 'trade', time, quantity, price, ...(fee ? { fee, feeAsset: 'USDT' } : {}),
})

describe('derivePosition, worked examples', () => {
  it('averages the entry of a linear position and realizes PnL on the part closed', () => {
    // 2 @ 100 and 1 @ 130 average to 110; selling 2 @ 120 realizes 2 × (120 − 110) = 20, 1 @ 110 remains.
    const p = derivePosition(perp, [fill('2', '100', 't1', '0.1'), fill('1', '130', 't2', '0.05'), fill('-2', '120', 't3', '0.12')])
    expect(p).toMatchObject({
      quantity: '1', entryPrice: '110', realizedPnl: { USDT: '20' }, pnlSource: 'computed',
      feesPaid: { USDT: '0.27' }, fills: 3, openedAt: 't1', lastPrice: '120', closedAt: null,
    })
  })

  it('averages inverse contracts harmonically (coin value is size / price)', () => {
    // 100 contracts @ 50,000 and 100 @ 40,000: 200 / (100/50,000 + 100/40,000) = 44,444.44…
    const p = derivePosition(inversePerp, [fill('100', '50000'), fill('100', '40000')])
    expect(p.entryPrice).toBe('44444.44444444444')
    // Closing all at 60,000: 100 USD × 200 × (1/44,444.44… − 1/60,000) = 0.45 − 0.3333… = 0.11666… BTC.
    const closed = derivePosition(inversePerp, [fill('100', '50000'), fill('100', '40000'), fill('-200', '60000')])
    expect(new Decimal(closed.realizedPnl.BTC!).toDecimalPlaces(12).toString()).toBe('0.116666666667')
    expect(closed).toMatchObject({ quantity: '0', entryPrice: null, openedAt: null })
  })

  it('opens the remainder at the fill price when a fill goes through zero', () => {
    const p = derivePosition(perp, [fill('1', '100', 't1'), fill('-3', '90', 't2')])
    expect(p).toMatchObject({ quantity: '-2', entryPrice: '90', realizedPnl: { USDT: '-10' }, openedAt: 't2' })
  })

  it('prefers what the venue booked, and a delivery closes what is left', () => {
    const p = derivePosition(perp, [
      fill('1', '100', 't1'),
      { kind: 'realized_pnl', time: 't2', amount: '7.5', asset: 'USDT' },
      { kind: 'funding', time: 't3', amount: '-0.25', asset: 'USDT' },
      { kind: 'funding', time: 't4', amount: '0.05', asset: 'USDT' },
      { kind: 'settlement', time: 't5', subtype: 'delivery', price: '105', amount: '5', asset: 'USDT' },
    ])
    expect(p).toMatchObject({
      quantity: '0', pnlSource: 'venue', realizedPnl: { USDT: '12.5' }, fundingPaid: { USDT: '0.2' }, closedAt: 't5', lastPrice: '105',
    })
  })
})

const fillsArb = fc.array(
  fc.record({
    q: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0),
    p: fc.integer({ min: 1, max: 2000 }),
  }),
  { minLength: 1, maxLength: 30 },
)

describe('derivePosition, laws', () => {
  it('linear: realized + unrealized at any mark equals the cash identity Σ −qᵢpᵢ + q × mark', () => {
    fc.assert(
      fc.property(fillsArb, fc.integer({ min: 1, max: 3000 }), (fills, mark) => {
        const p = derivePosition({ ...perp, contractSize: '0.5' }, fills.map((f) => fill(String(f.q), String(f.p))))
        const q = fills.reduce((s, f) => s + f.q, 0)
        expect(p.quantity).toBe(String(q))
        const cash = fills.reduce((s, f) => s.minus(new Decimal(f.q).times(f.p)), new Decimal(0)).plus(new Decimal(q).times(mark)).times('0.5')
        const realized = new Decimal(p.realizedPnl.USDT ?? '0')
        const unrealized = q === 0 ? new Decimal(0) : new Decimal(q).times('0.5').times(new Decimal(mark).minus(p.entryPrice!))
        expect(realized.plus(unrealized).minus(cash).abs().lte('1e-9')).toBe(true)
      }),
    )
  })

  it('inverse: realized + unrealized (coin) equals size × (Σ qᵢ/pᵢ − q/mark)', () => {
    fc.assert(
      fc.property(fillsArb, fc.integer({ min: 1, max: 3000 }), (fills, mark) => {
        const p = derivePosition(inversePerp, fills.map((f) => fill(String(f.q), String(f.p))))
        const q = fills.reduce((s, f) => s + f.q, 0)
        const identity = fills.reduce((s, f) => s.plus(new Decimal(f.q).div(f.p)), new Decimal(0)).minus(new Decimal(q).div(mark)).times(100)
        const realized = new Decimal(p.realizedPnl.BTC ?? '0')
        const unrealized =
          q === 0 ? new Decimal(0) : new Decimal(q).times(100).times(new Decimal(1).div(p.entryPrice!).minus(new Decimal(1).div(mark)))
        // The entry price is rounded to 16 significant digits, hence the tolerance.
        expect(realized.plus(unrealized).minus(identity).abs().lte('1e-9')).toBe(true)
      }),
    )
  })

  it('splitting a fill in two at the same price changes nothing', () => {
    fc.assert(
      fc.property(fillsArb, fc.nat(), (fills, at) => {
        const i = at % fills.length
        const f = fills[i]!
        if (Math.abs(f.q) < 2) return
        const half = Math.trunc(f.q / 2)
        const split = [...fills.slice(0, i), { q: half, p: f.p }, { q: f.q - half, p: f.p }, ...fills.slice(i + 1)]
        const a = derivePosition(perp, fills.map((x) => fill(String(x.q), String(x.p))))
        const b = derivePosition(perp, split.map((x) => fill(String(x.q), String(x.p))))
        expect(b.quantity).toBe(a.quantity)
        expect(b.entryPrice).toBe(a.entryPrice)
        expect(new Decimal(b.realizedPnl.USDT ?? '0').minus(a.realizedPnl.USDT ?? '0').abs().lte('1e-20')).toBe(true)
      }),
    )
  })
})

describe('instrumentIdentity', () => {
  it('ignores symbol and contract size, not expiry or strike', () => {
    expect(instrumentIdentity({ ...perp, symbol: 'BTCUSDT' })).toBe(instrumentIdentity({ ...perp, contractSize: '0.01' }))
    const opt: Instrument = { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', expiry: '2026-12-27T08:00:00Z', optionType: 'call', strike: '70000' }
    expect(instrumentIdentity(opt)).not.toBe(instrumentIdentity({ ...opt, strike: '75000' }))
  })
})
