import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { positionSchema, type Position } from '../../../shared/portfolio-document'
import { FEED_VENUES, type FeedStatus, type FeedVenue, type MarketFeedSettings } from '../../../shared/market-contract'
import { FakeVenueServer, ManualTimers } from './fake-venues'
import { MarketFeed, type FeedQuotes, type FeedTargets } from './feed'
import { getJson, retryAfterMs } from './http'

const START = Date.parse('2026-12-01T10:00:00Z')

function pos(id: string, instrument: Record<string, unknown>): Position {
  return positionSchema.parse({ id, account: 'a', instrument, quantity: '1', entryPrice: '1' })
}

const POSITIONS: Array<{ position: Position; venue: FeedVenue }> = [
  { venue: 'binance', position: pos('bn-perp', { kind: 'perpetual', underlying: 'BTC', quote: 'USDT', symbol: 'BTCUSDT' }) },
  { venue: 'binance', position: pos('bn-quarter', { kind: 'future', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '100', expiry: '2026-12-25T08:00:00Z' }) },
  { venue: 'binance', position: pos('bn-call', { kind: 'option', underlying: 'ETH', quote: 'USDT', optionType: 'call', strike: '3500', expiry: '2026-12-25T08:00:00Z' }) },
  { venue: 'bybit', position: pos('by-perp', { kind: 'perpetual', underlying: 'ETH', quote: 'USDT' }) },
  { venue: 'bybit', position: pos('by-put', { kind: 'option', underlying: 'BTC', quote: 'USDC', optionType: 'put', strike: '85000', expiry: '2026-12-04T08:00:00Z' }) },
  { venue: 'okx', position: pos('ok-swap', { kind: 'perpetual', underlying: 'BTC', quote: 'USDT' }) },
  { venue: 'okx', position: pos('ok-call', { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', optionType: 'call', strike: '100000', expiry: '2026-12-25T08:00:00Z' }) },
  { venue: 'deribit', position: pos('dr-perp', { kind: 'perpetual', settlement: 'inverse', underlying: 'BTC', quote: 'USD', contractSize: '10' }) },
  { venue: 'deribit', position: pos('dr-call', { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', optionType: 'call', strike: '95000', expiry: '2026-12-25T08:00:00Z' }) },
]

let server: FakeVenueServer
let timers: ManualTimers
let feed: MarketFeed
let settings: MarketFeedSettings
let applied: FeedQuotes[]
let statuses: FeedStatus[]
let targets: FeedTargets
let history: Array<{ symbol: string; closes: Array<[string, string]>; source: string }>
let staleAfterMs: number

function makeFeed(extra: Partial<ConstructorParameters<typeof MarketFeed>[0]> = {}): MarketFeed {
  return new MarketFeed({
    clock: timers.clock,
    timers,
    settings: () => settings,
    staleAfterMs: () => staleAfterMs,
    targets: () => targets,
    apply: (q) => applied.push(q),
    applyHistory: (symbol, closes, source) => history.push({ symbol, closes, source }),
    onStatus: (s) => statuses.push(s),
    baseUrls: server.baseUrls(),
    requestGapMs: 0,
    timeoutMs: 2_000,
    random: () => 0.5, // jitter factor exactly 1
    ...extra,
  })
}

beforeEach(async () => {
  server = new FakeVenueServer()
  await server.start()
  Object.assign(server.market.index, { BTC: '93012.45', ETH: '3051.2' })
  Object.assign(server.market.mark, {
    BTCUSDT: '93050.1',
    BTCUSD_261225: '93890.7',
    'ETH-261225-3500-C': '120.5',
    ETHUSDT: '3052.8',
    'BTC-4DEC26-85000-P': '410.25',
    'BTC-USDT-SWAP': '93049.9',
    'BTC-USD-261225-100000-C': '0.0125',
    'BTC-PERPETUAL': '93020.5',
    'BTC-25DEC26-95000-C': '0.0321',
  })
  Object.assign(server.market.iv, { 'ETH-261225-3500-C': 0.61, 'BTC-4DEC26-85000-P': 0.58, 'BTC-USD-261225-100000-C': 0.5234, 'BTC-25DEC26-95000-C': 0.523 })
  Object.assign(server.market.funding, { BTCUSDT: '0.00010000', ETHUSDT: '0.00005', 'BTC-USDT-SWAP': '0.0000182221218054', 'BTC-PERPETUAL': '0.0000215' })
  timers = new ManualTimers(START)
  settings = { enabled: true, venues: [...FEED_VENUES], pollSeconds: 30 }
  applied = []
  statuses = []
  history = []
  staleAfterMs = 3_600_000
  targets = { indices: ['BTC', 'ETH'], instruments: POSITIONS, history: [] }
  feed = makeFeed()
})

afterEach(async () => {
  feed.stop()
  await feed.whenIdle()
  await server.stop()
})

/** Runs what is due now and waits for the polls it started (real HTTP to 127.0.0.1). */
async function step(ms = 0): Promise<void> {
  timers.advance(ms)
  await feed.whenIdle()
}

const marks = (): Record<string, unknown> => Object.fromEntries(applied.flatMap((q) => q.marks.map((m) => [m.positionId, m.patch])))
const venue = (v: FeedVenue) => feed.status().venues.find((s) => s.venue === v)!

describe('prices from the documented payloads of every venue', () => {
  it('reads index prices, marks, implied vols and funding with their intervals', async () => {
    feed.reconfigure()
    await step()
    const indices = applied.flatMap((q) => q.indices)
    // Binance comes first for the index; each underlying is asked once.
    expect(indices).toEqual([
      { symbol: 'BTC', price: '93012.45', source: 'feed:binance' },
      { symbol: 'ETH', price: '3051.2', source: 'feed:binance' },
    ])
    expect(marks()).toEqual({
      'bn-perp': { mark: '93050.1', fundingRate: 0.0001 },
      // derived names: COIN-M quarterly BTCUSD_261225, options BTC-261225-... on eapi
      'bn-quarter': { mark: '93890.7' },
      'bn-call': { mark: '120.5', iv: 0.61 },
      'by-perp': { mark: '3052.8', fundingRate: 0.00005, fundingIntervalHours: 8 },
      'by-put': { mark: '410.25', iv: 0.58 },
      // OKX: the interval is nextFundingTime − fundingTime (4 h in the payload)
      'ok-swap': { mark: '93049.9', fundingRate: 0.0000182221218054, fundingIntervalHours: 4 },
      'ok-call': { mark: '0.0125', iv: 0.5234 },
      // Deribit: funding_8h per 8 hours; mark_iv is in percent
      'dr-perp': { mark: '93020.5', fundingRate: 0.0000215, fundingIntervalHours: 8 },
      'dr-call': { mark: '0.0321', iv: 0.523 },
    })
    expect(feed.status()).toMatchObject({ enabled: true, state: 'online' })
    expect(FEED_VENUES.map((v) => venue(v).state)).toEqual(['online', 'online', 'online', 'online'])
    expect(server.hitsOf('/api/v2/public/ticker').map((h) => h.query.get('instrument_name'))).toEqual(['BTC-PERPETUAL', 'BTC-25DEC26-95000-C'])
  })

  it('polls again after pollSeconds, not before', async () => {
    feed.reconfigure()
    await step()
    const n = server.hits.length
    await step(29_999)
    expect(server.hits.length).toBe(n)
    await step(1)
    expect(server.hits.length).toBe(2 * n)
  })

  it('asks nothing of anyone while it is off', async () => {
    settings = { ...settings, enabled: false }
    feed.reconfigure()
    await step(3_600_000)
    expect(server.hits).toEqual([])
    expect(feed.status().state).toBe('off')
  })

  it('stops asking when turned off, and says so', async () => {
    feed.reconfigure()
    await step()
    settings = { ...settings, enabled: false }
    feed.reconfigure()
    const n = server.hits.length
    await step(600_000)
    expect(server.hits.length).toBe(n)
    expect(statuses.at(-1)!.state).toBe('off')
  })
})

describe('when a venue misbehaves', () => {
  it('waits as long as a 429 says (Retry-After) and recovers', async () => {
    server.once('/fapi/', { status: 429, headers: { 'retry-after': '7' }, json: { code: -1003, msg: 'Too many requests; current limit is 2400 request weight per 1 MINUTE.' } })
    feed.reconfigure()
    await step()
    expect(venue('binance')).toMatchObject({ state: 'offline', consecutiveFailures: 1, rateLimitedUntil: new Date(START + 7_000).toISOString().replace('.000Z', 'Z') })
    // Every other venue carries on, and the index comes from the next venue while Binance waits.
    expect(venue('okx').state).toBe('online')
    const before = server.hitsOf('/fapi/').length
    await step(6_999)
    expect(server.hitsOf('/fapi/').length).toBe(before)
    await step(1)
    expect(server.hitsOf('/fapi/').length).toBeGreaterThan(before)
    expect(venue('binance')).toMatchObject({ state: 'online', consecutiveFailures: 0, rateLimitedUntil: null })
  })

  it('backs off exponentially on malformed answers and server errors, then recovers by itself', async () => {
    settings = { ...settings, venues: ['bybit'] }
    targets = { ...targets, instruments: POSITIONS.filter((p) => p.venue === 'bybit') }
    server.once('/v5/', { status: 200, text: '<html><body>502 Bad Gateway</body></html>' })
    server.once('/v5/', { status: 502, text: 'Bad Gateway' })
    server.once('/v5/', { status: 200, text: '{"retCode":0,"result":' })
    feed.reconfigure()
    await step()
    expect(venue('bybit')).toMatchObject({ state: 'offline', consecutiveFailures: 1 })
    expect(venue('bybit').lastError).toMatch(/not JSON/)
    expect(feed.status().state).toBe('offline')
    const at = (): number => Date.parse(venue('bybit').nextAttemptAt!) - timers.nowMs
    expect(at()).toBe(2_000)
    await step(2_000)
    expect(venue('bybit')).toMatchObject({ consecutiveFailures: 2, lastError: expect.stringMatching(/HTTP 502/) })
    expect(at()).toBe(4_000)
    await step(4_000)
    expect(venue('bybit').consecutiveFailures).toBe(3)
    expect(at()).toBe(8_000)
    await step(8_000)
    expect(venue('bybit')).toMatchObject({ state: 'online', consecutiveFailures: 0 })
    expect(marks()['by-perp']).toEqual({ mark: '3052.8', fundingRate: 0.00005, fundingIntervalHours: 8 })
  })

  it('treats a dropped connection as a network failure and reconnects on the next attempt', async () => {
    settings = { ...settings, venues: ['deribit'] }
    targets = { ...targets, instruments: POSITIONS.filter((p) => p.venue === 'deribit') }
    server.once('/api/v2/', { drop: 'before-headers' })
    feed.reconfigure()
    await step()
    expect(venue('deribit')).toMatchObject({ state: 'offline' })
    expect(venue('deribit').lastError).toMatch(/cannot reach 127\.0\.0\.1/)
    server.once('/api/v2/', { drop: 'mid-body', json: { jsonrpc: '2.0', result: { index_price: 93012.45, estimated_delivery_price: 93012.45 } } })
    await step(2_000)
    expect(venue('deribit')).toMatchObject({ state: 'offline', consecutiveFailures: 2 })
    await step(4_000)
    expect(venue('deribit').state).toBe('online')
    expect(marks()['dr-perp']).toMatchObject({ mark: '93020.5' })
  })

  it('gives up on a request that never answers', async () => {
    settings = { ...settings, venues: ['okx'] }
    targets = { ...targets, indices: ['BTC'], instruments: [] }
    feed.stop()
    feed = makeFeed({ timeoutMs: 150 })
    server.once('/api/v5/', { hang: true })
    feed.reconfigure()
    await step()
    expect(venue('okx')).toMatchObject({ state: 'offline', lastError: expect.stringMatching(/did not answer in time/) })
  })

  it("honours each venue's own rate-limit answer", async () => {
    // Bybit: "403, access too frequent" is a ~10 minute IP ban; OKX 50011 comes as HTTP 429;
    // Deribit's 10028 too_many_requests is a JSON-RPC error.
    server.once('/v5/', { status: 403, text: 'access too frequent' })
    server.once('/api/v5/', { status: 429, json: { msg: 'Too Many Requests', code: '50011' } })
    server.once('/api/v2/', { status: 429, json: { jsonrpc: '2.0', error: { message: 'too_many_requests', code: 10028 }, testnet: false } })
    settings = { ...settings, venues: ['bybit', 'okx', 'deribit'] }
    feed.reconfigure()
    await step()
    const until = (v: FeedVenue): number => Date.parse(venue(v).rateLimitedUntil!) - START
    expect(until('bybit')).toBe(600_000)
    expect(until('okx')).toBe(2_000)
    expect(until('deribit')).toBe(2_000)
    // Deribit also says it inside a 200 answer.
    const body = { jsonrpc: '2.0', error: { message: 'too_many_requests', code: 10028 } }
    server.once('/api/v2/', { status: 200, json: body })
    await step(2_000)
    expect(venue('deribit')).toMatchObject({ state: 'offline', consecutiveFailures: 2 })
    expect(venue('deribit').lastError).toMatch(/too_many_requests/)
  })

  it('skips an instrument the venue does not know, trying the name derived from the instrument', async () => {
    settings = { ...settings, venues: ['binance'] }
    const typo = pos('bn-typo', { kind: 'perpetual', underlying: 'BTC', quote: 'USDT', symbol: 'BTCUSDTX' })
    const unknown = pos('bn-nothing', { kind: 'perpetual', underlying: 'DOGE', quote: 'USDT' })
    targets = { indices: ['BTC'], instruments: [{ venue: 'binance', position: typo }, { venue: 'binance', position: unknown }], history: [] }
    feed.reconfigure()
    await step()
    expect(marks()).toEqual({ 'bn-typo': { mark: '93050.1', fundingRate: 0.0001 } })
    expect(server.hitsOf('/fapi/v1/premiumIndex').map((h) => h.query.get('symbol'))).toEqual(['BTCUSDT', 'BTCUSDTX', 'BTCUSDT', 'DOGEUSDT'])
    // One unknown instrument does not make the venue offline.
    expect(venue('binance').state).toBe('online')
    expect(venue('binance').lastError).toMatch(/Invalid symbol/)
    await step(30_000)
    // The refused name is not asked again.
    expect(server.hitsOf('/fapi/v1/premiumIndex').filter((h) => h.query.get('symbol') === 'BTCUSDTX')).toHaveLength(1)
  })

  it('reports stale when the last good poll is older than the threshold', async () => {
    staleAfterMs = 10_000
    settings = { ...settings, pollSeconds: 60, venues: ['okx'] }
    feed.reconfigure()
    await step()
    expect(venue('okx').state).toBe('online')
    timers.nowMs += 10_001
    expect(venue('okx').state).toBe('stale')
    expect(feed.status().state).toBe('stale')
  })
})

describe('price history from the feed', () => {
  it('adds the finished days since the last stored close, once a day', async () => {
    server.market.closes.BTC = [
      ['2026-11-28', '91000.5'],
      ['2026-11-29', '92000'],
      ['2026-11-30', '92500.25'],
      ['2026-12-01', '93012.45'], // today: not finished
    ]
    targets = { ...targets, history: [{ symbol: 'BTC', lastDay: '2026-11-28' }] }
    settings = { ...settings, venues: ['binance'] }
    feed.reconfigure()
    await step()
    expect(history).toEqual([
      {
        symbol: 'BTC',
        source: 'feed:binance',
        closes: [
          ['2026-11-29', '92000'],
          ['2026-11-30', '92500.25'],
        ],
      },
    ])
    expect(server.hitsOf('/api/v3/klines')[0]!.query.get('startTime')).toBe(String(Date.parse('2026-11-29T00:00:00Z')))
    await step(30_000)
    expect(server.hitsOf('/api/v3/klines')).toHaveLength(1)
  })
})

describe('http', () => {
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000)
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:30 GMT'))).toBe(30_000)
    expect(retryAfterMs(null, 0)).toBeUndefined()
  })

  it('names a refused connection', async () => {
    await server.stop()
    await expect(getJson(`${server.origin}/x`, { fetch: (u, i) => fetch(u, i), timeoutMs: 1000, nowMs: Date.now })).rejects.toMatchObject({ kind: 'network' })
    await server.start()
  })
})
