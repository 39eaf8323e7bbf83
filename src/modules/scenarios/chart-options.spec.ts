import { describe, expect, it } from 'vitest'
import type { ChartTheme } from '@/components/charts/echarts'
import type { CascadeResult, PayoffCurve } from '@engine/analytics'
import { cascadeOption, heatmapOption, histogramOption, payoffOption } from './chart-options'

const theme: ChartTheme = {
  text: '#eee',
  textDim: '#999',
  grid: '#222',
  border: '#333',
  panel: '#111',
  series: ['#1', '#2', '#3', '#4', '#5'],
  pos: 'green',
  neg: 'red',
  warn: 'orange',
  danger: 'crimson',
  accent: 'blue',
}

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Scenarios chart options', () => {
  it('the VaR histogram marks VaR and ES as losses (negative P&L), colours the tail and names both axes with units', () => {
    const o = histogramOption(theme, { edgesUsd: [-300, -200, -100, 0, 100, 200], counts: [1, 2, 5, 8, 4] }, { var: 140, es: 220, label: 'Historical', confidence: 0.99 }) as Any
    expect(o.xAxis.name).toBe('P&L over the horizon (USD)')
    expect(o.yAxis.name).toBe('Scenarios')
    const lines = o.series[0].markLine.data as Any[]
    expect(lines.map((l) => l.xAxis)).toEqual([-140, -220])
    expect(o.legend.data).toEqual(['Historical', 'VaR', 'ES'])
    // Bins whose centre lies beyond VaR (below −140) are drawn as losses.
    const colours = (o.series[0].data as Any[]).map((d) => d.itemStyle.color)
    expect(colours).toEqual(['red', 'red', '#1', '#1', '#1'])
    expect(o.tooltip.formatter([{ value: [-250, 1] }])).toContain('1 scenario')
  })

  it('the payoff curve draws now and at expiry, marks the index and liquidation prices', () => {
    const c: PayoffCurve = {
      underlying: 'BTC',
      index: 100,
      prices: [50, 100, 150],
      pnlNowUsd: [-10, 0, 10],
      pnlAtExpiryUsd: [-12, -1, 9],
      expiry: '2026-12-25T08:00:00Z',
      liquidations: [{ account: 'bybit', price: 120 }],
    }
    const o = payoffOption(theme, c) as Any
    expect(o.series.map((s: Any) => s.name)).toEqual(['P&L now', 'P&L at 2026-12-25'])
    expect(o.xAxis.name).toBe('BTC price (USD)')
    expect(o.yAxis.name).toBe('P&L (USD)')
    expect((o.series[0].markLine.data as Any[]).map((d) => d.xAxis ?? d.yAxis)).toEqual([100, 120, 0])
  })

  it('the heatmap has one cell per price move and vol shift, with a symmetric colour scale', () => {
    const o = heatmapOption(theme, { underlying: 'ETH', priceMoves: [-0.1, 0, 0.1], volShifts: [0, 0.1], pnlUsd: [[-5000, 0, 3000], [-4000, 1000, 4000]] }) as Any
    expect(o.series[0].data).toHaveLength(6)
    expect(o.visualMap.min).toBe(-5000)
    expect(o.visualMap.max).toBe(5000)
    expect(o.yAxis.name).toBe('Implied vol shift (points)')
    expect(o.series[0].label.formatter({ value: [0, 0, -4600] })).toBe('−5k')
  })

  it('the cascade chart reads from today to the full shock and pins each liquidation in order', () => {
    const c = {
      scenarioId: 's',
      scenarioName: 'S',
      lead: 'BTC',
      leadMove: -0.3,
      failedVenue: null,
      events: [{ order: 1, t: 0.6, moves: { BTC: -0.18 }, headline: 'BTC −18.0 % liquidates Bybit, after which Deribit is unhedged' }],
      path: [
        { t: 0, move: 0, leadPrice: 100, pnlUsd: 0, pnlWithoutLiquidationsUsd: 0 },
        { t: 0.6, move: -0.18, leadPrice: 82, pnlUsd: -100, pnlWithoutLiquidationsUsd: -100 },
        { t: 1, move: -0.3, leadPrice: 70, pnlUsd: -80, pnlWithoutLiquidationsUsd: -160 },
      ],
    } as unknown as CascadeResult
    const o = cascadeOption(theme, c) as Any
    expect(o.xAxis.inverse).toBe(true)
    expect(o.xAxis.name).toBe('BTC move along the scenario (%)')
    expect(o.series.map((s: Any) => s.name)).toEqual(['With liquidations', 'Without liquidations'])
    const pin = o.series[0].markPoint.data[0]
    expect(pin.coord).toEqual([-18, -100])
    expect(pin.name).toMatch(/liquidates Bybit/)
  })
})
