/**
 * The Electron security checklist as code (docs/tutorial/security.md), applied to every web contents
 * and the default session. Kept free of the `electron` import so the rules are testable under Node:
 * the Electron objects are passed in, typed structurally.
 */
import type { Event, HandlerDetails, WebContents, WebPreferences } from 'electron'

/** CSP sent as a header for every response in the app's session (the renderer's index.html has it as meta too). */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Only plain web links may leave the app, and only to the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
}

/** Is this URL the app's own renderer (the built file or the dev server)? */
export function isAppUrl(raw: string, appBase: string): boolean {
  try {
    const url = new URL(raw)
    const base = new URL(appBase)
    if (base.protocol === 'file:') return url.protocol === 'file:' && url.pathname === base.pathname
    return url.origin === base.origin
  } catch {
    return false
  }
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

export interface HardenOptions {
  appBase: string
  openExternal: (url: string) => void
}

export function hardenWebContents(contents: HardenableContents, options: HardenOptions): void {
  // No navigation away from the app: a link must not replace Fulcrum with a web page inside our window.
  contents.on('will-navigate', (event: Event, url: string) => {
    if (!isAppUrl(url, options.appBase)) {
      event.preventDefault()
      if (isSafeExternalUrl(url)) options.openExternal(url)
    }
  })
  contents.on('will-redirect', (event: Event, url: string) => {
    if (!isAppUrl(url, options.appBase)) event.preventDefault()
  })
  // No new windows: http(s) links go to the system browser, everything else is dropped.
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isSafeExternalUrl(details.url)) options.openExternal(details.url)
    return { action: 'deny' }
  })
  // No webviews at all.
  contents.on('will-attach-webview', (event: Event, webPreferences: WebPreferences) => {
    delete webPreferences.preload
    event.preventDefault()
  })
}

interface SessionLike {
  setPermissionRequestHandler: (
    handler: (
      webContents: WebContents,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ) => void
  setPermissionCheckHandler: (handler: (webContents: WebContents | null, permission: string) => boolean) => void
  webRequest: {
    onHeadersReceived: (
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ) => void
  }
}

/** Permissions the app uses; everything else (camera, geolocation, midi, …) is denied. */
export const ALLOWED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write'])

export function applySessionSecurity(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)))
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission))
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [APP_CSP],
        'X-Content-Type-Options': ['nosniff'],
      },
    })
  })
}
