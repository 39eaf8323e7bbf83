/**
 * The desktop notification adapter with `electron` mocked: a notification per delivery, a click that
 * brings the window forward and opens the route (after the renderer loads, for a window the click had
 * to create), the badge on the dock or launcher, and the overlay dot on Windows.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNEL } from '../shared/channels'

const fake = vi.hoisted(() => ({
  supported: true,
  notifications: [] as {
    options: { title: string; body: string }
    shown: boolean
    closed: boolean
    handlers: Map<string, () => void>
    emit: (name: string) => void
    close: () => void
  }[],
  badge: [] as number[],
  appFocus: 0,
  bitmaps: [] as { width: number; height: number; bytes: number }[],
}))

vi.mock('electron', () => {
  class Notification {
    static isSupported(): boolean {
      return fake.supported
    }
    shown = false
    closed = false
    handlers = new Map<string, () => void>()
    constructor(public options: { title: string; body: string }) {
      fake.notifications.push(this)
    }
    on(name: string, fn: () => void): this {
      this.handlers.set(name, fn)
      return this
    }
    emit(name: string): void {
      this.handlers.get(name)?.()
    }
    show(): void {
      this.shown = true
    }
    close(): void {
      this.closed = true
      this.emit('close')
    }
  }
  return {
    Notification,
    app: { setBadgeCount: (n: number) => void fake.badge.push(n), focus: () => void fake.appFocus++ },
    nativeImage: {
      createFromBitmap: (buf: Buffer, o: { width: number; height: number }) => {
        fake.bitmaps.push({ ...o, bytes: buf.length })
        return { kind: 'dot' }
      },
    },
    default: {},
  }
})

const { badgeDotBitmap, createDesktopNotifier } = await import('./notifications')

function fakeWindow(loading = false) {
  const loadListeners: (() => void)[] = []
  const win = {
    minimized: true,
    calls: [] as string[],
    sent: [] as unknown[][],
    overlay: [] as [unknown, string][],
    isMinimized: () => win.minimized,
    restore: () => void win.calls.push('restore'),
    show: () => void win.calls.push('show'),
    focus: () => void win.calls.push('focus'),
    setOverlayIcon: (img: unknown, text: string) => void win.overlay.push([img, text]),
    webContents: {
      loading,
      isLoading: () => win.webContents.loading,
      isDestroyed: () => false,
      once: (name: string, fn: () => void) => {
        if (name === 'did-finish-load') loadListeners.push(fn)
      },
      send: (...args: unknown[]) => void win.sent.push(args),
    },
    finishLoad: () => {
      win.webContents.loading = false
      loadListeners.splice(0).forEach((fn) => fn())
    },
  }
  return win
}
type FakeWin = ReturnType<typeof fakeWindow>

beforeEach(() => {
  fake.supported = true
  fake.notifications.length = 0
  fake.badge.length = 0
  fake.appFocus = 0
  fake.bitmaps.length = 0
})

describe('desktop notifications', () => {
  it('shows one system notification per delivery; a click focuses the window and opens the position', () => {
    const win = fakeWindow()
    const n = createDesktopNotifier({ window: () => win as never, openWindow: () => win as never, platform: 'linux' })
    n.notify({ title: 'BTC-27DEC26-100000-C expires in 1 h', body: 'Expiry 2026-12-27 08:00 UTC', route: '/review-windows?position=p1', tag: 'reminder:1' })
    expect(fake.notifications).toHaveLength(1)
    const shown = fake.notifications[0]!
    expect(shown.options).toEqual({ title: 'BTC-27DEC26-100000-C expires in 1 h', body: 'Expiry 2026-12-27 08:00 UTC' })
    expect(shown.shown).toBe(true)
    expect(win.sent).toEqual([])

    shown.emit('click')
    expect(win.calls).toEqual(['restore', 'show', 'focus'])
    expect(win.sent).toEqual([[EVENT_CHANNEL, { type: 'ui.navigate', route: '/review-windows?position=p1' }]])
    expect(fake.appFocus).toBe(0) // only macOS needs the app itself pulled forward
  })

  it('a click with no window open creates one and navigates once its renderer has loaded', () => {
    let win: FakeWin | undefined
    const n = createDesktopNotifier({ window: () => win as never, openWindow: () => (win ??= fakeWindow(true)) as never, platform: 'darwin' })
    n.notify({ title: 'Margin ratio 62.0 % above 50.0 %: Binance main', body: '…', route: '/margin?account=bn' })
    fake.notifications[0]!.emit('click')
    expect(win).toBeDefined()
    expect(fake.appFocus).toBe(1)
    expect(win!.sent).toEqual([])
    win!.finishLoad()
    expect(win!.sent).toEqual([[EVENT_CHANNEL, { type: 'ui.navigate', route: '/margin?account=bn' }]])
  })

  it('keeps shown notifications referenced until closed; the same item again replaces its old one', () => {
    const win = fakeWindow()
    const n = createDesktopNotifier({ window: () => win as never, openWindow: () => win as never, platform: 'linux' })
    n.notify({ title: 'a', body: '', tag: 'reminder:1' })
    n.notify({ title: 'b', body: '', tag: 'reminder:2' })
    expect(n.live).toBe(2)
    n.notify({ title: 'a again', body: '', tag: 'reminder:1' })
    expect(fake.notifications[0]!.closed).toBe(true)
    expect(n.live).toBe(2)
    fake.notifications[1]!.close()
    expect(n.live).toBe(1)
    n.dispose()
    expect(n.live).toBe(0)
    expect(fake.notifications.every((x) => x.closed)).toBe(true)
  })

  it('does nothing where the system has no notifications', () => {
    fake.supported = false
    const n = createDesktopNotifier({ window: () => undefined, openWindow: () => fakeWindow() as never, platform: 'linux' })
    n.notify({ title: 'x', body: 'y' })
    expect(fake.notifications).toEqual([])
  })

  it('counts unacknowledged items on the dock or launcher', () => {
    const n = createDesktopNotifier({ window: () => undefined, openWindow: () => fakeWindow() as never, platform: 'darwin' })
    n.setBadgeCount(3)
    n.setBadgeCount(0)
    expect(fake.badge).toEqual([3, 0])
  })

  it('on Windows puts a red dot on the taskbar button while anything is unacknowledged', () => {
    const win = fakeWindow()
    const n = createDesktopNotifier({ window: () => win as never, openWindow: () => win as never, platform: 'win32' })
    n.setBadgeCount(2)
    n.setBadgeCount(5)
    n.setBadgeCount(0)
    expect(fake.badge).toEqual([])
    expect(win.overlay).toEqual([
      [{ kind: 'dot' }, '2 unacknowledged reminder(s) and alert(s)'],
      [{ kind: 'dot' }, '5 unacknowledged reminder(s) and alert(s)'],
      [null, ''],
    ])
    expect(fake.bitmaps).toEqual([{ width: 16, height: 16, bytes: 16 * 16 * 4 }])
  })

  it('draws the dot as an opaque red disc on a transparent square', () => {
    const px = (buf: Buffer, x: number, y: number) => Array.from(buf.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4))
    const bmp = badgeDotBitmap()
    expect(px(bmp, 8, 8)).toEqual([0x3c, 0x2f, 0xe0, 255])
    expect(px(bmp, 0, 0)[3]).toBe(0)
    expect(px(bmp, 15, 15)[3]).toBe(0)
  })
})
