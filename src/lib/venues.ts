import type { Venue } from '@shared/portfolio-document'

export const VENUE_LABEL: Record<Venue, string> = {
  binance: 'Binance',
  bybit: 'Bybit',
  okx: 'OKX',
  deribit: 'Deribit',
  defi: 'DeFi',
  other: 'Other',
}

/** One colour per venue, used for dots, bars and chart series so a venue reads the same everywhere. */
export const VENUE_COLOR: Record<Venue, string> = {
  binance: '#f0b90b',
  bybit: '#f7a600',
  okx: '#8c9bff',
  deribit: '#13c4a3',
  defi: '#b07cff',
  other: '#8b9bb0',
}
