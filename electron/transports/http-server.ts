/**
 * Browser mode: the same renderer and the same service table over HTTP on the loopback interface.
 *
 * Security model: the server binds to 127.0.0.1 only and every request must carry the random access
 * token: as `?token=` on the first page load (which trades it for an HttpOnly, SameSite=Strict cookie
 * and redirects it out of the address bar), as that cookie, or as `Authorization: Bearer`. The Host
 * header must name the loopback address (blocks DNS rebinding) and a POST's Origin, when sent, must be
 * this server (blocks cross-site requests from other local pages).
 *
 *   POST /api/call/<method>   JSON input  -> JSON Result (always 200 for a handled call)
 *   GET  /api/events          Server-Sent Events: one `data:` line per FulcrumEvent
 *   GET  /*                   the built renderer (index.html for client-side routes)
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fail, type FulcrumEvent, type Result } from '../shared/api-contract'
import type { EventBus } from '../services/event-bus'
import type { ServiceTable } from '../services/fulcrum-service'
import { dispatch } from './dispatch'

export const TOKEN_COOKIE = 'fulcrum_token'
const MAX_BODY_BYTES = 64 * 1024 * 1024
const HEARTBEAT_MS = 20_000

/** Content Security Policy of the renderer in browser mode; Electron's is set in main/security.ts. */
export const BROWSER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // ECharts and Vue transitions set inline styles
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
}

export interface BrowserServerOptions {
  table: ServiceTable
  events: EventBus<FulcrumEvent>
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string
  port?: number
  host?: '127.0.0.1' | '::1'
  token?: string
}

export interface BrowserServer {
  url: string
  /** The URL to open: carries the token. */
  openUrl: string
  token: string
  port: number
  close: () => Promise<void>
}

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return undefined
}

function securityHeaders(res: http.ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  securityHeaders(res)
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(text)
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  securityHeaders(res)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? newToken()
  const host = options.host ?? '127.0.0.1'
  const rendererDir = path.resolve(options.rendererDir)
  const streams = new Set<http.ServerResponse>()
  let port = 0

  const allowedHosts = (): Set<string> =>
    new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
  const allowedOrigins = (): Set<string> =>
    new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`])

  const authorised = (req: http.IncomingMessage, url: URL): 'cookie' | 'header' | 'query' | null => {
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer ') && sameToken(auth.slice(7), token)) return 'header'
    if (sameToken(cookieValue(req.headers.cookie, TOKEN_COOKIE), token)) return 'cookie'
    if (sameToken(url.searchParams.get('token'), token)) return 'query'
    return null
  }

  const serveStatic = (res: http.ServerResponse, pathname: string): void => {
    let rel: string
    try {
      rel = decodeURIComponent(pathname)
    } catch {
      return sendText(res, 400, 'Bad path')
    }
    const file = path.resolve(rendererDir, `.${rel}`)
    if (!file.startsWith(rendererDir + path.sep) && file !== rendererDir) return sendText(res, 403, 'Forbidden')
    let target = file
    const stat = fs.statSync(target, { throwIfNoEntry: false })
    if (!stat || stat.isDirectory()) {
      // Client-side routes fall back to the app; a missing asset is a real 404.
      if (path.extname(rel) && !rel.endsWith('.html')) return sendText(res, 404, 'Not found')
      target = path.join(rendererDir, 'index.html')
    }
    const ext = path.extname(target)
    securityHeaders(res)
    const headers: Record<string, string> = {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Cache-Control': ext === '.html' ? 'no-store' : 'private, max-age=3600',
    }
    if (ext === '.html') headers['Content-Security-Policy'] = BROWSER_CSP
    res.writeHead(200, headers)
    fs.createReadStream(target).pipe(res)
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!req.headers.host || !allowedHosts().has(req.headers.host)) {
        return sendText(res, 421, 'Fulcrum browser mode answers only on its loopback address.')
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
      const how = authorised(req, url)
      if (!how) {
        if (url.pathname.startsWith('/api/')) {
          return sendJson(res, 401, fail('refused', 'Missing or wrong access token'))
        }
        return sendText(
          res,
          401,
          'Fulcrum browser mode needs its access token. Open the URL printed by `fulcrum serve` (it ends in ?token=...).',
        )
      }
      if (how === 'query' && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
        // Trade the token for a cookie and take it out of the address bar and the history.
        url.searchParams.delete('token')
        securityHeaders(res)
        res.writeHead(303, {
          'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
          Location: `${url.pathname}${url.search}`,
          'Cache-Control': 'no-store',
        })
        return res.end()
      }

      if (url.pathname.startsWith('/api/call/')) {
        if (req.method !== 'POST') return sendJson(res, 405, fail('invalid_input', 'Use POST'))
        const origin = req.headers.origin
        if (origin !== undefined && !allowedOrigins().has(origin)) {
          return sendJson(res, 403, fail('refused', `Cross-origin request from ${origin} refused`))
        }
        const method = url.pathname.slice('/api/call/'.length)
        let input: unknown
        try {
          const body = await readBody(req)
          input = body.trim() === '' ? {} : (JSON.parse(body) as unknown)
        } catch (error) {
          return sendJson(res, 400, fail('invalid_input', `Request body is not valid JSON (${(error as Error).message})`))
        }
        const result: Result<unknown> = await dispatch(options.table, method, input)
        return sendJson(res, 200, result)
      }

      if (url.pathname === '/api/events') {
        securityHeaders(res)
        res.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
        })
        res.write(': connected\n\n')
        streams.add(res)
        const unsubscribe = options.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)
        req.on('close', () => {
          clearInterval(heartbeat)
          unsubscribe()
          streams.delete(res)
        })
        return
      }

      if (url.pathname === '/api/health') return sendJson(res, 200, { ok: true, value: { status: 'up' } })
      if (url.pathname.startsWith('/api/')) return sendJson(res, 404, fail('not_found', `No endpoint ${url.pathname}`))
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed')
      return serveStatic(res, url.pathname)
    })().catch((error: unknown) => {
      console.error('fulcrum serve: request failed:', error)
      if (!res.headersSent) sendText(res, 500, 'Internal error')
      else res.end()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const base = host === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`

  return {
    url: `${base}/`,
    openUrl: `${base}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
