// Which chunks to load next. A pure function of what is loaded and where the playhead is, so it
// can be tested in a table and recomputed from scratch on every tick (PostHog's planNextBatch).
import type { ReplayChunk } from './model'

export interface Plan {
  /** Chunk seqs to fetch, ascending. */
  seqs: number[]
  /** 'rebuild': the player must start over from seqs[0] (a full snapshot); 'extend': append. */
  mode: 'rebuild' | 'extend' | 'none'
  reason: 'seek_target' | 'buffer_ahead' | 'loaded'
}

export interface PlanInput {
  chunks: ReplayChunk[]
  /** The seq the current player started from (its full snapshot), or null if there is none. */
  segmentStart: number | null
  /** Last seq appended to the current player (contiguous from segmentStart). */
  loadedEnd: number | null
  target: number
  aheadMs: number
  /** Extending through more missing chunks than this costs more than a fresh start. */
  maxGap?: number
}

/** Index of the chunk that holds time t: the last one starting at or before t. */
export function chunkAt(chunks: ReplayChunk[], t: number): number {
  let lo = 0
  let hi = chunks.length - 1
  let found = 0
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (chunks[mid]!.start_ms <= t) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

export function planChunks({ chunks, segmentStart, loadedEnd, target, aheadMs, maxGap = 6 }: PlanInput): Plan {
  if (chunks.length === 0) return { seqs: [], mode: 'none', reason: 'loaded' }
  const i = chunkAt(chunks, target)
  const at = chunks[i]!
  // Where a fresh start must begin: the full snapshot governing the target (or the very first chunk).
  const base = at.full_snapshot_seq ?? chunks[0]!.seq
  const upTo = (limit: number) => chunks.filter((c) => c.seq > (loadedEnd ?? -1) && c.start_ms <= limit).map((c) => c.seq)
  const through = (from: number, limit: number) => chunks.filter((c) => c.seq >= from && (c.seq <= at.seq || c.start_ms <= limit)).map((c) => c.seq)

  const usable = segmentStart !== null && loadedEnd !== null && segmentStart <= base
  if (!usable) return { seqs: through(base, target + aheadMs), mode: 'rebuild', reason: 'seek_target' }
  if (at.seq > loadedEnd) {
    const missing = at.seq - loadedEnd
    if (missing > maxGap && base > segmentStart) return { seqs: through(base, target + aheadMs), mode: 'rebuild', reason: 'seek_target' }
    return { seqs: upTo(target + aheadMs), mode: 'extend', reason: 'seek_target' }
  }
  const ahead = upTo(target + aheadMs)
  return ahead.length ? { seqs: ahead, mode: 'extend', reason: 'buffer_ahead' } : { seqs: [], mode: 'none', reason: 'loaded' }
}
