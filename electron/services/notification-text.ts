/**
 * The words of notifications: a desktop notification has a title and one or two lines, so each must
 * say what, which position or account, and how much time or room is left. Times are written in UTC
 * (the exchanges' clock); the app shows them in the same zone.
 */
import type { Account, Instrument, Position } from '../shared/portfolio-document'
import { ALERT_METRIC_INFO } from '../shared/alerts'
import type { AlertObservation } from './alert-evaluator'
import { clearLevel, venueName } from './alert-evaluator'

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const expiryCode = (iso: string): string => {
  const d = new Date(iso)
  return `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear()).slice(2)}`
}

/** The exchange symbol, or a Deribit-style name built from the instrument (same rule as the renderer's). */
export function instrumentName(ins: Instrument): string {
  if (ins.symbol) return ins.symbol
  const exp = ins.expiry ? expiryCode(ins.expiry) : '?'
  switch (ins.kind) {
    case 'option':
      return `${ins.underlying}-${exp}-${ins.strike ?? '?'}-${ins.optionType === 'put' ? 'P' : 'C'}`
    case 'future':
      return `${ins.underlying}-${exp}${ins.settlement === 'inverse' ? ' inverse' : ''}`
    case 'perpetual':
      return `${ins.underlying}${ins.quote} perp`
    case 'spot':
      return `${ins.underlying}/${ins.quote}`
  }
}

/** "2 d 3 h", "1 h", "45 min", "30 s": two units at most, rounded down. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000))
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  if (m > 0) return `${m} min`
  return `${s} s`
}

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`

export function reminderText(opts: {
  positionId: string
  position: Position | undefined
  account: Account | undefined
  expiryMs: number
  leadSeconds: number
  dueMs: number
  nowMs: number
  missed: boolean
}): { title: string; body: string } {
  const name = opts.position ? instrumentName(opts.position.instrument) : opts.positionId
  const left = opts.expiryMs - opts.nowMs
  const title = left > 0 ? `${name} expires in ${formatSpan(left)}` : `${name} expired ${formatSpan(left)} ago`
  const where = opts.account ? `${opts.account.name || opts.account.id} (${venueName(opts.account.venue)})` : undefined
  const qty = opts.position ? `qty ${opts.position.quantity}` : undefined
  const parts = [`Expiry ${utc(opts.expiryMs)}`, where, qty].filter(Boolean)
  // The lead as people say it ("1 d", not "P1D"): a lead typed as PT256864S reads "2 d 23 h".
  const lead = opts.leadSeconds === 0 ? 'at expiry' : `${formatSpan(opts.leadSeconds * 1000)} before expiry`
  const tail = opts.missed ? `Missed reminder (${lead}, due ${utc(opts.dueMs)}).` : `Reminder ${lead}.`
  return { title, body: `${parts.join(' · ')}. ${tail}` }
}

function formatMetric(value: number | null, unit: (typeof ALERT_METRIC_INFO)[keyof typeof ALERT_METRIC_INFO]['unit']): string {
  if (value === null || !Number.isFinite(value)) return 'beyond measure'
  const n = (x: number, digits: number): string =>
    x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/^-/, '\u2212')
  switch (unit) {
    case 'fraction':
      return `${n(value * 100, 1)} %`
    case 'times':
      return `${n(value, 2)}×`
    case 'ratio':
      return n(value, 2)
    case 'usd':
      return `${n(value, 0)} USD`
    case 'usdPerDay':
      return `${n(value, 2)} USD/day`
  }
}

export function alertText(o: AlertObservation): { title: string; body: string; severity: 'warning' | 'danger' } {
  const info = ALERT_METRIC_INFO[o.rule.metric]
  const name = o.rule.name || info.label
  const cmp = o.rule.direction === 'above' ? 'above' : 'below'
  const limit = typeof o.rule.threshold === 'string' ? ` (your ${o.rule.threshold === 'leverageLimit' ? 'leverage' : 'margin-ratio'} limit)` : ''
  const title = `${name} ${formatMetric(o.value, info.unit)} ${cmp} ${formatMetric(o.threshold, info.unit)}: ${o.subjectLabel}`
  const body =
    `${info.label} of ${o.subjectLabel} is ${formatMetric(o.value, info.unit)}, ${cmp} ${formatMetric(o.threshold, info.unit)}${limit}; ` +
    `${info.describe}. No repeat until it is back ${o.rule.direction === 'above' ? 'below' : 'above'} ${formatMetric(clearLevel(o.rule, o.threshold), info.unit)}.`
  const severe =
    o.value === null ||
    !Number.isFinite(o.value) ||
    (o.rule.metric === 'marginRatio' && o.value >= 0.8) ||
    (o.rule.metric === 'healthFactor' && o.value <= 1.05) ||
    (o.rule.metric === 'liquidationDistance' && o.value <= 0.02)
  return { title, body, severity: severe ? 'danger' : 'warning' }
}

export function clearedText(o: AlertObservation): { title: string; body: string } {
  const info = ALERT_METRIC_INFO[o.rule.metric]
  const name = o.rule.name || info.label
  if (o.value === null) {
    return { title: `${name} alert ended: ${o.subjectLabel}`, body: `${info.label} no longer applies to ${o.subjectLabel}; the alert is re-armed.` }
  }
  return {
    title: `${name} back to ${formatMetric(o.value, info.unit)}: ${o.subjectLabel}`,
    body: `${info.label} of ${o.subjectLabel} is ${formatMetric(o.value, info.unit)} again; the alert is re-armed.`,
  }
}
