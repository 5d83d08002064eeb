// Receives items from any reader (JSON, JSON lines, CSV), classifies them, and stages them in
// batches. Shape errors become an ImportError naming the place; droppable events are counted.
import { EventType } from '../../shared/rrweb'
import type { EventRecord, StagedSnapshot, StagingArea } from '../store/staging'
import { DirectBuilds } from './direct-build'
import { deeperThan, isStackOverflow, TOO_DEEP } from './depth'
import { ImportError } from './errors'
import type { RemoteStage } from './parallel'
import { isPosthogEventLike, readPosthogEvent } from './posthog-events'
import { BadEvent, describe, InflateBudget, isRrwebLike, normalizeRrweb, Skip } from './rrweb'
import { type BuildItem, type BuiltWindow, itemJson } from './window-builder'
import { WindowTable } from './window-table'

/** Session id placeholder for rrweb events that carry none (plain rrweb files). */
export const PENDING_SESSION = '\u0000pending'
const BATCH_ITEMS = 500
const BATCH_BYTES = 16 * 2 ** 20

export type ItemKind = 'rrweb' | 'rrweb-packed' | 'posthog-event' | 'window-tuple' | 'window-batch'

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export class Collector {
  private snaps: StagedSnapshot[] = []
  private events: EventRecord[] = []
  private bytes = 0
  private seq = 0
  readonly skipped = new Map<string, number>()
  firstKind: ItemKind | null = null
  /** Hash of the earliest rrweb event (ties: file order): names a session the file does not, when it has no full snapshot. */
  firstRrwebHash: bigint | null = null
  private earliestTs = Number.POSITIVE_INFINITY
  /**
   * Hash of the earliest full snapshot (ties: file order). A file without ids is named after its
   * content: the first Meta of two different recordings of one page can be identical to the
   * millisecond, their first DOM hardly ever is, and two saves of one recording share it.
   */
  firstSnapshotHash: bigint | null = null
  private earliestSnapshotTs = Number.POSITIVE_INFINITY
  rrwebEvents = 0
  /** rrweb events staged under PENDING_SESSION, waiting for their session id. */
  pending = 0
  /** rrweb events that came earlier in time than the one before them in their window (sorted later). */
  outOfOrder = 0
  /** Per window of the file: the latest timestamp so far (to count events out of order). */
  private readonly windows = new WindowTable<{ sid: string | null; wid: string; lastTs: number }>()
  productEvents = 0
  /** An export's own session id (`data.id`) and person, when the file has them. */
  sessionId: string | null = null
  distinctId: string | null = null

  private readonly budget: InflateBudget
  /** Set: rrweb events are built into chunks as they arrive (see direct-build.ts), not staged. */
  private readonly direct: DirectBuilds | null

  constructor(
    readonly file: string,
    private readonly staging: StagingArea,
    private readonly signal: AbortSignal | undefined,
    /** Total bytes posthog-js `cv` fields and packed events may inflate to. */
    inflateBudget: number,
    direct = false,
  ) {
    this.budget = new InflateBudget(inflateBudget)
    this.direct = direct ? new DirectBuilds(staging) : null
  }

  /** Set: a worker thread parses, normalises and hashes the plain rrweb items (parallel.ts). */
  remote: RemoteStage | null = null

  /** A big file: chunks are compressed on a thread of their own (compressor.ts). */
  compressElsewhere(): void {
    this.direct?.compressElsewhere()
  }

  /** Direct mode: the built windows, the pending session named `pendingTo`. Null when staged. */
  async finishDirect(pendingTo: string): Promise<BuiltWindow[] | null> {
    return this.direct ? await this.direct.finish(pendingTo) : null
  }

  /** Background work is piling up: the reader should await drain() before reading on. */
  busy(): boolean {
    return this.remote?.busy() || this.busyBuilding()
  }

  /** Chunk compression is piling up. */
  busyBuilding(): boolean {
    return this.direct?.busy() ?? false
  }

  async drainBuilding(): Promise<void> {
    await this.direct?.drain()
  }

  get builtDirectly(): boolean {
    return this.direct !== null
  }

  /** Lets background work (chunk compression) catch up; readers await it between input chunks. */
  async drain(): Promise<void> {
    await this.remote?.take()
    await this.direct?.drain()
  }

  /** The import ended (failed, cancelled): late background results are dropped. */
  close(): void {
    this.remote?.close()
    this.direct?.close()
  }

  /** Classifies a free-standing item (array element, JSON line); `text`: its JSON when it may be kept as is (rrweb.ts canonicalText). */
  addItem(v: unknown, place: string, windowHint?: string, text?: string): ItemKind {
    try {
      return this.addClassified(v, place, windowHint, text)
    } catch (e) {
      // JSON.stringify of absurdly deep values overflows the stack: a property of the file.
      if (isStackOverflow(e)) throw new ImportError(this.file, place, deeperThan(v) ? TOO_DEEP : 'value nested too deeply to process')
      throw e
    }
  }

  private addClassified(v: unknown, place: string, windowHint?: string, text?: string): ItemKind {
    const kind = classify(v)
    if (!kind) {
      const problem = this.firstKind === null ? 'valid JSON, but not a recording or an events export' : 'not a recording event or a PostHog event'
      throw new ImportError(this.file, place, `${problem} (found ${shape(v)})`)
    }
    this.firstKind ??= kind
    switch (kind) {
      case 'rrweb':
      case 'rrweb-packed': {
        const o = v as Record<string, unknown>
        const wid = isObj(v) && o.windowId !== undefined && o.windowId !== null ? String(o.windowId) : (windowHint ?? '')
        this.addRrweb(null, wid, v, place, text)
        break
      }
      case 'posthog-event':
        this.addPosthog(v as Record<string, unknown>, place)
        break
      case 'window-tuple': {
        const [wid, ev] = v as [unknown, unknown]
        this.addRrweb(null, String(wid ?? ''), ev, place)
        break
      }
      case 'window-batch': {
        const o = v as Record<string, unknown>
        const wid = String(o.window_id ?? o.windowId ?? '')
        const data = o.data as unknown[]
        for (let i = 0; i < data.length; i++) this.addRrweb(null, wid, data[i], `${place}, data[${i}]`)
        break
      }
    }
    return kind
  }

  addPosthog(v: Record<string, unknown>, place: string): void {
    let item
    try {
      item = readPosthogEvent(v)
    } catch (e) {
      if (e instanceof BadEvent) throw new ImportError(this.file, place, e.message)
      throw e
    }
    if (item.kind === 'skip') return this.skip(item.reason)
    if (item.kind === 'product') {
      this.events.push(item.event)
      this.productEvents++
      this.bytes += item.event.properties.length
      return this.maybeFlush()
    }
    const { sessionId, windowId, items } = item.batch
    for (let i = 0; i < items.length; i++) this.addRrweb(sessionId, windowId, items[i], `${place}, $snapshot_data[${i}]`)
  }

  addRrweb(sessionId: string | null, windowId: string, raw: unknown, place: string, text?: string): void {
    let n
    try {
      n = normalizeRrweb(raw, this.budget, text)
    } catch (e) {
      if (e instanceof BadEvent) throw new ImportError(this.file, place, e.message)
      throw e
    }
    if (n instanceof Skip) return this.skip(n.reason)
    this.addEvent(sessionId, windowId, { ts: n.event.timestamp, type: n.event.type, source: n.source, hash: n.hash, json: n.json, event: n.event })
  }

  /**
   * A free-standing item the worker (parallel.ts) already normalised: a plain rrweb event or a
   * `[windowId, event]` tuple, as addItem would have added it.
   */
  addNormalized(kind: 'rrweb' | 'window-tuple', windowId: string, item: BuildItem): void {
    this.firstKind ??= kind
    this.addEvent(null, windowId, item)
  }

  /** `item.ts` is the event's timestamp as recorded (rounded here). */
  private addEvent(sessionId: string | null, windowId: string, item: BuildItem): void {
    const timestamp = item.ts
    if (timestamp < this.earliestTs) {
      this.earliestTs = timestamp
      this.firstRrwebHash = item.hash
    }
    if (item.type === EventType.FullSnapshot && timestamp < this.earliestSnapshotTs) {
      this.earliestSnapshotTs = timestamp
      this.firstSnapshotHash = item.hash
    }
    if (sessionId === null && this.sessionId === null) this.pending++
    const w = this.windows.get(sessionId, windowId, () => ({ sid: sessionId, wid: windowId, lastTs: -Infinity }))
    if (timestamp < w.lastTs) this.outOfOrder++
    else w.lastTs = timestamp
    item.ts = Math.round(timestamp)
    if (this.direct) {
      this.direct.push(sessionId ?? this.sessionId ?? PENDING_SESSION, windowId, item)
      this.rrwebEvents++
      return
    }
    const json = itemJson(item)
    this.snaps.push({ sid: sessionId ?? this.sessionId ?? PENDING_SESSION, wid: windowId, ts: item.ts, seq: this.seq++, type: item.type, source: item.source, hash: item.hash, json })
    this.rrwebEvents++
    this.bytes += json.length
    this.maybeFlush()
  }

  skip(reason: string, count = 1): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + count)
  }

  flush(): void {
    if (this.signal?.aborted) return
    const dups = this.staging.addBatch(this.snaps, this.events)
    if (dups) this.skip('duplicate product event (same uuid)', dups)
    this.snaps = []
    this.events = []
    this.bytes = 0
  }

  private maybeFlush(): void {
    if (this.snaps.length + this.events.length >= BATCH_ITEMS || this.bytes >= BATCH_BYTES) this.flush()
  }
}

function classify(v: unknown): ItemKind | null {
  if (typeof v === 'string') return 'rrweb-packed'
  if (Array.isArray(v)) return v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && (isObj(v[1]) || typeof v[1] === 'string') ? 'window-tuple' : null
  if (!isObj(v)) return null
  if (isPosthogEventLike(v)) return 'posthog-event'
  if (isRrwebLike(v)) return 'rrweb'
  if (('window_id' in v || 'windowId' in v) && Array.isArray(v.data)) return 'window-batch'
  return null
}

/** Describes a value's shape for an error message without quoting its content (it may be PII). */
export function shape(v: unknown): string {
  if (isObj(v)) {
    const keys = Object.keys(v)
    return `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`
  }
  return describe(v)
}
