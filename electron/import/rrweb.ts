// One rrweb event as it will be stored: validated, posthog-js `cv` fields decoded, @rrweb/packer
// strings unpacked, player-only keys dropped, and a content hash for dedupe across exports.
import { EventType, IncrementalSource } from '../../shared/rrweb'
import { hash } from 'node:crypto'
import zlib from 'node:zlib'
import xxhash from 'xxhash-wasm'
import { isMobileSnapshot } from '../../shared/mobile'
import { MAX_TIME_MS, OUT_OF_RANGE } from './timestamps'

/** Caps what a single compressed field may inflate to (a zip bomb hidden in one event). */
const MAX_FIELD_BYTES = 256 * 2 ** 20

/** What all compressed fields of one file may inflate to together (zip bombs in many events). */
export class InflateBudget {
  constructor(public left: number) {}

  inflate(fn: (b: Buffer, o: zlib.ZlibOptions) => Buffer, input: Buffer): Buffer {
    const cap = Math.max(1, Math.min(MAX_FIELD_BYTES, this.left))
    let out: Buffer
    try {
      out = fn(input, { maxOutputLength: cap })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        throw new BadEvent(`compressed event data decompresses to more than ${cap} bytes; refusing (zip bomb?)`)
      }
      throw e
    }
    this.left -= out.length
    return out
  }
}

const UNLIMITED = () => new InflateBudget(Number.MAX_SAFE_INTEGER)

export interface RrwebEvent {
  type: number
  timestamp: number
  data: unknown
  [k: string]: unknown
}

export interface Normalized {
  event: RrwebEvent
  json: string
  hash: bigint
  source: number | null
}

/** Why an event was dropped (kept out of the store but counted in `skipped`). */
export class Skip {
  constructor(readonly reason: string) {}
}

/** A value is not an rrweb event at all: the file is wrong, not just one event. */
export class BadEvent extends Error {}

// Keys the PostHog player adds to exported events; not part of the recording.
const PLAYER_KEYS = new Set(['windowId', 'seq', 'delay', 'cv', 'v'])

export function isRrwebLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'type' in v && 'timestamp' in v
}

/** Unpacks an @rrweb/packer string: plain JSON first, else zlib(latin1) as `unpack` does. */
export function unpackString(s: string, budget: InflateBudget = UNLIMITED()): unknown {
  const t = s.trimStart()
  if (t.startsWith('{')) {
    try {
      return JSON.parse(s)
    } catch {
      /* fall through to zlib */
    }
  }
  let out: Buffer
  try {
    out = budget.inflate(zlib.inflateSync, Buffer.from(s, 'latin1'))
  } catch (e) {
    if (e instanceof BadEvent) throw e
    throw new BadEvent('string is neither JSON nor an @rrweb/packer event (zlib data)')
  }
  let ev: unknown
  try {
    ev = JSON.parse(out.toString('utf8'))
  } catch {
    throw new BadEvent('packed event does not contain JSON')
  }
  if (typeof ev === 'object' && ev !== null && (ev as { v?: unknown }).v !== 'v1') {
    throw new BadEvent(`packed event has unknown packer version ${JSON.stringify((ev as { v?: unknown }).v)}`)
  }
  return ev
}

const gunzipField = (s: unknown, budget: InflateBudget): unknown => {
  if (typeof s !== 'string') return s
  return JSON.parse(budget.inflate(zlib.gunzipSync, Buffer.from(s, 'latin1')).toString('utf8'))
}

/** posthog-js `cv: '2024-10'`: gzip(latin1) strings in FullSnapshot data and some incrementals. */
function decodeCv(ev: Record<string, unknown>, budget: InflateBudget): Skip | null {
  if (!('cv' in ev)) return null
  if (ev.cv !== '2024-10') return new Skip(`unknown posthog compression version ${String(ev.cv).slice(0, 20)}`)
  try {
    if (ev.type === EventType.FullSnapshot && typeof ev.data === 'string') ev.data = gunzipField(ev.data, budget)
    else if (ev.type === EventType.IncrementalSnapshot && isObj(ev.data)) {
      const d = ev.data as Record<string, unknown>
      const keys = d.source === IncrementalSource.Mutation ? ['adds', 'removes', 'texts', 'attributes'] : d.source === IncrementalSource.StyleSheetRule ? ['adds', 'removes'] : []
      for (const k of keys) if (k in d) d[k] = gunzipField(d[k], budget)
    }
  } catch (e) {
    if (e instanceof BadEvent) throw e
    return new Skip('compressed event could not be decoded')
  }
  return null
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Validates and normalises one event. Throws BadEvent for wrong shapes (the file is broken),
 * returns Skip for events PostHog itself would drop (undecodable), else the stored form.
 */
export function normalizeRrweb(raw: unknown, budget: InflateBudget = UNLIMITED(), text?: string): Normalized | Skip {
  let v = raw
  if (typeof v === 'string') v = unpackString(v, budget)
  if (!isObj(v)) throw new BadEvent(`expected an rrweb event object, got ${describe(v)}`)
  // Only cv decoding rewrites fields: copy just then (a copy per event is measurable).
  const ev = 'cv' in v ? { ...v } : v
  if (typeof ev.type !== 'number' || !Number.isInteger(ev.type) || ev.type < 0) {
    throw new BadEvent(`rrweb event "type" must be a non-negative integer, got ${describe(ev.type)}`)
  }
  if (typeof ev.timestamp !== 'number' || !Number.isFinite(ev.timestamp)) {
    throw new BadEvent(`rrweb event "timestamp" must be a number (epoch ms), got ${describe(ev.timestamp)}`)
  }
  if (ev.timestamp <= 0) return new Skip('timestamp not positive')
  if (ev.timestamp > MAX_TIME_MS) return new Skip(OUT_OF_RANGE)
  const skip = decodeCv(ev, budget)
  if (skip) return skip
  if (ev.type === EventType.FullSnapshot && !(isObj(ev.data) && isObj(ev.data.node)) && !isMobileSnapshot(ev)) return new Skip('full snapshot without a DOM tree')
  if (ev.type === EventType.IncrementalSnapshot) {
    if (!isObj(ev.data)) throw new BadEvent(`incremental snapshot "data" must be an object, got ${describe(ev.data)}`)
    const d = ev.data
    if (d.source === IncrementalSource.Mutation && (typeof d.adds === 'string' || typeof d.removes === 'string' || typeof d.texts === 'string' || typeof d.attributes === 'string')) {
      return new Skip('compressed event could not be decoded')
    }
  }
  // PostHog mobile events (`data.wireframes`) are stored as received; the web player cannot show them (shared/mobile.ts).
  const kept = text !== undefined && v === raw && ev === v ? canonicalText(ev, text) : null
  if (kept !== null) return { event: ev as RrwebEvent, json: kept, hash: contentHash(kept), source: sourceOf(ev) }
  // Canonical form: type, data, timestamp first; other keys sorted; player keys gone.
  const out: RrwebEvent = { type: ev.type, data: ev.data, timestamp: ev.timestamp }
  let extra: string[] | null = null
  for (const k of Object.keys(ev)) {
    if (k === 'type' || k === 'data' || k === 'timestamp' || PLAYER_KEYS.has(k)) continue
    ;(extra ??= []).push(k)
  }
  if (extra) for (const k of extra.sort()) out[k] = ev[k]
  const json = JSON.stringify(out)
  return { event: out, json, hash: contentHash(json), source: sourceOf(ev) }
}

const CANONICAL = ['type', 'data', 'timestamp']

const sourceOf = (ev: Record<string, unknown>): number | null => (ev.type === EventType.IncrementalSnapshot && isObj(ev.data) && typeof ev.data.source === 'number' ? ev.data.source : null)

/**
 * The stored form without writing the event again: `text` is the event's own JSON, compact and
 * free of what JSON.stringify would write differently (json-splitter.ts checks that on the bytes).
 * When its keys are exactly type, data, timestamp (as rrweb writes them), plus at most a player
 * `windowId` first or last (as exports add it), the canonical form is that text, less the
 * windowId. Else null: the caller stringifies. Saves a JSON.stringify per event (~40% of the
 * work of the import's second thread).
 */
export function canonicalText(ev: Record<string, unknown>, text: string): string | null {
  let n = 0
  let next = 0
  let windowAt = -1
  for (const k in ev) {
    if (k === CANONICAL[next]) next++
    else if (k === 'windowId' && windowAt < 0) windowAt = n
    else return null
    n++
  }
  if (next !== 3 || windowAt === 1 || windowAt === 2) return null
  if (windowAt < 0) return text
  const w = ev.windowId
  if (typeof w !== 'string' && typeof w !== 'number') return null
  const pair = `"windowId":${JSON.stringify(w)}`
  if (windowAt === 0) return text.startsWith(`{${pair},`) ? `{${text.slice(pair.length + 2)}` : null
  return text.endsWith(`,${pair}}`) ? `${text.slice(0, text.length - pair.length - 2)}}` : null
}

/** 64 bits of sha1: for the few ids that must stay stable across versions (uuid-less product events). */
export function hash64(s: string): bigint {
  // One-shot: no Hash object per event (about twice as fast; same sha1).
  return hash('sha1', s, 'buffer').readBigInt64BE(0)
}

let h64: ((s: string) => bigint) | null = null
/** Resolves once contentHash can be called (its WebAssembly compiles asynchronously, once per thread). */
export const contentHashReady: Promise<void> = xxhash().then((x) => {
  h64 = x.h64
})

/**
 * An rrweb event's identity (dedupe on merge, window matching): xxHash64 of its stored JSON, as
 * a signed int64 for SQLite. ~10× faster than sha1 on events of a few hundred bytes, where
 * per-call overhead dominates; collisions are not an attack surface here (one user's own files).
 */
export function contentHash(json: string): bigint {
  if (!h64) throw new Error('contentHash used before contentHashReady resolved')
  return BigInt.asIntN(64, h64(json))
}

export function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  // Never quote content: error messages end up in logs, and strings can be personal data.
  if (typeof v === 'string') return `a string of ${v.length} characters`
  if (typeof v === 'object') return 'an object'
  return `${typeof v} ${String(v)}`
}
