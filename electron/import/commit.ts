// The one transaction per source file: everything staged and built lands together, or nothing.
// A window already stored (same id, or recognised by shared event hashes) is merged: its events
// and the new ones are deduplicated, re-sorted and re-chunked, its derived events recomputed.
import type { Store } from '../store'
import type { StagingArea } from '../store/staging'
import { activeMs } from './activity'
import { ImportError } from './errors'
import { normalizeRrweb, Skip } from './rrweb'
import { decodeChunk } from '../store/chunk-codec'
import { type BuiltWindow, isKey, median, MemorySink, WindowBuilder } from './window-builder'

export interface CommitInput {
  file: string
  sha256: string
  format: string
  bytes: number
  gzip: boolean
  /** How the file was snappy-compressed (PostHog blob storage), if it was. */
  snappy?: string | null
  staging: StagingArea
  windows: BuiltWindow[]
  distinctId: string | null
  skipped: Map<string, number>
  /** Events found out of time order in the file (kept, sorted): for the source's stats. */
  outOfOrder?: number
}

export interface CommitOutcome {
  sourceId: number
  sessions: number
  events: number
  snapshotEvents: number
  derivedEvents: number
  /** Sessions this file added to or changed. */
  sessionIds: string[]
}

const NUMERIC = /^\d+$/

/** Returns null when the file is already imported (checked inside the transaction: a concurrent
 * import of the same file cannot slip in between). */
export function commit(store: Store, input: CommitInput): CommitOutcome | null {
  return store.transaction(() => {
    if (store.sources.bySha(input.sha256)) return null
    const sourceId = store.sources.insert({
      file: input.file,
      sha256: input.sha256,
      format: input.format,
      bytes: input.bytes,
      imported_ms: Date.now(),
      stats: '{}',
    })
    const eventTable = `${input.staging.name}_event`
    const touched = new Set<string>()
    let snapshotEvents = 0
    let derivedEvents = 0
    for (const w of input.windows) {
      touched.add(w.sessionId)
      const { key, windowId } = resolveWindow(store, w, eventTable)
      if (store.chunks.hasChunks(key)) {
        store.events.dropStagedDerived(eventTable, w.sessionId, windowId)
        store.events.dropStagedDerived(eventTable, w.sessionId, w.windowId)
        const r = mergeWindow(store, input, w, key, windowId, sourceId)
        snapshotEvents += r.added
        derivedEvents += r.derived
      } else {
        requireFullSnapshot(input.file, w.windowId, w)
        store.chunks.copyStaged(input.staging.name, w.sessionId, w.windowId, key, sourceId)
        store.chunks.updateWindow(key, { first_ms: w.firstMs, last_ms: w.lastMs, first_url: w.firstUrl, snapshot_events: w.stored, unplayable: w.unplayable })
        snapshotEvents += w.stored
      }
    }
    for (const { session_id, window_id } of store.events.stagedWindows(eventTable)) store.chunks.ensureWindow(session_id, window_id)
    derivedEvents += store.events.insertFromStaging(eventTable, 'rrweb', sourceId)
    const events = store.events.insertFromStaging(eventTable, 'product', sourceId)
    const staged = store.events.stagedCount(eventTable, 'product')
    if (staged > events) input.skipped.set('product event already imported (same uuid)', staged - events)
    const distinct = new Map<string, string | null>()
    for (const s of store.events.stagedSessions(eventTable)) {
      touched.add(s.session_id)
      distinct.set(s.session_id, s.distinct_id)
    }
    for (const sid of touched) {
      store.rollup.recompute(sid, {
        sourceId,
        distinctId: distinct.get(sid) ?? input.distinctId,
        activeMs: activeMs(store.chunks.activity(sid)),
      })
    }
    store.sources.setStats(sourceId, JSON.stringify({ gzip: input.gzip, ...(input.snappy ? { snappy: input.snappy } : {}), sessions: touched.size, events, snapshot_events: snapshotEvents, derived_events: derivedEvents, out_of_order: input.outOfOrder ?? 0, skipped: Object.fromEntries(input.skipped) }))
    return { sourceId, sessions: touched.size, events, snapshotEvents, derivedEvents, sessionIds: [...touched] }
  })
}

/**
 * Which stored window an incoming one is. Same id: that one. Else a window of the session that
 * already holds its events (a newer PostHog export numbers windows 1, 2, … where the capture
 * used $window_id): merge into it, keeping the real $window_id as the name.
 */
function resolveWindow(store: Store, w: BuiltWindow, eventTable: string): { key: number; windowId: string } {
  const same = store.chunks.window(w.sessionId, w.windowId)
  if (same) return { key: same.id, windowId: same.window_id }
  for (const key of store.chunks.windowsWithOldKeys(w.sessionId)) rekey(store, key)
  const alias = store.chunks.windowSharingHashes(w.sessionId, w.sampleHashes) ?? windowByIndex(store, w)
  if (alias === null) return { key: store.chunks.ensureWindow(w.sessionId, w.windowId), windowId: w.windowId }
  const stored = store.chunks.windowByKey(alias)!
  if (NUMERIC.test(stored.window_id) && !NUMERIC.test(w.windowId)) {
    store.events.deleteDerived(w.sessionId, stored.window_id)
    store.chunks.renameWindow(alias, w.windowId)
    return { key: alias, windowId: w.windowId }
  }
  store.events.renameStagedWindow(eventTable, w.sessionId, w.windowId, stored.window_id)
  return { key: alias, windowId: stored.window_id }
}

/** Recomputes the keys of a window stored by an older version, from its chunks (migration 0060). */
function rekey(store: Store, key: number): void {
  const keys: bigint[] = []
  let index = 0
  for (const c of store.chunks.chunks(key)) {
    for (const ev of decodeChunk(c.data)) {
      if ((ev as { synthetic?: unknown }).synthetic) continue
      const n = normalizeRrweb(ev)
      if (n instanceof Skip) continue
      if (isKey(index++, n.hash)) keys.push(n.hash)
    }
  }
  store.chunks.replaceHashes(key, keys)
}

/**
 * The newest PostHog export numbers windows 1, 2, … in order of first appearance. With no stored
 * recording to compare hashes against (say the events CSV came first), window N is the N-th
 * window of the session's product events, ordered by first event.
 */
function windowByIndex(store: Store, w: BuiltWindow): number | null {
  if (!NUMERIC.test(w.windowId)) return null
  const candidates = store.events.windowsByFirstEvent(w.sessionId).filter((id) => !NUMERIC.test(id))
  const id = candidates[Number(w.windowId) - 1]
  if (id === undefined) return null
  const stored = store.chunks.window(w.sessionId, id)
  return stored && !store.chunks.hasChunks(stored.id) ? stored.id : null
}

function mergeWindow(store: Store, input: CommitInput, w: BuiltWindow, key: number, windowId: string, sourceId: number): { added: number; derived: number } {
  const before = store.chunks.windowByKey(key)!.snapshot_events
  const events: { ts: number; ord: number; ev: unknown }[] = []
  const load = (chunks: { data: Buffer }[]) => {
    for (const c of chunks) {
      for (const ev of decodeChunk(c.data)) {
        if ((ev as { synthetic?: unknown }).synthetic) continue // re-made by the builder if still needed
        events.push({ ts: (ev as { timestamp: number }).timestamp, ord: events.length, ev })
      }
    }
  }
  load(store.chunks.chunks(key))
  load(input.staging.chunksOf(w.sessionId, w.windowId))
  events.sort((a, b) => a.ts - b.ts || a.ord - b.ord)
  const sink = new MemorySink()
  const b = new WindowBuilder(w.sessionId, windowId, median(events.map((e) => e.ts)), sink)
  for (const { ev } of events) {
    const n = normalizeRrweb(ev)
    if (n instanceof Skip) continue
    b.push({ ts: n.event.timestamp, type: n.event.type, source: n.source, hash: n.hash, json: n.json })
  }
  const built = b.finish()
  requireFullSnapshot(input.file, windowId, built)
  store.chunks.replaceChunks(key, sink.chunks, sourceId)
  store.chunks.replaceHashes(key, sink.all)
  store.events.deleteDerived(w.sessionId, windowId)
  const derived = store.events.insertMany(sink.events, sourceId)
  store.chunks.updateWindow(key, { first_ms: built.firstMs, last_ms: built.lastMs, first_url: built.firstUrl, snapshot_events: built.stored, unplayable: built.unplayable })
  const added = built.stored - before
  if (w.stored > added) input.skipped.set('rrweb event already imported (same window, time and content)', (input.skipped.get('rrweb event already imported (same window, time and content)') ?? 0) + (w.stored - added))
  return { added, derived }
}

/** Incremental events without any full snapshot cannot be replayed: the file is not usable. */
function requireFullSnapshot(file: string, windowId: string, w: { fullSnapshots: number; unplayable: number }): void {
  if (w.fullSnapshots === 0 && w.unplayable > 0) {
    throw new ImportError(
      file,
      `window ${windowId === '' ? '(unnamed)' : JSON.stringify(windowId)}`,
      `${w.unplayable} incremental rrweb events but no full snapshot: the recording cannot be replayed`,
    )
  }
}
