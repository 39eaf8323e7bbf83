import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lttb, type Point } from './lttb'

const series = (ys: number[]): Point[] => ys.map((y, i) => [i, y] as const)

describe('lttb', () => {
  it('returns small series unchanged', () => {
    const s = series([3, 1, 4])
    expect(lttb(s, 10)).toEqual(s)
  })

  it('keeps a lone spike and trough that a stride would miss', () => {
    const ys = Array.from({ length: 10_000 }, () => 100)
    ys[4321] = 250
    ys[7777] = 10
    const out = lttb(series(ys), 200)
    expect(out).toHaveLength(200)
    expect(out).toContainEqual([4321, 250])
    expect(out).toContainEqual([7777, 10])
    // A stride of 50 over the same series sees neither.
    const strided = series(ys).filter((_, i) => i % 50 === 0)
    expect(strided.some((p) => p[1] !== 100)).toBe(false)
  })

  it('matches the reference algorithm on a worked example', () => {
    // Hand-checked, every = 5/3: bucket 1 = [x1], bucket 2 = [x2, x3], bucket 3 = [x4, x5].
    // Bucket 2 against (1,5) and the mean of bucket 3, (4.5, 4.5): area(x2) = |(1−4.5)(1−5) − (1−2)(4.5−5)| = 13.5,
    // area(x3) = |(1−4.5)(1−5) − (1−3)(4.5−5)| = 13 → x2. Bucket 3 against (2,1) and the last point (6,0):
    // area(x4) = |(2−6)(9−1) − (2−4)(0−1)| = 34, area(x5) = |(2−6)(0−1) − (2−5)(0−1)| = 1 → x4.
    const pts = series([0, 5, 1, 1, 9, 0, 0])
    expect(lttb(pts, 5)).toEqual([
      [0, 0],
      [1, 5],
      [2, 1],
      [4, 9],
      [6, 0],
    ])
  })

  it('picks an ordered subset of the requested size that keeps both ends', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 400 }), fc.integer({ min: 3, max: 500 }), (ys, k) => {
        const pts = series(ys)
        const out = lttb(pts, k)
        expect(out.length).toBe(Math.min(k, pts.length))
        expect(out[0]).toBe(pts[0])
        expect(out.at(-1)).toBe(pts.at(-1))
        for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBeGreaterThan(out[i - 1]![0])
        for (const p of out) expect(pts).toContain(p)
      }),
    )
  })
})
