// Retries for model calls: 429, 5xx, timeouts and dropped connections are retried with
// exponential backoff and full jitter (so many clients do not retry in step); anything else, and
// the last failure, becomes one clear error. The SDKs' own retries are off: one policy, here.
import { CancelledError } from '../errors'
import { ModelRequestError, OfflineError } from './errors'

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number
  baseMs: number
  maxMs: number
  signal?: AbortSignal | undefined
  onRetry?: (attempt: number, delayMs: number, reason: string) => void
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseMs: 500, maxMs: 8000 }

export interface Failure {
  retryable: boolean
  status: number | null
  reason: string
  /** Server-requested wait (Retry-After), ms. */
  retryAfterMs: number | null
}

/** Reads a thrown SDK or fetch error into a Failure. */
export function classify(e: unknown): Failure {
  const err = e as { status?: unknown; name?: string; message?: string; headers?: unknown; code?: string; cause?: { code?: string } }
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

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError())
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(new CancelledError())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (e instanceof OfflineError || e instanceof CancelledError) throw e
      if (opts.signal?.aborted) throw new CancelledError()
      const f = classify(e)
      if (!f.retryable || attempt >= opts.retries) {
        const tries = attempt + 1
        throw new ModelRequestError(
          f.retryable ? `${what} failed after ${tries} attempts: ${f.reason}.` : `${what} was refused: ${f.reason}.`,
          f.status,
          tries,
        )
      }
      const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt)
      const delay = Math.min(opts.maxMs, Math.max(f.retryAfterMs ?? 0, Math.random() * cap))
      opts.onRetry?.(attempt + 1, delay, f.reason)
      await sleep(delay, opts.signal)
    }
  }
}
