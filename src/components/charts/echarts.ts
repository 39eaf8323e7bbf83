/**
 * ECharts, tree-shaken to what Fulcrum draws, and colours read from the theme's CSS variables so a
 * chart follows dark/light like everything else.
 */
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, GaugeChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components'

use([
  CanvasRenderer,
  BarChart,
  GaugeChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
])

export interface ChartTheme {
  text: string
  textDim: string
  grid: string
  border: string
  panel: string
  series: string[]
  pos: string
  neg: string
  warn: string
  danger: string
  accent: string
}

export function chartTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback
  return {
    text: v('--text', '#dfe6ee'),
    textDim: v('--text-dim', '#8b9bb0'),
    grid: v('--chart-grid', '#223042'),
    border: v('--border', '#243041'),
    panel: v('--bg-raised', '#131a23'),
    series: [v('--chart-1', '#4c9aff'), v('--chart-2', '#3fb68b'), v('--chart-3', '#e8b04b'), v('--chart-4', '#b07cff'), v('--chart-5', '#f0616d')],
    pos: v('--pos', '#3fb68b'),
    neg: v('--neg', '#f0616d'),
    warn: v('--warn', '#e8b04b'),
    danger: v('--danger', '#ff5c6c'),
    accent: v('--accent', '#4c9aff'),
  }
}
