/**
 * Root finding for liquidation prices. Account equity minus maintenance margin is continuous but
 * not monotone in the price once options or coin-settled contracts are involved (a short straddle
 * has two liquidation prices; an inverse long with coin collateral loses twice as the price falls).
 * So: walk outward from the current price on a geometric grid until the sign changes, then refine
 * the bracket with Brent's method (inverse quadratic interpolation safeguarded by bisection).
 */

export type ScalarFn = (x: number) => number

/**
 * Brent's method on a bracket [a, b] with f(a), f(b) of opposite signs (or one of them zero).
 * Converges superlinearly on smooth functions and never worse than bisection; a jump in f (a tier
 * boundary without a maintenance amount) is located to tolerance like any sign change.
 */
export function brent(f: ScalarFn, a: number, b: number, fa: number, fb: number, relTol = 1e-12, maxIter = 200): number {
  if (fa === 0) return a
  if (fb === 0) return b
  if (fa * fb > 0) throw new RangeError('brent: the bracket does not change sign')
  let c = a
  let fc = fa
  let d = b - a
  let e = d
  for (let iter = 0; iter < maxIter; iter++) {
    if (fb * fc > 0) {
      c = a
      fc = fa
      d = b - a
      e = d
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b
      b = c
      c = a
      fa = fb
      fb = fc
      fc = fa
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * relTol * Math.abs(b)
    const m = 0.5 * (c - b)
    if (Math.abs(m) <= tol || fb === 0) return b
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number
      let q: number
      const s = fb / fa
      if (a === c) {
        p = 2 * m * s
        q = 1 - s
      } else {
        const qq = fa / fc
        const r = fb / fc
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1))
        q = (qq - 1) * (r - 1) * (s - 1)
      }
      if (p > 0) q = -q
      else p = -p
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d
        d = p / q
      } else {
        d = m
        e = d
      }
    } else {
      d = m
      e = d
    }
    a = b
    fa = fb
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol
    fb = f(b)
  }
  return b
}

export interface ScanOptions {
  /** First step in log-price (0.001 = 0.1 %). */
  firstStep?: number
  /** Growth of the step per grid point; small enough not to jump over two close crossings. */
  growth?: number
  /** Lowest price searched as a fraction of the start (the report's open interval starts at 0). */
  lowFraction?: number
  /** Highest price searched as a multiple of the start: (0, 100 x S) by the contract. */
  highMultiple?: number
}

export interface Crossings {
  /** Nearest price below the start where f changes sign, or null. */
  below: number | null
  /** Nearest price above the start where f changes sign, or null. */
  above: number | null
}

/**
 * The nearest sign changes of f on each side of `start`. The grid is geometric (steps of 0.1 %
 * growing by 8 % per point) so a move of a few percent is resolved finely while 100x is reached
 * in about a hundred evaluations.
 */
export function nearestCrossings(f: ScalarFn, start: number, options: ScanOptions = {}): Crossings {
  const firstStep = options.firstStep ?? 0.001
  const growth = options.growth ?? 1.08
  const low = start * (options.lowFraction ?? 1e-6)
  const high = start * (options.highMultiple ?? 100)
  const f0 = f(start)
  if (f0 === 0) return { below: start, above: start }
  const search = (direction: 1 | -1): number | null => {
    let x = start
    let fx = f0
    let step = firstStep
    const bound = direction === 1 ? high : low
    for (let i = 0; i < 10_000; i++) {
      let next = x * Math.exp(direction * step)
      if ((direction === 1 && next >= bound) || (direction === -1 && next <= bound)) next = bound
      const fNext = f(next)
      if (fNext === 0) return next
      if (Number.isFinite(fNext) && Number.isFinite(fx) && fx * fNext < 0) {
        return direction === 1 ? brent(f, x, next, fx, fNext) : brent(f, next, x, fNext, fx)
      }
      if (next === bound) return null
      x = next
      fx = fNext
      step *= growth
    }
    return null
  }
  return { below: search(-1), above: search(1) }
}
