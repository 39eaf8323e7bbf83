/**
 * A small pool of worker threads for heavy work (VaR, Monte Carlo, big imports), so the Electron
 * main process and the browser-mode server keep answering while it runs.
 *
 * Where the worker's code is: bundled next to the main bundle as `worker.js` in the desktop app
 * (electron.vite.config.ts builds it as its own entry); the TypeScript source run through tsx
 * everywhere else (CLI, browser mode, tests).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { TaskName, TaskPayload, TaskResult } from './tasks'
import type { TaskReply, TaskRequest } from './worker-entry'

export class WorkerTaskError extends Error {
  override name = 'WorkerTaskError'
  constructor(
    readonly task: string,
    message: string,
    readonly workerStack?: string,
  ) {
    super(message)
  }
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  onProgress?: (fraction: number, note?: string) => void
  task: string
  worker: Worker
}

export interface RunOptions {
  onProgress?: (fraction: number, note?: string) => void
  signal?: AbortSignal
}

function workerScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const bundled = path.join(here, 'worker.js')
  if (!import.meta.url.endsWith('.ts') && fs.existsSync(bundled)) return bundled
  return path.join(path.resolve(here, '..', '..'), 'electron', 'workers', 'worker-bootstrap.mjs')
}

export class WorkerPool {
  private readonly idle: Worker[] = []
  private readonly busy = new Set<Worker>()
  private readonly queue: { req: TaskRequest; pending: Omit<Pending, 'worker'> }[] = []
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private closed = false

  constructor(private readonly size = Math.max(1, Math.min(4, os.availableParallelism()))) {}

  run<N extends TaskName>(task: N, payload: TaskPayload<N>, options: RunOptions = {}): Promise<TaskResult<N>> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'))
    return new Promise<TaskResult<N>>((resolve, reject) => {
      const req: TaskRequest = { id: this.nextId++, task, payload }
      const entry = { resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress, task }
      if (options.signal) {
        if (options.signal.aborted) return reject(new Error('aborted'))
        options.signal.addEventListener('abort', () => this.abort(req.id), { once: true })
      }
      this.queue.push({ req, pending: entry })
      this.pump()
    })
  }

  private spawn(): Worker {
    const worker = new Worker(workerScript())
    worker.on('message', (reply: TaskReply) => this.onReply(worker, reply))
    worker.on('error', (error) => this.onWorkerGone(worker, error))
    worker.on('exit', (code) => {
      if (code !== 0) this.onWorkerGone(worker, new Error(`worker exited with code ${code}`))
    })
    worker.unref()
    return worker
  }

  private pump(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined)
      if (!worker) return
      const { req, pending } = this.queue.shift()!
      this.busy.add(worker)
      worker.ref()
      this.pending.set(req.id, { ...pending, worker })
      worker.postMessage(req)
    }
  }

  private onReply(worker: Worker, reply: TaskReply): void {
    const p = this.pending.get(reply.id)
    if (!p) return
    if (reply.kind === 'progress') {
      p.onProgress?.(reply.fraction, reply.note)
      return
    }
    this.pending.delete(reply.id)
    this.busy.delete(worker)
    worker.unref()
    this.idle.push(worker)
    if (reply.kind === 'done') p.resolve(reply.value)
    else p.reject(new WorkerTaskError(p.task, reply.message, reply.stack))
    this.pump()
  }

  private onWorkerGone(worker: Worker, error: Error): void {
    this.busy.delete(worker)
    const i = this.idle.indexOf(worker)
    if (i >= 0) this.idle.splice(i, 1)
    for (const [id, p] of this.pending) {
      if (p.worker === worker) {
        this.pending.delete(id)
        p.reject(new WorkerTaskError(p.task, error.message))
      }
    }
    if (!this.closed) this.pump()
  }

  /** Stops a task: a queued one is dropped, a running one takes its worker down with it. */
  private abort(id: number): void {
    const q = this.queue.findIndex((x) => x.req.id === id)
    if (q >= 0) {
      this.queue.splice(q, 1)[0]!.pending.reject(new Error('aborted'))
      return
    }
    const p = this.pending.get(id)
    if (p) {
      this.pending.delete(id)
      p.reject(new Error('aborted'))
      this.busy.delete(p.worker)
      void p.worker.terminate()
      this.pump()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('worker pool is closed'))
    const all = [...this.idle.splice(0), ...this.busy]
    this.busy.clear()
    await Promise.all(all.map((w) => w.terminate()))
  }
}

/**
 * Two process-wide pools, created on first use: `batch` for long work (VaR, imports) on all cores, and
 * `interactive` (one thread) for what a view waits on, such as the risk report, so a running VaR never
 * queues in front of it.
 */
export type PoolKind = 'batch' | 'interactive'
const pools = new Map<PoolKind, WorkerPool>()
export function workerPool(kind: PoolKind = 'batch'): WorkerPool {
  let pool = pools.get(kind)
  if (!pool) {
    pool = kind === 'interactive' ? new WorkerPool(1) : new WorkerPool()
    pools.set(kind, pool)
  }
  return pool
}
export async function closeWorkerPool(): Promise<void> {
  const all = [...pools.values()]
  pools.clear()
  await Promise.all(all.map((p) => p.close()))
}
