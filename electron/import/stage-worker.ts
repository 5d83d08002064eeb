// Worker thread entry of the import's second stage (see parallel.ts): parses, normalises and
// hashes the plain rrweb events of a batch of element slices. Anything else (other kinds, packed
// or `cv`-compressed events, events to skip, errors) is left to the import thread: it handles
// those elements itself, in order, exactly as without this worker.
import { isAscii } from 'node:buffer'
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
  // The stored JSON of every event done, back to back: bytes, so the import thread makes no string of them.
  let out: Buffer = Buffer.allocUnsafeSlow(Math.max(1024, buf.length))
  let pos = 0
  const jsonEnd = new Float64Array(n)
  // Window ids once per batch, by index: the import thread then compares the same string objects.
  const wids: string[] = []
  const widOf = new Uint32Array(n)
  const w = { wid: '' }
  let from = 0
  // Mostly ASCII: then one latin1 decode of the whole batch and a slice per element (a cheap view)
  // instead of a UTF-8 decode per element.
  const used = n ? m.ends[n - 1]! : 0
  const whole = isAscii(buf.subarray(0, used)) ? buf.toString('latin1', 0, used) : null
  for (let i = 0; i < n; i++) {
    const start = from
    const to = m.ends[i]!
    const text = whole !== null ? whole.slice(start, to) : buf.toString('utf8', start, to)
    from = to
    jsonEnd[i] = pos
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
      // Kept as it was in the file: its bytes, not its text encoded again.
      if (r.json === text) pos += buf.copy(out, pos, start, to)
      else {
        if (pos + r.json.length * 3 > out.length) out = grow(out, pos + r.json.length * 3)
        pos += out.write(r.json, pos)
      }
      jsonEnd[i] = pos
      let k = wids.indexOf(w.wid)
      if (k < 0) k = wids.push(w.wid) - 1
      widOf[i] = k
    } catch {
      // bad shapes, absurd nesting: the import thread reports them
    }
  }
  return { buf: m.buf, kind, ts, type, source, hash, json: out.buffer as ArrayBuffer, jsonEnd, wids, widOf }
}

/** Rarely needed: written-again JSON is at most as long as the file's text, but escapes may differ. */
function grow(b: Buffer, need: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(need, b.length * 2))
  b.copy(bigger)
  return bigger
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
  port!.postMessage(out, [out.buf, out.json, out.jsonEnd.buffer, out.widOf.buffer, out.kind.buffer, out.ts.buffer, out.type.buffer, out.source.buffer, out.hash.buffer] as ArrayBuffer[])
}

port.on('message', (m: StageIn) => (ready ? reply(m) : queue.push(m)))
