/** Browser mode's HTTP transport against a real socket: token, host and origin checks, calls, events. */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type Backend } from '../services/backend'
import { startBrowserServer, TOKEN_COOKIE, type BrowserServer } from './http-server'

let dir: string
let backend: Backend
let server: BrowserServer

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-http-'))
  const renderer = path.join(dir, 'renderer')
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Fulcrum test</title>')
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve me')
  backend = startBackend({ dataFile: path.join(dir, 'db.sqlite'), mode: 'browser', seedDemoOnCreate: false })
  server = await startBrowserServer({ table: backend.service.table, events: backend.events, rendererDir: renderer })
})
afterAll(async () => {
  await server.close()
  await backend.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}
function request(
  pathAndQuery: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    if (opts.body) req.write(opts.body)
    req.end()
  })
}
const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` })

describe('browser mode server', () => {
  it('listens on the loopback address only and prints a URL with the token', () => {
    expect(server.openUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  })

  it('refuses every request without the token', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/api/health']) {
      const r = await request(p)
      expect(r.status, p).toBe(401)
      expect(r.body).not.toContain('Fulcrum test')
    }
    const call = await request('/api/call/bookGet', { method: 'POST', body: '{}' })
    expect(call.status).toBe(401)
    const wrong = await request('/api/call/bookGet', { method: 'POST', body: '{}', headers: { Authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    const events = await request('/api/events')
    expect(events.status).toBe(401)
  })

  it('trades the token in the URL for an HttpOnly cookie and serves the app with a CSP', async () => {
    const first = await request(`/?token=${server.token}`)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    const cookie = String(first.headers['set-cookie'])
    expect(cookie).toContain(`${TOKEN_COOKIE}=`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const page = await request('/', { headers: { Cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('Fulcrum test')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['x-frame-options']).toBe('DENY')
  })

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const r = await request('/api/health', { headers: { ...bearer(), Host: 'evil.example:80' } })
    expect(r.status).toBe(421)
  })

  it('refuses a cross-origin call even with the token', async () => {
    const r = await request('/api/call/bookGet', {
      method: 'POST',
      body: '{}',
      headers: { ...bearer(), Origin: 'http://evil.example', 'Content-Type': 'application/json' },
    })
    expect(r.status).toBe(403)
  })

  it('does not serve files outside the renderer folder', async () => {
    const r = await request('/../secret.txt', { headers: bearer() })
    expect(r.body).not.toContain('do not serve me')
    const encoded = await request('/%2e%2e/secret.txt', { headers: bearer() })
    expect(encoded.body).not.toContain('do not serve me')
  })

  it('answers calls with result values, bad JSON and bad input included', async () => {
    const ok = await request('/api/call/bookGet', { method: 'POST', body: '{}', headers: bearer() })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { document: { format: 'fulcrum.portfolio/1' } } })
    const badJson = await request('/api/call/bookGet', { method: 'POST', body: '{nope', headers: bearer() })
    expect(badJson.status).toBe(400)
    expect(JSON.parse(badJson.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const badInput = await request('/api/call/accountSave', { method: 'POST', body: '{"account":{"id":1}}', headers: bearer() })
    expect(JSON.parse(badInput.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const unknown = await request('/api/call/dropTables', { method: 'POST', body: '{}', headers: bearer() })
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('pushes book.changed to an open event stream', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: bearer() }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream')
        res.setEncoding('utf8')
        let buf = ''
        res.on('data', (chunk: string) => {
          buf += chunk
          const line = buf.split('\n').find((l) => l.startsWith('data: '))
          if (line) {
            req.destroy()
            resolve(line)
          }
        })
        // Once connected, make a change from "another window".
        void backend.service.table.underlyingSave({ symbol: 'BTC', price: '65000' })
      })
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)))
    })
    expect(JSON.parse(received.slice(6))).toMatchObject({ type: 'book.changed' })
  })
})
