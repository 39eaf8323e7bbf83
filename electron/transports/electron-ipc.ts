/**
 * Electron IPC transport: one `ipcMain.handle` per channel, every one through the same validating
 * wrapper — unknown senders refused, the single argument parsed by the contract's schema, errors
 * returned as result values (Electron would pass only an error's message across).
 * Typed structurally so the specs run under Node with a fake ipcMain.
 */
import type { IpcMainInvokeEvent } from 'electron'
import { Channels, EVENT_CHANNEL, METHOD_NAMES } from '../shared/channels'
import { fail, type FulcrumEvent, type Result } from '../shared/api-contract'
import type { EventBus } from '../services/event-bus'
import type { ServiceTable } from '../services/fulcrum-service'
import { dispatch } from './dispatch'

export interface IpcMainLike {
  handle: (channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>) => void
  removeHandler: (channel: string) => void
}

export interface IpcOptions {
  ipcMain: IpcMainLike
  table: ServiceTable
  /** true only for our own window showing our own renderer */
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
}

/** Registers every channel; returns the function that removes them all again. */
export function registerIpcHandlers({ ipcMain, table, isTrustedSender }: IpcOptions): () => void {
  const registered: string[] = []
  for (const method of METHOD_NAMES) {
    const channel = Channels[method]
    ipcMain.handle(channel, async (event, ...args): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return fail('refused', `IPC from an unknown sender refused (${channel})`)
      if (args.length > 1) return fail('invalid_input', `${method} takes one argument, got ${args.length}`)
      return dispatch(table, method, args[0])
    })
    registered.push(channel)
  }
  return () => {
    for (const channel of registered.splice(0)) ipcMain.removeHandler(channel)
  }
}

export interface EventTarget {
  isDestroyed: () => boolean
  send: (channel: string, payload: unknown) => void
}

/** Pushes backend events to every live window. Returns the unsubscribe function. */
export function forwardEvents(events: EventBus<FulcrumEvent>, targets: () => EventTarget[]): () => void {
  return events.subscribe((event) => {
    for (const t of targets()) if (!t.isDestroyed()) t.send(EVENT_CHANNEL, event)
  })
}
