/**
 * A fake wall clock and fake timers in one, for scheduler tests. `advance` moves both clocks and runs
 * every timer that falls due on the way, in time order; `jumpWall` moves only the wall clock, the way
 * a user changing the system time or a machine waking from sleep does.
 */
import type { Clock } from '../../store/book-repository'
import type { TimerHandle, Timers } from '../timers'

interface FakeTimer {
  id: number
  at: number
  every: number | null
  fn: () => void
}

export class FakeTime implements Clock, Timers {
  private wallMs: number
  private monoMs = 0
  private seq = 0
  private readonly timers = new Map<number, FakeTimer>()

  constructor(start: Date | string) {
    this.wallMs = new Date(start).getTime()
  }

  now = (): Date => new Date(this.wallMs)
  monotonicNow = (): number => this.monoMs

  setTimeout = (fn: () => void, ms: number): TimerHandle => this.add(fn, ms, null)
  setInterval = (fn: () => void, ms: number): TimerHandle => this.add(fn, ms, Math.max(1, ms))
  clearTimeout = (h: TimerHandle): void => void this.timers.delete((h as { id: number }).id)
  clearInterval = (h: TimerHandle): void => void this.timers.delete((h as { id: number }).id)

  private add(fn: () => void, ms: number, every: number | null): TimerHandle {
    const t: FakeTimer = { id: ++this.seq, at: this.monoMs + Math.max(0, ms), every, fn }
    this.timers.set(t.id, t)
    return { id: t.id }
  }

  /** Timers still waiting (tests assert the scheduler keeps one, not one per reminder). */
  get pendingTimers(): number {
    return this.timers.size
  }

  /** Pending one-shot timers, in ms from now, soonest first. */
  get timeouts(): number[] {
    return [...this.timers.values()].filter((t) => t.every === null).map((t) => t.at - this.monoMs).sort((a, b) => a - b)
  }

  /** Moves both clocks forward by `ms`, running timers as they fall due. */
  advance(ms: number): void {
    const end = this.monoMs + ms
    for (;;) {
      let next: FakeTimer | undefined
      for (const t of this.timers.values()) if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t
      if (!next) break
      this.wallMs += next.at - this.monoMs
      this.monoMs = next.at
      if (next.every === null) this.timers.delete(next.id)
      else next.at += next.every
      next.fn()
    }
    this.wallMs += end - this.monoMs
    this.monoMs = end
  }

  /** Advances to a wall-clock instant (both clocks move). */
  advanceTo(instant: Date | string): void {
    this.advance(Math.max(0, new Date(instant).getTime() - this.wallMs))
  }

  /** Moves only the wall clock: a manual time change, an NTP step, or the time slept. */
  jumpWall(ms: number): void {
    this.wallMs += ms
  }

  /** Sets the wall clock without running anything (between two runs of the app). */
  setWall(instant: Date | string): void {
    this.wallMs = new Date(instant).getTime()
  }
}
