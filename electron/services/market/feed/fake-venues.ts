/**
 * A stand-in for the venues' public APIs on 127.0.0.1, for tests and for trying the feed offline
 * (`npx tsx scripts/fake-market-server.ts`). It answers with payloads shaped exactly like the ones
 * in the venues' documentation (field names, strings vs numbers, envelopes, error bodies), from a
 * small table of prices the caller controls, and can be told to misbehave: rate-limit answers with
 * their retry hints, malformed JSON, server errors, and connections dropped mid-answer.
 *
 * Nothing here touches the internet.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BaseUrlKey } from './venues'

export interface FakeMarket {
  /** Index prices by underlying (USD). */
  index: Record<string, string>
  /** Marks by venue symbol (quote currency; coin per unit for inverse options). */
  mark: Record<string, string>
  /** Implied vols (fractions) by option symbol. */
  iv: Record<string, number>
  /** Funding rates per interval by perpetual symbol. */
  funding: Record<string, string>
  /** Daily closes of the index per underlying, oldest first. */
  closes: Record<string, Array<[string, string]>>
}

export interface Reply {
  status?: number
  headers?: Record<string, string>
  json?: unknown
  text?: string
  /** Drop the connection: before any answer, or after part of the body. */
  drop?: 'before-headers' | 'mid-body'
  /** Never answer (the client's timeout must fire). */
  hang?: boolean
}

export interface Hit {
  path: string
  query: URLSearchParams
}

const MS_DAY = 86_400_000

export class FakeVenueServer {
  readonly hits: Hit[] = []
  readonly market: FakeMarket = { index: {}, mark: {}, iv: {}, funding: {}, closes: {} }
  /** Replies used once each, before the normal answer, matched by path prefix. */
  private readonly queued: Array<{ prefix: string; reply: Reply }> = []
  private server: http.Server | null = null
  private port = 0
  /** Answers every request with this while set (a venue that is down). */
  outage: Reply | null = null

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    this.server = null
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Every base URL of every venue pointed at this server (paths tell the venues apart). */
  baseUrls(): Record<BaseUrlKey, string> {
    const o = this.origin
    return { 'binance-spot': o, 'binance-usdm': o, 'binance-coinm': o, 'binance-options': o, bybit: o, okx: o, deribit: o }
  }

  once(prefix: string, reply: Reply): void {
    this.queued.push({ prefix, reply })
  }

  hitsOf(prefix: string): Hit[] {
    return this.hits.filter((h) => h.path.startsWith(prefix))
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    this.hits.push({ path: url.pathname, query: url.searchParams })
    const i = this.queued.findIndex((q) => url.pathname.startsWith(q.prefix))
    const reply = this.outage ?? (i >= 0 ? this.queued.splice(i, 1)[0]!.reply : this.answer(url))
    send(res, reply)
  }

  private answer(url: URL): Reply {
    const p = url.pathname
    const q = url.searchParams
    const m = this.market
    const time = 1_797_000_000_000
    switch (p) {
      // ---- Binance ----
      case '/fapi/v1/premiumIndex': {
        const symbol = q.get('symbol') ?? ''
        const base = symbol.replace(/USDT(_\d{6})?$/, '')
        const idx = m.index[base]
        if (!idx) return { status: 400, json: { code: -1121, msg: 'Invalid symbol.' } }
        return {
          json: {
            symbol,
            markPrice: m.mark[symbol] ?? idx,
            indexPrice: idx,
            estimatedSettlePrice: idx,
            lastFundingRate: m.funding[symbol] ?? '0.00010000',
            interestRate: '0.00010000',
            nextFundingTime: time + 3_600_000,
            time,
          },
        }
      }
      case '/dapi/v1/premiumIndex': {
        const symbol = q.get('symbol') ?? ''
        const base = symbol.replace(/USD_(PERP|\d{6})$/, '')
        const idx = m.index[base]
        if (!idx) return { status: 400, json: { code: -1121, msg: 'Invalid symbol.' } }
        const perp = symbol.endsWith('_PERP')
        return {
          json: [
            {
              symbol,
              pair: `${base}USD`,
              markPrice: m.mark[symbol] ?? idx,
              indexPrice: idx,
              estimatedSettlePrice: idx,
              lastFundingRate: perp ? (m.funding[symbol] ?? '0.00010000') : '',
              interestRate: perp ? '0.00010000' : '',
              nextFundingTime: perp ? time + 3_600_000 : 0,
              time,
            },
          ],
        }
      }
      case '/eapi/v1/mark': {
        const symbol = q.get('symbol') ?? ''
        if (!m.mark[symbol]) return { status: 400, json: { code: -1121, msg: 'Invalid symbol.' } }
        return {
          json: [
            {
              symbol,
              markPrice: m.mark[symbol],
              bidIV: '0.50000000',
              askIV: '0.56000000',
              markIV: String(m.iv[symbol] ?? 0.5),
              delta: '0.55937056',
              theta: '-37.82509871',
              gamma: '0.00010969',
              vega: '97.58874732',
              highPriceLimit: '1618.241',
              lowPriceLimit: '1068.3356',
              riskFreeInterest: '0.1',
            },
          ],
        }
      }
      case '/api/v3/klines': {
        const base = (q.get('symbol') ?? '').replace(/USDT$/, '')
        const start = Number(q.get('startTime') ?? 0)
        const rows = (m.closes[base] ?? [])
          .map(([day, close]) => ({ open: Date.parse(`${day}T00:00:00Z`), close }))
          .filter((r) => r.open >= start)
          .map((r) => [r.open, r.close, r.close, r.close, r.close, '1000.0', r.open + MS_DAY - 1, '1.0', 100, '1.0', '1.0', '0'])
        return { json: rows }
      }
      // ---- Bybit ----
      case '/v5/market/tickers': {
        const category = q.get('category')
        const symbol = q.get('symbol') ?? ''
        const base = symbol.replace(/(USDT|USD|PERP)$/, '').replace(/-.*$/, '')
        const idx = m.index[base]
        const envelope = (list: unknown[]): Reply => ({ json: { retCode: 0, retMsg: 'OK', result: { category, list }, retExtInfo: {}, time } })
        if (!idx) return { json: { retCode: 10001, retMsg: 'params error: symbol invalid', result: {}, retExtInfo: {}, time } }
        if (category === 'option') {
          if (!m.mark[symbol]) return envelope([])
          return envelope([
            {
              symbol,
              bid1Price: '0',
              bid1Size: '0',
              bid1Iv: '0',
              ask1Price: '0',
              ask1Size: '0',
              ask1Iv: '0',
              lastPrice: m.mark[symbol],
              highPrice24h: '0',
              lowPrice24h: '0',
              markPrice: m.mark[symbol],
              indexPrice: idx,
              markIv: String(m.iv[symbol] ?? 0.5),
              underlyingPrice: idx,
              openInterest: '0',
              turnover24h: '0',
              volume24h: '0',
              totalVolume: '0',
              totalTurnover: '0',
              delta: '0.5',
              gamma: '0.0001',
              vega: '10',
              theta: '-5',
              predictedDeliveryPrice: '0',
              change24h: '0',
            },
          ])
        }
        return envelope([
          {
            symbol,
            lastPrice: m.mark[symbol] ?? idx,
            indexPrice: idx,
            markPrice: m.mark[symbol] ?? idx,
            prevPrice24h: idx,
            price24hPcnt: '0.001',
            highPrice24h: idx,
            lowPrice24h: idx,
            prevPrice1h: idx,
            openInterest: '1000',
            openInterestValue: '1000000',
            turnover24h: '1000000',
            volume24h: '1000',
            fundingRate: m.funding[symbol] ?? '0.0001',
            nextFundingTime: String(time + 3_600_000),
            fundingIntervalHour: '8',
            predictedDeliveryPrice: '',
            basisRate: '',
            deliveryFeeRate: '',
            deliveryTime: '0',
            ask1Size: '1',
            bid1Price: idx,
            ask1Price: idx,
            bid1Size: '1',
            basis: '',
          },
        ])
      }
      case '/v5/market/index-price-kline': {
        const base = (q.get('symbol') ?? '').replace(/USDT$/, '')
        const list = (m.closes[base] ?? [])
          .map(([day, close]) => [String(Date.parse(`${day}T00:00:00Z`)), close, close, close, close])
          .reverse()
        return { json: { retCode: 0, retMsg: 'OK', result: { symbol: q.get('symbol'), category: 'linear', list }, retExtInfo: {}, time } }
      }
      // ---- OKX ----
      case '/api/v5/market/index-tickers': {
        const base = (q.get('instId') ?? '').replace(/-USD$/, '')
        const idx = m.index[base]
        if (!idx) return { json: { code: '51001', msg: 'Instrument ID does not exist', data: [] } }
        return { json: { code: '0', msg: '', data: [{ instId: `${base}-USD`, idxPx: idx, high24h: idx, sodUtc0: idx, open24h: idx, low24h: idx, sodUtc8: idx, ts: String(time) }] } }
      }
      case '/api/v5/public/mark-price': {
        const instId = q.get('instId') ?? ''
        const base = instId.split('-')[0]!
        const px = m.mark[instId] ?? (q.get('instType') === 'OPTION' ? undefined : m.index[base])
        if (!px) return { json: { code: '51001', msg: 'Instrument ID does not exist', data: [] } }
        return { json: { code: '0', msg: '', data: [{ instType: q.get('instType'), instId, markPx: px, ts: String(time) }] } }
      }
      case '/api/v5/public/funding-rate': {
        const instId = q.get('instId') ?? ''
        return {
          json: {
            code: '0',
            msg: '',
            data: [
              {
                formulaType: 'noRate',
                fundingRate: m.funding[instId] ?? '0.0000182221218054',
                fundingTime: String(time + 3_600_000),
                impactValue: '',
                instId,
                instType: 'SWAP',
                interestRate: '',
                maxFundingRate: '0.00375',
                method: 'current_period',
                minFundingRate: '-0.00375',
                nextFundingRate: '',
                nextFundingTime: String(time + 3_600_000 + 4 * 3_600_000),
                premium: '0.0000910113652644',
                settFundingRate: '0.0000145824401745',
                settState: 'settled',
                ts: String(time),
              },
            ],
          },
        }
      }
      case '/api/v5/public/opt-summary': {
        const family = q.get('instFamily') ?? ''
        const data = Object.keys(m.iv)
          .filter((s) => s.startsWith(`${family}-`))
          .map((instId) => ({ instId, instType: 'OPTION', uly: family, markVol: String(m.iv[instId]), bidVol: '0', askVol: '0', realVol: '0', volLv: '0', fwdPx: '0', delta: '0', gamma: '0', vega: '0', theta: '0', deltaBS: '0', gammaBS: '0', vegaBS: '0', thetaBS: '0', lever: '0', ts: String(time) }))
        return { json: { code: '0', msg: '', data } }
      }
      case '/api/v5/market/index-candles': {
        const base = (q.get('instId') ?? '').replace(/-USD$/, '')
        const data = (m.closes[base] ?? []).map(([day, close]) => [String(Date.parse(`${day}T00:00:00Z`)), close, close, close, close, '1']).reverse()
        return { json: { code: '0', msg: '', data } }
      }
      // ---- Deribit ----
      case '/api/v2/public/get_index_price': {
        const name = q.get('index_name') ?? ''
        const base = name.split('_')[0]!.toUpperCase()
        const idx = m.index[base]
        if (!idx) return { status: 400, json: { jsonrpc: '2.0', error: { code: -32602, message: 'Invalid params', data: { reason: 'must be one of the supported index names', param: 'index_name' } }, usIn: time * 1000, usOut: time * 1000 + 50, usDiff: 50, testnet: false } }
        return { json: { jsonrpc: '2.0', result: { index_price: Number(idx), estimated_delivery_price: Number(idx) }, usIn: time * 1000, usOut: time * 1000 + 50, usDiff: 50, testnet: false } }
      }
      case '/api/v2/public/ticker': {
        const name = q.get('instrument_name') ?? ''
        const base = name.split(/[-_]/)[0]!
        const idx = m.index[base]
        const mark = m.mark[name]
        if (!idx || !mark) return { status: 400, json: { jsonrpc: '2.0', error: { code: 10004, message: 'not_found' }, usIn: time * 1000, usOut: time * 1000 + 40, usDiff: 40, testnet: false } }
        const option = /-[CP]$/.test(name)
        const result: Record<string, unknown> = {
          timestamp: time,
          stats: { volume_usd: 1e6, volume: 10, price_change: 0.1, low: Number(idx), high: Number(idx) },
          state: 'open',
          settlement_price: Number(mark),
          open_interest: 1000,
          min_price: Number(mark) * 0.9,
          max_price: Number(mark) * 1.1,
          mark_price: Number(mark),
          last_price: Number(mark),
          instrument_name: name,
          index_price: Number(idx),
          estimated_delivery_price: Number(idx),
          best_bid_price: Number(mark),
          best_bid_amount: 10,
          best_ask_price: Number(mark),
          best_ask_amount: 10,
        }
        if (option) {
          Object.assign(result, {
            underlying_price: Number(idx),
            underlying_index: 'index_price',
            mark_iv: (m.iv[name] ?? 0.5) * 100,
            bid_iv: 0,
            ask_iv: 0,
            interest_rate: 0,
            greeks: { delta: 0.5, gamma: 0.0001, vega: 10, theta: -5, rho: 1 },
          })
        } else if (name.endsWith('PERPETUAL')) {
          Object.assign(result, { current_funding: 0, funding_8h: Number(m.funding[name] ?? '0.00002'), interest_value: 0 })
        }
        return { json: { jsonrpc: '2.0', result, usIn: time * 1000, usOut: time * 1000 + 40, usDiff: 40, testnet: false } }
      }
      default:
        return { status: 404, text: 'Not Found' }
    }
  }
}

function send(res: http.ServerResponse, reply: Reply): void {
  if (reply.hang) return
  if (reply.drop === 'before-headers') {
    res.socket?.destroy()
    return
  }
  const body = reply.text ?? JSON.stringify(reply.json ?? null)
  res.writeHead(reply.status ?? 200, { 'content-type': reply.text !== undefined ? 'text/plain' : 'application/json', ...reply.headers })
  if (reply.drop === 'mid-body') {
    // Promise a longer body than is sent, then cut the connection: a truncated answer.
    res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))))
    setTimeout(() => res.socket?.destroy(), 5)
    return
  }
  res.end(body)
}

/** Timers and a clock that move only when a test says so. */
export class ManualTimers {
  nowMs: number
  private tasks: Array<{ id: number; at: number; fn: () => void; every?: number }> = []
  private next = 1

  constructor(startMs: number) {
    this.nowMs = startMs
  }

  readonly clock = { now: (): Date => new Date(this.nowMs) }

  setTimeout = (fn: () => void, ms: number): object => {
    const t = { id: this.next++, at: this.nowMs + Math.max(0, ms), fn }
    this.tasks.push(t)
    return t
  }
  clearTimeout = (h: object): void => {
    this.tasks = this.tasks.filter((t) => t !== h)
  }
  setInterval = (fn: () => void, ms: number): object => {
    const t = { id: this.next++, at: this.nowMs + ms, fn, every: ms }
    this.tasks.push(t)
    return t
  }
  clearInterval = (h: object): void => this.clearTimeout(h)

  /** The time of the next task, if any. */
  nextAt(): number | undefined {
    return this.tasks.reduce<number | undefined>((m, t) => (m === undefined || t.at < m ? t.at : m), undefined)
  }

  /** Moves the clock by `ms`, running every task that falls due, in order. */
  advance(ms: number): void {
    const end = this.nowMs + ms
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!due) break
      this.nowMs = Math.max(this.nowMs, due.at)
      if (due.every) due.at += due.every
      else this.tasks = this.tasks.filter((t) => t !== due)
      due.fn()
    }
    this.nowMs = end
  }
}
