// Turns one window's time-sorted rrweb events into what the store keeps: compressed chunks of
// ~10 s (a new chunk at every Meta, so a full snapshot always opens its chunk), the hashes of the
// stored events, activity spans, and the events derived from the stream.
import { compressChunk } from '../store/chunk-codec'
import { EventType, IncrementalSource } from '../../shared/rrweb'
import type { StagedChunk } from '../store/staging'
import type { EventRecord } from '../store/staging'
import { Deriver, needsParse } from './derive'
import { isMobileSnapshot } from '../../shared/mobile'
import { isReaction } from '../sessions/reactions'
import type { RrwebEvent } from './rrweb'

export const CHUNK_MS = 10_000
const CHUNK_EVENTS = 1000
const CHUNK_BYTES = 8 * 2 ** 20
/** PostHog's player: a gap longer than this between activity events is idle time. */
export const ACTIVITY_GAP_MS = 5000
/** Events this far from the window's median timestamp are clock glitches, not the session. */
export const OUTLIER_MS = 24 * 3600_000
// FullSnapshot, Meta, and incremental MouseMove, MouseInteraction, Scroll, ViewportResize, Input,
// TouchMove, MediaInteraction, Drag: what PostHog's player counts as activity.
const S = IncrementalSource
const ACTIVE_SOURCES = new Set<number>([S.MouseMove, S.MouseInteraction, S.Scroll, S.ViewportResize, S.Input, S.TouchMove, S.MediaInteraction, S.Drag])
/**
 * Which event hashes are stored as keys (how a later import recognises this window): the first
 * KEY_HEAD events, and every event whose hash ends in KEY_EVERY_BITS zero bits. The second rule
 * depends on content only, so any export overlapping this one by a few hundred events shares
 * keys with it wherever the overlap lies, at 1/64 of the rows of keeping every hash.
 */
export const KEY_HEAD = 64
export const KEY_EVERY_BITS = 6
/** Whether the `index`-th stored event of a window (from 0) is one of its keys. */
export const isKey = (index: number, hash: bigint): boolean => index < KEY_HEAD || BigInt.asUintN(KEY_EVERY_BITS, hash) === 0n
/** Keys an incoming window is matched by: its head, then an even spread of the rest. */
const SAMPLE_MAX = 256

export interface BuildItem {
  ts: number
  type: number
  source: number | null
  hash: bigint
  /** The event's stored JSON; null: it is `buf[at, end)` (UTF-8, from the import's second thread). */
  json: string | null
  buf?: Buffer
  at?: number
  end?: number
  /** The event `json` was made from, when the caller still has it: saves parsing it again. */
  event?: RrwebEvent
}

/** The stored JSON of an item as text. */
export const itemJson = (item: BuildItem): string => item.json ?? item.buf!.toString('utf8', item.at, item.end)

/** A finished chunk: the shape the staging tables take. */
export type BuiltChunk = StagedChunk

/** Where finished chunks and event hashes go: the staging tables, or memory when merging. */
export interface BuildSink {
  chunk(c: BuiltChunk): void
  /** Instead of chunk(): the sink compresses the JSON array itself (gzipChunkAsync, off the main thread). */
  chunkRaw?(c: Omit<BuiltChunk, 'data'>, raw: Buffer): void
  /** Where chunkRaw's buffers come from (default: Buffer.allocUnsafe). */
  alloc?(size: number): Buffer
  hashes(h: bigint[]): void
  derived(e: EventRecord[]): void
}

export class MemorySink implements BuildSink {
  readonly chunks: BuiltChunk[] = []
  readonly all: bigint[] = []
  readonly events: EventRecord[] = []
  derived(e: EventRecord[]): void {
    for (const x of e) this.events.push(x)
  }
  chunk(c: BuiltChunk): void {
    this.chunks.push(c)
  }
  hashes(h: bigint[]): void {
    for (const x of h) this.all.push(x)
  }
}

export interface BuiltWindow {
  sessionId: string
  windowId: string
  /** Some of its key hashes (see KEY_HEAD): how a stored copy of this window is recognised. */
  sampleHashes: bigint[]
  /** rrweb events stored (synthetic Metas not counted). */
  stored: number
  fullSnapshots: number
  /** Incremental events before the window's first full snapshot: stored, but not replayable. */
  unplayable: number
  /** A PostHog mobile recording (shared/mobile.ts): stored, but the web player cannot show it. */
  mobile: boolean
  firstMs: number | null
  lastMs: number | null
  firstUrl: string | null
  errors: number
  skipped: Map<string, number>
}

export class WindowBuilder {
  private chunkCount = 0
  private cur: { items: BuildItem[]; start: number; end: number; bytes: number; hasFs: boolean; activity: [number, number][]; reactions: number[] } | null = null
  // Duplicates share their timestamp (it is part of the hash) and events arrive sorted, so only
  // the hashes of the current millisecond need remembering: memory stays flat. A few per
  // millisecond, mostly: an array beats a Set of BigInts (which takes over past a few dozen).
  private seenTs = Number.NaN
  private seen: bigint[] = []
  private seenSet: Set<bigint> | null = null
  private hashBatch: bigint[] = []
  /** Every key hash kept (see KEY_HEAD): the sample is drawn from them at the end. */
  private keys: bigint[] = []
  private deriver: Deriver
  private lastFsSeq: number | null = null
  private lastFsMs: number | null = null
  private metaSinceFs = false
  private lastMeta: { href: unknown; width: unknown; height: unknown } | null = null
  private stored = 0
  private fullSnapshots = 0
  private unplayable = 0
  private mobile = false
  private firstMs: number | null = null
  private lastMs: number | null = null
  private firstUrl: string | null = null
  private skipped = new Map<string, number>()

  constructor(
    private readonly sessionId: string,
    private readonly windowId: string,
    /** null: the caller has ruled out clock outliers. */
    private readonly medianTs: number | null,
    private readonly sink: BuildSink,
  ) {
    this.deriver = new Deriver(sessionId, windowId)
  }

  push(item: BuildItem): void {
    if (this.medianTs !== null && Math.abs(item.ts - this.medianTs) > OUTLIER_MS) return this.skip('timestamp far outside the recording (clock glitch)')
    if (item.ts !== this.seenTs) {
      this.seenTs = item.ts
      this.seen.length = 0
      this.seenSet = null
    } else if (this.seenSet ? this.seenSet.has(item.hash) : this.seen.includes(item.hash)) return this.skip('duplicate event')
    // Parsed at most once, and only when needed (no closure per event: this runs millions of times).
    let parsed: RrwebEvent | null = item.event ?? null
    if (item.type === EventType.Meta) {
      parsed ??= JSON.parse(itemJson(item)) as RrwebEvent
      const d = (parsed.data ?? {}) as Record<string, unknown>
      this.lastMeta = { href: d.href, width: d.width, height: d.height }
      this.metaSinceFs = true
      if (this.firstUrl === null && typeof d.href === 'string') this.firstUrl = d.href
    }
    if (item.type === EventType.FullSnapshot && !this.metaSinceFs) this.addSyntheticMeta(item.ts)
    if (item.type === EventType.Meta || this.needsNewChunk(item)) this.closeChunk()
    if (item.type === EventType.FullSnapshot) {
      parsed ??= JSON.parse(itemJson(item)) as RrwebEvent
      if (isMobileSnapshot(parsed)) this.mobile = true
      this.fullSnapshots++
      this.lastFsSeq = this.chunkCount
      this.lastFsMs = item.ts
      this.metaSinceFs = false
    } else if (item.type === EventType.IncrementalSnapshot && this.lastFsSeq === null) this.unplayable++
    if (this.seenSet) this.seenSet.add(item.hash)
    else if (this.seen.push(item.hash) > 32) this.seenSet = new Set(this.seen)
    if (isKey(this.stored, item.hash)) {
      this.hashBatch.push(item.hash)
      this.keys.push(item.hash)
      if (this.hashBatch.length >= 5000) this.flushHashes()
    }
    this.append(item, item.type === EventType.FullSnapshot || item.type === EventType.Meta || (item.type === EventType.IncrementalSnapshot && ACTIVE_SOURCES.has(item.source ?? -1)))
    this.stored++
    if (needsParse(item.type, item.source)) this.deriver.push(parsed ?? (JSON.parse(itemJson(item)) as RrwebEvent), item.hash)
  }

  finish(): BuiltWindow {
    this.closeChunk()
    this.flushHashes()
    const last = this.deriver.drain(true)
    if (last.length) this.sink.derived(last)
    return {
      sessionId: this.sessionId,
      windowId: this.windowId,
      sampleHashes: spread(this.keys, KEY_HEAD, SAMPLE_MAX),
      stored: this.stored,
      fullSnapshots: this.fullSnapshots,
      unplayable: this.mobile ? this.stored : this.unplayable,
      mobile: this.mobile,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      firstUrl: this.firstUrl,
      errors: this.deriver.errors,
      skipped: this.skipped,
    }
  }

  /** posthog-js sometimes sends a FullSnapshot without its Meta; the replayer needs one. */
  private addSyntheticMeta(ts: number): void {
    const m = this.lastMeta
    const data = {
      href: typeof m?.href === 'string' ? m.href : 'unknown',
      width: typeof m?.width === 'number' ? m.width : 1280,
      height: typeof m?.height === 'number' ? m.height : 800,
    }
    this.closeChunk()
    this.append({ ts, type: EventType.Meta, source: null, hash: 0n, json: JSON.stringify({ type: EventType.Meta, data, timestamp: ts, synthetic: true }) }, true)
  }

  private needsNewChunk(item: BuildItem): boolean {
    const c = this.cur
    if (!c) return false
    return item.ts - c.start >= CHUNK_MS || c.items.length >= CHUNK_EVENTS || c.bytes >= CHUNK_BYTES
  }

  private append(item: BuildItem, active: boolean): void {
    this.cur ??= { items: [], start: item.ts, end: item.ts, bytes: 2, hasFs: false, activity: [], reactions: [] }
    const c = this.cur
    c.items.push(item)
    c.end = Math.max(c.end, item.ts)
    c.bytes += (item.json === null ? item.end! - item.at! : item.json.length) + 1
    if (item.type === EventType.FullSnapshot) c.hasFs = true
    if (isReaction(item.type, item.source)) c.reactions.push(item.ts - c.start)
    if (active) {
      const last = c.activity.at(-1)
      if (last && item.ts - last[1] <= ACTIVITY_GAP_MS) last[1] = Math.max(last[1], item.ts)
      else c.activity.push([item.ts, item.ts])
    }
    this.firstMs = this.firstMs === null ? item.ts : Math.min(this.firstMs, item.ts)
    this.lastMs = this.lastMs === null ? item.ts : Math.max(this.lastMs, item.ts)
  }

  private closeChunk(): void {
    const c = this.cur
    if (!c) return
    this.cur = null
    const done = this.deriver.drain()
    if (done.length) this.sink.derived(done)
    const seq = this.chunkCount++
    const raw = jsonArray(c.items, this.sink.alloc)
    const chunk = {
      seq,
      start_ms: c.start,
      end_ms: c.end,
      events: c.items.length,
      has_full_snapshot: c.hasFs,
      full_snapshot_seq: c.hasFs ? seq : this.lastFsSeq,
      full_snapshot_ms: c.hasFs ? this.lastFsMs : this.lastFsMs,
      activity: c.activity,
      reactions: c.reactions,
      raw_bytes: raw.length,
    }
    if (this.sink.chunkRaw) this.sink.chunkRaw(chunk, raw)
    else this.sink.chunk({ ...chunk, data: gzipChunk(raw) })
  }

  private flushHashes(): void {
    if (this.hashBatch.length) this.sink.hashes(this.hashBatch)
    this.hashBatch = []
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1)
  }
}


/** `[e1,e2,…]` as UTF-8, from string and byte items alike (no string of the whole chunk is made). */
function jsonArray(items: BuildItem[], alloc: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  let size = 1 + items.length
  for (const it of items) size += it.json === null ? it.end! - it.at! : Buffer.byteLength(it.json)
  const out = alloc(size)
  let pos = 0
  out[pos++] = 0x5b
  for (let i = 0; i < items.length; i++) {
    if (i) out[pos++] = 0x2c
    const it = items[i]!
    pos += it.json === null ? it.buf!.copy(out, pos, it.at, it.end) : out.write(it.json, pos)
  }
  out[pos++] = 0x5d
  return out
}

/** A chunk's stored form (store/chunk-codec.ts). */
export const gzipChunk = compressChunk


/** The first `head` items, then up to `max - head` more spread evenly over the rest. */
export function spread<T>(items: T[], head: number, max: number): T[] {
  if (items.length <= max) return items.slice()
  const out = items.slice(0, head)
  const step = (items.length - head) / (max - head)
  for (let i = 0; i < max - head; i++) out.push(items[head + Math.floor(i * step)]!)
  return out
}

/** Median timestamp of a list (for outlier detection when the events are in memory). */
export function median(ts: number[]): number {
  if (ts.length === 0) return 0
  const s = [...ts].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}
