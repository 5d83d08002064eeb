// A frame source: pages that draw a recording at a moment and hand back its pixels. Two exist
// behind this one interface: headless Chromium (frames-chromium.ts: CLI, web mode, tests, bench)
// and an offscreen BrowserWindow (frames-electron.ts: the app). Everything else is shared.
import type { ReplayReader } from './bridge'
import type { LoadRequest, LoadResult } from '../../shared/frame-page'

export type { LoadRequest, LoadResult } from '../../shared/frame-page'

export interface FramePage {
  /** Loads the chunks of [from, to] of one window (from the full snapshot `from` depends on). */
  load(req: LoadRequest): Promise<LoadResult>
  /** Draws the recording at t (epoch ms); resolves once drawn. Never overlap with capture. */
  seek(t: number): Promise<void>
  capture(format: 'jpeg' | 'png'): Promise<Buffer>
  /** Gives the page back to its source (kept warm for the next clip). */
  release(): void
  close(): Promise<void>
}

export interface FrameSource {
  /** A page of this pixel size whose replay reads go to `reader`. */
  page(size: { width: number; height: number }, reader: ReplayReader): Promise<FramePage>
  close(): Promise<void>
}

/** JPEG quality of streamed frames: q50 and q80 measured within noise in speed; q50 is smaller. */
export const JPEG_QUALITY = 50
