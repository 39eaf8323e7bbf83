/**
 * The desktop side of reminders and alerts: the PlatformHooks the backend calls (services/service-kit.ts).
 * A system notification per delivery (a click brings the window forward and opens the position or
 * account), and the count of unacknowledged items on the dock (macOS), the launcher (Linux, where the
 * desktop supports it) or the taskbar button (Windows, an overlay dot: it cannot show a number).
 */
import { app, Notification, nativeImage, type BrowserWindow, type NativeImage } from 'electron'
import { EVENT_CHANNEL } from '../shared/channels'
import type { FulcrumEvent } from '../shared/api-contract'
import type { PlatformHooks } from '../services/service-kit'

export interface DesktopNotifierOptions {
  /** The main window if it exists. */
  window: () => BrowserWindow | undefined
  /** The main window, created again if it was closed (macOS keeps running without one). */
  openWindow: () => BrowserWindow
  platform?: NodeJS.Platform
}

export interface DesktopNotifier extends Required<PlatformHooks> {
  /** Notifications still on screen (kept referenced: a collected Notification loses its click handler). */
  readonly live: number
  dispose: () => void
}

const DOT_SIZE = 16

/** A red dot, 16×16 BGRA, for the Windows taskbar overlay. */
export function badgeDotBitmap(size = DOT_SIZE): Buffer {
  const buf = Buffer.alloc(size * size * 4)
  const c = (size - 1) / 2
  const r = size / 2 - 0.5
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c)
      // Anti-aliased edge: full inside, fading over the last pixel.
      const alpha = Math.max(0, Math.min(1, r - d + 0.5))
      const i = (y * size + x) * 4
      buf[i] = 0x3c // B
      buf[i + 1] = 0x2f // G
      buf[i + 2] = 0xe0 // R
      buf[i + 3] = Math.round(alpha * 255)
    }
  }
  return buf
}

function navigateWhenReady(win: BrowserWindow, route: string): void {
  const event: FulcrumEvent = { type: 'ui.navigate', route }
  const send = (): void => {
    if (!win.webContents.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event)
  }
  // A window opened by this click has no renderer listening yet.
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', send)
  else send()
}

export function createDesktopNotifier(options: DesktopNotifierOptions): DesktopNotifier {
  const platform = options.platform ?? process.platform
  const live = new Map<string, Notification>()
  let dot: NativeImage | undefined
  let seq = 0

  const focus = (route: string | undefined): void => {
    const win = options.openWindow()
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
    if (platform === 'darwin') app.focus({ steal: true })
    if (route) navigateWhenReady(win, route)
  }

  return {
    get live() {
      return live.size
    },
    notify: ({ title, body, route, tag }) => {
      if (!Notification.isSupported()) return
      const key = tag ?? `n${++seq}`
      // The same item again (a snooze come back) replaces its old notification.
      live.get(key)?.close()
      const n = new Notification({ title, body })
      live.set(key, n)
      n.on('click', () => focus(route))
      n.on('close', () => {
        if (live.get(key) === n) live.delete(key)
      })
      n.show()
    },
    setBadgeCount: (count) => {
      if (platform === 'win32') {
        const win = options.window()
        if (!win) return
        dot ??= nativeImage.createFromBitmap(badgeDotBitmap(), { width: DOT_SIZE, height: DOT_SIZE })
        win.setOverlayIcon(count > 0 ? dot : null, count > 0 ? `${count} unacknowledged reminder(s) and alert(s)` : '')
        return
      }
      // macOS: the dock badge; Linux: the launcher count where the desktop supports it (false elsewhere).
      app.setBadgeCount(count)
    },
    dispose: () => {
      for (const n of live.values()) n.close()
      live.clear()
    },
  }
}
