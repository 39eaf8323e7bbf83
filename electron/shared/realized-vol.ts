/**
 * Realized volatility of daily closes: the sample standard deviation (n − 1) of daily log returns,
 * annualised with √365 (crypto trades every day, as the VaR and the year fraction T count days).
 * Only consecutive calendar days make a return: a gap is not one long day, so returns across it are
 * left out rather than diluted.
 *
 * Float64 model maths: the closes (exact decimal strings) become numbers here, at this one seam.
 */
import { dayNumber } from './calendar-days'

export interface RealizedVol {
  /** Annualised, as a fraction (0.55 = 55 %). */
  vol: number
  /** Daily returns it rests on. */
  returns: number
  from: string
  to: string
}

export function realizedVolatility(points: ReadonlyArray<readonly [string, string]>, windowDays: number, minReturns = 10): RealizedVol | null {
  const tail = points.slice(-(windowDays + 1))
  const returns: number[] = []
  for (let i = 1; i < tail.length; i++) {
    const [d0, c0] = tail[i - 1]!
    const [d1, c1] = tail[i]!
    if (dayNumber(d1) - dayNumber(d0) !== 1) continue
    const p0 = Number(c0)
    const p1 = Number(c1)
    if (p0 > 0 && p1 > 0) returns.push(Math.log(p1 / p0))
  }
  if (returns.length < minReturns) return null
  const mean = returns.reduce((a, r) => a + r, 0) / returns.length
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1)
  return { vol: Math.sqrt(variance * 365), returns: returns.length, from: tail[0]![0], to: tail.at(-1)![0] }
}
