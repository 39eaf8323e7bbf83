import { afterEach, describe, expect, it } from 'vitest'
import { WorkerPool, WorkerTaskError } from './pool'

let pool: WorkerPool | undefined
afterEach(async () => {
  await pool?.close()
  pool = undefined
})

describe('WorkerPool', () => {
  it('runs a task in a worker thread and returns its structured-cloned result', async () => {
    pool = new WorkerPool(2)
    const progress: number[] = []
    const value = await pool.run('echo', { value: { a: '1.5', b: [1, 2] } }, { onProgress: (f) => progress.push(f) })
    expect(value).toEqual({ a: '1.5', b: [1, 2] })
    expect(progress).toEqual([1])
  })

  it('keeps the calling event loop free while a task is busy', async () => {
    pool = new WorkerPool(1)
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    await pool.run('echo', { value: 1, spinMs: 400 })
    clearInterval(timer)
    // A task on this thread would have allowed no tick at all during those 400 ms.
    expect(ticks).toBeGreaterThan(10)
  })

  it('turns a task failure into a rejection that names the task', async () => {
    pool = new WorkerPool(1)
    await expect(pool.run('fail', { message: 'boom' })).rejects.toThrow(WorkerTaskError)
    await expect(pool.run('echo', { value: 'still alive' })).resolves.toBe('still alive')
  })

  it('queues more tasks than workers and aborts on request', async () => {
    pool = new WorkerPool(1)
    const slow = pool.run('echo', { value: 'slow', spinMs: 300 })
    const controller = new AbortController()
    const queued = pool.run('echo', { value: 'never' }, { signal: controller.signal })
    controller.abort()
    await expect(queued).rejects.toThrow('aborted')
    await expect(slow).resolves.toBe('slow')
  })
})
