// One overall deadline per model request: headers and body together. The SDKs' own timeouts stop
// at the headers (and undici's body timeout is per chunk), so a server that stalls after the
// headers, or sends a byte a second, would hold a run for minutes. The attempt's signal is aborted
// (closing the socket) and its promise abandoned at once, whatever the SDK does with the abort.
import { CancelledError } from '../errors'
import type { Clock } from './clock'

export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms < 10_000 ? `${(ms / 1000).toFixed(1)}` : Math.round(ms / 1000)} s`)
    this.name = 'DeadlineError'
  }
}

/** Runs `fn` with a signal that aborts at the deadline or when `outer` aborts; settles at that moment. */
export function withDeadline<T>(ms: number, clock: Clock, outer: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const ctl = new AbortController()
    const onAbort = () => {
      const e = new CancelledError()
      ctl.abort(e)
      reject(e)
    }
    if (outer?.aborted) return onAbort()
    outer?.addEventListener('abort', onAbort, { once: true })
    const cancelTimer = clock.timer(ms, () => {
      const e = new DeadlineError(ms)
      ctl.abort(e)
      reject(e)
    })
    let run: Promise<T>
    try {
      run = fn(ctl.signal)
    } catch (e) {
      run = Promise.reject(e)
    }
    run.then(resolve, reject).finally(() => {
      cancelTimer()
      outer?.removeEventListener('abort', onAbort)
    })
  })
}
