/** A minimal typed publish/subscribe: the backend's pushed events fan out to every transport. */
export class EventBus<E> {
  private readonly listeners = new Set<(event: E) => void>()

  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  emit(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (error) {
        // One broken subscriber (a closed window, a dropped browser stream) must not starve the others.
        console.error('fulcrum: event listener failed:', error)
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
