/**
 * The service table through the in-process transport: the same validation path as IPC and HTTP,
 * a real SQLite file, a fixed clock.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FulcrumApi, FulcrumEvent, MethodInput, Result } from '../shared/api-contract'
import { createInProcessApi } from '../transports/in-process'
import { startBackend, type Backend } from './backend'
import { demoDocument } from './demo'

const NOW = new Date('2026-11-24T09:30:00Z')
const clock = { now: () => NOW }

let dir: string
let backend: Backend
let api: FulcrumApi

function start(seedDemo: boolean, file = path.join(dir, 'book.sqlite')): void {
  backend = startBackend({ dataFile: file, mode: 'test', seedDemoOnCreate: seedDemo, clock })
  api = createInProcessApi(backend.service.table, backend.events)
}
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`)
  return r.value
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-svc-'))
})
afterEach(async () => {
  await backend?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const account: MethodInput<'accountSave'>['account'] = {
  id: 'bn-main',
  name: 'Binance main',
  venue: 'binance',
  marginMode: 'cross',
  collateral: [{ asset: 'USDT', amount: '10000' }],
}
const perp: MethodInput<'positionSave'>['position'] = {
  account: 'bn-main',
  instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT' },
  quantity: '0.5',
  entryPrice: '60000',
}

describe('first start', () => {
  it('the app seeds the labelled demo into a new database, once', async () => {
    start(true)
    const book = value(await api.bookGet({}))
    expect(book.demo.present).toBe(true)
    expect(book.document.accounts.length).toBeGreaterThanOrEqual(3)
    expect(new Set(book.document.accounts.map((a) => a.venue)).size).toBeGreaterThanOrEqual(3)
    const kinds = book.document.positions.map((p) => `${p.instrument.kind}/${p.instrument.settlement}`)
    expect(kinds).toContain('perpetual/linear')
    expect(kinds).toContain('future/inverse')
    expect(kinds).toContain('option/inverse')
    // Near expiries, all ahead of the clock.
    const expiries = book.document.positions.flatMap((p) => (p.instrument.expiry ? [Date.parse(p.instrument.expiry)] : []))
    expect(Math.min(...expiries)).toBeGreaterThan(NOW.getTime())
    expect(Math.min(...expiries) - NOW.getTime()).toBeLessThan(8 * 86_400_000)
    // Removing it and restarting does not bring it back.
    value(await api.demoRemove({}))
    await backend.close()
    start(true)
    expect(value(await api.bookGet({})).document.accounts).toEqual([])
  })

  it('the CLI path never seeds the demo', async () => {
    start(false)
    const book = value(await api.bookGet({}))
    expect(book.demo.present).toBe(false)
    expect(book.document.accounts).toEqual([])
  })
})

describe('accounts and positions', () => {
  beforeEach(() => start(false))

  it('adds an account and a position that survive a restart', async () => {
    value(await api.accountSave({ account, create: true }))
    const saved = value(await api.positionSave({ position: perp, indexPrice: '65000' }))
    expect(saved.id).toMatch(/^pos-/)
    expect(saved.openedAt).toBe('2026-11-24T09:30:00Z')
    await backend.close()
    start(false)
    const book = value(await api.bookGet({}))
    expect(book.document.accounts.map((a) => a.id)).toEqual(['bn-main'])
    expect(book.document.positions).toHaveLength(1)
    expect(book.document.positions[0]!.quantity).toBe('0.5')
    expect(book.document.market.underlyings.BTC!.price).toBe('65000')
  })

  it('names the field and the problem of an invalid position and saves nothing', async () => {
    value(await api.accountSave({ account, create: true }))
    const before = value(await api.bookGet({})).revision
    const r = await api.positionSave({
      position: { ...perp, entryPrice: '-5', instrument: { ...perp.instrument, kind: 'option' } },
      indexPrice: '65000',
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('invalid_input')
    const paths = Object.fromEntries((r.error.issues ?? []).map((i) => [i.path, i.message]))
    expect(paths['position.entryPrice']).toMatch(/greater than 0/)
    expect(paths['position.instrument.strike']).toMatch(/required for an option/)
    expect(paths['position.instrument.expiry']).toMatch(/required/)
    const after = value(await api.bookGet({}))
    expect(after.revision).toBe(before)
    expect(after.document.positions).toEqual([])
  })

  it('asks for the index price of an underlying the book has never seen', async () => {
    value(await api.accountSave({ account, create: true }))
    const r = await api.positionSave({ position: perp })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.issues?.[0]).toMatchObject({ path: 'indexPrice' })
  })

  it('refuses a position on an unknown account, naming the field', async () => {
    const r = await api.positionSave({ position: { ...perp, account: 'ghost' }, indexPrice: '1' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.issues).toEqual([{ path: 'position.account', message: 'refers to an unknown account "ghost"' }])
  })

  it('refuses to create an account whose id exists', async () => {
    value(await api.accountSave({ account, create: true }))
    const r = await api.accountSave({ account: { ...account, name: 'other' }, create: true })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })

  it('closes a position into the history and keeps it out of the risk figures', async () => {
    value(await api.accountSave({ account, create: true }))
    const p = value(await api.positionSave({ position: perp, indexPrice: '65000' }))
    expect(value(await api.riskReport({})).report.positions.map((x) => x.id)).toEqual([p.id])
    value(await api.positionClose({ id: p.id, closePrice: '66000' }))
    expect(value(await api.riskReport({})).report.positions).toEqual([])
    const history = value(await api.positionHistory({ id: p.id }))
    expect(history.map((h) => h.kind)).toEqual(['opened', 'closed'])
  })

  it('pushes book.changed after every write', async () => {
    const seen: FulcrumEvent[] = []
    const stop = api.onEvent((e) => seen.push(e))
    value(await api.accountSave({ account, create: true }))
    value(await api.underlyingSave({ symbol: 'eth', price: '3000' }))
    stop()
    value(await api.accountDelete({ id: 'bn-main' }))
    expect(seen.map((e) => e.type)).toEqual(['book.changed', 'book.changed'])
  })
})

describe('bad input over the wire', () => {
  beforeEach(() => start(false))

  it('rejects wrong types, unknown keys and unknown methods with a result, never a throw', async () => {
    const call = api as unknown as Record<string, (input: unknown) => Promise<Result<unknown>>>
    const wrongType = await call.positionSave!({ position: { ...perp, quantity: 0.5 } })
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    if (!wrongType.ok) expect(wrongType.error.issues?.[0]?.path).toBe('position.quantity')
    const extra = await call.bookGet!({ sneaky: true })
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const notAnObject = await call.accountDelete!('bn-main')
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const missing = await call.positionClose!({ id: 'nope', closePrice: '1' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('portfolio document', () => {
  it('exports the book and imports it back identically', async () => {
    start(true)
    value(await api.accountSave({ account, create: true }))
    value(await api.positionSave({ position: { ...perp, note: 'hand-entered' }, indexPrice: '65000' }))
    const first = value(await api.portfolioExport({}))
    await backend.close()

    start(false, path.join(dir, 'other.sqlite'))
    expect(value(await api.portfolioImport({ document: first }))).toMatchObject({ accounts: 5 })
    const second = value(await api.portfolioExport({}))
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
  })

  it('imports the demo document as the app seeds it', async () => {
    start(false)
    const demo = demoDocument(NOW)
    value(await api.portfolioImport({ document: demo }))
    const out = value(await api.portfolioExport({}))
    expect(out.accounts).toEqual(demo.accounts)
    expect(out.positions).toEqual(demo.positions)
  })

  it('rejects an invalid document with JSON paths and leaves the book untouched', async () => {
    start(true)
    const before = JSON.stringify(value(await api.portfolioExport({})))
    const bad = structuredClone(demoDocument(NOW)) as unknown as { positions: { instrument: Record<string, unknown> }[] }
    bad.positions[3]!.instrument.strike = 'seventy thousand'
    const r = await api.portfolioImport({ document: bad })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.issues?.map((i) => i.path)).toContain('positions[3].instrument.strike')
    expect(JSON.stringify(value(await api.portfolioExport({})))).toBe(before)
  })
})

describe('settings', () => {
  beforeEach(() => start(false))

  it('has defaults, saves a patch, and rejects an invalid one by field', async () => {
    const s = value(await api.settingsGet({}))
    expect(s).toMatchObject({ varConfidence: 0.99, varHorizonDays: 1, reminderLeadTimes: ['P1D', 'PT1H'], theme: 'dark' })
    const next = value(await api.settingsUpdate({ patch: { theme: 'light', leverageLimit: 3 } }))
    expect(next).toMatchObject({ theme: 'light', leverageLimit: 3, varConfidence: 0.99 })
    const bad = await api.settingsUpdate({ patch: { varConfidence: 2, reminderLeadTimes: ['tomorrow'] } })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.issues?.map((i) => i.path).sort()).toEqual(['patch.reminderLeadTimes[0]', 'patch.varConfidence'])
    expect(value(await api.settingsGet({})).leverageLimit).toBe(3)
  })
})

describe('valuing a big book', () => {
  it('values it in the interactive worker thread, to the same figures as on the spot', async () => {
    start(false)
    const positions = Array.from({ length: 400 }, (_, i) => ({
      id: `p${i}`,
      account: 'bn-main',
      instrument: { kind: 'perpetual', settlement: 'linear', underlying: i % 2 ? 'BTC' : 'ETH', quote: 'USDT' },
      quantity: String((i % 5) + 1),
      entryPrice: i % 2 ? '60000' : '3000',
    }))
    const doc = {
      format: 'fulcrum.portfolio/1',
      asOf: '2026-11-24T09:30:00Z',
      accounts: [{ ...account, collateral: [{ asset: 'USDT', amount: '50000000' }] }],
      positions,
      market: { underlyings: { BTC: { price: '65000', vol: 0.5 }, ETH: { price: '3100', vol: 0.6 } } },
    }
    value(await api.portfolioImport({ document: doc }))
    const { WorkerPool } = await import('../workers/pool')
    const runs = vi.spyOn(WorkerPool.prototype, 'run')
    const viaApi = value(await api.riskReport({})).report
    expect(runs.mock.calls.map((c) => c[0])).toContain('riskReport')
    runs.mockRestore()
    const { computeRiskReport } = await import('../engine')
    const here = computeRiskReport(backend.service.table.portfolioExport({}) as never, { now: NOW, staleAfterSeconds: 3600 })
    expect(viaApi.positions).toHaveLength(400)
    expect(viaApi.portfolio.equity).toBe(here.portfolio.equity)
    expect(viaApi.accounts[0]!.liquidationPrice).toEqual(here.accounts[0]!.liquidationPrice)
  })
})
