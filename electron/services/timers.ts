/**
 * The timer port of the services that schedule (reminders, alert debouncing). Injected like the
 * clock, so tests drive time with a fake and the scheduler's logic is tested without waiting.
 *
 * `monotonicNow` never jumps when the user or NTP sets the wall clock, and (on Linux and macOS) stops
 * while the machine sleeps: comparing it with the wall clock tells a scheduler that time jumped.
 */
export type TimerHandle = object

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => TimerHandle
  clearTimeout: (handle: TimerHandle) => void
  setInterval: (fn: () => void, ms: number) => TimerHandle
  clearInterval: (handle: TimerHandle) => void
  /** Milliseconds from an arbitrary origin; never goes backwards. */
  monotonicNow: () => number
}

/** Node's longest timeout (2^31 − 1 ms, about 24.8 days); a longer delay fires at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647

export const systemTimers: Timers = {
  // Unref'd: a pending reminder must never keep a CLI command or a test process alive.
  setTimeout: (fn, ms) => setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMEOUT_MS)).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
  monotonicNow: () => performance.now(),
}
