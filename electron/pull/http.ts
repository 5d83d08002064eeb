// Requests to PostHog's REST API: every one through the offline guard, with the personal API key,
// a timeout (on the wait for headers and between body chunks), retries with backoff for 429 (after
// Retry-After), 5xx, timeouts and dropped connections, and errors that say what to do. The key
// never appears in an error: messages are built from our words, the status and PostHog's `detail`.
import { CancelledError, UserError } from '../errors'
import { OfflineError } from '../llm/errors'
import type { NetworkGuard } from '../llm/guard'

export interface HttpOptions {
  apiKey: string
  guard: NetworkGuard
  signal?: AbortSignal | undefined
  /** No headers, or no body bytes, for this long: the attempt fails (and is retried). */
  timeoutMs: number
  /** Retries after the first attempt. */
  retries: number
  baseDelayMs: number
  /** Longest wait a Retry-After may ask for (longer asks are capped to this). */
  maxRetryAfterMs: number
  onRetry?: ((what: string, attempt: number, delayMs: number, reason: string) => void) | undefined
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'apiKey' | 'guard'> = { timeoutMs: 30_000, retries: 4, baseDelayMs: 500, maxRetryAfterMs: 60_000 }

/** What PostHog answered when it was not a success; `detail` is PostHog's own short reason. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`HTTP ${status}${detail ? ` (${detail})` : ''}`)
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`)
  }
}

/** Refused offline: how to allow it, in the message itself (a job's error keeps only the message). */
export class PullOfflineError extends UserError {
  constructor(host: string) {
    super(
      `Offline mode is on: refusing to pull from ${host}. Only this machine (localhost, 127.0.0.1, ::1) is allowed. To pull from PostHog, pass --no-offline (sightline pull) or turn offline mode off in Settings.`,
      'user_error',
      ['sightline pull --no-offline URL', 'Or turn offline mode off in Settings'],
    )
    this.name = 'PullOfflineError'
  }
}

/** Runs the guard's check; its refusal becomes the pull's own wording. */
export function checkHost(guard: NetworkGuard, url: string): void {
  try {
    guard.check(url)
  } catch (e) {
    if (e instanceof OfflineError) throw new PullOfflineError(e.host)
    throw e
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
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
  })

function retryAfterMs(v: string | null): number | null {
  if (!v) return null
  const s = Number(v)
  if (Number.isFinite(s)) return Math.max(0, s * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now())
}

async function detailOf(res: Response): Promise<string> {
  try {
    const text = (await res.text()).slice(0, 2000)
    const body = JSON.parse(text) as { detail?: unknown; error?: unknown; message?: unknown }
    const d = body.detail ?? body.message ?? body.error
    return typeof d === 'string' ? d.replace(/\s+/g, ' ').trim().slice(0, 160) : ''
  } catch {
    return ''
  }
}

/** A body reader inside one attempt: `touch()` after each chunk keeps the timeout from firing. */
export type Consume<T> = (res: Response, touch: () => void, signal: AbortSignal) => Promise<T>

export class PosthogHttp {
  constructor(private readonly o: HttpOptions) {}

  /**
   * One request with retries. `consume` reads the body within the attempt, so a body that stops
   * half-way is retried as a whole; it must not have side effects that a retry would repeat.
   */
  async request<T>(what: string, url: string, init: { method?: 'GET' | 'POST'; body?: unknown; accept?: string }, consume: Consume<T>): Promise<T> {
    const { signal } = this.o
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new CancelledError()
      try {
        return await this.once(url, init, consume)
      } catch (e) {
        if (e instanceof CancelledError || signal?.aborted) throw new CancelledError()
        if (e instanceof UserError) throw e
        const retryable = e instanceof HttpStatusError ? e.status === 429 || e.status === 408 || e.status >= 500 : true
        if (!retryable || attempt >= this.o.retries) throw this.toUserError(what, e, attempt + 1)
        const backoff = Math.min(this.o.baseDelayMs * 2 ** attempt, 8_000)
        const asked = e instanceof HttpStatusError ? e.retryAfterMs : null
        const delay = asked !== null ? Math.min(asked, this.o.maxRetryAfterMs) : backoff * (0.5 + Math.random() / 2)
        this.o.onRetry?.(what, attempt + 1, delay, e instanceof Error ? e.message : String(e))
        await sleep(delay, signal)
      }
    }
  }

  private async once<T>(url: string, init: { method?: 'GET' | 'POST'; body?: unknown; accept?: string }, consume: Consume<T>): Promise<T> {
    checkHost(this.o.guard, url)
    const ctl = new AbortController()
    const onAbort = () => ctl.abort(new CancelledError())
    this.o.signal?.addEventListener('abort', onAbort, { once: true })
    let timer: NodeJS.Timeout | undefined
    let timedOut = false
    const touch = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        timedOut = true
        ctl.abort(new TimeoutError(this.o.timeoutMs))
      }, this.o.timeoutMs)
    }
    touch()
    try {
      // Redirects are followed here, not by fetch, so that every hop passes the offline guard; the
      // key goes only to the origin it was given for.
      const origin = new URL(url).origin
      let at = url
      let res: Response
      for (let hop = 0; ; hop++) {
        checkHost(this.o.guard, at)
        res = await this.o.guard.fetch(at, {
          method: init.method ?? 'GET',
          headers: {
            ...(new URL(at).origin === origin ? { authorization: `Bearer ${this.o.apiKey}` } : {}),
            accept: init.accept ?? 'application/json',
            ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
          signal: ctl.signal,
          redirect: 'manual',
        })
        touch()
        const next = res.headers.get('location')
        if (![301, 302, 303, 307, 308].includes(res.status) || !next || hop >= 5) break
        await res.body?.cancel()
        at = new URL(next, at).href
      }
      if (!res.ok) throw new HttpStatusError(res.status, await detailOf(res), retryAfterMs(res.headers.get('retry-after')))
      return await consume(res, touch, ctl.signal)
    } catch (e) {
      if (this.o.signal?.aborted) throw new CancelledError()
      if (timedOut) throw new TimeoutError(this.o.timeoutMs)
      throw e
    } finally {
      clearTimeout(timer)
      this.o.signal?.removeEventListener('abort', onAbort)
    }
  }

  private toUserError(what: string, e: unknown, attempts: number): UserError {
    if (e instanceof HttpStatusError) {
      const why = e.detail ? ` PostHog says: ${e.detail}` : ''
      if (e.status === 401)
        return new UserError(`PostHog refused the API key (HTTP 401) while fetching ${what}. Set POSTHOG_API_KEY to a personal API key (desktop app: Settings → PostHog key).${why}`, 'user_error', [
          'Create a personal API key in PostHog (Settings → Personal API keys) with session_recording:read and query:read, then set POSTHOG_API_KEY',
        ])
      if (e.status === 403)
        return new UserError(`PostHog denied access (HTTP 403) while fetching ${what}: the key may not read this project, or lacks the session_recording:read / query:read scopes.${why}`, 'user_error', [
          'Give the personal API key access to this project and the session_recording:read and query:read scopes',
        ])
      if (e.status === 404)
        return new UserError(`PostHog has no ${what} (HTTP 404): the recording does not exist in this project (check the project id in the link), or it has expired.`, 'not_found')
      if (e.status === 429) return new UserError(`PostHog kept rate-limiting (HTTP 429) ${what} after ${attempts} attempts; try again in a minute.${why}`)
      if (e.status >= 500) return new UserError(`PostHog failed (HTTP ${e.status}) on ${what} after ${attempts} attempts; try again later.${why}`)
      return new UserError(`PostHog refused ${what} (HTTP ${e.status}).${why}`)
    }
    const msg = e instanceof TimeoutError ? e.message : `the connection failed (${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)})`
    return new UserError(`PostHog did not answer ${what} after ${attempts} attempts: ${msg}.`)
  }
}
