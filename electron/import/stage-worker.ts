// Worker thread entry of the import's second stage (see parallel.ts): parses, normalises and
// hashes the plain rrweb events of a batch of element slices. Anything else (other kinds, packed
// or `cv`-compressed events, events to skip, errors) is left to the import thread: it handles
// those elements itself, in order, exactly as without this worker.
import { parentPort } from 'node:worker_threads'
import type { StageIn, StageOut } from './parallel'
import { isPosthogEventLike } from './posthog-events'
import { contentHashReady, isRrwebLike, normalizeRrweb, Skip } from './rrweb'

const port = parentPort
if (!port) throw new Error('stage-worker.ts must run in a worker thread')

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The event of a plain item (0: handled by the import thread), its window id through `wid`. */
function plain(v: unknown, hint: string | undefined, out: { wid: string }): { kind: number; ev: Record<string, unknown> | null } {
  // Mirrors Collector.addClassified for 'rrweb' and 'window-tuple' items (classify's order).
  if (Array.isArray(v)) {
    if (v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && isObj(v[1]) && !('cv' in v[1])) {
      out.wid = String(v[0])
      return { kind: 2, ev: v[1] }
    }
    return { kind: 0, ev: null }
  }
  if (!isObj(v) || 'cv' in v) return { kind: 0, ev: null }
  // classify's order: a PostHog event first.
  if (isPosthogEventLike(v) || !isRrwebLike(v)) return { kind: 0, ev: null }
  out.wid = v.windowId !== undefined && v.windowId !== null ? String(v.windowId) : (hint ?? '')
  return { kind: 1, ev: v }
}

function run(m: StageIn): StageOut {
  const buf = Buffer.from(m.buf)
  const n = m.n
  const kind = new Uint8Array(n)
  const ts = new Float64Array(n)
  const type = new Float64Array(n)
  /** NaN: null. */
  const source = new Float64Array(n)
  const hash = new BigInt64Array(n)
  const json: string[] = new Array<string>(n)
  const wids: string[] = new Array<string>(n)
  const w = { wid: '' }
  let from = 0
  for (let i = 0; i < n; i++) {
    const to = m.ends[i]!
    const text = buf.toString('utf8', from, to)
    from = to
    let v: unknown
    try {
      v = JSON.parse(text)
    } catch {
      continue // the import thread places the error
    }
    try {
      const p = plain(v, m.hints[m.hintOf[i]!], w)
      if (p.kind === 0) continue
      // A `[windowId, event]` tuple's text is not the event's.
      const r = normalizeRrweb(p.ev, undefined, p.kind === 1 && m.plain[i] ? text : undefined)
      if (r instanceof Skip) continue
      kind[i] = p.kind
      ts[i] = r.event.timestamp
      type[i] = r.event.type
      source[i] = r.source === null ? Number.NaN : r.source
      hash[i] = r.hash
      json[i] = r.json
      wids[i] = w.wid
    } catch {
      // bad shapes, absurd nesting: the import thread reports them
    }
  }
  return { buf: m.buf, kind, ts, type, source, hash, json, wids }
}

// Messages queue up until the hash is ready; they are handled in order.
let ready = false
const queue: StageIn[] = []
void contentHashReady.then(() => {
  ready = true
  for (const m of queue.splice(0)) reply(m)
})

function reply(m: StageIn): void {
  const out = run(m)
  port!.postMessage(out, [out.buf, out.kind.buffer, out.ts.buffer, out.type.buffer, out.source.buffer, out.hash.buffer] as ArrayBuffer[])
}

port.on('message', (m: StageIn) => (ready ? reply(m) : queue.push(m)))
