/** The worker thread's entry: runs tasks from ./tasks on request of the pool. */
import { parentPort } from 'node:worker_threads'
import { tasks } from './tasks'

export interface TaskRequest {
  id: number
  task: string
  payload: unknown
}
export type TaskReply =
  | { id: number; kind: 'done'; value: unknown }
  | { id: number; kind: 'error'; message: string; stack?: string }
  | { id: number; kind: 'progress'; fraction: number; note?: string }

if (parentPort) {
  const port = parentPort
  port.on('message', async (req: TaskRequest) => {
    const fn = (tasks as Record<string, ((p: unknown, ctx: unknown) => unknown) | undefined>)[req.task]
    if (!fn) {
      port.postMessage({ id: req.id, kind: 'error', message: `unknown task "${req.task}"` } satisfies TaskReply)
      return
    }
    try {
      const value = await fn(req.payload, {
        progress: (fraction: number, note?: string) =>
          port.postMessage({ id: req.id, kind: 'progress', fraction, note } satisfies TaskReply),
      })
      port.postMessage({ id: req.id, kind: 'done', value } satisfies TaskReply)
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error))
      port.postMessage({ id: req.id, kind: 'error', message: e.message, stack: e.stack } satisfies TaskReply)
    }
  })
}
