/**
 * Largest-Triangle-Three-Buckets downsampling (Sveinn Steinarsson, "Downsampling Time Series for
 * Visual Representation", 2013): keeps the first and last point and, from each of `threshold − 2`
 * equal buckets in between, the point forming the largest triangle with the point kept before it and
 * the average of the next bucket. Peaks and troughs survive, which a plain stride would drop; a
 * chart of a million snapshots and of its 2,000 chosen points look alike.
 *
 * Points must be sorted by x. Returns the input itself when it is already small enough.
 */
export type Point = readonly [number, number]

export function lttb<P extends Point>(points: readonly P[], threshold: number): P[] {
  const n = points.length
  if (threshold >= n || threshold <= 2) return threshold <= 2 && n > 2 ? [points[0]!, points[n - 1]!] : [...points]
  const out: P[] = [points[0]!]
  const every = (n - 2) / (threshold - 2)
  let a = 0
  for (let i = 0; i < threshold - 2; i++) {
    // The next bucket's average is the triangle's third corner.
    const nextStart = Math.floor((i + 1) * every) + 1
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n)
    let avgX = 0
    let avgY = 0
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += points[j]![0]
      avgY += points[j]![1]
    }
    const len = nextEnd - nextStart
    avgX /= len
    avgY /= len

    const start = Math.floor(i * every) + 1
    const end = Math.floor((i + 1) * every) + 1
    const ax = points[a]![0]
    const ay = points[a]![1]
    let maxArea = -1
    let chosen = start
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (points[j]![1] - ay) - (ax - points[j]![0]) * (avgY - ay))
      if (area > maxArea) {
        maxArea = area
        chosen = j
      }
    }
    out.push(points[chosen]!)
    a = chosen
  }
  out.push(points[n - 1]!)
  return out
}
