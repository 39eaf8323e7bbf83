/**
 * ECharts options for the History view, built from the snapshots the backend sent (already LTTB
 * downsampled per series). Pure functions of the data and the theme, so their shape is tested
 * without a canvas: a time axis, zoom (wheel/drag and a slider), axes named with their units,
 * a tooltip that formats each series in its own unit, and the demo's generated stretch shaded.
 */
import type { SnapshotSeries, SnapshotsView, SnapshotUnit } from '@shared/market-contract'
import type { ChartTheme } from '@/components/charts/echarts'
import { formatLeverage, formatPct, formatSig, formatUsd, formatUsdCompact } from '@/lib/format'

export type GreekMetric = 'deltaUsd' | 'gamma' | 'vega' | 'theta'

export const GREEK_LABEL: Record<GreekMetric, string> = {
  deltaUsd: 'Net delta (USD)',
  gamma: 'Gamma (per 1 USD)',
  vega: 'Vega (USD per vol point)',
  theta: 'Theta (USD per day)',
}

export function formatValue(unit: SnapshotUnit, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—'
  switch (unit) {
    case 'usd':
      return `${formatUsd(v)} USD`
    case 'ratio':
      return formatPct(v)
    case 'times':
      return formatLeverage(v)
    case 'coin':
      return formatSig(v)
  }
}

interface Line {
  series: SnapshotSeries
  axis: 0 | 1
  color?: string
  dashed?: boolean
  name?: string
}

function axis(t: ChartTheme, name: string, unit: SnapshotUnit, position: 'left' | 'right') {
  return {
    type: 'value',
    name,
    position,
    scale: unit !== 'ratio',
    nameTextStyle: { color: t.textDim },
    axisLabel: {
      color: t.textDim,
      formatter: (v: number) => (unit === 'usd' ? formatUsdCompact(v) : unit === 'ratio' ? formatPct(v, 0) : unit === 'times' ? `${v}×` : formatSig(v, 3)),
    },
    splitLine: { show: position === 'left', lineStyle: { color: t.grid } },
  }
}

function timeChart(t: ChartTheme, view: SnapshotsView, lines: Line[], axes: Array<{ name: string; unit: SnapshotUnit }>) {
  const unitOf = new Map(lines.map((l) => [l.name ?? l.series.label, l.series.unit]))
  const generatedUntil = view.generatedUntil ? Date.parse(view.generatedUntil) : null
  const first = lines.reduce<number | null>((m, l) => {
    const x = l.series.points[0]?.[0]
    return x === undefined ? m : m === null ? x : Math.min(m, x)
  }, null)
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 40, bottom: 56, containLabel: true },
    legend: { top: 0, type: 'scroll', textStyle: { color: t.textDim }, itemWidth: 14, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      backgroundColor: t.panel,
      borderColor: t.border,
      textStyle: { color: t.text },
      valueFormatter: undefined,
      formatter: (params: Array<{ seriesName: string; value: [number, number]; marker: string }>) => {
        if (!params.length) return ''
        const when = new Date(params[0]!.value[0]).toISOString().slice(0, 16).replace('T', ' ')
        const rows = params.map((p) => `${p.marker}${p.seriesName}: <b>${formatValue(unitOf.get(p.seriesName) ?? 'usd', p.value[1])}</b>`)
        return [`${when} UTC`, ...rows].join('<br/>')
      },
    },
    xAxis: { type: 'time', axisLabel: { color: t.textDim }, axisLine: { lineStyle: { color: t.border } } },
    yAxis: axes.map((a, i) => axis(t, a.name, a.unit, i === 0 ? 'left' : 'right')),
    dataZoom: [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', height: 18, bottom: 8, borderColor: t.border, textStyle: { color: t.textDim }, filterMode: 'none' },
    ],
    series: lines.map((l, i) => ({
      name: l.name ?? l.series.label,
      type: 'line',
      yAxisIndex: Math.min(l.axis, axes.length - 1),
      showSymbol: l.series.points.length < 3,
      symbolSize: 5,
      data: l.series.points,
      lineStyle: { width: 1.6, type: l.dashed ? 'dashed' : 'solid', ...(l.color ? { color: l.color } : {}) },
      itemStyle: l.color ? { color: l.color } : {},
      ...(i === 0 && generatedUntil !== null && first !== null
        ? {
            markArea: {
              silent: true,
              itemStyle: { color: 'rgba(139,155,176,0.08)' },
              label: { show: true, position: 'insideTopLeft', color: t.textDim, fontSize: 10, formatter: 'generated (demo history)' },
              data: [[{ xAxis: first }, { xAxis: generatedUntil }]],
            },
          }
        : {}),
    })),
  }
}

const byKey = (view: SnapshotsView, key: string): SnapshotSeries | undefined => view.series.find((s) => s.key === key)

export function equityChart(t: ChartTheme, view: SnapshotsView) {
  const lines: Line[] = []
  const eq = byKey(view, 'equity')
  if (eq) lines.push({ series: eq, axis: 0, color: t.accent })
  const v = byKey(view, 'var')
  if (v) lines.push({ series: v, axis: 1, color: t.warn })
  const es = byKey(view, 'es')
  if (es) lines.push({ series: es, axis: 1, color: t.danger, dashed: true })
  const axes = [{ name: 'Equity, USD', unit: 'usd' as const }]
  if (v || es) axes.push({ name: 'VaR / ES, USD', unit: 'usd' })
  return timeChart(t, view, lines, axes)
}

export function marginChart(t: ChartTheme, view: SnapshotsView, venueColor: (venue: string) => string, venueLabel: (venue: string) => string = (v) => v) {
  const lines: Line[] = []
  const lev = byKey(view, 'leverage')
  if (lev) lines.push({ series: lev, axis: 0, color: t.accent })
  const summed = byKey(view, 'marginRatio')
  if (summed) lines.push({ series: summed, axis: 1, color: t.textDim, dashed: true })
  for (const s of view.series.filter((x) => x.group === 'venue')) {
    lines.push({ series: s, axis: 1, color: venueColor(s.label), name: `Margin ratio ${venueLabel(s.label)}` })
  }
  return timeChart(t, view, lines, [
    { name: 'Leverage, ×', unit: 'times' },
    { name: 'Margin ratio', unit: 'ratio' },
  ])
}

export function greeksChart(t: ChartTheme, view: SnapshotsView, metric: GreekMetric) {
  const lines: Line[] = view.series
    .filter((s) => s.group === 'underlying' && s.key.startsWith(`${metric}:`))
    .map((s, i) => ({ series: s, axis: 0, color: t.series[i % t.series.length], name: s.key.slice(metric.length + 1) }))
  const unit = lines[0]?.series.unit ?? 'usd'
  return timeChart(t, view, lines, [{ name: GREEK_LABEL[metric], unit }])
}
