import type { MarginStatus } from '@engine/report-types'

export const STATUS_LABEL: Record<MarginStatus, string> = {
  ok: 'healthy',
  warning: 'watch',
  danger: 'danger',
  liquidatable: 'liquidatable',
  'no-exposure': 'no exposure',
}

export function statusTone(status: MarginStatus | undefined): 'ok' | 'warn' | 'danger' | '' {
  if (status === 'ok') return 'ok'
  if (status === 'warning') return 'warn'
  if (status === 'danger' || status === 'liquidatable') return 'danger'
  return ''
}

/** Tone of a margin ratio against the user's limit (liquidation at 1). */
export function ratioTone(ratio: number | null | undefined, limit: number): 'ok' | 'warn' | 'danger' | '' {
  if (ratio === null || ratio === undefined) return ''
  if (ratio >= 1 || ratio >= Math.max(limit, 0.8)) return 'danger'
  if (ratio >= limit) return 'warn'
  return 'ok'
}
