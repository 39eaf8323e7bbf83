/**
 * Binance COIN-M futures trade history. Same header as USDⓈ-M; Quantity is in contracts (100 USD for BTC,
 * 10 USD for the others), fees and realized profit are in the coin. Layout, sources and mapping:
 * ./binance-trades-common.ts.
 */
export { binanceCoinmTrades } from './binance-trades-common'
