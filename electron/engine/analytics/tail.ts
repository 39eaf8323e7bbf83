/**
 * Tail statistics as portfolio-format.md defines them: with n scenarios and k = ceil(n × (1 − c)),
 * VaR is the k-th largest loss and ES the mean of the k largest.
 *
 * A top-k keeper (a min-heap of the k largest losses) lets each worker thread keep only its tail;
 * merging the tails of all chunks and taking the k largest gives exactly the figures of one sort
 * over every scenario.
 */

/**
 * k = ceil(n × (1 − confidence)), at least 1. The confidence is a decimal the user typed (0.99) whose
 * float is not exact: 400 × (1 − 0.99) is 4.0000000000000036 in doubles, and a bare ceil would give
 * 5 where the definition means 4. A tolerance far below one scenario removes that artefact.
 */
export function tailCount(n: number, confidence: number): number {
  return Math.max(1, Math.ceil(n * (1 - confidence) - 1e-9))
}

/** Keeps the k largest values pushed, in a min-heap. */
export class TopK {
  readonly heap: Float64Array
  size = 0
  constructor(readonly k: number) {
    this.heap = new Float64Array(k)
  }

  push(x: number): void {
    const h = this.heap
    if (this.size < this.k) {
      let i = this.size++
      while (i > 0) {
        const p = (i - 1) >> 1
        if (h[p]! <= x) break
        h[i] = h[p]!
        i = p
      }
      h[i] = x
      return
    }
    if (!(x > h[0]!)) return
    let i = 0
    const n = this.size
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && h[r]! < h[l]! ? r : l
      if (h[c]! >= x) break
      h[i] = h[c]!
      i = c
    }
    h[i] = x
  }

  /** The kept values, largest first. */
  sortedDescending(): Float64Array {
    return Float64Array.from(this.heap.subarray(0, this.size)).sort().reverse()
  }
}

export interface TailFigures {
  var: number
  es: number
}

/**
 * VaR and ES from the k largest losses of possibly several chunks (each sorted or not). Summed in
 * descending order, so the result does not depend on how the scenarios were split.
 */
export function tailFromLargest(parts: readonly Float64Array[], k: number): TailFigures | null {
  let total = 0
  for (const p of parts) total += p.length
  if (total < k || k < 1) return null
  const all = new Float64Array(total)
  let o = 0
  for (const p of parts) {
    all.set(p, o)
    o += p.length
  }
  all.sort().reverse()
  let sum = 0
  for (let i = 0; i < k; i++) sum += all[i]!
  return { var: all[k - 1]!, es: sum / k }
}
