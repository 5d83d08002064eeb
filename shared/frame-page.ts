// What a frame source asks of the frame page (renderer/render/main.ts, driven from electron/clips):
// one declaration for both sides, and which chunks a clip of a window needs (the page loads them;
// the clip renderer reads the same ones to plan its captures and draw the cursor).
import type { ReplayChunk } from './model'
import { chunkAt } from './replay-plan'

export interface LoadRequest {
  session_id: string
  window_id: string
  /** Epoch ms: the clip's first and last frame in this window. */
  from: number
  to: number
  /** Every chunk of the window, not just the clip's (the tests' reference). */
  whole?: boolean
  /** Replace recorded text with asterisks (rrweb's text masking), for clips sent to a model. */
  mask_text?: boolean
}

/** What the page answers to a load: the recorded viewport and how many events it holds. */
export interface LoadResult {
  width: number
  height: number
  events: number
}

/** The chunks a page needs to draw [from, to]: from the full snapshot `from` depends on (every
 * chunk of the window with `whole`) through the last chunk starting at or before `to`. */
export function clipSeqs(chunks: readonly ReplayChunk[], from: number, to: number, whole = false): number[] {
  const first = chunks[chunkAt(chunks as ReplayChunk[], from)]!
  const base = whole ? chunks[0]!.seq : (first.full_snapshot_seq ?? chunks[0]!.seq)
  return chunks.filter((c) => c.seq >= base && (whole || c.start_ms <= to)).map((c) => c.seq)
}
