import type { Instrument } from '@shared/portfolio-document'

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

/** Deribit-style date code: 27DEC26. */
export function expiryCode(iso: string): string {
  const d = new Date(iso)
  return `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear()).slice(2)}`
}

/** A readable name when the position carries no exchange symbol. */
export function instrumentLabel(ins: Instrument): string {
  if (ins.symbol) return ins.symbol
  const inv = ins.settlement === 'inverse' ? ' inverse' : ''
  switch (ins.kind) {
    case 'spot':
      return `${ins.underlying}/${ins.quote}`
    case 'perpetual':
      return `${ins.underlying}${ins.quote} perp${inv}`
    case 'future':
      return `${ins.underlying}-${ins.expiry ? expiryCode(ins.expiry) : '?'}${inv}`
    case 'option':
      return `${ins.underlying}-${ins.expiry ? expiryCode(ins.expiry) : '?'}-${ins.strike ?? '?'}-${ins.optionType === 'put' ? 'P' : 'C'}`
  }
}

export function kindLabel(ins: Instrument): string {
  const settle = ins.kind === 'spot' ? '' : ins.settlement === 'inverse' ? ' · inverse' : ' · linear'
  return `${ins.kind[0]!.toUpperCase()}${ins.kind.slice(1)}${settle}`
}
