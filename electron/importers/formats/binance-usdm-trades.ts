/**
 * Binance USDⓈ-M futures trade history (Orders > Trade History > Export). Quantity is in the base asset,
 * which is one contract. Layout, sources and mapping: ./binance-trades-common.ts.
 */
export { binanceUsdmTrades } from './binance-trades-common'
