// A virtual clock for pull tests: sleeps end at once (after a turn of the event loop, so sockets
// and the fake server keep running) and move the time on. Shared by the client and the fake API,
// it lets an hour of Retry-After or rate-limit pacing pass in milliseconds.
import { CancelledError } from '../../electron/errors'
import type { Clock } from '../../electron/pull/clock'

export class VirtualClock implements Clock {
  /** Every sleep asked for, in ms. */
  readonly sleeps: number[] = []

  constructor(private t = Date.parse('2026-06-01T12:00:00Z')) {}

  now = (): number => this.t

  /** Virtual ms slept in total. */
  get slept(): number {
    return this.sleeps.reduce((a, b) => a + b, 0)
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CancelledError()
    this.sleeps.push(ms)
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (signal?.aborted) throw new CancelledError()
    this.t += ms
  }
}

/** A clock whose sleeps never end by themselves: only the signal ends them (cancel tests). */
export class StuckClock implements Clock {
  sleeping = 0
  now = (): number => Date.parse('2026-06-01T12:00:00Z')
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeping++
    return new Promise((_resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError())
      signal?.addEventListener('abort', () => reject(new CancelledError()), { once: true })
    })
  }
}

/** Resolves when `cond()` holds; fails after `ms` (real time) with `what`. */
export async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
