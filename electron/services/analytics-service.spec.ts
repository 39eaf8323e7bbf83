/**
 * The analytics calls through the in-process transport: real SQLite file, the demo book, real
 * worker threads (the pool runs the TypeScript sources through tsx), a fixed clock.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FulcrumApi, FulcrumEvent, Result } from '../shared/api-contract'
import { createInProcessApi } from '../transports/in-process'
import { closeWorkerPool } from '../workers/pool'
import { computeVar } from '../engine/analytics'
import { startBackend, type Backend } from './backend'

const clock = { now: () => new Date('2026-11-24T08:00:00Z') }

let dir: string
let backend: Backend
let api: FulcrumApi
let events: FulcrumEvent[]

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`)
  return r.value
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-analytics-'))
  backend = startBackend({ dataFile: path.join(dir, 'book.sqlite'), mode: 'test', seedDemoOnCreate: true, clock })
  api = createInProcessApi(backend.service.table, backend.events)
  events = []
  api.onEvent((e) => events.push(e))
})
afterEach(async () => {
  await backend?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
afterAll(async () => {
  await closeWorkerPool()
})

async function readyVar(): Promise<NonNullable<Awaited<ReturnType<FulcrumApi['analyticsVar']>> & { ok: true }>['value']> {
  const first = value(await api.analyticsVar({}))
  if (first.status === 'ready') return first
  expect(first.status).toBe('pending')
  await new Promise<void>((resolve) => {
    const stop = api.onEvent((e) => {
      if (e.type === 'analytics.var.ready') {
        stop()
        resolve()
      }
    })
  })
  return value(await api.analyticsVar({}))
}

describe('VaR in worker threads', () => {
  it('is computed off the main thread, pushed with an event, and equals the single-threaded engine exactly', async () => {
    const view = await readyVar()
    expect(view.status).toBe('ready')
    expect(events.some((e) => e.type === 'analytics.var.ready' && e.status === 'ready')).toBe(true)
    const doc = value(await api.portfolioExport({}))
    const reference = computeVar(doc)
    // Chunks split across threads and merged: the same figures, not merely close ones.
    expect(view.result!.var).toEqual(reference.var)
    expect(view.result!.expectedShortfall).toEqual(reference.expectedShortfall)
    expect(view.result!.byVenue).toEqual(reference.byVenue)
    expect(view.result!.monteCarloPaths).toBe(10_000)
  }, 120_000)

  it('riskReport carries the heavy figures once they are ready for that book, and drops them when the book changes', async () => {
    const before = value(await api.riskReport({}))
    expect(before.report.portfolio.var.historical).toBeNull()
    expect(before.report.portfolio.var.parametric).not.toBeNull()
    const view = await readyVar()
    // The VaR is pushed as soon as it is ready; cascades and outages follow in the same refresh.
    let after = value(await api.riskReport({}))
    for (let i = 0; i < 200 && after.report.analytics !== 'complete'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      after = value(await api.riskReport({}))
    }
    expect(after.report.analytics).toBe('complete')
    expect(after.report.portfolio.var.historical).toBeCloseTo(view.result!.var.historical!, 4)
    expect(after.report.cascades.length).toBe(after.report.stress.length)
    expect(after.report.pnlDistribution?.historical?.pnlUsd.length).toBe(after.report.portfolio.var.historicalScenarios)
    value(await api.underlyingSave({ symbol: 'BTC', price: '90000' }))
    const changed = value(await api.riskReport({}))
    expect(changed.report.portfolio.var.historical).toBeNull()
    expect(value(await api.analyticsVar({})).status).toBe('pending')
  }, 120_000)
})

describe('scenarios', () => {
  it('the trader\'s scenarios are kept in the settings (so they export with the book) and run with their cascade', async () => {
    const list = value(await api.analyticsScenarios({}))
    expect(list.library.length).toBeGreaterThan(8)
    expect(list.history?.id).toMatch(/^history-/)
    value(await api.analyticsScenarioSave({ scenario: { id: 'squeeze', name: 'BTC +18 %', priceMoves: { BTC: 0.18 }, volShift: { '*': 0.1 } } }))
    expect(value(await api.analyticsScenarios({})).user.map((s) => s.id)).toEqual(['squeeze'])
    expect(value(await api.portfolioExport({})).settings['stressScenarios']).toHaveLength(1)
    const run = value(await api.analyticsStress({ scenarioId: 'squeeze' }))
    expect(run.stress.id).toBe('squeeze')
    // Bybit's short is liquidated at its own liquidation price (+14.6 % in the demo).
    expect(run.cascade.events[0]).toMatchObject({ account: 'demo-bybit' })
    expect(run.cascade.events[0]!.headline).toMatch(/^BTC \+14\.\d % liquidates Bybit/)
    const bad = await api.analyticsScenarioSave({ scenario: { id: 'crash-20', name: 'mine' } })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.issues?.[0]?.path).toBe('scenario.id')
    value(await api.analyticsScenarioDelete({ id: 'squeeze' }))
    expect(value(await api.analyticsScenarios({})).user).toEqual([])
    const missing = await api.analyticsStress({ scenarioId: 'nope' })
    expect(!missing.ok && missing.error.code).toBe('not_found')
  }, 60_000)

  it('a venue outage combined with a shock, and the payoff curve with its heatmap', async () => {
    const run = value(await api.analyticsStress({ scenarioId: 'crash-20', failedVenue: 'deribit' }))
    expect(run.outage).toMatchObject({ venue: 'deribit', scenarioId: 'crash-20' })
    expect(run.outage!.failsPnlUsd).toBeLessThan(run.outage!.survivesPnlUsd)
    const payoff = value(await api.analyticsPayoff({ underlying: 'btc', rangePct: 0.4 }))
    expect(payoff.curve.prices).toHaveLength(101)
    expect(payoff.curve.pnlNowUsd[50]).toBeCloseTo(0, 6)
    expect(payoff.curve.pnlAtExpiryUsd).not.toBeNull()
    expect(payoff.heatmap.pnlUsd.length).toBe(payoff.heatmap.volShifts.length)
  }, 60_000)
})

describe('hedges', () => {
  it('what-if shows the book before and after; applying records a planned hedge', async () => {
    const report = value(await api.riskReport({})).report
    const top = report.hedges[0]!
    const w = value(await api.analyticsHedgeWhatIf({ candidateIds: [top.candidateId] }))
    const u = (d: typeof w.before) => d.underlyings.find((x) => x.underlying === top.underlying)!
    expect(Math.abs(u(w.before).hedgeDelta!)).toBeGreaterThan(Math.abs(u(w.after).hedgeDelta!))
    expect(w.after.accounts.find((a) => a.id === top.account)!.initialMargin).toBeGreaterThan(w.before.accounts.find((a) => a.id === top.account)!.initialMargin)
    const planned = value(await api.analyticsHedgeApply({ candidateId: top.candidateId, note: 'before the CPI print' }))
    expect(planned).toMatchObject({ status: 'planned', quantity: top.quantity, account: top.account, note: 'before the CPI print' })
    expect(events.some((e) => e.type === 'analytics.hedges.changed')).toBe(true)
    expect(value(await api.analyticsPlannedHedges({})).map((h) => h.id)).toEqual([planned.id])
    expect(value(await api.analyticsPlannedHedgeUpdate({ id: planned.id, status: 'done' })).status).toBe('done')
    const gone = await api.analyticsHedgeWhatIf({ candidateIds: ['hedge:XRP:nobody:XRPUSDT'] })
    expect(!gone.ok && gone.error.code).toBe('not_found')
  }, 60_000)

  it('margin-call suggestions for a tighter target than the settings', async () => {
    const plans = value(await api.analyticsMarginCalls({ target: 0.05 }))
    const deribit = plans.find((p) => p.account === 'demo-deribit')!
    expect(deribit.marginRatio!).toBeGreaterThan(0.05)
    const add = deribit.actions.find((a) => a.kind === 'add-collateral')!
    expect(add.asset).toBe('BTC')
    expect(add.marginRatioAfter!).toBeLessThanOrEqual(0.05)
    expect(value(await api.analyticsMarginCalls({}))).toEqual([])
  }, 60_000)
})
