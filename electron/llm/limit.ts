// One limit on concurrent model calls for the whole process: every provider made by
// createProvider takes a slot per call (structured output and each embedding request), so a trace
// summary run, a session summary and an embed running side by side never have more than `max`
// requests in flight together. Waiters are served first come, first served; a cancelled waiter
// leaves the queue at once.
import { CancelledError } from '../errors'

export const DEFAULT_MODEL_CONCURRENCY = 4

export class Limiter {
  private active = 0
  private readonly queue: { go: () => void; signal: AbortSignal | undefined; onAbort: () => void }[] = []
  /** Most calls in flight at once so far (tests, diagnostics). */
  peak = 0

  constructor(private max = DEFAULT_MODEL_CONCURRENCY) {}

  get limit(): number {
    return this.max
  }

  setLimit(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`The model call limit must be a whole number ≥ 1, not ${n}`)
    this.max = n
    this.drain()
  }

  /** Runs fn once a slot is free; the slot is given back when fn settles. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal)
    try {
      return await fn()
    } finally {
      this.active--
      this.drain()
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError())
    if (this.active < this.max) {
      this.take()
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        signal,
        go: () => {
          signal?.removeEventListener('abort', entry.onAbort)
          this.take()
          resolve()
        },
        onAbort: () => {
          const i = this.queue.indexOf(entry)
          if (i >= 0) this.queue.splice(i, 1)
          reject(new CancelledError())
        },
      }
      signal?.addEventListener('abort', entry.onAbort, { once: true })
      this.queue.push(entry)
    })
  }

  private take(): void {
    this.active++
    this.peak = Math.max(this.peak, this.active)
  }

  private drain(): void {
    while (this.active < this.max && this.queue.length) this.queue.shift()!.go()
  }
}

/** The process's one limiter for model calls. */
export const modelCalls = new Limiter()
