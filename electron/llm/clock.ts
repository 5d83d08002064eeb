// The time model calls wait on (deadlines, retry backoff, the retry budget). Injectable so tests
// can fire a deadline when a condition holds instead of racing a short real timeout.
import { CancelledError } from '../errors'

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
