import type { Venue } from '../../shared/portfolio-document'

/** Venue names as a trader writes them, for the sentences the analytics produce. */
export const VENUE_NAME: Record<Venue, string> = {
  binance: 'Binance',
  bybit: 'Bybit',
  okx: 'OKX',
  deribit: 'Deribit',
  defi: 'DeFi',
  other: 'Other',
}
