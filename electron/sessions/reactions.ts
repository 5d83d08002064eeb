// When the page visibly reacted, per window, read from the stored recording chunks: DOM mutations,
// scrolls and page loads. A click followed by none of these (nor a navigation or request) is dead.
import { EventType, IncrementalSource } from '../../shared/rrweb'
import type { Store } from '../store'
import { CHUNK_ENCODING, decodeChunk } from '../store/chunk-codec'

/** What counts as the page reacting: page loads, DOM mutations, scrolls. */
export const isReaction = (type: number, source: number | null | undefined): boolean =>
  type === EventType.FullSnapshot || type === EventType.Meta || (type === EventType.IncrementalSnapshot && (source === IncrementalSource.Mutation || source === IncrementalSource.Scroll))

export interface Reactions {
  /** Sorted times of mutations, scrolls and page loads in this window. */
  times: number[]
}

/** Read from what the import recorded per chunk; chunks stored before that are decoded. */
export function loadReactions(store: Store, sessionId: string): Map<string, Reactions> {
  const out = new Map<string, Reactions>()
  for (const w of store.chunks.windows(sessionId)) {
    const times: number[] = []
    for (const c of store.chunks.reactions(w.id)) {
      if (c.reactions !== null) {
        for (const off of JSON.parse(c.reactions) as number[]) times.push(c.start_ms + off)
        continue
      }
      const row = store.chunks.chunk(w.id, c.seq)
      if (row?.encoding !== CHUNK_ENCODING) continue
      const events = decodeChunk<{ type: number; timestamp: number; data?: { source?: number } }>(row.data)
      for (const e of events) if (isReaction(e.type, e.data?.source)) times.push(e.timestamp)
    }
    times.sort((a, b) => a - b)
    out.set(w.window_id, { times })
  }
  return out
}
/** Whether anything in `times` (sorted) falls in (from, to]. */
export function anyIn(times: number[], from: number, to: number): boolean {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (times[mid]! <= from) lo = mid + 1
    else hi = mid
  }
  return lo < times.length && times[lo]! <= to
}
