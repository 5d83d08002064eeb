// `sightline pull --project …`: its options and what it prints for people.
import type { PullPreview, PullSyncResult, PullTracesPreview, PullTracesResult, SyncPointInfo } from '../shared/pull'

export interface PullOpts {
  project?: string
  filter?: string
  hogql?: string
  since?: string
  until?: string
  traces?: boolean
  person?: string
  preview?: boolean
  syncPoints?: boolean
  resetSync?: string
  limit?: number
  concurrency?: number
  plan?: 'free' | 'paid' | 'enterprise' | 'none'
}

const duration = (ms: number) => (ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : ms < 3_600_000 ? `${Math.ceil(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`)

export function pullPreviewText(p: PullPreview): string {
  const time = p.estimate_ms > 0 ? `about ${duration(p.estimate_ms)} under PostHog's limits (bound by ${p.bound_by}; ${p.plan} plan)` : 'within PostHog’s limits without waiting'
  return `${p.recordings} new recording${p.recordings === 1 ? '' : 's'} to pull from ${p.project} (${p.matching} match since the last pull): ${p.requests.snapshots} snapshot request${p.requests.snapshots === 1 ? '' : 's'}, ${p.requests.queries} ${p.requests.queries === 1 ? 'query' : 'queries'}; ${time}.`
}

export function pullSyncText(r: PullSyncResult): string {
  const parts = [`Pulled ${r.pulled} recording${r.pulled === 1 ? '' : 's'} from ${r.project}`]
  if (r.late) parts.push(`${r.late} of them listed late by PostHog (started before the last pull)`)
  if (r.skipped) parts.push(`${r.skipped} pulled before`)
  if (r.failed.length) parts.push(`${r.failed.length} failed (a re-run tries them again)`)
  return parts.join('; ') + (r.more ? '. More match: run again (or raise --limit).' : '.')
}

export function pullTracesText(r: PullTracesResult): string {
  return r.events ? `Pulled ${r.events} LLM event${r.events === 1 ? '' : 's'} in ${r.pages} page${r.pages === 1 ? '' : 's'}: ${r.traces} trace${r.traces === 1 ? '' : 's'} from ${r.project}.` : `Nothing new in ${r.project} since the last pull.`
}

export function pullTracesPreviewText(p: PullTracesPreview): string {
  const time = p.estimate_ms > 0 ? `about ${duration(p.estimate_ms)} under PostHog's limits (bound by ${p.bound_by})` : 'within PostHog’s limits without waiting'
  return `${p.events} new LLM event${p.events === 1 ? '' : 's'} in ${p.traces} trace${p.traces === 1 ? '' : 's'} to pull from ${p.project}: ${p.queries} ${p.queries === 1 ? 'query' : 'queries'}; ${time}.`
}

export function syncPointsText(points: SyncPointInfo[]): string {
  if (!points.length) return 'No sync points: no pull by query has run (sightline pull --project URL …).'
  return points
    .map((p) => {
      const q = Object.entries(p.query).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')
      return `${p.kind} ${p.project} ${q}\n  ${p.pulled} pulled, up to ${p.position ?? '(nothing yet)'}; last run ${new Date(p.updated_ms).toISOString()}\n  key: ${p.key}`
    })
    .join('\n')
}

export function resetSyncText(keys: string[]): string {
  return keys.length ? `Forgot ${keys.length} sync point${keys.length === 1 ? '' : 's'}; the next pull of ${keys.length === 1 ? 'that query' : 'those queries'} starts over (what was imported stays).` : 'That project has no sync points.'
}
