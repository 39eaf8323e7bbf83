/**
 * Expiry reminders and risk alerts through the real service table (in-process transport), a real
 * SQLite file and a fake clock: what fires, when, how often, and what a restart does.
 */
import BetterSqlite3 from 'better-sqlite3'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FulcrumApi, FulcrumEvent, MethodInput, Result } from '../shared/api-contract'
import type { ShownNotification } from '../shared/reminders-contract'
import { createInProcessApi } from '../transports/in-process'
import { startBackend, type Backend } from './backend'
import { ALERT_DEBOUNCE_MS, WATCHDOG_MS } from './reminders-service'
import { FakeTime } from './testing/fake-time'

const T0 = '2026-11-24T09:00:00Z'
const H = 3_600_000
const MIN = 60_000
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString().replace('.000Z', 'Z')

let dir: string
let file: string
let time: FakeTime
let backend: Backend | undefined
let api: FulcrumApi
let notes: { title: string; body: string; route?: string; tag?: string }[]
let badges: number[]
let shown: ShownNotification[]

function start(opts: { startFeatures?: boolean } = {}): void {
  backend = startBackend({
    dataFile: file,
    mode: 'test',
    seedDemoOnCreate: false,
    clock: time,
    timers: time,
    startFeatures: false,
    platform: { notify: (n) => void notes.push(n), setBadgeCount: (c) => void badges.push(c) },
  })
  // Listening before the features start, so the catch-up's events are seen too.
  backend.events.subscribe((e: FulcrumEvent) => {
    if (e.type === 'notification.shown') shown.push(e.notification)
  })
  if (opts.startFeatures !== false) backend.service.start()
  api = createInProcessApi(backend.service.table, backend.events)
}
async function restart(opts: { startFeatures?: boolean } = {}): Promise<void> {
  await backend?.close()
  start(opts)
}
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`)
  return r.value
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-reminders-'))
  file = path.join(dir, 'book.sqlite')
  time = new FakeTime(T0)
  notes = []
  badges = []
  shown = []
})
afterEach(async () => {
  await backend?.close()
  backend = undefined
  fs.rmSync(dir, { recursive: true, force: true })
})

const account: MethodInput<'accountSave'>['account'] = {
  id: 'dr',
  name: 'Deribit main',
  venue: 'deribit',
  marginMode: 'cross',
  collateral: [{ asset: 'BTC', amount: '2' }],
}
function option(id: string, expiryMs: number): MethodInput<'positionSave'>['position'] {
  return {
    id,
    account: 'dr',
    instrument: { kind: 'option', settlement: 'inverse', underlying: 'BTC', quote: 'USD', expiry: at(expiryMs), optionType: 'call', strike: '100000', symbol: `BTC-${id}` },
    quantity: '1',
    entryPrice: '0.01',
  }
}
const withVol = async (): Promise<void> => void value(await api.underlyingSave({ symbol: 'BTC', price: '95000', vol: 0.6 }))
async function book(leadTimes: string[], positions: [string, number][]): Promise<void> {
  value(await api.settingsUpdate({ patch: { reminderLeadTimes: leadTimes } }))
  value(await api.accountSave({ account, create: true }))
  await withVol()
  for (const [id, expiryMs] of positions) value(await api.positionSave({ position: option(id, expiryMs) }))
}
const reminders = async (positionId?: string) => value(await api.remindersList(positionId ? { positionId } : {}))
const centre = async (include: 'open' | 'all' = 'all') => value(await api.notificationsList({ include }))

describe('expiry reminders', () => {
  it('fire exactly once, at their time, from one timer', async () => {
    start()
    await book(['PT1H'], [['o1', 3 * H]])
    time.advance(ALERT_DEBOUNCE_MS)
    expect(notes).toEqual([])
    // One timer armed for the reminder (due at T0+2h), not a poll; the watchdog is an interval.
    expect(time.timeouts).toEqual([2 * H - ALERT_DEBOUNCE_MS])
    expect((await reminders('o1')).map((r) => [r.leadTime, r.dueAt, r.state])).toEqual([['PT1H', at(2 * H), 'pending']])

    time.advanceTo(at(2 * H - 1000))
    expect(notes).toEqual([])
    time.advance(1000)
    expect(notes).toHaveLength(1)
    expect(notes[0]!.title).toBe('BTC-o1 expires in 1 h')
    expect(notes[0]!.body).toContain('Expiry 2026-11-24 12:00 UTC')
    expect(notes[0]!.route).toBe('/review-windows?position=o1')

    time.advance(30 * H)
    expect(notes).toHaveLength(1)
    expect(shown).toHaveLength(1)
    const [r] = await reminders('o1')
    expect(r).toMatchObject({ state: 'delivered', missed: false, deliveries: 1, deliveredAt: at(2 * H) })
    const list = await centre('open')
    expect(list.unacknowledged).toBe(1)
    expect(list.items.map((i) => [i.id, i.kind, i.state, i.seen])).toEqual([[r!.id, 'reminder', 'delivered', false]])
    expect(badges.at(-1)).toBe(1)
  })

  it('a restart after the due time delivers it once, marked missed; later starts say nothing', async () => {
    start()
    await book(['PT1H'], [['o1', 3 * H]])
    time.advance(H)
    await backend!.close()
    backend = undefined

    time.setWall(at(5 * H)) // the app was closed across the reminder's time
    start()
    expect(notes).toHaveLength(1)
    expect(notes[0]!.title).toBe('BTC-o1 expired 2 h ago')
    expect(notes[0]!.body).toContain('Missed reminder (1 h before expiry, due 2026-11-24 11:00 UTC)')
    expect((await reminders('o1'))[0]).toMatchObject({ state: 'delivered', missed: true, deliveredAt: at(5 * H) })

    await restart()
    time.advance(10 * H)
    await restart()
    expect(notes).toHaveLength(1)
    expect((await centre()).items).toHaveLength(1)
  })

  it('a catch-up of many is one notification, oldest first, and every one is in the centre', async () => {
    start()
    await book(['PT1H'], [
      ['o4', 6 * H],
      ['o1', 3 * H],
      ['o3', 5 * H],
      ['o2', 4 * H],
      ['o5', 7 * H],
    ])
    await backend!.close()
    backend = undefined
    time.setWall(at(10 * H))
    start()
    expect(notes).toHaveLength(1)
    expect(notes[0]!.title).toBe('5 reminders missed while Fulcrum was closed')
    expect(notes[0]!.body).toBe('BTC-o1 expired 7 h ago; BTC-o2 expired 6 h ago; BTC-o3 expired 5 h ago; and 2 more.')
    expect(shown[0]!.itemIds).toHaveLength(5)
    const items = (await centre()).items
    expect(items).toHaveLength(5)
    expect(items.every((i) => i.missed && i.state === 'delivered')).toBe(true)
  })

  it('reminders of positions closed while the app was closed are dropped, not delivered', async () => {
    start()
    await book(['PT1H'], [['o1', 3 * H], ['o2', 3 * H]])
    // The CLI (no timers) closes one position while the app is away.
    await restart({ startFeatures: false })
    value(await api.positionClose({ id: 'o1', closePrice: '0.02' }))
    await backend!.close()
    backend = undefined
    time.setWall(at(4 * H))
    start()
    expect(notes.map((n) => n.title)).toEqual(['BTC-o2 expired 1 h ago'])
    const db = new BetterSqlite3(file, { readonly: true })
    try {
      expect(db.prepare("SELECT position_id, state, dropped_reason FROM reminders ORDER BY position_id").all()).toEqual([
        { position_id: 'o1', state: 'dropped', dropped_reason: 'position closed' },
        { position_id: 'o2', state: 'delivered', dropped_reason: null },
      ])
    } finally {
      db.close()
    }
  })

  it('snooze re-fires after its delay, once; acknowledge ends it', async () => {
    start()
    await book(['PT1H'], [['o1', 3 * H]])
    time.advanceTo(at(2 * H))
    expect(notes).toHaveLength(1)
    const id = (await reminders('o1'))[0]!.id
    const snoozed = value(await api.notificationSnooze({ id, duration: 'PT15M' }))
    expect(snoozed.snoozedUntil).toBe(at(2 * H + 15 * MIN))
    expect((await centre('open')).unacknowledged).toBe(0)
    expect(badges.at(-1)).toBe(0)

    time.advance(15 * MIN - 1000)
    expect(notes).toHaveLength(1)
    time.advance(1000)
    expect(notes).toHaveLength(2)
    expect(notes[1]!.title).toBe('BTC-o1 expires in 45 min')
    expect((await reminders('o1'))[0]).toMatchObject({ state: 'delivered', deliveries: 2, missed: false })

    value(await api.notificationsAcknowledge({ ids: [id] }))
    expect((await reminders('o1'))[0]).toMatchObject({ state: 'acknowledged', acknowledgedAt: at(2 * H + 15 * MIN) })
    time.advance(24 * H)
    await restart()
    expect(notes).toHaveLength(2)
    expect(badges.at(-1)).toBe(0)
  })

  it('an expiry moved earlier fires at the new time, and the old time stays quiet', async () => {
    start()
    await book(['PT1H'], [['o1', 10 * H]])
    time.advance(H)
    value(await api.positionSave({ position: option('o1', 3 * H) }))
    expect((await reminders('o1')).map((r) => [r.dueAt, r.state])).toEqual([[at(2 * H), 'pending']])
    time.advanceTo(at(2 * H))
    expect(notes.map((n) => n.title)).toEqual(['BTC-o1 expires in 1 h'])
    time.advanceTo(at(12 * H))
    expect(notes).toHaveLength(1)
  })

  it('a changed lead time reschedules; a position’s own lead times override the settings and travel with the document', async () => {
    start()
    await book(['P1D', 'PT1H'], [['o1', 30 * H], ['o2', 30 * H]])
    value(await api.settingsUpdate({ patch: { reminderLeadTimes: ['PT2H'] } }))
    expect((await reminders('o1')).map((r) => r.leadTime)).toEqual(['PT2H'])

    const set = value(await api.reminderLeadTimesSet({ positionId: 'o2', leadTimes: ['PT30M', 'PT1H30M'] }))
    expect(set.reminders.map((r) => [r.leadTime, r.custom, r.dueAt])).toEqual([
      ['PT1H30M', true, at(28.5 * H)],
      ['PT30M', true, at(29.5 * H)],
    ])
    const bad = await api.reminderLeadTimesSet({ positionId: 'o2', leadTimes: ['soon'] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'leadTimes[0]' }] } })

    time.advanceTo(at(28 * H))
    time.advanceTo(at(29.5 * H))
    expect(notes.map((n) => n.title)).toEqual(['BTC-o1 expires in 2 h', 'BTC-o2 expires in 1 h 30 min', 'BTC-o2 expires in 30 min'])

    const doc = value(await api.portfolioExport({}))
    expect(doc.positions.find((p) => p.id === 'o2')!.reminderLeadTimes).toEqual(['PT30M', 'PT1H30M'])
    const broken = structuredClone(doc) as unknown as { positions: { reminderLeadTimes?: unknown }[] }
    broken.positions[1]!.reminderLeadTimes = ['P1X']
    expect(await api.portfolioImport({ document: broken })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'positions[1].reminderLeadTimes[0]' }] },
    })
    // Importing the book again (a restore) neither loses the override nor repeats what was delivered.
    value(await api.portfolioImport({ document: doc }))
    expect((await reminders('o2')).map((r) => [r.leadTime, r.state])).toEqual([
      ['PT1H30M', 'delivered'],
      ['PT30M', 'delivered'],
    ])
    value(await api.reminderLeadTimesSet({ positionId: 'o2', leadTimes: null }))
    // Back on the settings: what was delivered stays to be acknowledged; PT2H, already past and behind them, never fires.
    expect((await reminders('o2')).map((r) => [r.leadTime, r.custom, r.state])).toEqual([
      ['PT2H', false, 'skipped'],
      ['PT1H30M', true, 'delivered'],
      ['PT30M', true, 'delivered'],
    ])
    expect(notes).toHaveLength(3)
  })

  it('a position arriving close to its expiry gets its latest reminder at once, not a flood of stale ones', async () => {
    start()
    await book(['P7D', 'P1D', 'PT1H'], [['o1', 30 * MIN]])
    expect(notes.map((n) => n.title)).toEqual(['BTC-o1 expires in 30 min'])
    expect(shown[0]!.missed).toBe(false)
    expect((await reminders('o1')).map((r) => [r.leadTime, r.state, r.reason])).toEqual([
      ['P7D', 'skipped', 'superseded by a later reminder'],
      ['P1D', 'skipped', 'superseded by a later reminder'],
      ['PT1H', 'delivered', null],
    ])
    // Adding a longer lead time afterwards does not bring back an older reminder either.
    value(await api.settingsUpdate({ patch: { reminderLeadTimes: ['P2D', 'P1D', 'PT1H'] } }))
    expect(notes).toHaveLength(1)
  })

  it('is UTC inside: the machine’s time zone and daylight saving do not move a reminder', async () => {
    const tz = process.env.TZ
    try {
      // Europe/Berlin leaves summer time on 2026-10-25 at 01:00 UTC; P1D before 2026-10-25T08:00Z is 86,400 s earlier.
      time.setWall('2026-10-24T00:00:00Z')
      process.env.TZ = 'Europe/Berlin'
      start()
      value(await api.settingsUpdate({ patch: { reminderLeadTimes: ['P1D'] } }))
      value(await api.accountSave({ account, create: true }))
      const expiry = Date.parse('2026-10-25T08:00:00Z') - Date.parse(T0)
      await withVol()
      value(await api.positionSave({ position: option('o1', expiry) }))
      expect((await reminders('o1'))[0]!.dueAt).toBe('2026-10-24T08:00:00Z')
      process.env.TZ = 'America/New_York'
      time.advanceTo('2026-10-24T07:59:59Z')
      expect(notes).toHaveLength(0)
      time.advance(1000)
      expect(notes).toHaveLength(1)
      expect(notes[0]!.body).toContain('Expiry 2026-10-25 08:00 UTC')
    } finally {
      process.env.TZ = tz
    }
  })

  it('a wall clock jumping forward (sleep, a time change) is caught by the watchdog; one jumping back fires nothing early', async () => {
    start()
    await book(['PT1H'], [['o1', 3 * H], ['o2', 8 * H]])
    // Forward: the wall clock passes o1's time while the monotonic timer still has 2 h to go.
    time.jumpWall(2.5 * H)
    time.advance(WATCHDOG_MS)
    expect(notes.map((n) => n.title)).toEqual(['BTC-o1 expires in 29 min'])
    expect(shown[0]!.missed).toBe(true)
    // Back by three hours: o2 is due at T0+7h on the wall clock, which is now 3 h behind the timer's idea.
    time.jumpWall(-3 * H)
    time.advance(WATCHDOG_MS)
    const wall = time.now().getTime()
    time.advanceTo(at(7 * H - 1000))
    expect(time.now().getTime()).toBeGreaterThan(wall)
    expect(notes).toHaveLength(1)
    time.advance(1000)
    expect(notes.map((n) => n.title)).toEqual(['BTC-o1 expires in 29 min', 'BTC-o2 expires in 1 h'])
    expect(shown[1]!.missed).toBe(false)
  })

  it('after a small forward jump the timer is re-armed to the wall clock, so the reminder is on time, not late', async () => {
    start()
    await book(['PT1H'], [['o1', 3 * H]])
    time.jumpWall(H + 10_000) // due at T0+2h is now 59 min 50 s away; the old timer still says 2 h
    time.advance(WATCHDOG_MS)
    time.advanceTo(at(2 * H - 1000))
    expect(notes).toEqual([])
    time.advance(1000)
    expect(notes.map((n) => n.title)).toEqual(['BTC-o1 expires in 1 h'])
  })
})

describe('risk alerts', () => {
  const linear: MethodInput<'accountSave'>['account'] = {
    id: 'bb',
    name: 'Bybit main',
    venue: 'bybit',
    marginMode: 'cross',
    collateral: [{ asset: 'USDT', amount: '10000' }],
  }
  const perp: MethodInput<'positionSave'>['position'] = {
    id: 'perp',
    account: 'bb',
    instrument: { kind: 'perpetual', settlement: 'linear', underlying: 'BTC', quote: 'USDT' },
    quantity: '0.8',
    entryPrice: '60000',
  }
  /** Leverage of this account by hand: 0.8 S / (10,000 + 0.8 (S − 60,000)), the perp marked at the index S. */
  const leverageAt = (s: number): number => (0.8 * s) / (10_000 + 0.8 * (s - 60_000))
  async function price(s: number): Promise<void> {
    value(await api.underlyingSave({ symbol: 'BTC', price: String(s) }))
    time.advance(ALERT_DEBOUNCE_MS)
  }
  async function setup(): Promise<void> {
    start()
    value(
      await api.settingsUpdate({
        patch: {
          alertRules: [{ id: 'lev5', metric: 'leverage', scope: 'account', direction: 'above', threshold: 5, hysteresis: 0.1, enabled: true }],
        },
      }),
    )
    value(await api.accountSave({ account: linear, create: true }))
    value(await api.positionSave({ position: perp, indexPrice: '60000' }))
    time.advance(ALERT_DEBOUNCE_MS)
  }

  it('the defaults follow the user’s limits', async () => {
    start()
    const s = value(await api.settingsGet({}))
    expect(s.alertRules.map((r) => [r.id, r.metric, r.scope, r.threshold])).toEqual([
      ['margin-ratio-limit', 'marginRatio', 'account', 'marginRatioLimit'],
      ['leverage-limit', 'leverage', 'total', 'leverageLimit'],
      ['liquidation-distance', 'liquidationDistance', 'account', 0.05],
      ['health-factor', 'healthFactor', 'account', 1.1],
    ])
    value(await api.accountSave({ account: linear, create: true }))
    value(await api.positionSave({ position: perp, indexPrice: '60000' }))
    time.advance(ALERT_DEBOUNCE_MS)
    expect(notes).toEqual([]) // 4.8× under the default 5× limit
    value(await api.settingsUpdate({ patch: { leverageLimit: 4 } }))
    time.advance(ALERT_DEBOUNCE_MS)
    expect(notes.map((n) => n.title)).toEqual(['Leverage 4.80× above 4.00×: whole book'])
    expect(leverageAt(60_000)).toBeCloseTo(4.8, 12)
  })

  it('a value flickering around the threshold inside the hysteresis band alerts once', async () => {
    await setup()
    expect(notes).toEqual([])
    // Threshold 5×, band 10 %: the alarm ends only at or below 4.5×.
    for (const s of [59_000, 59_500, 59_200, 59_600, 59_000, 61_000, 59_100]) await price(s)
    expect([59_000, 59_500, 59_200, 59_600, 61_000].map(leverageAt).map((x) => Math.round(x * 1000) / 1000)).toEqual([5.13, 4.958, 5.06, 4.926, 4.519])
    expect(notes).toHaveLength(1)
    expect(notes[0]!.title).toBe('Leverage 5.13× above 5.00×: Bybit main (Bybit)')
    expect(notes[0]!.route).toBe('/margin?account=bb')

    // Back below the band: the alarm ends (history, no notification); crossing again alerts again.
    await price(62_000)
    expect(leverageAt(62_000)).toBeLessThan(4.5)
    expect(notes).toHaveLength(1)
    await price(58_000)
    expect(notes).toHaveLength(2)

    const h = value(await api.alertHistory({}))
    expect(h.events.map((e) => e.kind)).toEqual(['triggered', 'cleared', 'triggered'])
    expect(h.events[0]!.value).toBeCloseTo(leverageAt(58_000), 8)
    expect(h.events[1]!.value).toBeCloseTo(leverageAt(62_000), 8)
    expect(h.events[2]!.value).toBeCloseTo(leverageAt(59_000), 8)
    expect(h.events[2]!.clearedAt).not.toBeNull()
    expect(h.active).toMatchObject([{ ruleId: 'lev5', subject: 'account:bb', firing: true }])
  })

  it('an alarm that still holds after a restart is not announced again; a snoozed one returns only while it holds', async () => {
    await setup()
    await price(59_000)
    expect(notes).toHaveLength(1)
    await restart()
    time.advance(ALERT_DEBOUNCE_MS)
    await price(58_500)
    expect(notes).toHaveLength(1)

    const id = (await centre('open')).items[0]!.id
    value(await api.notificationSnooze({ id, duration: 'PT1H' }))
    time.advance(H)
    expect(notes.map((n) => n.title)).toHaveLength(2)
    value(await api.notificationSnooze({ id, duration: 'PT1H' }))
    await price(62_000) // cleared while snoozed: nothing comes back
    time.advance(2 * H)
    expect(notes).toHaveLength(2)
    expect((await centre()).items[0]).toMatchObject({ id, state: 'acknowledged', deliveries: 2 })
    expect((await centre()).items[0]!.clearedAt).not.toBeNull()
  })
})

describe('notification centre', () => {
  it('acknowledges all, counts on the badge, and remembers what a window has shown', async () => {
    start()
    await book(['PT1H'], [['o1', 2 * H], ['o2', 3 * H]])
    time.advanceTo(at(2 * H))
    expect(badges.at(-1)).toBe(2)
    const { items } = await centre()
    expect(items.map((i) => i.positionId)).toEqual(['o2', 'o1'])
    value(await api.notificationsSeen({ ids: [items[0]!.id] }))
    expect((await centre()).items.map((i) => i.seen)).toEqual([true, false])

    const r = value(await api.notificationsAcknowledge({ all: true }))
    expect(r).toEqual({ acknowledged: 2, unacknowledged: 0 })
    expect(badges.at(-1)).toBe(0)
    expect((await centre('open')).items).toEqual([])
    expect((await centre('all')).items.map((i) => i.state)).toEqual(['acknowledged', 'acknowledged'])
    expect(await api.notificationsAcknowledge({})).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await api.notificationSnooze({ id: items[0]!.id, duration: 'PT10S' })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'duration' }] },
    })
    expect(await api.notificationSnooze({ id: 'reminder:999', duration: 'PT1H' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})

describe('a killed process', () => {
  it('loses no delivered or acknowledged state (real subprocess, SIGKILL)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'testing', 'reminders-child.ts'), file], {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TZ: 'UTC' },
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const lines: string[] = []
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not get ready:\n${lines.join('\n')}\n${stderr}`)), 55_000)
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line)
        if (lines.includes('ready') && lines.some((l) => l.startsWith('acknowledged'))) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.once('exit', (code) => reject(new Error(`child exited early (${code}):\n${stderr}`)))
    })
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    // Killed before closing: the last commits are still in the write-ahead log, not the main file.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0)

    const first = lines.find((l) => l.startsWith('delivered first'))!.split(' ')[2]
    const second = lines.find((l) => l.startsWith('delivered second'))!.split(' ')[2]
    expect(lines.filter((l) => l.startsWith('delivered'))).toHaveLength(2)

    // Start again later, on the real clock's day: nothing is delivered twice, nothing forgotten.
    time.setWall(new Date(Date.now() + 2 * H))
    start()
    expect(notes).toEqual([])
    const items = (await centre()).items
    expect(items.map((i) => [i.id, i.state]).sort()).toEqual(
      [
        [first, 'acknowledged'],
        [second, 'delivered'],
      ].sort(),
    )
    expect(items.every((i) => i.deliveries === 1 && !i.missed)).toBe(true)
    expect((await centre()).unacknowledged).toBe(1)
  }, 60_000)
})
