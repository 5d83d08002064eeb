// One session as a list of user-level moments, whatever it was imported from. Product events and
// events derived from the recording often describe the same click twice (an $autocapture and an
// rrweb click 3 ms apart); the timeline keeps one of each so detectors and the model see it once.
import { errorScriptUrl } from '../../shared/noise'
import type { EventRow } from '../store/events'
import type { Store } from '../store'

export type Kind =
  | 'click'
  | 'input'
  | 'submit'
  | 'nav'
  | 'exception'
  | 'network'
  | 'pageleave'
  | 'custom'
  | 'rageclick_hint'
  | 'deadclick_hint'
  | 'ai'

export interface Moment {
  /** Row id in the events table: what flags cite as evidence. */
  id: number
  t: number
  window: string | null
  kind: Kind
  url: string | null
  text: string | null
  selector: string | null
  tag: string | null
  x: number | null
  y: number | null
  /** input: characters and how long the typing lasted. */
  chars: number | null
  typing_ms: number | null
  exc_type: string | null
  message: string | null
  /** Where the script that threw lives (first frame), when known. */
  script_url: string | null
  status: number | null
  method: string | null
  http_url: string | null
  initiator: string | null
  duration_ms: number | null
  /** custom events: name and scalar properties. */
  name: string | null
  props: Record<string, string | number | boolean>
  origin: 'product' | 'rrweb'
}

export interface Timeline {
  session_id: string
  start_ms: number
  end_ms: number
  windows: string[]
  /** Windows that have a recording: dead clicks can be judged from their DOM mutations. */
  recorded: Set<string>
  moments: Moment[]
  /** Every stored event of the session, for the raw-size comparison. */
  raw: EventRow[]
}

const DUP_MS = 150
const obj = (s: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(s) as unknown
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

const AI_NAME = /^(\$ai_|llm_|ai_)|(^|_)(llm|ai|assistant|copilot|chatbot)(_|$)/i

function fromRow(e: EventRow): Moment | null {
  const p = obj(e.properties)
  const base: Moment = {
    id: e.id,
    t: e.time_ms,
    window: e.window_id,
    kind: 'custom',
    url: e.url,
    text: e.el_text,
    selector: e.el_selector,
    tag: str(p.tag),
    x: num(p.x),
    y: num(p.y),
    chars: null,
    typing_ms: null,
    exc_type: e.exc_type,
    message: e.exc_message,
    script_url: null,
    status: e.http_status,
    method: e.http_method,
    http_url: e.http_url,
    initiator: str(p.initiator),
    duration_ms: num(p.duration_ms),
    name: null,
    props: {},
    origin: e.origin as Moment['origin'],
  }
  switch (e.type) {
    case 'click':
      return { ...base, kind: 'click' }
    case 'input':
      return { ...base, kind: 'input', chars: num(p.length), typing_ms: num(p.end_ms) === null ? 0 : num(p.end_ms)! - e.time_ms }
    case 'navigation':
    case '$pageview':
      return { ...base, kind: 'nav' }
    case 'console_error':
    case '$exception':
      return { ...base, kind: 'exception', script_url: errorScriptUrl(e.type, e.exc_message, p) }
    case 'network':
      return { ...base, kind: 'network' }
    case '$pageleave':
      return { ...base, kind: 'pageleave' }
    case '$rageclick':
      return { ...base, kind: 'rageclick_hint' }
    case '$dead_click':
      return { ...base, kind: 'deadclick_hint' }
    case '$autocapture': {
      const t = str(p.$event_type)
      if (t === 'submit') return { ...base, kind: 'submit' }
      if (t === 'change') return { ...base, kind: 'input' }
      return { ...base, kind: 'click' }
    }
    case '$identify':
    case '$set':
    case '$snapshot':
    case '$groupidentify':
    case '$web_vitals':
      return null
    default: {
      if (e.type.startsWith('$') && !AI_NAME.test(e.type)) return null
      const props: Record<string, string | number | boolean> = {}
      for (const [k, v] of Object.entries(p)) {
        if (k.startsWith('$') && !k.startsWith('$ai_')) continue
        if (k === 'token' || k === 'distinct_id') continue
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') props[k] = v
      }
      return { ...base, kind: AI_NAME.test(e.type) ? 'ai' : 'custom', name: e.type, props }
    }
  }
}

/** Whether `b` repeats `a` (the same user act seen by both recorders). */
/** The latest moment within DUP_MS before `m` that repeats it. Rows come time-sorted: stop at the window's start (a 6-hour session has 100k moments). */
function twinBefore(moments: Moment[], m: Moment): Moment | undefined {
  for (let i = moments.length - 1; i >= 0; i--) {
    const x = moments[i]!
    if (x.t < m.t - DUP_MS) return undefined
    if (duplicates(x, m)) return x
  }
  return undefined
}

function duplicates(a: Moment, b: Moment): boolean {
  if (Math.abs(a.t - b.t) > DUP_MS || a.origin === b.origin) return false
  if (a.kind !== b.kind) return false
  if (a.kind === 'click' || a.kind === 'input') return a.selector === b.selector || (!!a.text && a.text === b.text)
  if (a.kind === 'nav') return true
  if (a.kind === 'exception') return !!a.message && !!b.message && (a.message.includes(b.message) || b.message.includes(a.message))
  return false
}

export function buildTimeline(sessionId: string, rows: EventRow[], recorded: Set<string>, bounds: { start_ms: number; end_ms: number }): Timeline {
  const moments: Moment[] = []
  // Windows whose recording yielded clicks, inputs and navigations: there, the product's
  // $pageview and click/change $autocapture repeat them (the change one seconds later, on blur).
  const derived = new Set(rows.filter((r) => r.origin === 'rrweb').map((r) => r.window_id))
  for (const r of rows) {
    const m = fromRow(r)
    if (!m) continue
    if (m.origin === 'product' && derived.has(r.window_id) && (r.type === '$pageview' || (r.type === '$autocapture' && m.kind !== 'submit'))) continue
    const dup = twinBefore(moments, m)
    if (dup) {
      // Keep the richer one: rrweb clicks have coordinates and labels, product exceptions the stack.
      if (m.kind === 'exception' && !dup.script_url) dup.script_url = m.script_url
      if (m.kind === 'click' && dup.origin === 'product' && m.origin === 'rrweb') Object.assign(dup, { ...m, id: m.id })
      continue
    }
    moments.push(m)
  }
  moments.sort((a, b) => a.t - b.t || a.id - b.id)
  const windows = [...new Set(moments.map((m) => m.window).filter((w): w is string => w !== null))]
  return { session_id: sessionId, start_ms: bounds.start_ms, end_ms: bounds.end_ms, windows, recorded, moments, raw: rows }
}

/** Reads one session from the store. */
export function loadTimeline(store: Store, sessionId: string): Timeline | undefined {
  const s = store.sessions.get(sessionId)
  if (!s) return undefined
  const rows = store.events.bySession(sessionId)
  const recorded = new Set(store.chunks.windows(sessionId).filter((w) => w.snapshot_events > 0).map((w) => w.window_id))
  // The session's range, as the header, the Library and the player show it (and a summary says it
  // covers): events outside it — page-load requests timed before the recording began, product
  // events sent after it ended — keep their times but do not stretch it.
  return buildTimeline(sessionId, rows, recorded, { start_ms: s.start_ms, end_ms: s.end_ms })
}
