/**
 * Work that runs in worker threads, never on the main process's event loop: each task is a pure
 * function from a structured-clonable payload to a structured-clonable result (decimals as strings).
 * Add a task here and call it with `workerPool().run('name', payload)`.
 */
export interface TaskContext {
  /** Reports progress in [0, 1] to the caller (throttle it: a message per few percent is plenty). */
  progress: (fraction: number, note?: string) => void
}

export type Task = (payload: never, ctx: TaskContext) => unknown

/** Echo for the pool's own spec; real tasks are added below it. */
const echo = (payload: { value: unknown; spinMs?: number }, ctx: TaskContext): unknown => {
  const end = Date.now() + (payload.spinMs ?? 0)
  while (Date.now() < end) {
    /* busy on purpose: proves the main loop stays free */
  }
  ctx.progress(1)
  return payload.value
}
const fail = (payload: { message: string }): never => {
  throw new Error(payload.message)
}

export const tasks = {
  echo,
  fail,
} satisfies Record<string, Task>

export type TaskName = keyof typeof tasks
export type TaskPayload<N extends TaskName> = Parameters<(typeof tasks)[N]>[0]
export type TaskResult<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>
