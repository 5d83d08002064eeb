// What a frame source asks of the frame page (renderer/render/main.ts, driven from electron/clips):
// one declaration for both sides.

export interface LoadRequest {
  session_id: string
  window_id: string
  /** Epoch ms: the clip's first and last frame in this window. */
  from: number
  to: number
  /** Draw the cursor, click ripple and clock (off: the bare replay, as a fresh Replayer shows it). */
  decorations: boolean
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
