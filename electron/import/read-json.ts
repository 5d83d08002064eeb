// One JSON document, streamed: the big arrays (an rrweb array, an export's `data.snapshots`, an
// API page's `results`) are cut into items by a byte scanner and each item is JSON.parsed on its
// own; only the small rest (the skeleton) is assembled.
import { CancelledError, shortName } from '../errors'
import type { Collector } from './collect'
import { deeperThan, isStackOverflow, TOO_DEEP } from './depth'
import { ImportError } from './errors'
import { JsonSplitter, JsonSyntaxError, type Path } from './json-splitter'
import type { OpenedSource } from './source'

export interface JsonDocInfo {
  format: string
  /** Session id from the export wrapper (`data.id`), '' or null when absent. */
  sessionId: string | null
  distinctId: string | null
}

const SLICE = 16384
const V2 = '2023-04-28'
const V1 = '2022-12-02'

/** Arrays whose elements are streamed one by one instead of being assembled. */
// Root array; an API page's `results`; an older snapshot response `{window_id, data: [...]}`;
// the export's `data.snapshots`; events by window id (export v1, older API responses).
function isStreamed(path: Path, rootIsArray: boolean): boolean {
  if (rootIsArray) return path.length === 0
  if (path.length === 1) return path[0] === 'results' || path[0] === 'data'
  if (path.length === 2) return (path[0] === 'data' && path[1] === 'snapshots') || path[0] === 'snapshot_data_by_window_id'
  return path.length === 3 && path[0] === 'data' && (path[1] === 'snapshotsByWindowId' || path[1] === 'snapshot_data_by_window_id')
}

/** Objects on the way to a streamed array: assembled key by key, so the arrays inside stream. */
function leadsToStream(path: Path): boolean {
  if (path.length === 0) return true
  if (path.length === 1) return path[0] === 'data' || path[0] === 'snapshot_data_by_window_id'
  return path.length === 2 && path[0] === 'data' && (path[1] === 'snapshotsByWindowId' || path[1] === 'snapshot_data_by_window_id')
}

/** The window an item of a streamed array belongs to, when the array's place says it. */
function windowHint(path: Path, root: unknown): string | undefined {
  if (path.length === 3 || (path.length === 2 && path[0] === 'snapshot_data_by_window_id')) return String(path.at(-1))
  if (path.length === 1 && path[0] === 'data' && typeof root === 'object' && root !== null) {
    const r = root as Record<string, unknown>
    const w = r.window_id ?? r.windowId
    return typeof w === 'string' || typeof w === 'number' ? String(w) : undefined
  }
  return undefined
}

export async function readJsonDocument(src: OpenedSource, c: Collector, signal?: AbortSignal): Promise<JsonDocInfo> {
  let rootIsArray = false
  // Parallel (parallel.ts): elements go to a worker as bytes; their events come back in order.
  const remote = c.remote
  const split: JsonSplitter = new JsonSplitter({
    mode(path, isArray) {
      if (path.length === 0) rootIsArray = isArray
      if (isArray) return isStreamed(path, rootIsArray) ? 'stream' : 'capture'
      return !rootIsArray && leadsToStream(path) ? 'object' : 'capture'
    },
    item(value, path, index, start, end, text) {
      const where = `${path.length ? path.join('.') : 'item'}[${index}] (bytes ${start}–${end})`
      try {
        c.addItem(value, where, windowHint(path, split.root), text)
      } catch (e) {
        if (isStackOverflow(e) && deeperThan(value)) throw new ImportError(c.file, where, TOO_DEEP)
        throw e
      }
    },
    value(path, key, value) {
      remote?.skeletonChanged()
      // An export's `data.id` usually precedes its snapshots: stage them under it directly.
      if (path.length === 1 && path[0] === 'data' && key === 'id' && typeof value === 'string' && value) {
        if (remote) remote.after(() => (c.sessionId ??= value))
        else c.sessionId ??= value
      }
    },
    rawItem: remote
      ? (buf, from, to, path, index, start, end, plain) => remote.add(buf, from, to, path, index, start, end, plain, () => windowHint(path, split.root))
      : undefined,
  })
  try {
    for await (const chunk of src.stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new CancelledError()
      split.feed(chunk)
      if (c.busy()) await c.drain()
    }
    split.end()
    if (remote) await remote.settle()
  } catch (err) {
    let e = err
    // What the worker has not handled yet came earlier in the file: its error (if any) comes first.
    if (remote && !(e instanceof CancelledError) && !signal?.aborted) {
      try {
        await remote.settle()
      } catch (first) {
        e = first
      }
    }
    if (!(e instanceof JsonSyntaxError)) throw e
    if (e.truncated) throw new ImportError(c.file, `byte ${e.start} (end of file)`, `JSON ends unexpectedly: the file is truncated or incomplete (${e.message})`)
    // The place keeps the shape it always had (the 16 KB slice holding the error); the exact
    // byte is in the message.
    const slice = e.start - (e.start % SLICE)
    throw new ImportError(c.file, `bytes ${slice}–${slice + SLICE}`, `${e.message} at byte ${e.start}${e.why ? ` (${e.why})` : ''}`)
  }
  c.flush()
  return describeDocument(c, split.root, rootIsArray, split.items)
}

function describeDocument(c: Collector, root: unknown, rootIsArray: boolean, items: number): JsonDocInfo {
  const none = { sessionId: null, distinctId: null }
  if (rootIsArray) {
    if (items === 0) throw new ImportError(c.file, null, 'the JSON array is empty: nothing to import')
    const format = c.firstKind === 'posthog-event' ? 'posthog-events-json' : c.firstKind === 'rrweb-packed' ? 'rrweb-packed' : c.firstKind === 'window-tuple' ? 'posthog-snapshots-json' : 'rrweb'
    return { format, ...none }
  }
  if (typeof root !== 'object' || root === null) throw new ImportError(c.file, null, `JSON document is a ${typeof root}, not a recording or an events export`)
  const o = root as Record<string, unknown>
  if ('version' in o && 'data' in o) {
    if (o.version !== V2 && o.version !== V1) {
      throw new ImportError(c.file, 'top-level "version"', `PostHog export version ${JSON.stringify(o.version)} is not supported (known: ${V2}, ${V1})`)
    }
    const data = (o.data ?? {}) as Record<string, unknown>
    const person = (data.person ?? {}) as Record<string, unknown>
    const ids = Array.isArray(person.distinct_ids) ? person.distinct_ids : []
    if (items === 0) throw new ImportError(c.file, 'data', o.version === V2 ? 'PostHog export has no "snapshots"' : 'PostHog export has no "snapshotsByWindowId" events')
    return {
      format: o.version === V2 ? 'posthog-export' : 'posthog-export-v1',
      sessionId: typeof data.id === 'string' && data.id ? data.id : null,
      distinctId: typeof ids[0] === 'string' ? ids[0] : null,
    }
  }
  if (Array.isArray(o.data) || 'snapshot_data_by_window_id' in o) {
    if (items === 0) throw new ImportError(c.file, 'data', 'the snapshot response has no events')
    return { format: 'posthog-snapshots-json', ...none }
  }
  if ('results' in o && Array.isArray(o.results)) {
    if (items === 0) throw new ImportError(c.file, 'results', 'the "results" array is empty: nothing to import')
    return { format: 'posthog-events-json', ...none }
  }
  const keys = Object.keys(o)
  throw new ImportError(
    c.file,
    null,
    `valid JSON, but not a recording or an events export (top-level keys: ${keys.slice(0, 8).map((k) => shortName(k)).join(', ') || 'none'})`,
  )
}
