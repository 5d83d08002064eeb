// The time a pull waits on: PostHog's Retry-After, the pacing under its rate limits, retry backoff.
// Injectable so tests run an hour-long Retry-After in milliseconds instead of sleeping for real.
import { CancelledError } from '../errors'

export interface Clock {
  now(): number
  /** Resolves after `ms`; rejects with CancelledError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
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

/**
 * Waits `ms`, telling `tell` the seconds left once a second (a countdown the user can cancel
 * through `signal` at any moment).
 */
export async function countdown(clock: Clock, ms: number, signal: AbortSignal | undefined, tell: (secondsLeft: number) => void): Promise<void> {
  const end = clock.now() + ms
  for (let left = ms; left > 0; left = end - clock.now()) {
    tell(Math.ceil(left / 1000))
    await clock.sleep(Math.min(1000, left), signal)
  }
}
