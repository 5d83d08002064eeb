// One problem, one flag. The detectors each see a problem from their side: a checkout that answers
// 500 is a failed request after a click, then a rage click whose every click fails again, then
// an avalanche of the same console error — four flags for one problem, and a support agent counts
// four. Flags whose evidence shows the same failure (the same request, or the same first-party
// error message) within a short time of each other become one flag that carries all the evidence.
import type { NewFlag } from '../store/flags'
import { failed, isApiCall } from './noise'
import type { Moment } from './timeline'

/** Occurrences of one failure this close together (end of one to start of the next) are one problem; a retry after longer is its own. */
export const SAME_PROBLEM_GAP_MS = 5000

// Flags that report a failure (and so can be one failure seen twice). Form abandonment, dead clicks,
// quick backs and AI signals are problems of their own even when errors are part of their evidence.
const FAILURE_TYPES = new Set(['rage_click', 'error_after_action', 'http_error_after_action', 'request_unanswered', 'exception_avalanche'])
// Which member names the merged flag: the first failure, unless a rage click shows the user stuck.
const RANK: Record<string, number> = { http_error_after_action: 0, request_unanswered: 0, error_after_action: 1, rage_click: 2, exception_avalanche: 3 }

const pathOf = (url: string | null) => {
  if (!url) return ''
  try {
    return new URL(url).pathname
  } catch {
    return url.split('?')[0]!
  }
}

/** What identifies a failure across its repetitions: the request (method and path) or the error text. */
export function failureKey(m: Moment): string | null {
  if (m.kind === 'network' && isApiCall(m) && failed(m)) return `req ${m.method ?? ''} ${pathOf(m.http_url)}`
  if (m.kind === 'exception' && m.message) return `err ${m.message.replace(/^Uncaught\s+/, '').slice(0, 200)}`
  return null
}

interface Member {
  flag: NewFlag
  keys: Set<string>
  from: number
  to: number
}

export function groupFlags(flags: NewFlag[], moments: Moment[]): NewFlag[] {
  const byId = new Map(moments.map((m) => [m.id, m]))
  const members: Member[] = []
  const out: NewFlag[] = []
  for (const f of flags) {
    if (!FAILURE_TYPES.has(f.type) || f.label === 'noise') {
      out.push(f)
      continue
    }
    const ev = f.evidence.map((id) => byId.get(id)).filter((m): m is Moment => m !== undefined)
    const keys = new Set(ev.map(failureKey).filter((k): k is string => k !== null))
    const times = ev.map((m) => m.t)
    members.push({ flag: f, keys, from: Math.min(f.time_ms, ...times), to: Math.max(f.time_ms, ...times) })
  }
  // Union-find over members that share a failure within the gap.
  const parent = members.map((_, i) => i)
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)))
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const a = members[i]!
      const b = members[j]!
      if (a.flag.window_id !== b.flag.window_id) continue
      const gap = Math.max(a.from, b.from) - Math.min(a.to, b.to)
      if (gap > SAME_PROBLEM_GAP_MS) continue
      if ([...a.keys].some((k) => b.keys.has(k))) parent[root(j)] = root(i)
    }
  }
  const groups = new Map<number, Member[]>()
  members.forEach((m, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), m]))
  for (const g of groups.values()) out.push(g.length === 1 ? g[0]!.flag : merge(g, byId))
  return out.sort((a, b) => a.time_ms - b.time_ms)
}

function merge(group: Member[], byId: Map<number, Moment>): NewFlag {
  const sorted = [...group].sort((a, b) => a.from - b.from || RANK[a.flag.type]! - RANK[b.flag.type]!)
  const first = sorted[0]!.flag
  const rage = group.find((m) => m.flag.type === 'rage_click')?.flag
  const evidence = [...new Set(group.flatMap((m) => m.flag.evidence))].sort((a, b) => (byId.get(a)?.t ?? 0) - (byId.get(b)?.t ?? 0) || a - b)
  const ev = evidence.map((id) => byId.get(id)).filter((m): m is Moment => m !== undefined)
  const requests = ev.filter((m) => m.kind === 'network' && failed(m)).length
  const errors = ev.filter((m) => m.kind === 'exception').length
  const span = (Math.max(...group.map((m) => m.to)) - Math.min(...group.map((m) => m.from))) / 1000
  const clicks = rage && rage !== first ? /^(\d+) rapid clicks/.exec(rage.title)?.[1] : undefined
  const counts = [requests ? `${requests} failed request${requests > 1 ? 's' : ''}` : '', errors ? `${errors} error${errors > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ')
  const strongest = group.reduce((a, m) => (m.flag.blocking && !a.blocking ? m.flag : a), first)
  return {
    ...first,
    // A rage click in the group names its kind (what the user went through; what the Library's
    // "Rage clicks" filter finds); the title still starts with the failure.
    type: rage ? 'rage_click' : first.type,
    label: strongest.label,
    severity: group.some((m) => m.flag.severity === 'high') ? 'high' : group.some((m) => m.flag.severity === 'medium') ? 'medium' : 'low',
    blocking: group.some((m) => m.flag.blocking),
    confidence: Math.max(...group.map((m) => m.flag.confidence ?? 0)),
    time_ms: Math.min(...group.map((m) => m.flag.time_ms)),
    evidence,
    title: `${first.title}${clicks ? `, then ${clicks} rapid clicks` : ''}`,
    detail: `${first.detail}. The same failure ${group.length > 1 ? 'repeated' : 'seen'} over ${span.toFixed(1)} s${counts ? `: ${counts}` : ''}${rage && rage !== first ? `; ${rage.detail.split(';')[0]}` : ''}`,
  }
}
