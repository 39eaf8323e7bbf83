import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../index'
import type { CliIo } from '../command'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const EXAMPLE = join(ROOT, 'electron/engine/__fixtures__/contract-example.json')
const MULTI = join(ROOT, 'electron/engine/__fixtures__/multi-venue.json')

function capture(stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: async () => stdin,
    out: () => out,
    err: () => err,
  }
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-risk-'))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const INVALID = JSON.stringify({
  format: 'fulcrum.portfolio/1',
  asOf: '2026-11-24T08:00:00Z',
  accounts: [{ id: 'a', venue: 'kraken', marginMode: 'cross', collateral: [] }],
  positions: [
    {
      id: 'p',
      account: 'a',
      instrument: { kind: 'option', underlying: 'BTC', quote: 'USD', optionType: 'call', expiry: '2026-12-25T08:00:00Z' },
      quantity: '1',
      entryPrice: '-5',
    },
  ],
})

describe('fulcrum risk (in-process)', () => {
  it('--json prints the report on stdout and exits 0', async () => {
    const io = capture()
    expect(await main(['risk', EXAMPLE, '--json', '--now', '2026-11-24T08:00:00Z'], io)).toBe(0)
    expect(io.err()).toBe('')
    const report = JSON.parse(io.out())
    expect(report.format).toBe('fulcrum.report/1')
    expect(report.positions[0]).toMatchObject({ id: 'p1', mark: 65010, notional: 32505, unrealizedPnl: 2505, delta: 0.5, liquidationPrice: 54216.87, fundingPerDay: -9.7515 })
  })

  it('without --json prints aligned tables with the weakest venue called out', async () => {
    const io = capture()
    expect(await main(['risk', MULTI, '--now', '2026-11-24T08:00:00Z'], io)).toBe(0)
    const text = io.out()
    for (const heading of ['POSITIONS', 'ACCOUNTS', 'VENUES', 'TOTAL', 'REVIEW WINDOWS']) expect(text).toContain(heading)
    expect(text).toMatch(/defi .*<- weakest/)
    expect(text).toContain('61,120.00 mark') // the Bybit isolated position's liquidation price
    // Aligned: every data row of the positions table is as wide as its header rule or narrower.
    const lines = text.split('\n')
    const rule = lines[lines.indexOf('POSITIONS') + 2]!
    expect(rule).toMatch(/^-+( +-+)+$/)
  })

  it('an invalid document exits 2, prints nothing on stdout and every error with its JSON path', async () => {
    const io = capture()
    expect(await main(['risk', tempFile('bad.json', INVALID)], io)).toBe(2)
    expect(io.out()).toBe('')
    const err = io.err()
    expect(err).toContain('accounts[0].venue')
    expect(err).toContain('positions[0].instrument.strike')
    expect(err).toContain('positions[0].entryPrice')
  })

  it('a valid document that cannot be valued exits 2 naming the missing market field', async () => {
    const doc = JSON.parse(INVALID)
    doc.accounts[0].venue = 'deribit'
    doc.positions[0] = { id: 'p', account: 'a', instrument: { kind: 'perpetual', underlying: 'SOL', quote: 'USDT' }, quantity: '1', entryPrice: '150' }
    const io = capture()
    expect(await main(['risk', tempFile('unpriced.json', JSON.stringify(doc))], io)).toBe(2)
    expect(io.out()).toBe('')
    expect(io.err()).toContain('market.underlyings.SOL.price')
  })

  it('an unreadable file or bad JSON is a one-line message and exit 2', async () => {
    const missing = capture()
    expect(await main(['risk', '/nonexistent/portfolio.json', '--json'], missing)).toBe(2)
    expect(missing.out()).toBe('')
    expect(missing.err().trim().split('\n')).toHaveLength(1)
    expect(missing.err()).toContain('cannot read /nonexistent/portfolio.json')

    const broken = capture()
    expect(await main(['risk', tempFile('broken.json', '{"format": '), '--json'], broken)).toBe(2)
    expect(broken.out()).toBe('')
    expect(broken.err().trim().split('\n')).toHaveLength(1)
    expect(broken.err()).toContain('is not valid JSON')
  })

  it('reads the document from stdin with -, and --now fixes the clock of review windows', async () => {
    const doc = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(MULTI, 'utf8')))
    const io = capture(JSON.stringify(doc))
    expect(await main(['risk', '-', '--json', '--now', '2026-11-26T08:00:00Z'], io)).toBe(0)
    const report = JSON.parse(io.out())
    expect(report.now).toBe('2026-11-26T08:00:00Z')
    expect(report.reviewWindows[0]).toMatchObject({ positionId: 'pm-straddle-c', secondsLeft: 86_400 })
  })

  it('rejects a malformed --now and extra arguments with exit 2', async () => {
    const io = capture()
    expect(await main(['risk', EXAMPLE, '--now', 'yesterday'], io)).toBe(2)
    expect(io.out()).toBe('')
    expect(await main(['risk', EXAMPLE, EXAMPLE], capture())).toBe(2)
  })
})

describe('fulcrum risk (subprocess)', () => {
  const run = (args: string[], input?: string) =>
    spawnSync('npx', ['tsx', 'electron/cli/index.ts', 'risk', ...args], { cwd: ROOT, encoding: 'utf8', input, env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 })

  // npx + tsx start-up takes seconds on a loaded 2-core machine: these get a minute each.
  it('prints the JSON report and exits 0', { timeout: 60_000 }, () => {
    const r = run([EXAMPLE, '--json', '--now', '2026-11-24T08:00:00Z'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout).positions[0].liquidationPrice).toBe(54216.87)
  })

  it('exits 2 with errors on stderr and an empty stdout for an invalid document on stdin', { timeout: 60_000 }, () => {
    const r = run(['-', '--json'], INVALID)
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('positions[0].instrument.strike')
  })
})
