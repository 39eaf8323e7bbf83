/**
 * The Electron main process wired together, with `electron` mocked: single-instance lock, database
 * opened in the data folder with the demo seeded, one IPC handler per channel with the sender check,
 * a secure window, the menu, and a clean shutdown that closes the database.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Channels, METHOD_NAMES } from '../shared/channels'

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void
  const state = {
    lock: true,
    appListeners: new Map<string, Listener[]>(),
    ready: undefined as undefined | (() => void),
    quit: 0,
    exitCode: undefined as number | undefined,
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    windows: [] as { options: Record<string, unknown>; webContents: { send: Listener; isDestroyed: () => boolean }; loaded?: string }[],
    menu: undefined as unknown,
    errorBox: undefined as string | undefined,
    sent: [] as unknown[],
    badge: [] as number[],
    notifications: [] as { title: string; body: string }[],
  }
  return state
})

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = []
    webContents = { send: (...args: unknown[]) => fake.sent.push(args), isDestroyed: () => false }
    constructor(public options: Record<string, unknown>) {
      BrowserWindow.all.push(this)
      fake.windows.push(this as never)
    }
    once(): void {}
    on(): void {}
    show(): void {}
    isMinimized(): boolean {
      return false
    }
    focus(): void {}
    loadFile(file: string): Promise<void> {
      ;(this as unknown as { loaded: string }).loaded = file
      return Promise.resolve()
    }
    loadURL(url: string): Promise<void> {
      ;(this as unknown as { loaded: string }).loaded = url
      return Promise.resolve()
    }
    static fromWebContents(wc: unknown): BrowserWindow | null {
      return BrowserWindow.all.find((w) => w.webContents === wc) ?? null
    }
    static getAllWindows(): BrowserWindow[] {
      return BrowserWindow.all
    }
  }
  const app = {
    getAppPath: () => '/nonexistent-app-root',
    getPath: () => '/nonexistent-user-data',
    requestSingleInstanceLock: () => fake.lock,
    on: (name: string, fn: (...args: unknown[]) => void) => {
      fake.appListeners.set(name, [...(fake.appListeners.get(name) ?? []), fn])
    },
    whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
    quit: () => void fake.quit++,
    exit: (code: number) => void (fake.exitCode = code),
    setBadgeCount: (n: number) => void fake.badge.push(n),
    focus: () => undefined,
  }
  // Reminders and alerts (issue 7): the desktop notifier of main/notifications.ts.
  class Notification {
    static isSupported = (): boolean => true
    constructor(options: { title: string; body: string }) {
      fake.notifications.push(options)
    }
    on(): this {
      return this
    }
    show(): void {}
    close(): void {}
  }
  return {
    app,
    BrowserWindow,
    Notification,
    nativeImage: { createFromBitmap: () => ({}) },
    ipcMain: {
      handle: (c: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void fake.handlers.set(c, fn),
      removeHandler: (c: string) => void fake.handlers.delete(c),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => void (fake.menu = m) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    shell: { openExternal: vi.fn(), openPath: vi.fn() },
    dialog: { showErrorBox: (_t: string, m: string) => void (fake.errorBox = m), showSaveDialog: vi.fn() },
    default: {},
  }
})

let dir: string
beforeEach(() => {
  vi.resetModules()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-main-'))
  process.env.FULCRUM_DATA_DIR = dir
  Object.assign(fake, { lock: true, ready: undefined, quit: 0, exitCode: undefined, menu: undefined, errorBox: undefined })
  fake.appListeners.clear()
  fake.handlers.clear()
  fake.windows.length = 0
  fake.sent.length = 0
  fake.badge.length = 0
  fake.notifications.length = 0
})
async function quit(): Promise<void> {
  const quitsBefore = fake.quit
  for (const fn of fake.appListeners.get('will-quit') ?? []) fn({ preventDefault: () => undefined })
  for (let i = 0; i < 100 && fake.quit === quitsBefore && fake.appListeners.has('will-quit'); i++) await new Promise((r) => setTimeout(r, 10))
}

afterEach(async () => {
  await quit()
  delete process.env.FULCRUM_DATA_DIR
  fs.rmSync(dir, { recursive: true, force: true })
})

async function boot(): Promise<void> {
  await import('./index')
  fake.ready?.()
  await new Promise((r) => setTimeout(r, 0))
}

describe('electron main', () => {
  it('opens the database in the data folder, seeds the demo and registers every channel', async () => {
    await boot()
    expect(fake.errorBox).toBeUndefined()
    expect(fs.existsSync(path.join(dir, 'fulcrum.sqlite'))).toBe(true)
    expect([...fake.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => Channels[m]).sort())
    expect(fake.menu).toBeDefined()
    expect(fake.windows).toHaveLength(1)
    const web = fake.windows[0]!.options.webPreferences as Record<string, unknown>
    expect(web).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(String(web.preload)).toMatch(/preload[\\/]index\.cjs$/)
    expect(fake.windows[0]!.loaded).toMatch(/renderer[\\/]index\.html$/)

    const win = fake.windows[0]!
    const book = (await fake.handlers.get(Channels.bookGet)!(
      { sender: win.webContents, senderFrame: { url: `file://${String(fake.windows[0]!.loaded)}` } },
      {},
    )) as { ok: boolean; value: { demo: { present: boolean } } }
    expect(book).toMatchObject({ ok: true, value: { demo: { present: true } } })
  })

  it('hands reminders and alerts to the desktop: notifications and the badge count (issue 7)', async () => {
    await boot()
    // The demo's reminders due at first start (if any) were shown; the badge counts exactly those.
    expect(fake.badge).toEqual([fake.notifications.length])
    for (const n of fake.notifications) expect(n.title).toMatch(/expire/)
  })

  it('refuses IPC from a web contents that is not its window', async () => {
    await boot()
    const r = await fake.handlers.get(Channels.bookGet)!({ sender: { other: true }, senderFrame: { url: 'file:///x' } }, {})
    expect(r).toMatchObject({ ok: false, error: { code: 'refused' } })
  })

  it('closes the database cleanly on quit, folding the WAL back into the file', async () => {
    await boot()
    expect(fs.existsSync(path.join(dir, 'fulcrum.sqlite-wal'))).toBe(true)
    const quitsBefore = fake.quit
    await quit()
    expect(fake.quit).toBe(quitsBefore + 1)
    expect(fs.existsSync(path.join(dir, 'fulcrum.sqlite-wal'))).toBe(false)
    expect(fake.handlers.size).toBe(0)
  })

  it('hands over to the running instance when the single-instance lock is taken', async () => {
    fake.lock = false
    await import('./index')
    expect(fake.quit).toBe(1)
    expect(fake.ready).toBeUndefined()
    expect(fs.existsSync(path.join(dir, 'fulcrum.sqlite'))).toBe(false)
  })

  it('refuses a database from a newer Fulcrum with a clear message and leaves it alone', async () => {
    const file = path.join(dir, 'fulcrum.sqlite')
    const { openDatabase, closeDatabase } = await import('../store/database')
    const { LATEST_SCHEMA_VERSION } = await import('../store/migrations')
    const o = openDatabase(file)
    o.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`)
    closeDatabase(o.db)
    const before = fs.readFileSync(file)
    await boot()
    expect(fake.errorBox).toMatch(/newer Fulcrum/)
    expect(fake.exitCode).toBe(2)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })
})
