/**
 * `npm run bench` — runs every benchmark suite in sequence and prints one table per suite.
 * `npm run bench -- options` runs only the suites whose title or file contains "options".
 *
 * To add a suite: write bench/<name>.bench.ts with `export default` a BenchSuite (see harness.ts)
 * and add one line to SUITES below.
 */
import { readdirSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { formatSuite, runSuite, type BenchSuite } from './harness'

/** A suite that measures something the synchronous harness cannot (a browser, worker threads) and prints its own lines. */
export interface CustomSuite {
  title: string
  run: () => Promise<string>
}

const SUITES: Array<[file: string, load: () => Promise<{ default: BenchSuite | CustomSuite }>]> = [
  ['options.bench.ts', () => import('./options.bench')],
  ['book.bench.ts', () => import('./book.bench')],
  ['import.bench.ts', () => import('./import.bench')],
  ['table-scroll.bench.ts', () => import('./table-scroll.bench')],
  ['analytics.bench.ts', () => import('./analytics.bench')],
  // market data and history (issue 8)
  ['history.bench.ts', () => import('./history.bench')],
]

async function main(): Promise<void> {
  const filters = process.argv.slice(2).map((f) => f.toLowerCase())
  const listed = new Set(SUITES.map(([file]) => file))
  const present = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((f) =>
    f.endsWith('.bench.ts'),
  )
  for (const file of present) {
    if (!listed.has(file))
      console.warn(`note: bench/${file} is not listed in bench/index.ts SUITES, so it is not run`)
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(`Fulcrum benchmarks — Node ${process.version}, ${cpus().length} × ${cpu}`)
  console.log(
    'Medians of timed samples after warm-up; compare ratios, not absolute times, across machines.\n',
  )

  for (const [file, load] of SUITES) {
    const suite = (await load()).default
    const wanted =
      filters.length === 0 || filters.some((f) => file.includes(f) || suite.title.toLowerCase().includes(f))
    if (!wanted) continue
    if ('cases' in suite) console.log(formatSuite(runSuite(suite)))
    else console.log(`${suite.title}\n${await suite.run()}`)
    console.log('')
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
