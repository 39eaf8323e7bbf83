import { describe, expect, it } from 'vitest'
import { brent, nearestCrossings } from './root'

describe('brent', () => {
  it('finds roots of smooth functions to the tolerance', () => {
    expect(brent((x) => x * x - 2, 0, 2, -2, 2)).toBeCloseTo(Math.SQRT2, 12)
    expect(brent((x) => Math.cos(x) - x, 0, 1, 1, Math.cos(1) - 1)).toBeCloseTo(0.7390851332151607, 12)
  })
  it('locates a jump (a tier boundary without a maintenance amount) like a sign change', () => {
    const f = (x: number) => (x < 3.25 ? 1 : -1)
    expect(brent(f, 0, 10, 1, -1)).toBeCloseTo(3.25, 9)
  })
  it('refuses a bracket without a sign change', () => {
    expect(() => brent((x) => x * x + 1, -1, 1, 2, 2)).toThrow(RangeError)
  })
})

describe('nearestCrossings', () => {
  it('finds the nearest sign change on each side, not a farther one', () => {
    // Roots at 50, 80, 120 and 200 around a start of 100: the nearest are 80 and 120.
    const f = (x: number) => -(x - 50) * (x - 80) * (x - 120) * (x - 200)
    const c = nearestCrossings(f, 100)
    expect(c.below).toBeCloseTo(80, 8)
    expect(c.above).toBeCloseTo(120, 8)
  })
  it('reports null on a side without a crossing inside (0, 100 × start)', () => {
    const c = nearestCrossings((x) => x - 50, 100)
    expect(c.below).toBeCloseTo(50, 9)
    expect(c.above).toBeNull()
    expect(nearestCrossings((x) => 20_000 - x, 100).above).toBeNull() // 200 × start is outside
  })
})
