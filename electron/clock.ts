// The time long waits run on (model deadlines and backoff, PostHog's Retry-After and pacing).
// Injectable so tests fire a deadline when a condition holds, or pass an hour in milliseconds,
// instead of racing short real timeouts.
import { CancelledError } from './errors'

export interface Clock {
  now(): number
  /** Calls `fn` after `ms`; the returned function cancels it. */
  timer(ms: number, fn: () => void): () => void
  /** Resolves after `ms`; rejects with CancelledError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  timer: (ms, fn) => {
    const t = setTimeout(fn, ms)
    return () => clearTimeout(t)
  },
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError())
      const onAbort = () => {
        clearTimeout(t)
        reject(new CancelledError())
      }
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}
