/** Small dense linear algebra for factor covariances (a handful to a few dozen factors). Row-major. */

/** Sample covariance (divisor n − 1, means removed) of an n × f row-major matrix. */
export function sampleCovariance(rows: Float64Array, n: number, f: number): Float64Array {
  const cov = new Float64Array(f * f)
  if (n < 2) return cov.fill(NaN)
  const mean = new Float64Array(f)
  for (let t = 0; t < n; t++) for (let j = 0; j < f; j++) mean[j]! += rows[t * f + j]!
  for (let j = 0; j < f; j++) mean[j]! /= n
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < f; i++) {
      const di = rows[t * f + i]! - mean[i]!
      for (let j = i; j < f; j++) cov[i * f + j]! += di * (rows[t * f + j]! - mean[j]!)
    }
  }
  for (let i = 0; i < f; i++) {
    for (let j = i; j < f; j++) {
      const v = cov[i * f + j]! / (n - 1)
      cov[i * f + j] = v
      cov[j * f + i] = v
    }
  }
  return cov
}

/** xᵀ A y for a square f × f matrix A. */
export function bilinear(x: ArrayLike<number>, a: Float64Array, y: ArrayLike<number>, f: number): number {
  let s = 0
  for (let i = 0; i < f; i++) {
    const xi = x[i]!
    if (xi === 0) continue
    let row = 0
    for (let j = 0; j < f; j++) row += a[i * f + j]! * y[j]!
    s += xi * row
  }
  return s
}

/**
 * Lower-triangular L with L·Lᵀ = A for a symmetric positive SEMI-definite A. A sample covariance is
 * singular when factors move in lockstep or history is shorter than the factor count; a pivot that
 * vanishes (relative to its diagonal) zeroes its column instead of failing, which still reproduces
 * A exactly on its range, so simulated returns keep the sample's covariance.
 */
export function choleskyPsd(a: Float64Array, f: number): Float64Array {
  const l = new Float64Array(f * f)
  for (let j = 0; j < f; j++) {
    let d = a[j * f + j]!
    for (let k = 0; k < j; k++) d -= l[j * f + k]! * l[j * f + k]!
    const tol = 1e-12 * Math.max(a[j * f + j]!, 0)
    if (!(d > tol)) continue
    const ljj = Math.sqrt(d)
    l[j * f + j] = ljj
    for (let i = j + 1; i < f; i++) {
      let s = a[i * f + j]!
      for (let k = 0; k < j; k++) s -= l[i * f + k]! * l[j * f + k]!
      l[i * f + j] = s / ljj
    }
  }
  return l
}
