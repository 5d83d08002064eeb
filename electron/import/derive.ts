// Events derived from the rrweb stream of one window, so that analysis works on recordings that
// came without product events: clicks with their target's text, inputs (never their values),
// navigations, console errors, network requests with their status.
import type { EventRecord } from '../store/staging'
import { DomMirror } from './dom-mirror'
import type { RrwebEvent } from './rrweb'

const MOUSE_CLICK = 2
const MOUSE_DBLCLICK = 4

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Which events the deriver needs parsed; the rest pass through as JSON text only. */
export function needsParse(type: number, source: number | null): boolean {
  return type === 2 || type === 4 || type === 5 || type === 6 || (type === 3 && (source === 0 || source === 2 || source === 5))
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
      case 2:
        this.mirror.reset(d.node)
        break
      case 4:
        if (typeof d.href === 'string') this.navigate(ev.timestamp, d.href, key, 'meta')
        break
      case 5: {
        // posthog-js marks SPA navigations with custom events carrying the new href.
        const payload = isObj(d.payload) ? d.payload : {}
        const href = typeof payload.href === 'string' ? payload.href : null
        if (href && (d.tag === '$url_changed' || d.tag === '$pageview')) this.navigate(ev.timestamp, href, key, String(d.tag))
        break
      }
      case 3:
        if (d.source === 0) this.mirror.applyMutation(d)
        else if (d.source === 2 && (d.type === MOUSE_CLICK || d.type === MOUSE_DBLCLICK)) this.click(ev.timestamp, d, key)
        else if (d.source === 5) this.input(ev.timestamp, d, key)
        break
      case 6:
        if (d.plugin === 'rrweb/console@1') this.console(ev.timestamp, d.payload, key)
        else if (d.plugin === 'rrweb/network@1') this.network(ev.timestamp, d.payload, key)
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
    this.emit(e, { x: d.x, y: d.y, node_id: d.id, tag: info.tag, double: d.type === MOUSE_DBLCLICK, known: info.tag !== null })
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

  private network(time: number, payload: unknown, key: string): void {
    const reqs = isObj(payload) && Array.isArray(payload.requests) ? payload.requests : []
    reqs.forEach((r: unknown, i: number) => {
      if (!isObj(r)) return
      const status = Number(r.status ?? r.responseStatus)
      const t = typeof r.timestamp === 'number' ? r.timestamp : typeof r.timeOrigin === 'number' && typeof r.startTime === 'number' ? r.timeOrigin + r.startTime : time
      const e = this.base(`${key}:${i}`, t, 'network')
      e.http_status = Number.isInteger(status) && status > 0 ? status : null
      e.http_method = typeof r.method === 'string' ? r.method : null
      e.http_url = typeof r.name === 'string' ? r.name : null
      this.emit(e, {
        initiator: r.initiatorType ?? null,
        entry_type: r.entryType ?? null,
        duration_ms: typeof r.duration === 'number' ? Math.round(r.duration) : null,
        transfer_size: r.transferSize ?? null,
        initial: r.isInitial === true,
      })
    })
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
