// Offline heuristic flags: what can be found in a session without a model. Each detector reads the
// deduplicated timeline (and, for dead clicks, the recording's DOM mutations) and returns flags with
// the event ids that show them. Thresholds are named and explained where they are defined.
import type { NewFlag } from '../store/flags'
import { anyIn, type Reactions } from './reactions'
import {
  actionBefore,
  avalanches,
  CAUSED_BY_ACTION_MS,
  classifyError,
  failed,
  isAction,
  isApiCall,
  isApiError,
  type ErrorClass,
} from './noise'
import { groupFlags } from './group'
import type { Moment, Timeline } from './timeline'

// Rage clicks. PostHog (posthog-js rageclick.ts): 3 clicks, each < 1000 ms after the previous and
// < 30 px from it (Manhattan distance); since 2026 it also ignores text fields, where fast clicks
// select text. Clarity defines rage clicks only as "rapid clicks or taps in the same small area"
// and publishes no numbers. We use PostHog's numbers, so our flags agree with the $rageclick
// events users already see, and its text-field exemption; where a source has no coordinates
// (product events), "the same element" stands in for "within 30 px".
const RAGE_MIN_CLICKS = 3
const RAGE_MAX_GAP_MS = 1000
const RAGE_RADIUS_PX = 30

// Dead clicks. PostHog's dead-click autocapture waits 2500 ms for a DOM mutation (and 100 ms for a
// scroll or selection change) before calling a click dead; we use the same 2.5 s for mutations,
// scrolls, page loads, navigations and requests.
const DEAD_WINDOW_MS = 2500
// Clicking a field focuses it; that is never dead.
const FIELD = /^(input|textarea|select|option|label)\b/i

// A failing request up to this long after an act is that act failing (requests start after the
// handler has validated, debounced, ...).
const REQUEST_AFTER_ACTION_MS = 3000
// An avalanche is one root error and its follow-ons: at least this many within the gap.
const AVALANCHE_MIN = 5
// Quick back: a page left for the one before it within this long (too short to have read it).
const QUICK_BACK_MS = 3000
// Form abandonment: fields typed into on one page, at least this many, then left without success.
const FORM_MIN_FIELDS = 2
const SUCCESS_WINDOW_MS = 5000
// AI features (seed 002): a chat abandoned after ≥ 30 s of typing; an answer followed "within
// seconds" by a search elsewhere (we allow 30 s); a call failing or taking ≥ 30 s (a timeout).
const AI_TYPING_MS = 30_000
const AI_SEARCH_AFTER_MS = 30_000
const AI_TIMEOUT_MS = 30_000
const AI_FIELD = /chat|assistant|copilot|\bask\b|prompt|\bai\b|\bllm\b|\bgpt\b/i
const AI_ENDPOINT = /\/(?:api\/)?(?:chat|ai|assistant|copilot|llm|completions?|generate|ask)\b/i
const SEARCH = /search|[?&](?:q|query)=/i
// A request that never answers: no response within 10 s, or none before the page was left.
const UNANSWERED_MS = 10_000
// PostHog's own $rageclick / $dead_click (stamped at a click of the burst / at the click): evidence
// of the flag whose clicks are this close.
const HINT_NEAR_MS = 1000

export type FlagType =
  | 'rage_click'
  | 'dead_click'
  | 'error_after_action'
  | 'http_error_after_action'
  | 'request_unanswered'
  | 'exception_avalanche'
  | 'form_abandoned'
  | 'quick_back'
  | 'ai_chat_abandoned'
  | 'ai_bad_answer'
  | 'ai_call_failed'

export interface DetectInput {
  timeline: Timeline
  /** Mutation/scroll/load times per recorded window (see reactions.ts). */
  reactions: Map<string, Reactions>
}

const label = (m: Moment) => (m.text ? `'${m.text.slice(0, 60)}'` : m.selector ? m.selector.slice(0, 60) : 'an element')
const path = (url: string | null) => {
  if (!url) return ''
  try {
    return new URL(url).pathname
  } catch {
    return url.split('?')[0]!
  }
}
const sameTarget = (a: Moment, b: Moment) =>
  a.x !== null && b.x !== null && a.y !== null && b.y !== null
    ? Math.abs(a.x - b.x) + Math.abs(a.y - b.y) < RAGE_RADIUS_PX
    : (a.selector !== null && a.selector === b.selector) || (a.text !== null && a.text === b.text)
const isField = (m: Moment) => FIELD.test(m.selector ?? '') || (m.tag !== null && FIELD.test(m.tag))

/** The flag with a click of its evidence nearest to `m` (same window, within HINT_NEAR_MS), if any. */
function flagOfClickNear(flags: NewFlag[], ms: Moment[], m: Moment): NewFlag | undefined {
  const byId = new Map(ms.map((o) => [o.id, o]))
  let best: NewFlag | undefined
  let bestGap = Infinity
  for (const f of flags) {
    if (f.window_id !== m.window) continue
    for (const id of f.evidence) {
      const o = byId.get(id)
      const gap = o && o.kind === 'click' ? Math.abs(o.t - m.t) : Infinity
      if (gap <= HINT_NEAR_MS && gap < bestGap) [best, bestGap] = [f, gap]
    }
  }
  return best
}

function flag(type: FlagType, at: Moment, f: Omit<NewFlag, 'key' | 'type' | 'time_ms' | 'window_id'> & { time_ms?: number }): NewFlag {
  return { key: `${type}:${at.window ?? ''}:${at.id}`, type, time_ms: f.time_ms ?? at.t, window_id: at.window, ...f }
}

export function detect(input: DetectInput): NewFlag[] {
  const ms = input.timeline.moments
  const classes = new Map<number, ErrorClass>()
  ms.forEach((m, i) => m.kind === 'exception' && classes.set(i, classifyError(ms, i)))
  const flags: NewFlag[] = []
  const rage = rageClicks(ms, classes)
  flags.push(...rage.flags)
  flags.push(...errorsAfterAction(ms, classes, rage.covered))
  flags.push(...deadClicks(ms, input, rage.covered, classes))
  flags.push(...httpErrors(ms))
  flags.push(...unansweredRequests(ms))
  flags.push(...exceptionAvalanches(ms, classes))
  flags.push(...formAbandonment(ms, input, classes))
  flags.push(...quickBacks(ms))
  flags.push(...aiSignals(ms))
  // One problem, one flag: repetitions of one failure and the rage clicks it caused (group.ts).
  return groupFlags(flags, ms)
}

/** Errors a click caused: journey or api errors within CAUSED_BY_ACTION_MS after it. */
function errorsAfter(ms: Moment[], i: number, classes: Map<number, ErrorClass>): number[] {
  const out: number[] = []
  for (let j = i + 1; j < ms.length && ms[j]!.t - ms[i]!.t <= CAUSED_BY_ACTION_MS; j++) {
    const c = classes.get(j)
    if (c === 'journey' || c === 'api') out.push(j)
  }
  return out
}

function rageClicks(ms: Moment[], classes: Map<number, ErrorClass>): { flags: NewFlag[]; covered: Set<number> } {
  const flags: NewFlag[] = []
  const covered = new Set<number>()
  const clicks = ms.map((m, i) => [m, i] as const).filter(([m]) => m.kind === 'click' && !isField(m))
  for (let k = 0; k < clicks.length; ) {
    const burst = [clicks[k]!]
    let n = k + 1
    while (n < clicks.length) {
      const [c] = clicks[n]!
      const [prev] = burst.at(-1)!
      if (c.window !== prev.window || c.t - prev.t >= RAGE_MAX_GAP_MS || !sameTarget(prev, c)) break
      burst.push(clicks[n]!)
      n++
    }
    if (burst.length >= RAGE_MIN_CLICKS) {
      // Each error once: the windows after consecutive clicks overlap.
      const errs = [...new Set(burst.flatMap(([, i]) => errorsAfter(ms, i, classes)))].sort((a, b) => a - b)
      const first = burst[0]![0]
      const last = burst.at(-1)![0]
      for (const [, i] of burst) covered.add(i)
      for (const j of errs) covered.add(j)
      const blocking = errs.length > 0
      flags.push(
        flag('rage_click', first, {
          label: blocking ? 'blocking' : 'friction',
          severity: blocking ? 'high' : 'medium',
          blocking,
          evidence: [...burst.map(([m]) => m.id), ...errs.map((j) => ms[j]!.id)],
          confidence: 0.9,
          title: `${burst.length} rapid clicks on ${label(first)}`,
          detail:
            `${burst.length} clicks within ${((last.t - first.t) / 1000).toFixed(1)} s on ${path(first.url)}` +
            (blocking ? `; each threw ${ms[errs[0]!]!.exc_type ?? 'an error'} (${errs.length} errors)` : ''),
        }),
      )
      k = n
    } else k++
  }
  // The product's own $rageclick: evidence of our flag for the same clicks, else a flag of its own
  // (e.g. clicks missing from the export).
  ms.forEach((m, i) => {
    if (m.kind !== 'rageclick_hint') return
    const ours = flagOfClickNear(flags, ms, m)
    if (ours) {
      ours.evidence.push(m.id)
      covered.add(i)
      return
    }
    covered.add(i)
    flags.push(flag('rage_click', m, { label: 'friction', severity: 'medium', blocking: false, evidence: [m.id], confidence: 0.7, title: `Rapid clicks on ${label(m)}`, detail: 'reported by the recorder ($rageclick)' }))
  })
  return { flags, covered }
}

function errorsAfterAction(ms: Moment[], classes: Map<number, ErrorClass>, covered: Set<number>): NewFlag[] {
  const flags: NewFlag[] = []
  ms.forEach((m, i) => {
    if (classes.get(i) !== 'journey' || covered.has(i)) return
    const act = actionBefore(ms, i, CAUSED_BY_ACTION_MS)!
    covered.add(i)
    flags.push(
      flag('error_after_action', m, {
        label: 'blocking',
        severity: 'high',
        blocking: true,
        evidence: [act.id, m.id],
        confidence: 0.8,
        title: `${m.exc_type ?? 'Error'} right after clicking ${label(act)}`,
        detail: `${(m.message ?? '').slice(0, 200)} (thrown ${m.t - act.t} ms after the click, by the page's own script)`,
      }),
    )
  })
  return flags
}

function deadClicks(ms: Moment[], input: DetectInput, covered: Set<number>, classes: Map<number, ErrorClass>): NewFlag[] {
  const flags: NewFlag[] = []
  ms.forEach((m, i) => {
    if (m.kind !== 'click' || covered.has(i) || m.window === null || !input.timeline.recorded.has(m.window)) return
    if (isField(m)) return
    const end = m.t + DEAD_WINDOW_MS
    const reacted = input.reactions.get(m.window)?.times ?? []
    if (anyIn(reacted, m.t, end)) return
    // A window whose recording starts now is a tab this click opened.
    for (const [w, r] of input.reactions) if (w !== m.window && r.times.length && r.times[0]! > m.t && r.times[0]! <= end) return
    for (let j = i + 1; j < ms.length && ms[j]!.t <= end; j++) {
      const o = ms[j]!
      if (o.kind === 'nav') return // in any window: a link may open a new tab
      if (o.window !== m.window) continue
      if (o.kind === 'network' || o.kind === 'input' || o.kind === 'submit' || o.kind === 'ai') return
      if (classes.get(j) === 'journey' || classes.get(j) === 'api') return // reported as an error instead
    }
    flags.push(
      flag('dead_click', m, {
        label: 'friction',
        severity: 'medium',
        blocking: false,
        evidence: [m.id],
        confidence: 0.75,
        title: `Click on ${label(m)} did nothing`,
        detail: `no DOM change, navigation or request within ${DEAD_WINDOW_MS / 1000} s on ${path(m.url)}`,
      }),
    )
  })
  // The product's own $dead_click (PostHog saw no change after the click, by its own rules):
  // evidence of our flag for that click, else a flag of its own — also where the recording is,
  // since PostHog's page observer sees changes a stored recording may not show as dead.
  ms.forEach((m, i) => {
    if (m.kind !== 'deadclick_hint') return
    const ours = flagOfClickNear(flags, ms, m)
    if (ours) {
      ours.evidence.push(m.id)
      return
    }
    const near = (j: number) => Math.abs(ms[j]!.t - m.t) <= CAUSED_BY_ACTION_MS
    if ([...covered].some(near) || flags.some((f) => Math.abs(f.time_ms - m.t) <= CAUSED_BY_ACTION_MS)) return
    if (ms.some((o, j) => (classes.get(j) === 'journey' || classes.get(j) === 'api') && o.t >= m.t && o.t - m.t <= CAUSED_BY_ACTION_MS)) return
    covered.add(i)
    flags.push(flag('dead_click', m, { label: 'friction', severity: 'medium', blocking: false, evidence: [m.id], confidence: 0.6, title: `Click on ${label(m)} did nothing`, detail: 'reported by the recorder ($dead_click)' }))
  })
  return flags
}

function httpErrors(ms: Moment[]): NewFlag[] {
  const flags: NewFlag[] = []
  ms.forEach((m, i) => {
    const isFailedCall = isApiCall(m) && failed(m) && !isUnanswered(m)
    // Recordings without network capture still log the failure to the console.
    const isLogged = isApiError(m) && !ms.some((o) => o.kind === 'network' && failed(o) && Math.abs(o.t - m.t) <= CAUSED_BY_ACTION_MS)
    if (!isFailedCall && !isLogged) return
    let act: Moment | null = null
    for (let j = i - 1; j >= 0 && m.t - ms[j]!.t <= REQUEST_AFTER_ACTION_MS; j--) {
      if (isAction(ms[j]!) && ms[j]!.window === m.window) {
        act = ms[j]!
        break
      }
    }
    if (AI_ENDPOINT.test(m.http_url ?? '')) return // reported as ai_call_failed
    const what = isFailedCall ? `${m.method ?? 'GET'} ${path(m.http_url)} → ${m.status ?? 'failed'}` : (m.message ?? '').slice(0, 160)
    const related = ms.filter((o) => o !== m && o.t >= m.t && o.t - m.t <= CAUSED_BY_ACTION_MS && (isApiError(o) || (o.kind === 'network' && failed(o))))
    flags.push(
      flag('http_error_after_action', m, {
        label: act ? 'blocking' : 'friction',
        severity: act ? 'high' : 'medium',
        blocking: act !== null,
        evidence: [...(act ? [act.id] : []), m.id, ...related.map((o) => o.id)],
        confidence: isFailedCall ? 0.85 : 0.7,
        title: act ? `${what} after clicking ${label(act)}` : `${what} (no user action before it)`,
        detail: `${what} on ${path(m.url)}`,
        time_ms: act?.t ?? m.t,
      }),
    )
  })
  // One flag per act: a failing call logged twice (request + console) is one problem.
  return flags.filter((f, k) => !flags.slice(0, k).some((g) => g.blocking && f.blocking && g.evidence[0] === f.evidence[0]))
}

/** Requests that never answered: no response within UNANSWERED_MS, or still pending when the recording ends. */
function unansweredRequests(ms: Moment[]): NewFlag[] {
  const flags: NewFlag[] = []
  ms.forEach((m, i) => {
    if (!isUnanswered(m) || AI_ENDPOINT.test(m.http_url ?? '')) return
    const act = actionBefore(ms, i, REQUEST_AFTER_ACTION_MS)
    const what = `${m.method ?? 'GET'} ${path(m.http_url)}`
    const waited = m.duration_ms === null ? 'never answered' : `took ${(m.duration_ms / 1000).toFixed(0)} s to answer`
    flags.push(
      flag('request_unanswered', m, {
        label: act ? 'blocking' : 'friction',
        severity: act ? 'high' : 'medium',
        blocking: act !== null,
        evidence: [...(act ? [act.id] : []), m.id],
        confidence: 0.75,
        title: act ? `${what} ${waited} after clicking ${label(act)}` : `${what} ${waited}`,
        detail: `${what} on ${path(m.url)} ${m.duration_ms === null ? 'had no response when the page was left' : `answered only after ${(m.duration_ms / 1000).toFixed(1)} s`}`,
        time_ms: act?.t ?? m.t,
      }),
    )
  })
  return flags
}

/** An API call with no response (still pending when the page was left) or one slower than UNANSWERED_MS. */
export const isUnanswered = (m: Moment) =>
  isApiCall(m) && m.initiator !== 'beacon' && ((m.status === null && m.duration_ms === null) || (m.duration_ms !== null && m.duration_ms >= UNANSWERED_MS && (m.status === null || m.status < 400)))

function exceptionAvalanches(ms: Moment[], classes: Map<number, ErrorClass>): NewFlag[] {
  return avalanches(ms)
    .filter((g) => g.length >= AVALANCHE_MIN)
    .map((g) => {
      const root = ms[g[0]!]!
      const mattered = g.some((i) => classes.get(i) !== 'noise')
      return flag('exception_avalanche', root, {
        label: mattered ? 'friction' : 'noise',
        severity: mattered ? 'medium' : 'low',
        blocking: false,
        evidence: g.map((i) => ms[i]!.id),
        confidence: 0.9,
        title: `${g.length} errors within ${((ms[g.at(-1)!]!.t - root.t) / 1000).toFixed(1)} s, starting with ${root.exc_type ?? 'an error'}`,
        detail: `${(root.message ?? '').slice(0, 160)}${mattered ? '' : ' — from a third-party or background script, not after a user action'}`,
      })
    })
}

function formAbandonment(ms: Moment[], input: DetectInput, classes: Map<number, ErrorClass>): NewFlag[] {
  const flags: NewFlag[] = []
  // Page visits: from one nav to the next, per window.
  const visits = new Map<string, number[]>()
  const current = new Map<string | null, string>()
  ms.forEach((m, i) => {
    if (m.kind === 'nav' || !current.has(m.window)) current.set(m.window, `${m.window}|${i}|${path(m.url)}`)
    const key = current.get(m.window)!
    visits.set(key, [...(visits.get(key) ?? []), i])
  })
  for (const idx of visits.values()) {
    const inputs = idx.filter((i) => ms[i]!.kind === 'input')
    const fields = new Set(inputs.map((i) => ms[i]!.selector ?? ms[i]!.text))
    if (fields.size < FORM_MIN_FIELDS) continue
    const lastInput = inputs.at(-1)!
    const after = idx.filter((i) => i > lastInput)
    const succeeded = after.some((i) => isAction(ms[i]!) && succeededAfter(ms, i, input, classes))
    // Left the page when the next page started, or at the end of the session.
    const lastIdx = idx.at(-1)!
    const next = ms.slice(lastIdx + 1).find((o) => o.window === ms[lastIdx]!.window && o.kind === 'nav')
    if (succeeded) continue
    const errs = after.filter((i) => classes.get(i) === 'journey' || classes.get(i) === 'api' || (ms[i]!.kind === 'network' && failed(ms[i]!) && isApiCall(ms[i]!)))
    // Submitted and nothing failed: it most likely worked (a confirmation shown in place leaves no
    // event). Abandonment needs evidence: typed and left without submitting, or the submit failed.
    if (after.some((i) => isAction(ms[i]!)) && errs.length === 0) continue
    const page = ms[idx[0]!]!
    const leftAt = next ? next.t : Math.max(input.timeline.end_ms, ms[lastIdx]!.t)
    const blocking = errs.length > 0
    const leaveEvent = ms.slice(lastIdx).find((o) => o.kind === 'pageleave') ?? ms[lastIdx]!
    flags.push(
      flag('form_abandoned', ms[lastInput]!, {
        label: blocking ? 'blocking' : 'friction',
        severity: blocking ? 'high' : 'medium',
        blocking,
        evidence: [...inputs.map((i) => ms[i]!.id), ...errs.map((i) => ms[i]!.id), leaveEvent.id],
        confidence: blocking ? 0.8 : 0.5,
        title: `Form on ${path(page.url)} abandoned${blocking ? ' after it failed' : ''}`,
        detail: `${fields.size} fields filled, no successful submit; ${next ? 'went to another page' : 'session ended'}${blocking ? `; ${errs.length} error(s) after submitting` : ''}`,
        time_ms: leftAt,
      }),
    )
  }
  return flags
}

function succeededAfter(ms: Moment[], i: number, input: DetectInput, classes: Map<number, ErrorClass>): boolean {
  const a = ms[i]!
  let errored = false
  for (let j = i + 1; j < ms.length && ms[j]!.t - a.t <= SUCCESS_WINDOW_MS; j++) {
    const o = ms[j]!
    if (o.window !== a.window) continue
    if (classes.get(j) === 'journey' || classes.get(j) === 'api' || (o.kind === 'network' && failed(o) && isApiCall(o))) errored = true
    if (errored) continue
    if (o.kind === 'nav' && path(o.url) !== path(a.url)) return true
    if (o.kind === 'network' && isApiCall(o) && o.status !== null && o.status < 400 && o.status > 0) return true
  }
  if (errored) return false
  // A recorded page that changed after the click (a confirmation shown in place) with no error.
  const times = (a.window && input.reactions.get(a.window)?.times) || []
  return a.kind !== 'input' && anyIn(times, a.t, a.t + SUCCESS_WINDOW_MS) && !ms.some((o, j) => j > i && o.t - a.t <= SUCCESS_WINDOW_MS && o.kind === 'click' && sameTarget(a, o))
}

function quickBacks(ms: Moment[]): NewFlag[] {
  const flags: NewFlag[] = []
  const byWindow = new Map<string | null, Moment[]>()
  for (const m of ms) if (m.kind === 'nav') byWindow.set(m.window, [...(byWindow.get(m.window) ?? []), m])
  for (const navs of byWindow.values()) {
    for (let k = 1; k + 1 < navs.length; k++) {
      const [prev, here, next] = [navs[k - 1]!, navs[k]!, navs[k + 1]!]
      if (next.t - here.t > QUICK_BACK_MS || next.url !== prev.url || here.url === prev.url) continue
      flags.push(
        flag('quick_back', here, {
          label: 'friction',
          severity: 'low',
          blocking: false,
          evidence: [here.id, next.id],
          confidence: 0.5,
          title: `Left ${path(here.url)} after ${((next.t - here.t) / 1000).toFixed(1)} s, back to ${path(prev.url)}`,
          detail: 'the page was not what the user expected, or did not work',
        }),
      )
    }
  }
  return flags
}

function aiSignals(ms: Moment[]): NewFlag[] {
  const flags: NewFlag[] = []
  const isAiCall = (m: Moment) => m.kind === 'ai' || (m.kind === 'network' && AI_ENDPOINT.test(m.http_url ?? ''))
  ms.forEach((m, i) => {
    // Typing into a chat for ≥ 30 s and never sending it.
    if (m.kind === 'input' && AI_FIELD.test(`${m.selector ?? ''} ${m.text ?? ''} ${path(m.url)}`) && (m.typing_ms ?? 0) >= AI_TYPING_MS) {
      const end = m.t + (m.typing_ms ?? 0)
      const sent = ms.some((o, j) => j > i && o.window === m.window && o.t >= end - 1000 && o.t - end <= 10_000 && (isAction(o) || isAiCall(o)))
      if (!sent) {
        flags.push(
          flag('ai_chat_abandoned', m, {
            label: 'friction',
            severity: 'medium',
            blocking: false,
            evidence: [m.id],
            confidence: 0.6,
            title: `Typed into ${label(m)} for ${Math.round((m.typing_ms ?? 0) / 1000)} s, never sent`,
            detail: `AI chat on ${path(m.url)} abandoned`,
            time_ms: end,
          }),
        )
      }
    }
    if (!isAiCall(m)) return
    const bad = m.kind === 'network' ? failed(m) || (m.duration_ms ?? 0) >= AI_TIMEOUT_MS : aiEventFailed(m)
    if (bad) {
      const act = actionBefore(ms, i, REQUEST_AFTER_ACTION_MS)
      flags.push(
        flag('ai_call_failed', m, {
          label: act ? 'blocking' : 'friction',
          severity: 'high',
          blocking: act !== null,
          evidence: [...(act ? [act.id] : []), m.id],
          confidence: 0.8,
          title: m.kind === 'network' ? `AI request ${path(m.http_url)} ${failed(m) ? `failed (${m.status ?? 'no response'})` : `took ${Math.round((m.duration_ms ?? 0) / 1000)} s`}` : `AI call ${m.name} failed`,
          detail: 'the user asked the AI feature and got no answer',
        }),
      )
      return
    }
    // An answer, then a search elsewhere within seconds: the answer did not help.
    const search = ms.find(
      (o) => o.t > m.t && o.t - m.t <= AI_SEARCH_AFTER_MS && ((o.kind === 'nav' && SEARCH.test(o.url ?? '')) || (o.kind === 'input' && SEARCH.test(`${o.selector ?? ''} ${o.text ?? ''}`) && !AI_FIELD.test(o.selector ?? ''))),
    )
    if (search && !flags.some((f) => f.type === 'ai_bad_answer' && f.evidence.includes(search.id))) {
      flags.push(
        flag('ai_bad_answer', m, {
          label: 'friction',
          severity: 'medium',
          blocking: false,
          evidence: [m.id, search.id],
          confidence: 0.5,
          title: `Searched ${((search.t - m.t) / 1000).toFixed(0)} s after an AI answer`,
          detail: `after the AI answer on ${path(m.url)} the user searched ${search.kind === 'nav' ? `(${path(search.url)})` : `in ${label(search)}`}`,
        }),
      )
    }
  })
  return flags
}

const aiEventFailed = (m: Moment) =>
  m.props.$ai_is_error === true || m.props.is_error === true || typeof m.props.error === 'string' || /fail|error|timeout/i.test(m.name ?? '') || (typeof m.props.$ai_http_status === 'number' && m.props.$ai_http_status >= 400)
