// The time a pull waits on: PostHog's Retry-After, the pacing under its rate limits, retry backoff.
// Injectable so tests run an hour-long Retry-After in milliseconds instead of sleeping for real.
import { realClock as real, type Clock as FullClock } from '../clock'

/** What a pull needs of the clock (electron/clock.ts). */
export type Clock = Pick<FullClock, 'now' | 'sleep'>

export const realClock: Clock = real

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
