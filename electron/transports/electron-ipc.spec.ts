/** The IPC wrapper with a fake ipcMain: sender check, schema validation, result values, disposal. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Channels, EVENT_CHANNEL, METHOD_NAMES } from '../shared/channels'
import { startBackend, type Backend } from '../services/backend'
import { forwardEvents, registerIpcHandlers, type IpcMainLike } from './electron-ipc'

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, Handler>()
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  invoke(channel: string, event: Partial<IpcMainInvokeEvent>, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel)
    if (!h) throw new Error(`no handler for ${channel}`)
    return h(event as IpcMainInvokeEvent, ...args)
  }
}

const trusted = { senderFrame: { url: 'file:///app/out/renderer/index.html' } } as unknown as IpcMainInvokeEvent
const stranger = { senderFrame: { url: 'https://evil.example/' } } as unknown as IpcMainInvokeEvent

let dir: string
let backend: Backend
let ipc: FakeIpcMain
let dispose: () => void

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-ipc-'))
  backend = startBackend({ dataFile: path.join(dir, 'db.sqlite'), mode: 'electron', seedDemoOnCreate: false })
  ipc = new FakeIpcMain()
  dispose = registerIpcHandlers({
    ipcMain: ipc,
    table: backend.service.table,
    isTrustedSender: (e) => e.senderFrame?.url === 'file:///app/out/renderer/index.html',
  })
})
afterEach(async () => {
  dispose()
  await backend.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('registerIpcHandlers', () => {
  it('registers one handler per channel of the contract', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => Channels[m]).sort())
  })

  it('refuses a sender that is not our renderer, without running the handler', async () => {
    const r = await ipc.invoke(Channels.accountSave, stranger, {
      account: { id: 'x', venue: 'binance', marginMode: 'cross', collateral: [] },
      create: true,
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'refused' } })
    expect(backend.service.book.listAccounts()).toEqual([])
  })

  it('validates arguments and returns errors as values', async () => {
    expect(await ipc.invoke(Channels.accountDelete, trusted, { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await ipc.invoke(Channels.bookGet, trusted, {}, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await ipc.invoke(Channels.bookGet, trusted, {})).toMatchObject({ ok: true })
    expect(await ipc.invoke(Channels.bookGet, trusted)).toMatchObject({ ok: true })
  })

  it('removes every handler on dispose', () => {
    dispose()
    expect(ipc.handlers.size).toBe(0)
    dispose = () => undefined
  })
})

describe('forwardEvents', () => {
  it('sends backend events to live windows only, and stops when unsubscribed', () => {
    const sent: unknown[] = []
    const live = { isDestroyed: () => false, send: (c: string, p: unknown) => sent.push([c, p]) }
    const dead = { isDestroyed: () => true, send: () => sent.push('dead') }
    const stop = forwardEvents(backend.events, () => [live, dead])
    backend.events.emit({ type: 'book.changed', revision: 7 })
    stop()
    backend.events.emit({ type: 'book.changed', revision: 8 })
    expect(sent).toEqual([[EVENT_CHANNEL, { type: 'book.changed', revision: 7 }]])
  })
})
