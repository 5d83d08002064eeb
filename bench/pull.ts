// Pull by query against the fake PostHog API (test/fakes: real HTTP on 127.0.0.1, PostHog's
// throttles): recordings per minute at PostHog's documented limits, and how close the pull runs to
// the rate those limits allow (goal ≥ 90 %), plus wall-clock throughput without limits and peak RSS.
//   npx tsx bench/pull.ts [--free 120] [--paid 300] [--unlimited 1000] [--concurrency 4]
// Time under limits is virtual: one clock, shared by the client and the fake, jumps to the next
// wake-up when the pull waits (requests take no virtual time), so hours of pacing run in seconds.
// "Allowed" is the same requests scheduled as early as every limit permits (paceEstimate, which
// replays them on the pacer); the pull's efficiency is allowed time / the time it took.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CancelledError } from '../electron/errors'
import { paceEstimate, pullByQuery } from '../electron/pull/by-query'
import type { Clock } from '../electron/pull/clock'
import type { Plan } from '../electron/pull/rate-limits'
import { openStore } from '../electron/store'
import { FakePosthogApi } from '../test/fakes/posthog-api'
import { syntheticRecording } from '../test/fakes/posthog-list'

const arg = (name: string, d: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : d)
const concurrency = arg('concurrency', 4)

/** Virtual time for concurrent sleepers: when anyone sleeps, time jumps to the earliest wake-up. */
class EventClock implements Clock {
  private waiting: { at: number; resolve: () => void }[] = []
  private scheduled = false
  constructor(public t: number) {}
  now = (): number => this.t
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError())
    return new Promise((resolve) => {
      this.waiting.push({ at: this.t + ms, resolve })
      this.kick()
    })
  }
  private kick(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (!this.waiting.length) return
      this.t = Math.max(this.t, Math.min(...this.waiting.map((w) => w.at)))
      const due = this.waiting.filter((w) => w.at <= this.t)
      this.waiting = this.waiting.filter((w) => w.at > this.t)
      for (const w of due) w.resolve()
      if (this.waiting.length) this.kick()
    })
  }
}

let peakRss = 0
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)

async function run(plan: Plan, n: number): Promise<Record<string, string | number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-pull-'))
  const start = Date.parse('2026-06-01T12:00:00Z')
  const clock = new EventClock(start)
  const api = await new FakePosthogApi().start()
  api.now = clock.now
  api.plan = plan === 'none' ? 'free' : plan
  api.rateLimits = plan !== 'none'
  for (let i = 0; i < n; i++) api.add(syntheticRecording(i, '9', start - (n - i) * 60_000 - 3_600_000, { errorsEvery: 7 }))
  const store = openStore(path.join(dir, 'bench.db'))
  const wall0 = performance.now()
  const r = await pullByQuery(store, { project: `${api.url}/project/9`, apiKey: api.apiKey, offline: true, since: '-30d', plan, concurrency }, plan === 'none' ? {} : { clock })
  const wallMs = performance.now() - wall0
  const virtualMs = clock.t - start
  const snapshotRequests = api.requests.filter((q) => q.path.includes('/snapshots')).length
  const queries = api.requests.filter((q) => q.path.endsWith('/query/')).length
  store.close()
  await api.close()
  fs.rmSync(dir, { recursive: true, force: true })
  if (r.pulled !== n) throw new Error(`pulled ${r.pulled} of ${n}: ${JSON.stringify(r.failed.slice(0, 3))}`)
  if (plan === 'none') return { plan, recordings: n, 'recordings/min (wall)': Math.round((n / wallMs) * 60_000), 'wall s': (wallMs / 1000).toFixed(1), '429s': api.throttled }
  const allowed = paceEstimate({ snapshots: snapshotRequests, query: queries }, plan).ms
  return {
    plan,
    recordings: n,
    'virtual h': (virtualMs / 3_600_000).toFixed(2),
    'recordings/min': ((n / virtualMs) * 60_000).toFixed(3),
    'allowed recordings/min': ((n / Math.max(1, allowed)) * 60_000).toFixed(3),
    'of allowed rate': `${((allowed / Math.max(1, virtualMs)) * 100).toFixed(1)} %`,
    '429s': api.throttled,
    'wall s': (wallMs / 1000).toFixed(1),
  }
}

const rows = [await run('free', arg('free', 120)), await run('paid', arg('paid', 300)), await run('none', arg('unlimited', 1000))]
clearInterval(sampler)
console.table(rows)
console.log(`concurrency ${concurrency}; peak RSS ${(peakRss / 1048576).toFixed(0)} MB (fake server and client in one process)`)
