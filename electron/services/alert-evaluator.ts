/**
 * Risk alerts, pure part: the value each rule watches, read from the engine's risk report, and the
 * hysteresis step that decides whether an alarm starts, ends or holds. The service keeps the state in
 * SQLite and announces the starts.
 *
 * Figures come from the report (float64 model output), the same numbers the app shows, so an alert
 * never disagrees with the screen it sends the user to.
 */
import type { AccountReport, RiskReport } from '../engine/report-types'
import { ALERT_METRIC_INFO, ruleThreshold, type AlertLimitSetting, type AlertMetric, type AlertRule } from '../shared/alerts'

export interface AlertObservation {
  rule: AlertRule
  /** The number the rule compares against, its setting followed. */
  threshold: number
  /** 'total', 'venue:<venue>' or 'account:<id>': one alarm per rule and subject. */
  subject: string
  subjectLabel: string
  /** Where a click on the notification leads. */
  route: string
  /** The watched figure; Infinity when beyond measure (equity gone); null when it does not apply now. */
  value: number | null
}

const VENUE_NAMES: Record<string, string> = {
  binance: 'Binance',
  bybit: 'Bybit',
  okx: 'OKX',
  deribit: 'Deribit',
  defi: 'DeFi',
  other: 'Other',
}
export const venueName = (v: string): string => VENUE_NAMES[v] ?? v

/** A ratio the engine leaves null when equity is gone is, for an alert, as bad as it gets. */
const orBeyond = (v: number | null, exposed: boolean): number | null => (v !== null ? v : exposed ? Infinity : null)

function minOrNull(values: Iterable<number | null>): number | null {
  let best: number | null = null
  for (const v of values) if (v !== null && (best === null || v < best)) best = v
  return best
}

function accountValue(metric: AlertMetric, a: AccountReport, report: RiskReport): number | null {
  switch (metric) {
    case 'marginRatio':
      return orBeyond(a.marginRatio, a.status === 'liquidatable')
    case 'leverage':
      return orBeyond(a.leverage, a.grossNotional > 0)
    case 'liquidationDistance':
      // Same rule as the engine's venue figure: the account's cross distances and its isolated positions'.
      return minOrNull([
        ...Object.values(a.liquidationDistance),
        ...report.positions.filter((p) => p.account === a.id && p.marginMode === 'isolated').map((p) => p.liquidationDistance),
      ])
    case 'healthFactor':
      return a.healthFactor
    case 'netDelta':
      return Math.abs(report.positions.filter((p) => p.account === a.id).reduce((s, p) => s + p.deltaUsd, 0))
    case 'fundingCostPerDay':
      return -a.fundingPerDay
  }
}

function venueValue(metric: AlertMetric, venue: string, report: RiskReport): number | null {
  const v = report.venues.find((x) => x.venue === venue)
  if (!v) return null
  switch (metric) {
    case 'marginRatio':
      return orBeyond(v.marginRatio, v.maintenanceMargin > 0)
    case 'leverage':
      return orBeyond(v.leverage, v.grossNotional > 0)
    case 'liquidationDistance':
      return v.minLiquidationDistance
    case 'healthFactor':
      return null
    case 'netDelta':
      return Math.abs(report.positions.filter((p) => p.venue === venue).reduce((s, p) => s + p.deltaUsd, 0))
    case 'fundingCostPerDay':
      return -report.accounts.filter((a) => a.venue === venue).reduce((s, a) => s + a.fundingPerDay, 0)
  }
}

function totalValue(metric: AlertMetric, report: RiskReport): number | null {
  const p = report.portfolio
  switch (metric) {
    case 'marginRatio':
      return orBeyond(p.marginRatio, p.maintenanceMargin > 0)
    case 'leverage':
      return orBeyond(p.leverage, p.grossNotional > 0)
    case 'liquidationDistance':
      return p.minLiquidationDistance?.distance ?? null
    case 'healthFactor':
      return null
    case 'netDelta':
      return Math.abs(p.netDeltaUsd)
    case 'fundingCostPerDay':
      return -p.fundingPerDay
  }
}

/** Every (enabled rule, subject) pair the report has a figure for. */
export function observe(
  rules: readonly AlertRule[],
  report: RiskReport,
  limits: Record<AlertLimitSetting, number>,
  accountName: (id: string) => string,
): AlertObservation[] {
  const out: AlertObservation[] = []
  for (const rule of rules) {
    if (!rule.enabled) continue
    const threshold = ruleThreshold(rule, limits)
    const add = (subject: string, subjectLabel: string, route: string, value: number | null): void => {
      out.push({ rule, threshold, subject, subjectLabel, route, value })
    }
    if (rule.scope === 'total') {
      add('total', 'whole book', '/', totalValue(rule.metric, report))
    } else if (rule.scope === 'venue') {
      const venues = rule.target !== undefined ? [rule.target] : report.venues.map((v) => v.venue)
      for (const v of venues) {
        if (!report.venues.some((x) => x.venue === v)) continue
        add(`venue:${v}`, venueName(v), `/margin?venue=${encodeURIComponent(v)}`, venueValue(rule.metric, v, report))
      }
    } else {
      const accounts = rule.target !== undefined ? report.accounts.filter((a) => a.id === rule.target) : report.accounts
      for (const a of accounts) {
        add(`account:${a.id}`, `${accountName(a.id)} (${venueName(a.venue)})`, `/margin?account=${encodeURIComponent(a.id)}`, accountValue(rule.metric, a, report))
      }
    }
  }
  return out
}

export type AlertStep = 'trigger' | 'clear' | 'hold'

/**
 * Hysteresis: an alarm starts when the value crosses the threshold and ends only once it is back
 * beyond the band (threshold ∓ |threshold| × hysteresis), so a value that flickers around the
 * threshold starts one alarm, not one per tick. A figure that stops applying (position closed,
 * account gone) ends the alarm.
 */
export function hysteresisStep(
  firing: boolean,
  value: number | null,
  rule: Pick<AlertRule, 'direction' | 'hysteresis'>,
  threshold: number,
): AlertStep {
  if (value === null || Number.isNaN(value)) return firing ? 'clear' : 'hold'
  const level = clearLevel(rule, threshold)
  // A value exactly at the band's edge clears, whatever float rounding did to the edge (0.05 × 1.1).
  const eps = Math.abs(level) * 1e-12
  if (rule.direction === 'above') {
    if (!firing) return value > threshold ? 'trigger' : 'hold'
    return value <= level + eps ? 'clear' : 'hold'
  }
  if (!firing) return value < threshold ? 'trigger' : 'hold'
  return value >= level - eps ? 'clear' : 'hold'
}

/** The value at which a firing alarm ends. */
export function clearLevel(rule: Pick<AlertRule, 'direction' | 'hysteresis'>, threshold: number): number {
  const band = Math.abs(threshold) * rule.hysteresis
  return rule.direction === 'above' ? threshold - band : threshold + band
}

export const metricLabel = (m: AlertMetric): string => ALERT_METRIC_INFO[m].label
