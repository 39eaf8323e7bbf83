import { describe, expect, it } from 'vitest'
import { coalesce } from './coalesce'

describe('coalesce', () => {
  it('runs once for a burst during a run, plus one rerun, and every caller sees fresh data', async () => {
    let runs = 0
    let release: (() => void) | undefined
    const reload = coalesce(
      () =>
        new Promise<void>((resolve) => {
          runs++
          release = resolve
        }),
    )
    const first = reload()
    const burst = [reload(), reload(), reload()]
    expect(runs).toBe(1)
    release!()
    await new Promise((r) => setTimeout(r, 0))
    expect(runs).toBe(2) // the one rerun the burst asked for
    release!()
    await Promise.all([first, ...burst])
    expect(runs).toBe(2)
    const later = reload()
    expect(runs).toBe(3)
    release!()
    await later
  })
})
