/**
 * ECharts options of the Scenarios view, as pure functions of the theme and the backend's figures,
 * so every chart's axes, units, legend and marks are checked by a spec without a canvas.
 */
import type { ChartTheme } from '@/components/charts/echarts'
import type { CascadeResult, Histogram, PayoffCurve, PayoffHeatmap } from '@engine/analytics'
import { formatPct, formatUsd, formatUsdCompact } from '@/lib/format'

type Option = Record<string, unknown>

/** Whole thousands ("−41k") so thirteen cells fit a row. */
function thousands(v: number): string {
  const k = Math.round(v / 1000)
  return k === 0 ? '0' : `${k < 0 ? '−' : ''}${Math.abs(k)}k`
}

const tooltipBase = (t: ChartTheme): Option => ({ backgroundColor: t.panel, borderColor: t.border, textStyle: { color: t.text } })
const axisBase = (t: ChartTheme, name: string): Option => ({
  name,
  nameLocation: 'middle',
  nameTextStyle: { color: t.textDim },
  axisLabel: { color: t.textDim },
  axisLine: { lineStyle: { color: t.border } },
  splitLine: { lineStyle: { color: t.grid } },
})
const legend = (t: ChartTheme): Option => ({ top: 0, textStyle: { color: t.textDim }, itemWidth: 14, itemHeight: 8 })

/** Book P&L against the underlying's price, now and at the last option expiry, with the index and liquidation prices marked. */
export function payoffOption(t: ChartTheme, c: PayoffCurve): Option {
  const now = c.prices.map((p, i) => [p, c.pnlNowUsd[i]])
  const series: Option[] = [
    {
      name: 'P&L now',
      type: 'line',
      data: now,
      showSymbol: false,
      lineStyle: { width: 2, color: t.series[0] },
      itemStyle: { color: t.series[0] },
      markLine: {
        symbol: 'none',
        silent: true,
        data: [
          { xAxis: c.index, name: 'index', lineStyle: { color: t.textDim, type: 'dashed' }, label: { formatter: `index ${formatUsd(c.index)}`, color: t.textDim } },
          ...c.liquidations.map((l) => ({ xAxis: l.price, name: l.account, lineStyle: { color: t.danger, type: 'dotted' }, label: { formatter: `liq. ${l.account}`, color: t.danger, fontSize: 10 } })),
          { yAxis: 0, lineStyle: { color: t.border }, label: { show: false } },
        ],
      },
    },
  ]
  if (c.pnlAtExpiryUsd) {
    series.push({
      name: `P&L at ${c.expiry?.slice(0, 10) ?? 'expiry'}`,
      type: 'line',
      data: c.prices.map((p, i) => [p, c.pnlAtExpiryUsd![i]]),
      showSymbol: false,
      lineStyle: { width: 1.5, type: 'dashed', color: t.series[2] },
      itemStyle: { color: t.series[2] },
    })
  }
  return {
    grid: { left: 64, right: 20, top: 34, bottom: 44 },
    legend: legend(t),
    tooltip: {
      ...tooltipBase(t),
      trigger: 'axis',
      axisPointer: { type: 'line' },
      formatter: (params: Array<{ seriesName: string; value: [number, number] }>) =>
        [`${c.underlying} ${formatUsd(params[0]?.value[0])} USD (${formatPct((params[0]?.value[0] ?? c.index) / c.index - 1)})`, ...params.map((p) => `${p.seriesName}: ${formatUsd(p.value[1])} USD`)].join('<br/>'),
    },
    xAxis: { ...axisBase(t, `${c.underlying} price (USD)`), type: 'value', nameGap: 28, min: c.prices[0], max: c.prices[c.prices.length - 1], axisLabel: { color: t.textDim, formatter: (v: number) => formatUsdCompact(v) } },
    yAxis: { ...axisBase(t, 'P&L (USD)'), type: 'value', nameGap: 50, axisLabel: { color: t.textDim, formatter: (v: number) => formatUsdCompact(v) } },
    series,
  }
}

/** P&L over price move × implied-vol shift. */
export function heatmapOption(t: ChartTheme, h: PayoffHeatmap): Option {
  const data: Array<[number, number, number]> = []
  let lo = 0
  let hi = 0
  h.pnlUsd.forEach((row, y) =>
    row.forEach((v, x) => {
      data.push([x, y, v])
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }),
  )
  const bound = Math.max(Math.abs(lo), Math.abs(hi), 1)
  return {
    grid: { left: 64, right: 20, top: 16, bottom: 92 },
    tooltip: {
      ...tooltipBase(t),
      position: 'top',
      formatter: (p: { value: [number, number, number] }) =>
        `${h.underlying} ${formatPct(h.priceMoves[p.value[0]]!, 0)} · vol ${h.volShifts[p.value[1]]! >= 0 ? '+' : ''}${Math.round(h.volShifts[p.value[1]]! * 100)} pts<br/>P&L ${formatUsd(p.value[2])} USD`,
    },
    xAxis: { ...axisBase(t, `${h.underlying} price move`), type: 'category', nameGap: 26, data: h.priceMoves.map((m) => formatPct(m, 0)), splitArea: { show: false } },
    yAxis: { ...axisBase(t, 'Implied vol shift (points)'), type: 'category', nameGap: 44, data: h.volShifts.map((v) => `${v >= 0 ? '+' : ''}${Math.round(v * 100)}`) },
    visualMap: {
      min: -bound,
      max: bound,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      text: ['gain (USD)', 'loss (USD)'],
      textStyle: { color: t.textDim },
      inRange: { color: [t.neg, t.panel, t.pos] },
      formatter: (v: number) => formatUsdCompact(v),
    },
    series: [{ name: 'P&L (USD)', type: 'heatmap', data, label: { show: true, color: t.text, fontSize: 9, formatter: (p: { value: [number, number, number] }) => thousands(p.value[2]) } }],
  }
}

/**
 * The simulated P&L distribution with VaR and ES marked as losses (negative P&L): bars per bin,
 * vertical lines at −VaR and −ES.
 */
export function histogramOption(t: ChartTheme, hist: Histogram, marks: { var: number | null; es: number | null; label: string; confidence: number }): Option {
  const centres = hist.counts.map((_, i) => (hist.edgesUsd[i]! + hist.edgesUsd[i + 1]!) / 2)
  const width = (hist.edgesUsd[1] ?? 0) - (hist.edgesUsd[0] ?? 0)
  const lines: Option[] = []
  if (marks.var !== null) lines.push({ name: `VaR ${formatPct(marks.confidence, 1)}`, xAxis: -marks.var, lineStyle: { color: t.warn, width: 2 }, label: { formatter: `VaR ${formatUsdCompact(marks.var)}`, color: t.warn } })
  if (marks.es !== null) lines.push({ name: 'ES', xAxis: -marks.es, lineStyle: { color: t.danger, width: 2, type: 'dashed' }, label: { formatter: `ES ${formatUsdCompact(marks.es)}`, color: t.danger, position: 'insideEndTop' } })
  return {
    grid: { left: 56, right: 20, top: 34, bottom: 44 },
    legend: { ...legend(t), data: [marks.label, 'VaR', 'ES'] },
    tooltip: {
      ...tooltipBase(t),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: Array<{ value: [number, number] }>) => {
        const v = params[0]?.value
        return v ? `P&L ${formatUsd(v[0] - width / 2)} to ${formatUsd(v[0] + width / 2)} USD<br/>${v[1]} scenario${v[1] === 1 ? '' : 's'}` : ''
      },
    },
    xAxis: { ...axisBase(t, 'P&L over the horizon (USD)'), type: 'value', nameGap: 28, scale: true, axisLabel: { color: t.textDim, formatter: (v: number) => formatUsdCompact(v) } },
    yAxis: { ...axisBase(t, 'Scenarios'), type: 'value', nameGap: 36, minInterval: 1 },
    series: [
      {
        name: marks.label,
        type: 'bar',
        barWidth: '95%',
        data: centres.map((c, i) => ({ value: [c, hist.counts[i]], itemStyle: { color: c < -(marks.var ?? Infinity) ? t.neg : t.series[0] } })),
        markLine: { symbol: 'none', silent: true, data: lines },
      },
      // Empty series so VaR and ES appear in the legend with their colours.
      { name: 'VaR', type: 'line', data: [], itemStyle: { color: t.warn }, lineStyle: { color: t.warn } },
      { name: 'ES', type: 'line', data: [], itemStyle: { color: t.danger }, lineStyle: { color: t.danger, type: 'dashed' } },
    ],
  }
}

/** Book P&L along a scenario's path, with and without the liquidations, events marked in order. */
export function cascadeOption(t: ChartTheme, c: CascadeResult): Option {
  const x = (p: { move: number; t: number }): number => (c.lead ? p.move * 100 : p.t * 100)
  const xName = c.lead ? `${c.lead} move along the scenario (%)` : 'Path (%)'
  return {
    grid: { left: 64, right: 20, top: 34, bottom: 44 },
    legend: legend(t),
    tooltip: {
      ...tooltipBase(t),
      trigger: 'axis',
      formatter: (params: Array<{ seriesName: string; value: [number, number] }>) =>
        [`${c.lead ?? 'path'} ${params[0]?.value[0]?.toFixed(1)} %`, ...params.map((p) => `${p.seriesName}: ${formatUsd(p.value[1])} USD`)].join('<br/>'),
    },
    // The path reads left to right from today to the full shock, whichever way prices move.
    xAxis: { ...axisBase(t, xName), type: 'value', nameGap: 28, inverse: c.leadMove < 0, axisLabel: { color: t.textDim, formatter: (v: number) => `${v.toFixed(0)} %` } },
    yAxis: { ...axisBase(t, 'Book P&L (USD)'), type: 'value', nameGap: 50, axisLabel: { color: t.textDim, formatter: (v: number) => formatUsdCompact(v) } },
    series: [
      {
        name: 'With liquidations',
        type: 'line',
        showSymbol: false,
        data: c.path.map((p) => [x(p), p.pnlUsd]),
        lineStyle: { width: 2, color: t.danger },
        itemStyle: { color: t.danger },
        markPoint: {
          symbol: 'pin',
          symbolSize: 36,
          itemStyle: { color: t.danger },
          label: { color: '#fff', fontSize: 11, formatter: (p: { value: number }) => String(p.value) },
          data: c.events.map((e) => {
            const at = c.path.reduce((best, p) => (Math.abs(p.t - e.t) < Math.abs(best.t - e.t) ? p : best), c.path[0]!)
            return { name: e.headline, value: e.order, coord: [c.lead ? (e.moves[c.lead] ?? 0) * 100 : e.t * 100, at.pnlUsd] }
          }),
        },
      },
      {
        name: 'Without liquidations',
        type: 'line',
        showSymbol: false,
        data: c.path.map((p) => [x(p), p.pnlWithoutLiquidationsUsd]),
        lineStyle: { width: 1.5, type: 'dashed', color: t.textDim },
        itemStyle: { color: t.textDim },
      },
    ],
  }
}
