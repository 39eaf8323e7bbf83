import { describe, expect, it, vi } from 'vitest'
import { APP_CSP, applySessionSecurity, hardenWebContents, isAppUrl, isSafeExternalUrl } from './security'
import { mainWindowOptions } from './window-options'

describe('mainWindowOptions', () => {
  it('writes out every item of the security checklist', () => {
    const web = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!
    expect(web).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    })
  })
  it('opens at least 1280×800', () => {
    const o = mainWindowOptions('p')
    expect(o.minWidth).toBeGreaterThanOrEqual(1280)
    expect(o.minHeight).toBeGreaterThanOrEqual(800)
  })
})

describe('URL rules', () => {
  it('lets only plain http(s) links out', () => {
    expect(isSafeExternalUrl('https://www.deribit.com/kb')).toBe(true)
    expect(isSafeExternalUrl('http://example.com')).toBe(true)
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com', 'not a url']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false)
    }
  })
  it('recognises the app itself', () => {
    expect(isAppUrl('file:///app/out/renderer/index.html#/positions', 'file:///app/out/renderer/index.html')).toBe(true)
    expect(isAppUrl('file:///etc/passwd', 'file:///app/out/renderer/index.html')).toBe(false)
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })
})

function fakeContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>()
  let openHandler: ((d: { url: string }) => { action: string }) | undefined
  return {
    on: (name: string, fn: (...args: unknown[]) => void) => void listeners.set(name, fn),
    setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => void (openHandler = fn),
    emit: (name: string, ...args: unknown[]) => listeners.get(name)?.(...args),
    open: (url: string) => openHandler!({ url }),
  }
}

describe('hardenWebContents', () => {
  const appBase = 'file:///app/out/renderer/index.html'

  it('blocks navigation away from the app and sends web links to the system browser', () => {
    const c = fakeContents()
    const openExternal = vi.fn()
    hardenWebContents(c as never, { appBase, openExternal })
    const away = { preventDefault: vi.fn() }
    c.emit('will-navigate', away, 'https://evil.example/')
    expect(away.preventDefault).toHaveBeenCalled()
    expect(openExternal).toHaveBeenCalledWith('https://evil.example/')
    const file = { preventDefault: vi.fn() }
    c.emit('will-navigate', file, 'file:///etc/passwd')
    expect(file.preventDefault).toHaveBeenCalled()
    expect(openExternal).toHaveBeenCalledTimes(1)
    const inside = { preventDefault: vi.fn() }
    c.emit('will-navigate', inside, `${appBase}#/margin`)
    expect(inside.preventDefault).not.toHaveBeenCalled()
  })

  it('denies every new window, passing only http(s) to the system browser', () => {
    const c = fakeContents()
    const openExternal = vi.fn()
    hardenWebContents(c as never, { appBase, openExternal })
    expect(c.open('https://www.bybit.com/')).toEqual({ action: 'deny' })
    expect(c.open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(openExternal.mock.calls).toEqual([['https://www.bybit.com/']])
  })

  it('blocks webviews', () => {
    const c = fakeContents()
    hardenWebContents(c as never, { appBase, openExternal: vi.fn() })
    const e = { preventDefault: vi.fn() }
    const prefs = { preload: '/evil.js' }
    c.emit('will-attach-webview', e, prefs)
    expect(e.preventDefault).toHaveBeenCalled()
    expect(prefs).not.toHaveProperty('preload')
  })
})

describe('applySessionSecurity', () => {
  it('denies permissions by default and sets the CSP header', () => {
    let request: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | undefined
    let check: ((c: unknown, p: string) => boolean) | undefined
    let headers: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined
    applySessionSecurity({
      setPermissionRequestHandler: (h) => void (request = h as never),
      setPermissionCheckHandler: (h) => void (check = h as never),
      webRequest: { onHeadersReceived: (l) => void (headers = l as never) },
    })
    const answers: Record<string, boolean> = {}
    for (const p of ['media', 'geolocation', 'notifications', 'midi', 'openExternal']) request!(null, p, (g) => (answers[p] = g))
    expect(answers).toEqual({ media: false, geolocation: false, notifications: true, midi: false, openExternal: false })
    expect(check!(null, 'camera')).toBe(false)
    let out: { responseHeaders: Record<string, string[]> } | undefined
    headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r as never))
    expect(out!.responseHeaders['Content-Security-Policy']).toEqual([APP_CSP])
    expect(out!.responseHeaders['Content-Type']).toEqual(['text/html'])
  })
})
