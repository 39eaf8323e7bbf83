/**
 * Fixtures: every test gets a fresh data folder and its own app.
 * - project `browser`: `fulcrum serve --db <fresh> --port 0` as a real subprocess, Debian's Chromium;
 * - project `electron`: the built desktop app through `_electron.launch`, FULCRUM_DATA_DIR fresh;
 *   skipped with one clear reason where no Electron binary is installed.
 */
import { test as base, chromium, _electron, type Page, type Browser, type ElectronApplication } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { electronExecutable, ROOT } from './electron-binary'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface AppHandle {
  page: Page
  /** Browser mode only: the URL with the token, and the bare origin. */
  url: string | null
  origin: string | null
  dataDir: string
  consoleErrors: string[]
  /** Restart the app on the same data (a reload in browser mode keeps the server; this restarts it). */
  restart: () => Promise<void>
  /** Calls the backend directly (bearer token in browser mode, window.fulcrum in Electron); throws on an error result. */
  call: <T = unknown>(method: string, input?: unknown) => Promise<T>
}

async function unwrap<T>(result: { ok: boolean; value?: unknown; error?: { message: string } }, method: string): Promise<T> {
  if (!result.ok) throw new Error(`${method} failed: ${result.error?.message}`)
  return result.value as T
}

interface Options {
  demo: boolean
}

async function startServe(dataDir: string, demo: boolean): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--import', 'tsx', path.join(ROOT, 'electron', 'cli', 'index.ts'), 'serve', '--db', path.join(dataDir, 'fulcrum.sqlite'), '--port', '0']
  if (!demo) args.push('--no-demo')
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! })
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in time:\n${stderr}`)), 45_000)
    rl.once('line', (line) => {
      clearTimeout(timer)
      resolve(line.trim())
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)))
  })
  return { child, url }
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  })
}

function watchConsole(page: Page, errors: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
}

export const test = base.extend<Options & { app: AppHandle }>({
  demo: [true, { option: true }],
  app: async ({ demo }, use, testInfo) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-e2e-'))
    const consoleErrors: string[] = []

    if (testInfo.project.name === 'electron') {
      const exe = electronExecutable()
      testInfo.skip(!exe, 'no Electron binary installed (node_modules/electron/dist); the browser project covers these specs')
      let electronApp: ElectronApplication | undefined
      const launch = async (): Promise<Page> => {
        electronApp = await _electron.launch({
          executablePath: exe!,
          args: [path.join(ROOT, 'out', 'main', 'index.js')],
          env: { ...process.env, FULCRUM_DATA_DIR: dataDir } as Record<string, string>,
        })
        const page = await electronApp.firstWindow()
        watchConsole(page, consoleErrors)
        await page.setViewportSize({ width: 1280, height: 800 })
        return page
      }
      const handle: AppHandle = {
        page: await launch(),
        url: null,
        origin: null,
        dataDir,
        consoleErrors,
        restart: async () => {
          await electronApp?.close()
          handle.page = await launch()
        },
        call: async <T,>(method: string, input: unknown = {}) =>
          unwrap<T>(
            await handle.page.evaluate(
              ([m, i]) => (window as unknown as { fulcrum: Record<string, (x: unknown) => Promise<never>> }).fulcrum[m as string]!(i),
              [method, input] as const,
            ),
            method,
          ),
      }
      if (!demo) await handle.page.evaluate(() => (window as unknown as { fulcrum?: { demoRemove: (i: object) => Promise<unknown> } }).fulcrum?.demoRemove({}))
      await use(handle)
      await electronApp?.close()
    } else {
      let server = await startServe(dataDir, demo)
      const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC' })
      const page = await context.newPage()
      watchConsole(page, consoleErrors)
      await page.goto(server.url)
      const handle: AppHandle = {
        page,
        url: server.url,
        origin: new URL(server.url).origin,
        dataDir,
        consoleErrors,
        restart: async () => {
          // Leave the page first: its event stream would log refused reconnects while the server is down.
          await page.goto('about:blank')
          await stop(server.child)
          server = await startServe(dataDir, demo)
          handle.url = server.url
          handle.origin = new URL(server.url).origin
          await page.goto(server.url)
        },
        call: async <T,>(method: string, input: unknown = {}) => {
          const res = await fetch(`${handle.origin}/api/call/${method}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${new URL(handle.url!).searchParams.get('token')}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(input),
          })
          return unwrap<T>((await res.json()) as { ok: boolean }, method)
        },
      }
      await use(handle)
      await browser.close()
      await stop(server.child)
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  },
})

export { expect } from '@playwright/test'
