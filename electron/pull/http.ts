// Requests to PostHog's REST API: every one through the offline guard, with the personal API key,
// paced under PostHog's rate limits (rate-limits.ts), with a timeout (on the wait for headers and
// between body chunks), retries with backoff for 5xx, timeouts and dropped connections, and 429s
// waited out for as long as Retry-After says (a countdown the user can cancel). Errors say what to
// do. The key never appears in an error: messages are built from our words, the status and
// PostHog's `detail`.
import { CancelledError, UserError } from '../errors'
import { OfflineError } from '../net'
import type { NetworkGuard } from '../net'
import { type Clock, countdown, realClock } from './clock'
import type { Pacer, Scope } from './rate-limits'

export interface HttpOptions {
  apiKey: string
  guard: NetworkGuard
  signal?: AbortSignal | undefined
  /** No headers, or no body bytes, for this long: the attempt fails (and is retried). */
  timeoutMs: number
  /** Retries after the first attempt (429s are waited out apart from these). */
  retries: number
  baseDelayMs: number
  /** 429s waited out per request before giving up (each for as long as PostHog asks). */
  rateLimitWaits: number
  clock?: Clock | undefined
  /** Paces requests under PostHog's limits; none: requests go out as fast as they come. */
  limiter?: Pacer | undefined
  onRetry?: ((what: string, attempt: number, delayMs: number, reason: string) => void) | undefined
  /** A wait the user should see (rate limit, pacing): called once a second with the message. */
  onWait?: ((message: string) => void) | undefined
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'apiKey' | 'guard'> = { timeoutMs: 30_000, retries: 4, baseDelayMs: 500, rateLimitWaits: 10 }

/** What PostHog answered when it was not a success; `detail` is PostHog's own short reason, `code` its error code. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterMs: number | null,
    readonly code: string = '',
  ) {
    super(`HTTP ${status}${detail ? ` (${detail})` : ''}`)
  }
}

/** A body that was served but is not whole (e.g. some snapshot blocks missing): worth another attempt. */
export class IncompleteBodyError extends Error {}

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

function retryAfterMs(v: string | null, now: number): number | null {
  if (!v) return null
  const s = Number(v)
  if (Number.isFinite(s)) return Math.max(0, s * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** PostHog's reason and error code: DRF's `{type, code, detail}`, or the snapshot API's `{error, message}`. */
async function reasonOf(res: Response): Promise<{ detail: string; code: string }> {
  try {
    const text = (await res.text()).slice(0, 2000)
    const body = JSON.parse(text) as { detail?: unknown; error?: unknown; message?: unknown; code?: unknown }
    const d = body.detail ?? body.message ?? body.error
    const code = typeof body.code === 'string' ? body.code : typeof body.error === 'string' && /^[a-z_]+$/.test(body.error) ? body.error : ''
    return { detail: typeof d === 'string' ? d.replace(/\s+/g, ' ').trim().slice(0, 240) : '', code }
  } catch {
    return { detail: '', code: '' }
  }
}

/** PostHog's player stops on these instead of retrying (session_recording_api.py RecordingBlocksUnavailable, RecordingDeletedError). */
const FINAL_CODES = new Set(['recording_blocks_unavailable', 'recording_deleted'])

/** A body reader inside one attempt: `touch()` after each chunk keeps the timeout from firing. */
export type Consume<T> = (res: Response, touch: () => void, signal: AbortSignal) => Promise<T>

export class PosthogHttp {
  private readonly clock: Clock

  constructor(private readonly o: HttpOptions) {
    this.clock = o.clock ?? realClock
  }

  /**
   * One request with retries. `consume` reads the body within the attempt, so a body that stops
   * half-way is retried as a whole; it must not have side effects that a retry would repeat.
   * `scope` says which of PostHog's rate limits the request counts against.
   */
  async request<T>(what: string, url: string, init: { method?: 'GET' | 'POST'; body?: unknown; accept?: string; scope: Scope }, consume: Consume<T>): Promise<T> {
    const { signal } = this.o
    let waits = 0
    for (let attempt = 0; ; ) {
      if (signal?.aborted) throw new CancelledError()
      const mark = await this.pace(init.scope)
      try {
        return await this.once(url, init, consume).finally(() => mark && this.o.limiter?.settle(mark))
      } catch (e) {
        if (e instanceof CancelledError || signal?.aborted) throw new CancelledError()
        if (e instanceof UserError) throw e
        if (e instanceof HttpStatusError && e.status === 429 && waits < this.o.rateLimitWaits) {
          // As long as PostHog asks, however long: its hourly limits answer in tens of minutes.
          const ms = Math.max(1000, e.retryAfterMs ?? this.o.baseDelayMs * 2 ** waits)
          waits++
          await countdown(this.clock, ms, signal, (s) => this.o.onWait?.(`Rate limited by PostHog; retrying in ${s} s`))
          continue
        }
        const retryable =
          e instanceof HttpStatusError ? (e.status === 408 || e.status >= 500) && !FINAL_CODES.has(e.code) : true
        if (!retryable || attempt >= this.o.retries) throw this.toUserError(what, e, attempt + 1)
        const delay = Math.min(this.o.baseDelayMs * 2 ** attempt, 8_000) * (0.5 + Math.random() / 2)
        attempt++
        this.o.onRetry?.(what, attempt, delay, e instanceof Error ? e.message : String(e))
        await this.clock.sleep(delay, signal)
      }
    }
  }

  /** Waits (with a countdown) until a request of `scope` fits PostHog's limits, then counts it (settled when answered). */
  private async pace(scope: Scope): Promise<object | null> {
    const l = this.o.limiter
    if (!l) return null
    for (;;) {
      const w = l.take(scope)
      if ('mark' in w) return w.mark
      const name = w.limit?.name ?? 'its rate limit'
      await countdown(this.clock, w.ms, this.o.signal, (s) => this.o.onWait?.(`Pacing requests under PostHog's limit of ${name}; next in ${s} s`))
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
      // guard.fetch follows redirects itself, checking every hop against offline mode and dropping
      // the key when a hop leaves this origin.
      const res = await this.o.guard.fetch(url, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${this.o.apiKey}`,
          accept: init.accept ?? 'application/json',
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        signal: ctl.signal,
      })
      touch()
      if (!res.ok) {
        const why = await reasonOf(res)
        throw new HttpStatusError(res.status, why.detail, retryAfterMs(res.headers.get('retry-after'), this.clock.now()), why.code)
      }
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
      if (e.status === 403) {
        // APIScopePermission (posthog/permissions.py): "API key missing required scope 'session_recording:read'"
        const scope = /missing required scope '([\w:]+)'/.exec(e.detail)?.[1]
        if (scope)
          return new UserError(`The PostHog API key lacks the ${scope} scope (HTTP 403), which ${what} needs. Add ${scope} to the key in PostHog (Settings → Personal API keys → edit the key).`, 'user_error', [
            `Give the personal API key the ${scope} scope (a pull needs session_recording:read and query:read)`,
          ])
        return new UserError(`PostHog denied access (HTTP 403) while fetching ${what}: the key may not read this project, or lacks the session_recording:read / query:read scopes.${why}`, 'user_error', [
          'Give the personal API key access to this project and the session_recording:read and query:read scopes',
        ])
      }
      if (e.status === 404 && /out of range/i.test(e.detail))
        return new UserError(`PostHog no longer has ${what} (HTTP 404: ${e.detail}): the recording changed while it was pulled. Nothing was imported; pull it again.`, 'not_found')
      if (e.status === 404)
        return new UserError(`PostHog has no ${what} (HTTP 404): the recording does not exist in this project (check the project id in the link), or it has expired.${why}`, 'not_found')
      if (e.status === 410 || e.code === 'recording_deleted')
        return new UserError(`PostHog says ${what} is gone (HTTP 410): the recording was permanently deleted. Nothing was imported.${why}`, 'not_found')
      if (e.code === 'recording_blocks_unavailable')
        return new UserError(`PostHog could not load the stored data of ${what} (HTTP ${e.status}); as PostHog's own player does, Sightline does not retry this. Nothing was imported; try again later, or contact PostHog support if it persists.${why}`)
      if (e.status === 429) return new UserError(`PostHog kept rate-limiting (HTTP 429) ${what} after ${this.o.rateLimitWaits} waits; try again later.${why}`)
      if (e.status === 503)
        return new UserError(`PostHog is over capacity (HTTP 503) and did not serve ${what} in ${attempts} attempts. Nothing was imported; try again in a few minutes.${why}`)
      if (e.status >= 500) return new UserError(`PostHog failed (HTTP ${e.status}) on ${what} after ${attempts} attempts; try again later.${why}`)
      return new UserError(`PostHog refused ${what} (HTTP ${e.status}).${why}`)
    }
    if (e instanceof IncompleteBodyError) return new UserError(`PostHog served ${what} incompletely in ${attempts} attempts: ${e.message}. Nothing was imported; try again later.`)
    const msg = e instanceof TimeoutError ? e.message : `the connection failed (${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)})`
    return new UserError(`PostHog did not answer ${what} after ${attempts} attempts: ${msg}.`)
  }
}
