// Retries for model calls: 429, 5xx, deadlines, dropped connections, bodies cut off or not JSON
// are retried with exponential backoff and full jitter (so many clients do not retry in step);
// anything else, and the last failure, becomes one clear error. Each attempt has one overall
// deadline (deadline.ts) and all attempts together a time budget. The SDKs' own retries are off:
// one policy, here. Cancel (the signal) ends a call at once, mid-attempt or mid-wait.
import { CancelledError, UserError } from '../errors'
import { type Clock, realClock } from './clock'
import { DeadlineError, withDeadline } from './deadline'
import { ModelRequestError } from './errors'
import { BodyCutOffError, InvalidBodyError } from './whole-body'

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number
  baseMs: number
  maxMs: number
  /** One attempt, headers and body together, may take this long. */
  deadlineMs: number
  /** All attempts and the waits between them may take this long. */
  totalMs: number
  signal?: AbortSignal | undefined
  onRetry?: ((attempt: number, delayMs: number, reason: string) => void) | undefined
  clock?: Clock | undefined
  /** [0, 1), for the jitter (tests: fixed). */
  random?: (() => number) | undefined
}

export const DEFAULT_DEADLINE_MS = 120_000
export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseMs: 500, maxMs: 8000, deadlineMs: DEFAULT_DEADLINE_MS, totalMs: 300_000 }

export interface Failure {
  retryable: boolean
  status: number | null
  reason: string
  /** Server-requested wait (Retry-After), ms. */
  retryAfterMs: number | null
}

/** The error and its causes (the OpenAI SDK wraps what its fetch threw in APIConnectionError). */
function* chain(e: unknown): Generator<unknown> {
  for (let c = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) yield c
}

/** Ours to pass on unchanged: offline refusals, cancels and other user errors from the network layer. */
function passThrough(e: unknown): Error | null {
  for (const c of chain(e)) if (c instanceof UserError || c instanceof CancelledError) return c
  return null
}

/** Reads a thrown SDK or fetch error into a Failure. */
export function classify(e: unknown): Failure {
  for (const c of chain(e))
    if (c instanceof DeadlineError || c instanceof BodyCutOffError || c instanceof InvalidBodyError) return { retryable: true, status: null, reason: c.message, retryAfterMs: null }
  const err = e as { status?: unknown; name?: string; message?: string; headers?: unknown }
  const status = typeof err?.status === 'number' ? err.status : null
  const name = err?.name ?? ''
  const msg = String(err?.message ?? e)
  const retryAfterMs = retryAfter(err?.headers)
  if (status !== null) {
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500
    return { retryable, status, reason: `HTTP ${status}${short(msg)}`, retryAfterMs }
  }
  // An abort we did not ask for (the caller's signal is checked first) is the SDK's own timeout.
  const timeout = /timeout|timed out|AbortError/i.test(name) || /timed? ?out|operation was aborted/i.test(msg)
  const connection = /APIConnectionError|FetchError|TypeError/.test(name) || /connection error|fetch failed|ECONNRESET|ECONNREFUSED|socket hang up|terminated|other side closed/i.test(msg)
  if (timeout) return { retryable: true, status: null, reason: 'the request timed out', retryAfterMs: null }
  if (connection) return { retryable: true, status: null, reason: `the connection failed${short(msg)}`, retryAfterMs: null }
  return { retryable: false, status: null, reason: msg.slice(0, 200), retryAfterMs: null }
}

const short = (m: string) => {
  const s = m.replace(/\s+/g, ' ').trim().slice(0, 160)
  return s ? ` (${s})` : ''
}

function retryAfter(headers: unknown): number | null {
  let v: string | null | undefined
  if (headers && typeof (headers as Headers).get === 'function') v = (headers as Headers).get('retry-after')
  else if (headers && typeof headers === 'object') v = (headers as Record<string, string>)['retry-after']
  if (!v) return null
  const s = Number(v)
  return Number.isFinite(s) ? s * 1000 : null
}

const seconds = (ms: number) => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)))

/** Calls `fn` (given the attempt's signal) until it succeeds, a failure is final, or the retries or the time budget run out. */
export async function withRetry<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, opts: RetryOptions): Promise<T> {
  const clock = opts.clock ?? realClock
  const random = opts.random ?? Math.random
  const start = clock.now()
  for (let attempt = 0; ; attempt++) {
    if (opts.signal?.aborted) throw new CancelledError()
    const left = opts.totalMs - (clock.now() - start)
    try {
      return await withDeadline(Math.max(1, Math.min(opts.deadlineMs, left)), clock, opts.signal, fn)
    } catch (e) {
      if (opts.signal?.aborted) throw new CancelledError()
      const own = passThrough(e)
      if (own) throw own
      const f = classify(e)
      const tries = attempt + 1
      if (!f.retryable) throw new ModelRequestError(`${what} was refused: ${f.reason}.`, f.status, tries)
      if (attempt >= opts.retries) throw new ModelRequestError(`${what} failed after ${tries} attempts: ${f.reason}.`, f.status, tries)
      const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt)
      const delay = Math.min(opts.maxMs, Math.max(f.retryAfterMs ?? 0, random() * cap))
      const spent = clock.now() - start
      if (spent + delay >= opts.totalMs)
        throw new ModelRequestError(`${what} failed after ${tries} attempts in ${seconds(spent)} s (retries may take ${seconds(opts.totalMs)} s in all): ${f.reason}.`, f.status, tries)
      opts.onRetry?.(attempt + 1, delay, f.reason)
      await clock.sleep(delay, opts.signal)
    }
  }
}
