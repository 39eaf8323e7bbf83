/**
 * The positions table under scrolling: 10,000 positions against a 100-position baseline, in the real
 * renderer (browser mode served in-process, Debian's Chromium). Frames are timed in the page with
 * requestAnimationFrame while the table scrolls a fixed distance per frame; a frame that takes more
 * than 1.5 × 16.7 ms counts as dropped work. Reported as frame-time percentiles and as the ratio of
 * the 10,000-row p95 to the baseline's — virtualisation should keep that ratio near 1.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { startBackend } from '../electron/services/backend'
import { startBrowserServer } from '../electron/transports/http-server'
import { ensureRendererBuilt } from '../electron/cli/renderer-build'
import type { PortfolioDocumentInput } from '../electron/shared/portfolio-document'
import type { CustomSuite } from './index'

function book(positions: number): PortfolioDocumentInput {
  const accounts = Math.max(1, Math.ceil(positions / 100))
  const unders = ['BTC', 'ETH', 'SOL'] as const
  const px = { BTC: 93000, ETH: 3050, SOL: 138 }
  return {
    format: 'fulcrum.portfolio/1',
    asOf: '2026-11-24T08:00:00Z',
    accounts: Array.from({ length: accounts }, (_, a) => ({
      id: `acc-${a}`,
      venue: (['binance', 'bybit', 'okx'] as const)[a % 3]!,
      marginMode: 'cross' as const,
      collateral: [{ asset: 'USDT', amount: '2000000' }],
    })),
    positions: Array.from({ length: positions }, (_, i) => {
      const u = unders[i % 3]!
      return {
        id: `p${i}`,
        account: `acc-${Math.floor(i / 100)}`,
        instrument: { kind: 'perpetual' as const, settlement: 'linear' as const, underlying: u, quote: 'USDT' },
        quantity: String(((i % 7) - 3 || 1) * (u === 'SOL' ? 10 : u === 'ETH' ? 1 : 0.1)),
        entryPrice: String(Math.round(px[u] * (0.9 + (i % 20) / 100))),
      }
    }),
    market: {
      underlyings: Object.fromEntries(unders.map((u) => [u, { price: String(px[u]), vol: 0.6 }])),
      instruments: {},
      rates: {},
      correlations: {},
    },
  }
}

interface FrameStats {
  frames: number
  p50: number
  p95: number
  max: number
  dropped: number
}

const SCROLL_PROBE = `(async () => {
  const el = document.querySelector('[data-testid="positions-scroller"]')
  const times = []
  let last = performance.now()
  const step = 37 // px per frame: a brisk, steady scroll
  for (let i = 0; i < 400; i++) {
    await new Promise((resolve) => requestAnimationFrame(() => {
      el.scrollTop = (el.scrollTop + step) % Math.max(1, el.scrollHeight - el.clientHeight)
      resolve()
    }))
    const now = performance.now()
    times.push(now - last)
    last = now
  }
  times.shift()
  const sorted = [...times].sort((a, b) => a - b)
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
  return { frames: times.length, p50: q(0.5), p95: q(0.95), max: sorted[sorted.length - 1], dropped: times.filter((t) => t > 25).length }
})()`

async function scrollRun(positions: number, rendererDir: string): Promise<FrameStats> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-bench-scroll-'))
  const backend = startBackend({ dataFile: path.join(dir, 'b.sqlite'), mode: 'browser', seedDemoOnCreate: false })
  const r = await backend.service.table.portfolioImport({ document: book(positions), mode: 'replace' })
  if (r.positions !== positions) throw new Error('book import failed')
  const server = await startBrowserServer({ table: backend.service.table, events: backend.events, rendererDir })
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(server.openUrl)
    await page.getByTestId('nav-positions').click()
    await page.waitForSelector('[data-position-id]', { timeout: 60_000 })
    // A string, not a function: tsx's transform would wrap a function in helpers the page does not have.
    return (await page.evaluate(SCROLL_PROBE)) as FrameStats
  } finally {
    await browser.close()
    await server.close()
    await backend.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const suite: CustomSuite = {
  title: 'Positions table scrolling (real renderer, headless Chromium)',
  run: async () => {
    const rendererDir = await ensureRendererBuilt((l) => console.error(l))
    const base = await scrollRun(100, rendererDir)
    const big = await scrollRun(10_000, rendererDir)
    const line = (name: string, s: FrameStats): string =>
      `  ${name.padEnd(16)} ${s.frames} frames  p50 ${s.p50.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  dropped (>25 ms) ${s.dropped}`
    return [
      line('100 positions', base),
      line('10,000 positions', big),
      `  p95 ratio 10,000 / 100: ${(big.p95 / base.p95).toFixed(2)} (1.00 = scrolling cost does not grow with the book)`,
    ].join('\n')
  },
}
export default suite
