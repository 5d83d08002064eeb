// What a frame source asks of the frame page (renderer/render/main.ts, driven from electron/clips):
// one declaration for both sides, and which chunks a clip of a window needs (the clip renderer
// reads them to plan its captures and draw the cursor, and has the page load the same ones).
import type { ReplayChunk } from './model'
import { chunkAt } from './replay-plan'

export interface LoadRequest {
  session_id: string
  window_id: string
  /** The chunks to load (clipSeqs), in order: the page asks nothing else of the store. */
  seqs: number[]
  /** Replace recorded text with asterisks (rrweb's text masking), for clips sent to a model. */
  mask_text?: boolean
}

/** What the page answers to a load: the recorded viewport and how many events it holds. */
export interface LoadResult {
  width: number
  height: number
  events: number
}

/** The chunks a page needs to draw [from, to]: from the full snapshot `from` depends on through
 * the last chunk starting at or before `to`. */
export function clipSeqs(chunks: readonly ReplayChunk[], from: number, to: number): number[] {
  const base = chunks[chunkAt(chunks as ReplayChunk[], from)]!.full_snapshot_seq ?? chunks[0]!.seq
  return chunks.filter((c) => c.seq >= base && c.start_ms <= to).map((c) => c.seq)
}
