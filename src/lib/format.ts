/**
 * Number formatting for the renderer. Figures from the risk report are float64 (model output);
 * ledger values (quantities, prices, collateral) arrive as decimal strings and are shown as written,
 * grouped but never rounded through a float.
 */
let locale: string | undefined

export function setNumberLocale(value: string | undefined): void {
  locale = value || undefined
  cache.clear()
}

const cache = new Map<string, Intl.NumberFormat>()
function nf(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = cache.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, options)
    cache.set(key, f)
  }
  return f
}

export const DASH = '—'
const MINUS = '\u2212'

/** Real minus sign so negative figures read as such in tabular columns. */
function signed(text: string): string {
  return text.replace(/^-/, MINUS)
}

export function formatUsd(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  return signed(nf(`usd${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value))
}

/** Compact USD for cards: 1.23M, 45.6k. */
export function formatUsdCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  return signed(nf('usdc', { notation: 'compact', maximumFractionDigits: 2 }).format(value))
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  return signed(nf(`n${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value))
}

/** Significant-digit format for quantities like deltas that span 0.0001 to 10,000. */
export function formatSig(value: number | null | undefined, sig = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  if (value === 0) return '0'
  const abs = Math.abs(value)
  const digits = abs >= 1000 ? 0 : Math.min(8, Math.max(0, sig - 1 - Math.floor(Math.log10(abs))))
  return formatNumber(value, digits)
}

export function formatPct(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH
  return signed(nf(`p${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction))
}

export function formatLeverage(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH
  return `${formatNumber(value, value < 10 ? 2 : 1)}×`
}

/** A decimal string shown exactly, with grouping on the integer part. */
export function formatDecimal(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return DASH
  const neg = value.startsWith('-')
  const [int = '0', frac] = (neg ? value.slice(1) : value).split('.')
  const grouped = nf('int', { maximumFractionDigits: 0 }).format(BigInt(int))
  const sep = nf('dec', { minimumFractionDigits: 1 }).formatToParts(1.1).find((p) => p.type === 'decimal')?.value ?? '.'
  return `${neg ? MINUS : ''}${grouped}${frac ? sep + frac : ''}`
}

export function signClass(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return ''
  return value > 0 ? 'pos' : 'neg'
}

/** "3d 04:12:09" — fixed-width pieces so a ticking countdown never shifts the layout. */
export function formatCountdown(seconds: number): string {
  if (!Number.isFinite(seconds)) return DASH
  if (seconds <= 0) return 'expired'
  const s = Math.floor(seconds)
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
  return d > 0 ? `${d}d ${hms}` : hms
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return DASH
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
