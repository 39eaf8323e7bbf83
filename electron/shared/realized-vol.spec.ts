import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { realizedVolatility } from './realized-vol'

const day = (i: number): string => new Date(Date.parse('2026-01-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10)

// A seeded walk, written as the decimal strings the store holds.
let seed = 7
const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647)
const closes: Array<[string, string]> = []
let p = 65000
for (let i = 0; i < 120; i++) {
  p *= Math.exp(0.03 * (rand() - 0.5) * 3.4)
  closes.push([day(i), p.toFixed(2)])
}

describe('realized volatility', () => {
  it('matches numpy: sample std (ddof=1) of daily log returns × √365', () => {
    const r = realizedVolatility(closes, 90)!
    const ref = execFileSync('/usr/bin/python3', [
      '-c',
      'import json,sys,numpy as np; c=np.array([float(x[1]) for x in json.load(sys.stdin)][-91:]); print(repr(float(np.std(np.diff(np.log(c)), ddof=1)*np.sqrt(365))))',
    ], { input: JSON.stringify(closes) }).toString()
    expect(r.returns).toBe(90)
    expect(r.from).toBe(day(29))
    expect(r.to).toBe(day(119))
    expect(r.vol).toBeCloseTo(Number(ref), 12)
  })

  it('leaves out returns across a gap instead of treating it as one day', () => {
    const gapped = closes.filter((_, i) => i !== 100)
    const r = realizedVolatility(gapped, 30)!
    // 30 returns requested over 31 closes; the pair across the missing day does not count.
    expect(r.returns).toBe(29)
    const ref = execFileSync('/usr/bin/python3', [
      '-c',
      [
        'import json,sys,numpy as np,datetime as dt',
        'c=json.load(sys.stdin)[-31:]',
        'd=[dt.date.fromisoformat(x[0]) for x in c]; v=[float(x[1]) for x in c]',
        'r=[np.log(v[i]/v[i-1]) for i in range(1,len(c)) if (d[i]-d[i-1]).days==1]',
        'print(repr(float(np.std(r,ddof=1)*np.sqrt(365))))',
      ].join('\n'),
    ], { input: JSON.stringify(gapped) }).toString()
    expect(r.vol).toBeCloseTo(Number(ref), 12)
  })

  it('says nothing with too few returns', () => {
    expect(realizedVolatility(closes.slice(0, 5), 30)).toBeNull()
  })
})
