// Events derived from the rrweb stream of one window, so that analysis works on recordings that
// came without product events: clicks with their target's text, inputs (never their values),
// navigations, console errors, network requests with their status.
import { EventType, IncrementalSource, MouseInteraction, Plugin } from '../../shared/rrweb'
import type { EventRecord } from '../store/staging'
import { DomMirror } from './dom-mirror'
import type { RrwebEvent } from './rrweb'

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Which events the deriver needs parsed; the rest pass through as JSON text only. */
export function needsParse(type: number, source: number | null): boolean {
  return (
    type === EventType.FullSnapshot ||
    type === EventType.Meta ||
    type === EventType.Custom ||
    type === EventType.Plugin ||
    (type === EventType.IncrementalSnapshot && (source === IncrementalSource.Mutation || source === IncrementalSource.MouseInteraction || source === IncrementalSource.Input))
  )
}

const derivedUuid = (sid: string, wid: string, key: string) => `rr:${sid}:${wid}:${key}`

/** A derived event's uuid once its (pending) session has its real id. */
export function renameDerivedUuid(uuid: string, from: string, to: string): string {
  const prefix = `rr:${from}:`
  return uuid.startsWith(prefix) ? `rr:${to}:${uuid.slice(prefix.length)}` : uuid
}

export class Deriver {
  private mirror = new DomMirror()
  private href: string | null = null
  private lastInput: { id: number; event: EventRecord; props: Record<string, unknown> } | null = null
  private out: EventRecord[] = []
  errors = 0

  constructor(
    private readonly sessionId: string,
    private readonly windowId: string,
  ) {}

  /** Finished events so far. An input still collecting keystrokes stays until it is done. */
  drain(final = false): EventRecord[] {
    const keep = !final && this.lastInput && this.out.at(-1) === this.lastInput.event ? 1 : 0
    const done = this.out.slice(0, this.out.length - keep)
    this.out = this.out.slice(this.out.length - keep)
    return done
  }

  push(ev: RrwebEvent, hash: bigint): void {
    const d = isObj(ev.data) ? ev.data : {}
    const key = hash.toString(16)
    switch (ev.type) {
      case EventType.FullSnapshot:
        this.mirror.reset(d.node)
        break
      case EventType.Meta:
        if (typeof d.href === 'string') this.navigate(ev.timestamp, d.href, key, 'meta')
        break
      case EventType.Custom: {
        // posthog-js marks SPA navigations with custom events carrying the new href.
        const payload = isObj(d.payload) ? d.payload : {}
        const href = typeof payload.href === 'string' ? payload.href : null
        if (href && (d.tag === '$url_changed' || d.tag === '$pageview')) this.navigate(ev.timestamp, href, key, String(d.tag))
        break
      }
      case EventType.IncrementalSnapshot:
        if (d.source === IncrementalSource.Mutation) this.mirror.applyMutation(d)
        else if (d.source === IncrementalSource.MouseInteraction && (d.type === MouseInteraction.Click || d.type === MouseInteraction.DblClick)) this.click(ev.timestamp, d, key)
        else if (d.source === IncrementalSource.Input) this.input(ev.timestamp, d, key)
        break
      case EventType.Plugin:
        if (d.plugin === Plugin.Console) this.console(ev.timestamp, d.payload, key)
        else this.network(ev.timestamp, d.plugin, d.payload, key)
        break
    }
  }

  private base(uuid: string, time: number, type: string): EventRecord {
    return {
      uuid: derivedUuid(this.sessionId, this.windowId, uuid),
      origin: 'rrweb',
      session_id: this.sessionId,
      window_id: this.windowId,
      time_ms: Math.round(time),
      type,
      distinct_id: null,
      url: this.href,
      el_text: null,
      el_selector: null,
      exc_type: null,
      exc_message: null,
      http_status: null,
      http_method: null,
      http_url: null,
      properties: '{}',
    }
  }

  private emit(e: EventRecord, props: Record<string, unknown>): EventRecord {
    e.properties = JSON.stringify(props)
    this.out.push(e)
    if (e.type !== 'input') this.lastInput = null
    return e
  }

  private navigate(time: number, href: string, key: string, via: string): void {
    if (href === this.href) return
    const from = this.href
    this.href = href
    this.emit(this.base(key, time, 'navigation'), { from, via })
  }

  private click(time: number, d: Record<string, unknown>, key: string): void {
    const info = this.mirror.describe(Number(d.id))
    const e = this.base(key, time, 'click')
    e.el_text = info.text
    e.el_selector = info.selector
    this.emit(e, { x: d.x, y: d.y, node_id: d.id, tag: info.tag, double: d.type === MouseInteraction.DblClick, known: info.tag !== null })
  }

  /** Typing emits one event per change: consecutive changes of one field become one event. */
  private input(time: number, d: Record<string, unknown>, key: string): void {
    const id = Number(d.id)
    const text = typeof d.text === 'string' ? d.text : ''
    if (this.lastInput && this.lastInput.id === id) {
      const p = this.lastInput.props
      p.changes = Number(p.changes) + 1
      p.end_ms = Math.round(time)
      p.length = text.length
      p.masked = /^\*+$/.test(text)
      if (typeof d.isChecked === 'boolean') p.checked = d.isChecked
      this.lastInput.event.properties = JSON.stringify(p)
      return
    }
    const info = this.mirror.fieldLabel(id)
    const e = this.base(key, time, 'input')
    e.el_text = info.text
    e.el_selector = info.selector
    const props: Record<string, unknown> = { node_id: id, tag: info.tag, changes: 1, length: text.length, masked: text.length > 0 && /^\*+$/.test(text) }
    if (typeof d.isChecked === 'boolean') props.checked = d.isChecked
    this.emit(e, props)
    this.lastInput = { id, event: e, props }
  }

  private console(time: number, payload: unknown, key: string): void {
    if (!isObj(payload) || (payload.level !== 'error' && payload.level !== 'assert')) return
    const parts = Array.isArray(payload.payload) ? payload.payload.map(unquote) : []
    const message = parts.join(' ').slice(0, 2000)
    const m = /^(?:Uncaught (?:\(in promise\) )?)?([A-Z][A-Za-z]*(?:Error|Exception))(?::\s|$)/.exec(message)
    const e = this.base(key, time, 'console_error')
    e.exc_type = m ? m[1]! : null
    e.exc_message = message
    this.errors++
    this.emit(e, { level: payload.level, trace: Array.isArray(payload.trace) ? payload.trace.slice(0, 20) : [] })
  }

  private network(time: number, plugin: unknown, payload: unknown, key: string): void {
    for (const r of decodeNetworkPlugin(plugin, payload)) {
      const e = this.base(`${key}:${r.index}`, r.time ?? time, 'network')
      e.http_status = r.status
      e.http_method = r.method
      e.http_url = r.url
      this.emit(e, { initiator: r.initiator, entry_type: r.entry_type, duration_ms: r.duration_ms, transfer_size: r.transfer_size, initial: r.initial })
    }
  }
}

/** One request of a network plugin event, as the derived `network` event stores it. */
export interface NetworkRequest {
  /** Position in the plugin payload: part of the derived uuid, so it stays stable across re-imports. */
  index: number
  /** Epoch ms of the request start; null: use the plugin event's own timestamp. */
  time: number | null
  url: string | null
  method: string | null
  /** HTTP status; null when unknown or 0 (blocked, CORS, aborted). */
  status: number | null
  initiator: unknown
  entry_type: unknown
  duration_ms: number | null
  transfer_size: unknown
  initial: boolean
}

/**
 * posthog-js's older `posthog/network@1` plugin sent one PerformanceEntry per event with its
 * fields under numeric keys. This is PostHog's own table (PostHog/posthog
 * frontend/src/scenes/session-recordings/apm/performance-event-utils.ts,
 * PerformanceEventReverseMapping), written with the field names the newer `rrweb/network@1`
 * requests use (RRWebPerformanceEventReverseMapping), so both decode the same way. 38 is unused.
 */
export const LEGACY_NETWORK_FIELDS: Readonly<Record<string, string>> = {
  0: 'entryType',
  1: 'timeOrigin',
  2: 'name',
  3: 'startTime',
  4: 'redirectStart',
  5: 'redirectEnd',
  6: 'workerStart',
  7: 'fetchStart',
  8: 'domainLookupStart',
  9: 'domainLookupEnd',
  10: 'connectStart',
  11: 'secureConnectionStart',
  12: 'connectEnd',
  13: 'requestStart',
  14: 'responseStart',
  15: 'responseEnd',
  16: 'decodedBodySize',
  17: 'encodedBodySize',
  18: 'initiatorType',
  19: 'nextHopProtocol',
  20: 'renderBlockingStatus',
  21: 'responseStatus',
  22: 'transferSize',
  23: 'largestContentfulPaintElement',
  24: 'largestContentfulPaintRenderTime',
  25: 'largestContentfulPaintLoadTime',
  26: 'largestContentfulPaintSize',
  27: 'largestContentfulPaintId',
  28: 'largestContentfulPaintUrl',
  29: 'domComplete',
  30: 'domContentLoadedEvent',
  31: 'domInteractive',
  32: 'loadEventEnd',
  33: 'loadEventStart',
  34: 'redirectCount',
  35: 'navigationType',
  36: 'unloadEventEnd',
  37: 'unloadEventStart',
  39: 'duration',
  40: 'timestamp',
}

/** A legacy positional payload as a named entry; null when it is not one. */
export function legacyNetworkEntry(payload: unknown): Record<string, unknown> | null {
  // PostHog's UI reads the keys with `in`, so an array in positional order would decode too.
  if (typeof payload !== 'object' || payload === null) return null
  const p = payload as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, field] of Object.entries(LEGACY_NETWORK_FIELDS)) if (p[k] !== undefined && p[k] !== null) out[field] = p[k]
  // Without a URL there is no request to show.
  return typeof out.name === 'string' ? out : null
}

/**
 * Entry types that are requests. The legacy plugin also recorded paint, first-input and LCP
 * entries, and posthog-js adds synthetic `serverTiming` entries (timings of a parent request):
 * none is a request of its own. Recorders that set no entry type record only requests.
 */
const REQUEST_ENTRY_TYPES = new Set(['resource', 'navigation'])

/** The requests of a network plugin event (`rrweb/network@1` or legacy `posthog/network@1`); [] for anything else. */
export function decodeNetworkPlugin(plugin: unknown, payload: unknown): NetworkRequest[] {
  const out: NetworkRequest[] = []
  if (plugin === 'rrweb/network@1') {
    const reqs = isObj(payload) && Array.isArray(payload.requests) ? payload.requests : []
    reqs.forEach((r: unknown, i: number) => {
      if (!isObj(r)) return
      // PostHog's player falls back to `url` when a captured request has no `name`.
      const req = decodeRequest(typeof r.name !== 'string' && typeof r.url === 'string' ? { ...r, name: r.url } : r, i)
      if (req) out.push(req)
    })
  } else if (plugin === 'posthog/network@1') {
    const entry = legacyNetworkEntry(payload)
    const req = entry && decodeRequest(entry, 0)
    if (req) out.push(req)
  }
  return out
}

function decodeRequest(r: Record<string, unknown>, index: number): NetworkRequest | null {
  if (typeof r.entryType === 'string' && !REQUEST_ENTRY_TYPES.has(r.entryType)) return null
  // Wrapped fetch/XHR report `status`; the performance entry `responseStatus`. PostHog prefers `status`.
  const status = Number(r.status ?? r.responseStatus)
  const time =
    typeof r.timestamp === 'number' && Number.isFinite(r.timestamp)
      ? r.timestamp
      : typeof r.timeOrigin === 'number' && typeof r.startTime === 'number' && Number.isFinite(r.timeOrigin + r.startTime)
        ? r.timeOrigin + r.startTime
        : null
  return {
    index,
    time,
    url: typeof r.name === 'string' ? r.name : null,
    method: typeof r.method === 'string' ? r.method : null,
    status: Number.isInteger(status) && status > 0 ? status : null,
    initiator: r.initiatorType ?? null,
    entry_type: r.entryType ?? null,
    duration_ms: typeof r.duration === 'number' && Number.isFinite(r.duration) ? Math.round(r.duration) : null,
    transfer_size: r.transferSize ?? null,
    initial: r.isInitial === true,
  }
}

/** The console plugin JSON-encodes each argument: '"text"' arrives with its quotes. */
function unquote(s: unknown): string {
  if (typeof s !== 'string') return String(s)
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      const v = JSON.parse(s)
      if (typeof v === 'string') return v
    } catch {
      /* keep as is */
    }
  }
  return s
}
