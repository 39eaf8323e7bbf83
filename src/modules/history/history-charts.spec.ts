/**
 * Seam: SnapshotsView (as the backend sends it) and a theme in, ECharts options out. Checked for what a
 * user relies on: time axis with zoom, axes named in their units, each series on its axis, the demo's
 * generated stretch shaded, and tooltips in each series' own unit.
 */
import { describe, expect, it } from 'vitest'
import type { SnapshotsView } from '@shared/market-contract'
import type { ChartTheme } from '@/components/charts/echarts'
import { equityChart, formatValue, greeksChart, marginChart } from './history-charts'

const theme: ChartTheme = { text: '#fff', textDim: '#aaa', grid: '#222', border: '#333', panel: '#111', series: ['#1', '#2', '#3'], pos: 'g', neg: 'r', warn: 'y', danger: 'd', accent: 'b' }
const T0 = Date.parse('2026-11-01T00:00:00Z')
const pts = (vals: number[]): Array<[number, number]> => vals.map((v, i) => [T0 + i * 86_400_000, v])

const view: SnapshotsView = {
  count: 3,
  from: '2026-11-01T00:00:00Z',
  to: '2026-11-03T00:00:00Z',
  downsampled: false,
  generated: true,
  generatedUntil: '2026-11-02T00:00:00Z',
  lastAt: '2026-11-03T00:00:00Z',
  series: [
    { key: 'equity', label: 'Equity', group: 'portfolio', unit: 'usd', points: pts([100_000, 98_000, 101_500]) },
    { key: 'var', label: 'VaR', group: 'risk', unit: 'usd', points: pts([4_000, 4_200, 3_900]) },
    { key: 'leverage', label: 'Gross leverage', group: 'portfolio', unit: 'times', points: pts([2.5, 2.6, 2.4]) },
    { key: 'marginRatio:binance', label: 'binance', group: 'venue', unit: 'ratio', points: pts([0.12, 0.15, 0.11]) },
    { key: 'deltaUsd:BTC', label: 'BTC delta (USD)', group: 'underlying', unit: 'usd', points: pts([-50_000, -45_000, -60_000]) },
    { key: 'delta:BTC', label: 'BTC delta', group: 'underlying', unit: 'coin', points: pts([-0.5, -0.45, -0.6]) },
  ],
}

describe('history charts', () => {
  it('puts equity on the left and VaR on a right axis, both in USD, with zoom and the generated stretch shaded', () => {
    const o = equityChart(theme, view)
    expect(o.xAxis.type).toBe('time')
    expect(o.dataZoom.map((z) => z.type)).toEqual(['inside', 'slider'])
    expect(o.yAxis.map((a) => [a.name, a.position])).toEqual([
      ['Equity, USD', 'left'],
      ['VaR / ES, USD', 'right'],
    ])
    expect(o.series.map((s) => [s.name, s.yAxisIndex, s.data.length])).toEqual([
      ['Equity', 0, 3],
      ['VaR', 1, 3],
    ])
    const area = (o.series[0] as { markArea?: { data: Array<Array<{ xAxis: number }>> } }).markArea!
    expect(area.data[0]!.map((p) => p.xAxis)).toEqual([T0, Date.parse('2026-11-02T00:00:00Z')])
  })

  it('shows no VaR axis when the snapshots carry none, and no shading without generated snapshots', () => {
    const plain = { ...view, generated: false, generatedUntil: null, series: view.series.filter((s) => s.key !== 'var') }
    const o = equityChart(theme, plain)
    expect(o.yAxis).toHaveLength(1)
    expect(o.series[0]).not.toHaveProperty('markArea')
  })

  it('charts leverage against per-venue margin ratios, venue names as the user knows them', () => {
    const o = marginChart(theme, view, () => '#f0b90b', (v) => (v === 'binance' ? 'Binance' : v))
    expect(o.series.map((s) => [s.name, s.yAxisIndex])).toEqual([
      ['Gross leverage', 0],
      ['Margin ratio Binance', 1],
    ])
    expect(o.yAxis.map((a) => a.name)).toEqual(['Leverage, ×', 'Margin ratio'])
  })

  it('formats tooltips in each series own unit', () => {
    const o = equityChart(theme, view)
    const html = o.tooltip.formatter([
      { seriesName: 'Equity', value: [T0, 101_500], marker: '' },
      { seriesName: 'VaR', value: [T0, 3_900], marker: '' },
    ])
    expect(html).toBe('2026-11-01 00:00 UTC<br/>Equity: <b>101,500 USD</b><br/>VaR: <b>3,900 USD</b>')
    expect(formatValue('ratio', 0.125)).toBe('12.5%')
    expect(formatValue('times', 2.5)).toBe('2.50×')
  })

  it('picks one Greek per underlying', () => {
    const o = greeksChart(theme, view, 'deltaUsd')
    expect(o.series.map((s) => s.name)).toEqual(['BTC'])
    expect(o.yAxis[0]!.name).toBe('Net delta (USD)')
  })
})
