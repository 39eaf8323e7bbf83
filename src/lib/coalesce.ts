/**
 * Wraps an async reload so a burst of calls costs at most one run in flight plus one more after it:
 * a call during a run asks for exactly one rerun, and every caller's promise settles when the data
 * is current. (A feed that writes twenty marks must not cause twenty reloads.)
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | null = null
  let again = false
  return () => {
    if (pending) {
      again = true
      return pending
    }
    pending = (async () => {
      do {
        again = false
        await run()
      } while (again)
    })().finally(() => {
      pending = null
    })
    return pending
  }
}
