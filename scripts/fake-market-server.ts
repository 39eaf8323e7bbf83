/**
 * A local stand-in for the venues' public market-data APIs, to try Fulcrum's live feed without the
 * internet (and to show what a dropped connection looks like):
 *
 *   npx tsx scripts/fake-market-server.ts                 # prints the URL, prices move every 5 s
 *   FULCRUM_MARKET_FEED_URL=<that URL> npm run --silent fulcrum -- serve --db /tmp/feed.sqlite
 *
 * Then turn the feed on in Market data. Type `down` + Enter to drop every connection, `up` to recover.
 * Payloads follow the venues' documentation (see electron/services/market/feed/fake-venues.ts).
 */
import readline from 'node:readline'
import { FakeVenueServer } from '../electron/services/market/feed/fake-venues'

const server = new FakeVenueServer()
await server.start()
const m = server.market
Object.assign(m.index, { BTC: '93000', ETH: '3050', SOL: '138' })
// The demo's instruments under the names the venues use.
const marks: Record<string, [string, number]> = {
  BTCUSDT: ['BTC', 1.0001],
  ETHUSDT: ['ETH', 1.0004],
  SOLUSDT: ['SOL', 1.0004],
  'BTC-PERPETUAL': ['BTC', 1.0002],
}
for (const [symbol] of Object.entries(marks)) m.mark[symbol] = m.index[marks[symbol]![0]]!
Object.assign(m.funding, { BTCUSDT: '0.00010000', ETHUSDT: '0.00008000', SOLUSDT: '0.00015000', 'BTC-PERPETUAL': '0.00002' })

// A gentle random walk so the marks visibly move.
setInterval(() => {
  for (const u of Object.keys(m.index)) {
    const next = Number(m.index[u]) * (1 + (Math.random() - 0.5) * 0.002)
    m.index[u] = next.toFixed(u === 'SOL' ? 3 : 2)
  }
  for (const [symbol, [u, basis]] of Object.entries(marks)) m.mark[symbol] = (Number(m.index[u]) * basis).toFixed(2)
}, 5000).unref()

console.log(server.origin)
console.error('Fake venues on', server.origin, '— type "down" to drop connections, "up" to recover, Ctrl+C to stop.')
const rl = readline.createInterface({ input: process.stdin })
rl.on('line', (line) => {
  if (line.trim() === 'down') server.outage = { drop: 'before-headers' }
  if (line.trim() === 'up') server.outage = null
  console.error(server.outage ? 'connections dropped' : 'answering')
})
process.on('SIGINT', () => void server.stop().then(() => process.exit(0)))
