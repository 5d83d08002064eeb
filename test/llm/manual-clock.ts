// A clock tests move by hand: a deadline fires when the test says (once the condition it waits on
// holds), and backoff waits pass at once in virtual time.
import { CancelledError } from '../../electron/errors'
import type { Clock } from '../../electron/llm/clock'

export class ManualClock implements Clock {
  private t = 0
  private readonly timers = new Set<{ at: number; fn: () => void }>()

  now(): number {
    return this.t
  }

  timer(ms: number, fn: () => void): () => void {
    const entry = { at: this.t + ms, fn }
    this.timers.add(entry)
    return () => this.timers.delete(entry)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError())
    this.advance(ms)
    return Promise.resolve()
  }

  /** Moves time on, firing every timer that falls due. */
  advance(ms: number): void {
    this.t += ms
    for (const e of [...this.timers].sort((a, b) => a.at - b.at))
      if (e.at <= this.t) {
        this.timers.delete(e)
        e.fn()
      }
  }

  get pending(): number {
    return this.timers.size
  }
}
