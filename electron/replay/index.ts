// What the player reads: the chunk index of a session, chunk payloads, the events of its panes.
// The renderer decides which chunks to load (see renderer/player/plan.ts); this side only serves.
import { EventType, Plugin } from '../../shared/rrweb'
import type { ConsoleEntry, ReplayMeta, ReplayWindow, SessionEvent } from '../../shared/model'
import { isNoiseEvent } from '../../shared/noise'
import { NotFoundError } from '../errors'
import type { Store } from '../store'
import { decodeChunk } from '../store/chunk-codec'

/** A pause in activity longer than this is shown (and skipped) as inactive time. */
export const INACTIVE_GAP_MS = 5_000

export function replayMeta(store: Store, id: string): ReplayMeta {
  const session = store.sessions.get(id)
  if (!session) throw new NotFoundError('session', id)
  const byKey = new Map<number, ReplayWindow>()
  const activity: [number, number][] = []
  const windowIds = new Map(store.chunks.windows(id).map((w) => [w.id, w.window_id]))
  for (const c of store.replay.chunkIndex(id)) {
    let w = byKey.get(c.window_key)
    if (!w) {
      w = { window_id: windowIds.get(c.window_key) ?? String(c.window_key), first_ms: c.start_ms, last_ms: c.end_ms, chunks: [], activity: [] }
      byKey.set(c.window_key, w)
    }
    w.first_ms = Math.min(w.first_ms, c.start_ms)
    w.last_ms = Math.max(w.last_ms, c.end_ms)
    w.chunks.push({ seq: c.seq, start_ms: c.start_ms, end_ms: c.end_ms, events: c.events, full_snapshot_seq: c.full_snapshot_seq })
    const spans = JSON.parse(c.activity) as [number, number][]
    activity.push(...spans)
    w.activity.push(...spans)
  }
  const windows = [...byKey.values()].sort((a, b) => a.first_ms - b.first_ms)
  return { session, windows, inactive: inactiveGaps(activity, session.start_ms, session.end_ms) }
}

/** The complement of the activity spans within [start, end], keeping only gaps worth skipping. */
export function inactiveGaps(activity: [number, number][], start: number, end: number): [number, number][] {
  const spans = [...activity].sort((a, b) => a[0] - b[0])
  const gaps: [number, number][] = []
  let cursor = start
  for (const [a, b] of spans) {
    if (a - cursor > INACTIVE_GAP_MS) gaps.push([cursor, a])
    cursor = Math.max(cursor, b)
  }
  if (spans.length > 0 && end - cursor > INACTIVE_GAP_MS) gaps.push([cursor, end])
  return gaps
}

export function replayChunks(store: Store, id: string, windowId: string, seqs: number[]): { seq: number; events: unknown[] }[] {
  const rows = store.replay.chunkData(id, windowId, seqs)
  if (rows.length === 0) throw new NotFoundError('recording window', `${id}/${windowId}`)
  return rows.map((r) => ({ seq: r.seq, events: decodeChunk(r.data) }))
}

export function sessionEvents(store: Store, id: string): SessionEvent[] {
  if (!store.sessions.get(id)) throw new NotFoundError('session', id)
  return store.events.bySession(id).map((e) => {
    const props = JSON.parse(e.properties) as Record<string, unknown>
    return {
      id: e.id,
      origin: e.origin as SessionEvent['origin'],
      time_ms: e.time_ms,
      type: e.type,
      window_id: e.window_id,
      url: e.url,
      el_text: e.el_text,
      el_selector: e.el_selector,
      exc_type: e.exc_type,
      exc_message: e.exc_message,
      http_status: e.http_status,
      http_method: e.http_method,
      http_url: e.http_url,
      duration_ms: typeof props.duration_ms === 'number' ? props.duration_ms : null,
      noise: isNoiseEvent(e, props),
    }
  })
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Console plugin events of every level, read from the stored recording of each window. */
export function sessionConsole(store: Store, id: string): ConsoleEntry[] {
  const meta = replayMeta(store, id)
  const out: ConsoleEntry[] = []
  for (const w of meta.windows) {
    for (const chunk of replayChunks(store, id, w.window_id, w.chunks.map((c) => c.seq))) {
      for (const ev of chunk.events) {
        if (!isObj(ev) || ev.type !== EventType.Plugin || !isObj(ev.data) || ev.data.plugin !== Plugin.Console || !isObj(ev.data.payload)) continue
        const p = ev.data.payload
        const args = Array.isArray(p.payload) ? p.payload.map(unquote) : []
        out.push({
          time_ms: Number(ev.timestamp),
          window_id: w.window_id,
          level: typeof p.level === 'string' ? p.level : 'log',
          message: args.join(' ').slice(0, 4000),
          trace: Array.isArray(p.trace) ? p.trace.slice(0, 30).map(String) : [],
        })
      }
    }
  }
  return out.sort((a, b) => a.time_ms - b.time_ms)
}

/** The console plugin JSON-encodes each argument; show strings without their quotes. */
function unquote(s: unknown): string {
  if (typeof s !== 'string') return JSON.stringify(s) ?? String(s)
  try {
    const v: unknown = JSON.parse(s)
    return typeof v === 'string' ? v : s
  } catch {
    return s
  }
}
