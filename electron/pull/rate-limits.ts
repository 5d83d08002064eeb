// PostHog's rate limits for a personal API key, and a pacer that keeps a pull inside them instead of
// running into 429s. PostHog counts per key and per throttle scope (PersonalApiKeyRateThrottle,
// posthog/rate_limit.py: the cache key is the hashed key), so the pacer's state is per API host and
// key, shared by every pull on this machine: in memory for one process, and through a small SQLite
// file next to the database (shared-pacer.ts) across processes (the app, the CLI, a worker thread),
// so two pulls from one host with one key spend one budget instead of each its own.
//
// Which throttles guard what, from PostHog/posthog:
// - posthog/session_recordings/session_recording_api.py (SessionRecordingViewSet.throttle_classes):
//   every recording endpoint (metadata, snapshots) is under ClickHouseBurstRateThrottle 240/minute
//   and ClickHouseSustainedRateThrottle 1200/hour (posthog/rate_limit.py);
// - the `snapshots` action adds SnapshotsBurst/SustainedRateThrottle, per plan (get_cached_org_tier):
//   free 12/minute + 60/hour, paid 60/minute + 300/hour, enterprise 100/minute + 400/hour
//   (posthog/settings/session_replay.py SNAPSHOT_RATE_*). The plan cannot be read with the scopes a
//   pull needs, so the pacer assumes free, the strictest, unless told the plan;
// - the query endpoint with a HogQLQuery: HogQLQueryThrottle 120/hour (posthog/api/query.py
//   get_throttles, posthog/rate_limit.py);
// - anything else (the project list): BurstRateThrottle 480/minute, SustainedRateThrottle 4800/hour.
import { createHash } from 'node:crypto'
import { type Clock, realClock } from './clock'
import { SharedRateLimiter } from './shared-pacer'

export type Scope = 'recording' | 'snapshots' | 'query' | 'api'

export interface Limit {
  /** PostHog's name for the throttle scope (shown to the user when pacing). */
  name: string
  max: number
  windowMs: number
}

const MINUTE = 60_000
const HOUR = 3_600_000
const clickhouse: Limit[] = [
  { name: '240 recording requests a minute', max: 240, windowMs: MINUTE },
  { name: '1,200 recording requests an hour', max: 1200, windowMs: HOUR },
]

/** The organization's plan, which sets the snapshot rates; 'none': a self-hosted PostHog without throttles (no pacing, 429s still waited out). */
export type Plan = 'free' | 'paid' | 'enterprise' | 'none'
const SNAPSHOT_RATES: Record<Exclude<Plan, 'none'>, [perMinute: number, perHour: number]> = { free: [12, 60], paid: [60, 300], enterprise: [100, 400] }

/** PostHog's limits for a personal key of an organization on `plan`. */
export function limitsFor(plan: Exclude<Plan, 'none'>): Record<Scope, Limit[]> {
  const [m, h] = SNAPSHOT_RATES[plan]
  return {
    recording: clickhouse,
    snapshots: [...clickhouse, { name: `${m} snapshot requests a minute`, max: m, windowMs: MINUTE }, { name: `${h} snapshot requests an hour`, max: h, windowMs: HOUR }],
    query: [{ name: '120 HogQL queries an hour', max: 120, windowMs: HOUR }],
    api: [
      { name: '480 requests a minute', max: 480, windowMs: MINUTE },
      { name: '4,800 requests an hour', max: 4800, windowMs: HOUR },
    ],
  }
}

export const POSTHOG_LIMITS: Record<Scope, Limit[]> = limitsFor('free')

/** What PosthogHttp paces with: in memory (RateLimiter) or across processes (SharedRateLimiter). */
export interface Pacer {
  /** Counts a request of `scope` as sent now when it fits every limit (its mark, to settle), else how long to wait and the limit that binds. */
  take(scope: Scope): { mark: object } | { ms: number; limit: Limit | null }
  /** The request marked answered (or failed) now. */
  settle(mark: object): void
}

/**
 * Request times per limit (by name), so a limit shared by two scopes (recording, snapshots) counts
 * both. A request is counted when it is sent (so concurrent requests see it) and its time moved to
 * when its answer came (settle): PostHog counted it somewhere in between, and the later time keeps
 * the next window from opening before PostHog's does.
 */
export class RateLimiter implements Pacer {
  private readonly sent = new Map<string, { t: number }[]>()

  constructor(
    private readonly clock: Clock,
    private readonly limits: Record<Scope, Limit[]> = POSTHOG_LIMITS,
  ) {}

  /** How long to wait before a request of `scope` fits every limit, and the limit that binds. */
  wait(scope: Scope): { ms: number; limit: Limit | null } {
    const now = this.clock.now()
    let best: { ms: number; limit: Limit | null } = { ms: 0, limit: null }
    for (const l of this.limits[scope]) {
      const times = (this.sent.get(l.name) ?? []).filter((x) => x.t > now - l.windowMs)
      this.sent.set(l.name, times)
      if (times.length < l.max) continue
      // the oldest request that must leave the window for one more to fit
      const oldest = times.map((x) => x.t).sort((a, b) => a - b)[times.length - l.max]!
      const ms = oldest + l.windowMs - now
      if (ms > best.ms) best = { ms, limit: l }
    }
    return best
  }

  /** Records a request of `scope` as sent now; settle() the result when its answer came. */
  note(scope: Scope): { t: number } {
    const mark = { t: this.clock.now() }
    for (const l of this.limits[scope]) this.sent.set(l.name, [...(this.sent.get(l.name) ?? []), mark])
    return mark
  }

  /** The request answered (or failed) now. */
  settle(mark: object): void {
    const m = mark as { t: number }
    m.t = Math.max(m.t, this.clock.now())
  }

  take(scope: Scope): { mark: object } | { ms: number; limit: Limit | null } {
    const w = this.wait(scope)
    return w.ms > 0 ? w : { mark: this.note(scope) }
  }
}

const shared = new WeakMap<Clock, Map<string, RateLimiter>>()

/** Which budget a request spends: PostHog counts per key (hashed here: the key never reaches the pacing file). */
const bucketOf = (apiBase: string, apiKey: string) => `${apiBase} ${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`

/**
 * The pacer for this API host, key and plan; none for 'none'. On the real clock with a `sharedFile`,
 * one shared by every process using that file; otherwise one per clock in this process (tests'
 * virtual clocks get their own).
 */
export function limiterFor(clock: Clock, apiBase: string, apiKey: string, plan: Plan = 'free', sharedFile?: string | null): Pacer | undefined {
  if (plan === 'none') return undefined
  if (sharedFile && clock === realClock) return new SharedRateLimiter(sharedFile, bucketOf(apiBase, apiKey), limitsFor(plan))
  let byKey = shared.get(clock)
  if (!byKey) shared.set(clock, (byKey = new Map()))
  const id = `${bucketOf(apiBase, apiKey)} ${plan}`
  let l = byKey.get(id)
  if (!l) byKey.set(id, (l = new RateLimiter(clock, limitsFor(plan))))
  return l
}
