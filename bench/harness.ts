/**
 * A tiny benchmark harness: warm-up, several timed samples with process.hrtime.bigint(), the
 * median, and ratios against a baseline case timed in the same process (machines differ by ±25 %
 * run to run; a ratio within one process is what carries over).
 *
 * Benchmarks are not tests: nothing here asserts a speed. A suite may verify once, before timing,
 * that its cases compute the same thing, because timing code that is wrong proves nothing.
 */

export interface BenchCase {
  name: string
  /** Work items one call of run() processes (positions, paths, rows), for time per item. */
  itemsPerRun: number
  /** Returns something derived from the work, so the JIT cannot drop the work as dead code. */
  run: () => number
}

export interface BenchSuite {
  title: string
  /** What one item is, for the table header: "position", "path", "row". */
  item: string
  cases: BenchCase[]
  /** The case every other is compared with; its ratio is 1. */
  baseline?: string
  /** Runs once before timing; throws when the cases disagree. */
  verify?: () => void
  /** A line printed under the table, given the measurements: the target met or not, the caveats. */
  note?: (rows: readonly Measurement[]) => string
  /** Overrides of the harness options, e.g. fewer samples for cases that take seconds each. */
  options?: Partial<HarnessOptions>
}

export interface HarnessOptions {
  /** Untimed time spent calling run() first, so the JIT has optimised it. */
  warmupMs: number
  /** Timed samples; the median is reported. */
  samples: number
  /** A sample repeats run() until it lasts at least this long, so the clock's resolution is moot. */
  minSampleMs: number
}

export const DEFAULT_OPTIONS: HarnessOptions = { warmupMs: 300, samples: 9, minSampleMs: 40 }

export interface Measurement {
  name: string
  /** Median nanoseconds per item over the samples. */
  nsPerItem: number
  /** Fastest and slowest sample, ns per item: the spread says how much to trust the median. */
  minNsPerItem: number
  maxNsPerItem: number
  samples: number
  /** Baseline ns per item ÷ this case's: how many times faster than the baseline (1 for the baseline). */
  speedupVsBaseline: number | null
}

export interface SuiteResult {
  title: string
  item: string
  baseline: string | null
  rows: Measurement[]
  note: string | null
}

/** Keeps results observable. Exported so a suite's results cannot be proven unused. */
export let sink = 0

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start)
}

export function measure(benchCase: BenchCase, options: HarnessOptions = DEFAULT_OPTIONS): Measurement {
  // Warm-up: also tells how long one run takes, to size the samples.
  const warmupStart = process.hrtime.bigint()
  let warmupRuns = 0
  do {
    sink += benchCase.run()
    warmupRuns++
  } while (elapsedNs(warmupStart) < options.warmupMs * 1e6 || warmupRuns < 2)
  const nsPerRun = elapsedNs(warmupStart) / warmupRuns
  const runsPerSample = Math.max(1, Math.ceil((options.minSampleMs * 1e6) / nsPerRun))

  const perItem: number[] = []
  for (let s = 0; s < options.samples; s++) {
    const start = process.hrtime.bigint()
    for (let r = 0; r < runsPerSample; r++) sink += benchCase.run()
    perItem.push(elapsedNs(start) / (runsPerSample * benchCase.itemsPerRun))
  }
  return {
    name: benchCase.name,
    nsPerItem: median(perItem),
    minNsPerItem: Math.min(...perItem),
    maxNsPerItem: Math.max(...perItem),
    samples: perItem.length,
    speedupVsBaseline: null,
  }
}

export function runSuite(suite: BenchSuite, options: HarnessOptions = DEFAULT_OPTIONS): SuiteResult {
  suite.verify?.()
  const opts: HarnessOptions = { ...options, ...suite.options }
  const rows = suite.cases.map((c) => measure(c, opts))
  const baseline = suite.baseline === undefined ? undefined : rows.find((r) => r.name === suite.baseline)
  if (suite.baseline !== undefined && baseline === undefined) {
    throw new Error(`bench "${suite.title}": baseline "${suite.baseline}" is not one of its cases`)
  }
  if (baseline) for (const row of rows) row.speedupVsBaseline = baseline.nsPerItem / row.nsPerItem
  return {
    title: suite.title,
    item: suite.item,
    baseline: baseline?.name ?? null,
    rows,
    note: suite.note?.(rows) ?? null,
  }
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(1)} ns`
}

function formatRate(nsPerItem: number): string {
  const perSecond = 1e9 / nsPerItem
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`
  return `${perSecond.toFixed(1)} /s`
}

function formatSpeedup(row: Measurement, baseline: string | null): string {
  if (row.speedupVsBaseline === null) return ''
  if (row.name === baseline) return 'baseline'
  const x = row.speedupVsBaseline
  const figure = x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2)
  return x >= 1 ? `${figure}× faster` : `${(1 / x).toFixed(2)}× slower`
}

/** A plain-text table, one per suite. */
export function formatSuite(result: SuiteResult): string {
  const header = [
    'case',
    `per ${result.item}`,
    'min … max',
    'throughput',
    result.baseline ? 'vs baseline' : '',
  ]
  const body = result.rows.map((r) => [
    r.name,
    formatNs(r.nsPerItem),
    `${formatNs(r.minNsPerItem)} … ${formatNs(r.maxNsPerItem)}`,
    formatRate(r.nsPerItem),
    formatSpeedup(r, result.baseline),
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)))
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd()
  const out = [
    `## ${result.title}`,
    line(header),
    widths
      .map((w) => '-'.repeat(w))
      .join('  ')
      .trimEnd(),
  ]
  for (const row of body) out.push(line(row))
  if (result.note) out.push('', result.note)
  return out.join('\n')
}
