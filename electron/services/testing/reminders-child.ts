/**
 * A real Fulcrum backend in its own process, for the crash test in reminders-service.spec.ts: it books
 * two positions whose reminders fall due a second or two later (system clock and timers), acknowledges
 * the first when it arrives, reports each step on stdout only after it is committed, then waits to be
 * killed.
 *
 *   node --import tsx electron/services/testing/reminders-child.ts <database file>
 */
import { createInProcessApi } from '../../transports/in-process'
import { startBackend } from '../backend'

const file = process.argv[2]
if (!file) {
  console.error('usage: reminders-child.ts <database file>')
  process.exit(2)
}
const say = (line: string): void => void process.stdout.write(`${line}\n`)

const backend = startBackend({ dataFile: file, mode: 'test', seedDemoOnCreate: false })
const t = createInProcessApi(backend.service.table, backend.events)
const iso = (ms: number): string => new Date(ms).toISOString()

void (async () => {
  await t.settingsUpdate({ patch: { reminderLeadTimes: ['PT1H'] } })
  await t.accountSave({
    account: { id: 'dr', venue: 'deribit', marginMode: 'cross', collateral: [{ asset: 'BTC', amount: '2' }] },
    create: true,
  })
  await t.underlyingSave({ symbol: 'BTC', price: '95000', vol: 0.6 })
  const now = Date.now()
  for (const [id, inMs] of [
    ['first', 1500],
    ['second', 3000],
  ] as const) {
    await t.positionSave({
      position: {
        id,
        account: 'dr',
        instrument: { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', expiry: iso(now + 3_600_000 + inMs), optionType: 'call', strike: '100000' },
        quantity: '1',
        entryPrice: '0.01',
      },
    })
  }
  say('booked')
  let delivered = 0
  backend.events.subscribe((e) => {
    if (e.type !== 'notification.shown') return
    for (const id of e.notification.itemIds) {
      delivered++
      say(`delivered ${e.notification.positionId} ${id}`)
      if (e.notification.positionId === 'first') {
        void t.notificationsAcknowledge({ ids: [id] }).then((r) => say(r.ok ? `acknowledged ${id}` : `failed ${r.error.message}`))
      }
    }
    if (delivered >= 2) setTimeout(() => say('ready'), 50)
  })
  // Stay alive until killed (the scheduler's timers are unref'd on purpose).
  setInterval(() => undefined, 60_000)
})()
