// Renders one clip: frames drawn by a frame source's pages, streamed in order into ffmpeg. Only
// frames whose page changed are drawn and captured (decor.ts); the others repeat the last capture,
// and the encoder draws the cursor, ripple and clock on every frame. Two pages share the captures
// (alternately): each page seeks then captures, never overlapping the two, and frames are put back
// in order for the encoder.
import { CancelledError } from '../errors'
import type { ReplayReader } from './bridge'
import { clipFrames } from './decor'
import { startEncoder, type Codec, type EncoderSetup } from './encode'
import type { FramePage, FrameSource } from './frames'
import type { ClipPlan } from './plan'

export interface RenderOptions {
  session_id: string
  file: string
  codec?: Codec
  /** Cursor, click ripple and session clock (default on). */
  decorations?: boolean
  mask_text?: boolean
  /** Pages to use (default: CLIP_PAGES; never more than there are captures). */
  pages?: number
  signal?: AbortSignal
  /** Each captured frame, in order (tests compare pixels). */
  onFrame?: (i: number, t: number, jpeg: Buffer) => void
  progress?: (done: number, total: number) => void
}

export interface RenderStats {
  bytes: number
  wall_ms: number
  /** Frames drawn and captured (the others showed the same page as the frame before). */
  captures: number
  /** Time spent per stage: loading chunks into pages, seeking and capturing (sums over pages), ffmpeg CPU. */
  load_ms: number
  seek_ms: number
  capture_ms: number
  encode_cpu_ms: number
  pages: number
}

/** VP8 below 5 fps (model clips: ~25 % faster, same size), VP9 above (as fast at 960×540, bench/clip.ts). */
export const defaultCodec = (fps: number): Codec => (fps < 5 ? 'vp8' : 'vp9')

/** Pages a clip draws with (they share its captures). Against one, on two cores: 10 fps +28–44 %;
 * 1 fps 1.2–1.26× at 768×432 and 960×540, where a capture costs most; even at 640×360. */
export const CLIP_PAGES = 2

/** How a clip of this size and rate is encoded (warm.ts starts an ffmpeg ahead with the same). */
export function encoderSetup(clip: { fps: number; width: number; height: number }, codec?: Codec, decorations = true): EncoderSetup {
  return {
    fps: clip.fps,
    codec: codec ?? defaultCodec(clip.fps),
    bitrate: clip.width * clip.height > 640 * 360 ? '1500k' : '800k',
    decor: decorations ? { width: clip.width, height: clip.height } : null,
  }
}

export async function renderClip(from: FrameSource | Promise<FrameSource>, reader: ReplayReader, plan: ClipPlan, o: RenderOptions): Promise<RenderStats> {
  const t0 = performance.now()
  const { capture, decor, seqs } = clipFrames(reader, o.session_id, plan)
  const captures = capture.filter(Boolean).length
  const n = Math.max(1, Math.min(o.pages ?? CLIP_PAGES, captures))
  const pages: FramePage[] = []
  const stats = { load_ms: 0, seek_ms: 0, capture_ms: 0 }
  // ffmpeg starts while the browser launches (a first clip) and the pages open.
  const setup = encoderSetup(plan, o.codec, o.decorations)
  const encoding = startEncoder(setup, o.file, decor)
  encoding.catch(() => {}) // awaited below
  let flush: Promise<void> = Promise.resolve()
  try {
    const source = await from
    // Opened together: a cold browser loads the frame page into each at once.
    const opened = await Promise.allSettled(Array.from({ length: n }, () => source.page({ width: plan.width, height: plan.height }, reader)))
    for (const r of opened) if (r.status === 'fulfilled') pages.push(r.value)
    const failed = opened.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    const encoder = await encoding
    let index = 0
    let written = 0
    const ready = new Map<number, Buffer>()
    // Frames reach ffmpeg in order, whichever page finished first.
    const deliver = (i: number, jpeg: Buffer) => {
      ready.set(i, jpeg)
      flush = flush.then(async () => {
        while (ready.has(written)) {
          const f = ready.get(written)!
          ready.delete(written)
          written++
          await encoder.write(f)
        }
      })
    }
    let done = 0
    for (const [r, run] of plan.runs.entries()) {
      const req = { session_id: o.session_id, window_id: run.window_id, seqs: seqs[r]!, mask_text: o.mask_text ?? false }
      const tl = performance.now()
      await Promise.all(pages.map((p) => p.load(req)))
      stats.load_ms += performance.now() - tl
      const base = index
      // The run's captured frames; each is shown until the next one.
      const shots = run.times.map((_, j) => j).filter((j) => capture[base + j])
      await Promise.all(
        pages.map(async (p, k) => {
          for (let m = k; m < shots.length; m += n) {
            if (o.signal?.aborted) throw new CancelledError()
            const j = shots[m]!
            const a = performance.now()
            await p.seek(run.times[j]!)
            const b = performance.now()
            const jpeg = await p.capture('jpeg')
            stats.seek_ms += b - a
            stats.capture_ms += performance.now() - b
            for (let f = j; f < (shots[m + 1] ?? run.times.length); f++) {
              o.onFrame?.(base + f, run.times[f]!, jpeg)
              deliver(base + f, jpeg)
              o.progress?.(++done, plan.frames)
            }
          }
        }),
      )
      index += run.times.length
    }
    await flush
    const { bytes, cpu_ms } = await encoder.finish()
    return { bytes, wall_ms: performance.now() - t0, captures, ...stats, encode_cpu_ms: cpu_ms, pages: n }
  } catch (e) {
    flush.catch(() => {})
    void encoding.then((enc) => enc.abort(), () => {})
    throw e
  } finally {
    for (const p of pages) p.release()
  }
}
