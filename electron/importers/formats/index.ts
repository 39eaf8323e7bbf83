/** Every built-in export format, in detection order (ties go to the earlier one). */
import { binanceCoinmTrades } from './binance-coinm-trades'
import { binanceUsdmTrades } from './binance-usdm-trades'
import { bybitTrades } from './bybit-trades'
import { bybitTransactions } from './bybit-transactions'
import { deribitTransactions } from './deribit-transactions'
import type { FormatDefinition } from './format'
import { okxTrades } from './okx-trades'

export const BUILT_IN_FORMATS: readonly FormatDefinition[] = [
  binanceUsdmTrades,
  binanceCoinmTrades,
  bybitTrades,
  bybitTransactions,
  okxTrades,
  deribitTransactions,
]

export function builtInFormat(id: string): FormatDefinition | undefined {
  return BUILT_IN_FORMATS.find((f) => f.id === id)
}
