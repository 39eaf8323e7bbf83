import { describe, expect, it } from 'vitest'
import { builtinTierTable, builtinTierTables, tierIndex, tieredInitial, tieredMaintenance } from './tiers'
import binanceUsdm from '../../../resources/margin-tiers/binance-usdm.json'
import binanceCoinm from '../../../resources/margin-tiers/binance-coinm.json'
import bybitLinear from '../../../resources/margin-tiers/bybit-linear.json'
import bybitInverse from '../../../resources/margin-tiers/bybit-inverse.json'
import okxSwap from '../../../resources/margin-tiers/okx-swap.json'
import deribit from '../../../resources/margin-tiers/deribit.json'

const FILES = { binanceUsdm, binanceCoinm, bybitLinear, bybitInverse, okxSwap }

describe('built-in tier tables', () => {
  it('exist for BTC and ETH on Binance USDⓈ-M and COIN-M, Bybit linear and inverse, and OKX', () => {
    for (const venue of ['binance', 'bybit', 'okx'] as const) {
      for (const settlement of ['linear', 'inverse'] as const) {
        for (const u of ['BTC', 'ETH']) expect(builtinTierTable(venue, settlement, u), `${venue} ${settlement} ${u}`).toBeDefined()
      }
    }
  })

  it('every file names a source URL, a retrieval date and whether it is a snapshot or a reconstruction', () => {
    for (const [name, file] of Object.entries(FILES)) {
      for (const u of Object.keys(file.tables)) {
        const src = (file.sources as Record<string, { status: string; url: string; retrieved: string }>)[u]!
        expect(src.url, name).toMatch(/^https:\/\//)
        expect(src.retrieved, name).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(['documented-snapshot', 'reconstructed'], name).toContain(src.status)
      }
    }
    for (const src of Object.values(deribit.sources)) expect(src.url).toMatch(/^https:\/\//)
  })

  it('are sorted, and continuous wherever they carry maintenance amounts (no jump in the requirement at a boundary)', () => {
    for (const t of builtinTierTables()) {
      for (let i = 1; i < t.rows.length; i++) {
        const prev = t.rows[i - 1]!
        const row = t.rows[i]!
        expect(row.maxNotional, t.key).toBeGreaterThan(prev.maxNotional)
        expect(row.maintenanceRate, t.key).toBeGreaterThanOrEqual(prev.maintenanceRate)
        expect(row.maxLeverage, t.key).toBeLessThanOrEqual(prev.maxLeverage)
        if (t.key.startsWith('okx')) continue // OKX applies the rate to the whole position: jumps by design
        const b = prev.maxNotional
        const below = b * prev.maintenanceRate - prev.maintenanceAmount
        const above = b * row.maintenanceRate - row.maintenanceAmount
        expect(above, `${t.key} at ${b}`).toBeCloseTo(below, 6)
      }
    }
  })
})

describe('tier arithmetic (contract: first tier with N ≤ maxNotional; MM = N × rate − amount; IM = N / leverage)', () => {
  const rows = [
    { maxNotional: 50_000, maintenanceRate: 0.004, maintenanceAmount: 0, maxLeverage: 125 },
    { maxNotional: 250_000, maintenanceRate: 0.005, maintenanceAmount: 50, maxLeverage: 100 },
  ]
  it('picks the first tier whose maxNotional is not exceeded, the last beyond the table', () => {
    expect(tierIndex(rows, 50_000)).toBe(0)
    expect(tierIndex(rows, 50_000.01)).toBe(1)
    expect(tierIndex(rows, 10_000_000)).toBe(1)
  })
  it('maintenance and initial margin', () => {
    expect(tieredMaintenance(rows, 100_000)).toBeCloseTo(100_000 * 0.005 - 50, 9)
    expect(tieredInitial(rows, 100_000)).toBe(1000)
    expect(tieredInitial(rows, 100_000, 10)).toBe(10_000)
  })
})
