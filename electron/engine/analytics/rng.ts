/**
 * Seeded normal draws for Monte Carlo. Every path gets its own generator, seeded from (seed, path
 * index), so a path's draws do not depend on how the paths are split across worker threads: the
 * same seed gives the same figures on one thread or on four.
 *
 * xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), seeded through
 * splitmix32; normals by the Box–Muller transform on (0, 1] uniforms.
 */

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  let z = x
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

export class PathNormals {
  private s0 = 0
  private s1 = 0
  private s2 = 0
  private s3 = 0
  private spare = NaN

  /** Re-seeds for path `path` of a run seeded with `seed`. */
  reset(seed: number, path: number): void {
    let x = splitmix32(seed ^ Math.imul(path + 1, 0x27d4eb2d))
    this.s0 = x
    x = splitmix32(x ^ path)
    this.s1 = x
    x = splitmix32(x + 0x632be5ab)
    this.s2 = x
    x = splitmix32(x ^ 0x5bd1e995)
    this.s3 = x
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
    this.spare = NaN
  }

  /** Uniform in (0, 1]. */
  private uniform(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return (result + 1) / 4294967296
  }

  normal(): number {
    const spare = this.spare
    if (spare === spare) {
      this.spare = NaN
      return spare
    }
    const u1 = this.uniform()
    const u2 = this.uniform()
    const r = Math.sqrt(-2 * Math.log(u1))
    const theta = 2 * Math.PI * u2
    this.spare = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
