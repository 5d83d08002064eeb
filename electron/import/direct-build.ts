// The fast path: rrweb events go straight from the reader into one WindowBuilder per window while
// the file streams, instead of being staged, indexed and read back in time order. Valid only when
// that gives the same result as the staged path: every window's events arrive in time order (up
// to a short reorder hold) and no event can be a clock outlier. Otherwise NeedsStaging, and the
// file is read again, staged.
import type { BuiltRows, StagingArea } from '../store/staging'
import { PENDING_SESSION } from './collect'
import { renameDerivedUuid } from './derive'
import { Compressor } from './compressor'
import { WindowTable } from './window-table'
import { type BuildItem, type BuildSink, type BuiltChunk, type BuiltWindow, gzipChunk, OUTLIER_MS, WindowBuilder } from './window-builder'

/** The file cannot take the fast path (events out of order, outliers possible): stage it. */
export class NeedsStaging extends Error {
  constructor(readonly why: string) {
    super(`needs staging: ${why}`)
  }
}

type HeldItem = BuildItem

interface Open {
  sid: string
  wid: string
  builder: WindowBuilder
  /** Timestamp of the last event built. */
  released: number
  /** Events not built yet, sorted (see REORDER_MS), from index `head` on. */
  held: HeldItem[]
  head: number
  minTs: number
  maxTs: number
  /** Hashes of the stored events (nHashes used). */
  hashes: BigInt64Array
  nHashes: number
}

/**
 * Events slightly out of order (PostHog batches overlap by a few seconds) are held this long and
 * built in (timestamp, file order), as the staged path sorts them; only older stragglers need it.
 */
const REORDER_MS = 10_000
const MAX_HELD = 5000

/** Into the hold (w.held from w.head on), kept sorted by timestamp; equal timestamps stay in file order. */
function hold(w: Open, item: HeldItem): void {
  const h = w.held
  let i = h.length
  while (i > w.head && h[i - 1]!.ts > item.ts) i--
  if (i === h.length) h.push(item)
  else h.splice(i, 0, item)
}

/** Builds the oldest held event. A head index, not shift(): shift copies a long array each time. */
function release(w: Open): void {
  const item = w.held[w.head]!
  w.held[w.head++] = undefined as unknown as HeldItem
  if (w.head === w.held.length) {
    w.held.length = 0
    w.head = 0
  } else if (w.head >= 1024 && w.head * 2 >= w.held.length) {
    w.held = w.held.slice(w.head)
    w.head = 0
  }
  w.released = item.ts
  w.builder.push(item)
}

const heldCount = (w: Open) => w.held.length - w.head

function keep(w: Open, hashes: bigint[]): void {
  if (w.nHashes + hashes.length > w.hashes.length) {
    const grown = new BigInt64Array(Math.max(w.hashes.length * 2, w.nHashes + hashes.length))
    grown.set(w.hashes.subarray(0, w.nHashes))
    w.hashes = grown
  }
  w.hashes.set(hashes, w.nHashes)
  w.nHashes += hashes.length
}

/** Hashes per staging statement (json_each text of ~1 MB). */
const KEY_BATCH = 50_000

/** Chunks being compressed at once: enough to keep the thread pool busy, few enough to bound memory. */
const MAX_COMPRESSING = 16
const MAX_COMPRESSING_BYTES = 8 * 2 ** 20
const WRITE_BATCH_BYTES = 4 * 2 ** 20

export class DirectBuilds {
  private readonly open = new WindowTable<Open>()
  private compressing = new Set<Promise<void>>()
  private failed: Error | null = null
  /** Bytes of the chunks being compressed (they are held until done). */
  private pendingBytes = 0

  /** Set (big files): chunks are gzipped on a thread of their own, else right here. */
  private compressor: Compressor | null = null

  constructor(private readonly staging: StagingArea) {}

  /** From now on chunks are compressed on another thread while the reader goes on. */
  compressElsewhere(): void {
    this.compressor ??= new Compressor()
  }

  /** The chunk is staged when its compression is done. */
  private compress(sid: string, wid: string, c: Omit<BuiltChunk, 'data'>, raw: Buffer): void {
    if (!this.compressor) {
      const data = gzipChunk(raw)
      this.writes.chunks.push({ sid, wid, chunk: { ...c, data } })
      return this.wrote(data.length)
    }
    const size = raw.length
    this.pendingBytes += size
    const p: Promise<void> = this.compressor!.gzip(raw).then(
      (data) => {
        this.compressing.delete(p)
        this.pendingBytes -= size
        // After a failure or cancel the staging area may be gone: nothing to add to.
        if (this.failed || this.closed) return
        try {
          this.writes.chunks.push({ sid, wid, chunk: { ...c, data } })
          this.wrote(data.length)
        } catch (e) {
          this.failed = e as Error
        }
      },
      (e: Error) => {
        this.compressing.delete(p)
        this.pendingBytes -= size
        this.failed ??= e
      },
    )
    this.compressing.add(p)
  }

  private closed = false
  /** Built rows waiting to be staged: written in one transaction per few MB, not one per chunk. */
  private writes: BuiltRows = { chunks: [], derived: [] }
  private writesBytes = 0

  private wrote(bytes: number): void {
    this.writesBytes += bytes
    if (this.writesBytes >= WRITE_BATCH_BYTES) this.flushWrites()
  }

  private flushWrites(): void {
    const w = this.writes
    this.writes = { chunks: [], derived: [] }
    this.writesBytes = 0
    this.staging.addBuilt(w)
  }

  busy(): boolean {
    return this.compressing.size > MAX_COMPRESSING || this.pendingBytes > MAX_COMPRESSING_BYTES || this.failed !== null
  }

  /** Waits while too many chunks are being compressed (the reader calls this between input chunks). */
  async drain(max = MAX_COMPRESSING): Promise<void> {
    this.compressor?.flush()
    while (this.compressing.size > max || (this.compressing.size > 0 && this.pendingBytes > MAX_COMPRESSING_BYTES)) await Promise.race(this.compressing)
    if (this.failed) throw this.failed
  }

  /** Stops staging compressed chunks that finish later (the import failed or was cancelled). */
  close(): void {
    this.closed = true
    this.compressor?.close()
  }

  /** A window's builder and hold, made at its first event. */
  private window(sid: string, wid: string, first: HeldItem): Open {
    const sink: BuildSink = {
      chunk: (chunk) => {
        this.writes.chunks.push({ sid, wid, chunk })
        this.wrote(chunk.data.length)
      },
      chunkRaw: (c, raw) => this.compress(sid, wid, c, raw),
      alloc: (size) => (this.compressor ? this.compressor.buffer(size) : Buffer.allocUnsafe(size)),
      // Kept (8 bytes each) and staged sorted at the end: see finish().
      hashes: (hashes) => keep(opened, hashes),
      derived: (e) => {
        for (const x of e) this.writes.derived.push(x)
        this.wrote(e.length * 256)
      },
    }
    // No median yet: outliers are ruled out at the end instead (see finish).
    const opened: Open = { sid, wid, builder: new WindowBuilder(sid, wid, null, sink), released: -Infinity, held: [], head: 0, minTs: first.ts, maxTs: first.ts, hashes: new BigInt64Array(1024), nHashes: 0 }
    return opened
  }

  push(sid: string, wid: string, item: HeldItem): void {
    const w = this.open.get(sid, wid, () => this.window(sid, wid, item))
    // Older than an event already built: only the staged path's sort can place it.
    if (item.ts < w.released) throw new NeedsStaging('events out of time order')
    if (item.ts < w.minTs) w.minTs = item.ts
    if (item.ts > w.maxTs) w.maxTs = item.ts
    if (w.maxTs - w.minTs > OUTLIER_MS) throw new NeedsStaging('a window spans more than a day (clock outliers possible)')
    hold(w, item)
    // Build what no later event can precede any more (or what the hold cannot keep).
    const until = w.maxTs - REORDER_MS
    while (heldCount(w) > 0 && (w.held[w.head]!.ts < until || heldCount(w) > MAX_HELD)) release(w)
  }

  /**
   * Finishes every window, names the pending session (plain rrweb files) and returns the windows
   * in the order the staged path builds them: by session, then first event.
   */
  async finish(pendingTo: string): Promise<BuiltWindow[]> {
    const named = new Set([...this.open.values()].filter((w) => w.sid !== PENDING_SESSION).map((w) => `${w.sid}\u0000${w.wid}`))
    for (const w of this.open.values()) {
      // Staged, the pending events would have joined this window: sorted together, not apart.
      if (w.sid === PENDING_SESSION && pendingTo !== PENDING_SESSION && named.has(`${pendingTo}\u0000${w.wid}`)) throw new NeedsStaging('a window is split between a pending and a named session')
    }
    const out: { w: Open; built: BuiltWindow }[] = []
    for (const w of this.open.values()) {
      while (heldCount(w) > 0) release(w)
      out.push({ w, built: w.builder.finish() })
    }
    await this.drain(0)
    this.compressor?.close()
    this.flushWrites()
    if (pendingTo !== PENDING_SESSION && out.some((o) => o.w.sid === PENDING_SESSION)) {
      this.staging.renameBuilt(PENDING_SESSION, pendingTo, (u) => renameDerivedUuid(u, PENDING_SESSION, pendingTo))
      for (const o of out) if (o.w.sid === PENDING_SESSION) o.built.sessionId = pendingTo
    }
    // Sorted, the commit inserts them into the stored (hash, window) key in order: random order
    // costs a page miss per hash once the key outgrows the cache (5 s of a 500 MB import).
    for (const o of out) {
      const sorted = o.w.hashes.subarray(0, o.w.nHashes).sort()
      for (let i = 0; i < sorted.length; i += KEY_BATCH) this.staging.addKeys(o.built.sessionId, o.w.wid, sorted.subarray(i, i + KEY_BATCH))
      o.w.hashes = new BigInt64Array(0)
    }
    const bytes = new Map<string, Buffer>()
    const b = (s: string) => bytes.get(s) ?? (bytes.set(s, Buffer.from(s)), bytes.get(s)!)
    // SQLite's BINARY collation: UTF-8 bytes, not UTF-16 code units.
    out.sort((x, y) => Buffer.compare(b(x.built.sessionId), b(y.built.sessionId)) || x.w.minTs - y.w.minTs || Buffer.compare(b(x.w.wid), b(y.w.wid)))
    return out.map((o) => o.built)
  }
}
