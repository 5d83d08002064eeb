// Clips: a recording drawn frame by frame around a moment and encoded as .webm.
import type { ClipJobResult } from '../../shared/clips'
import path from 'node:path'
import fs from 'node:fs'
import { UserError } from '../errors'
import type { ReplayReader } from './bridge'
import type { Codec } from './encode'
import type { FrameSource } from './frames'
import { activityOf } from '../../shared/window-at'
import { MODEL_CLIP, planClip, type ClipPlan } from './plan'
import { renderClip, type RenderStats } from './render'
import { withFrameSource } from './warm'

export type { ReplayReader } from './bridge'
export type { FramePage, FrameSource } from './frames'
export { CLIP_DEFAULTS, clipSize, MODEL_CLIP, PERSON_CLIP, planClip } from './plan'
export { closeFrameSource, useFrameSource, warmFrameSource, withFrameSource } from './warm'
export { ChromiumFrames } from './frames-chromium'
export { clipStills } from './stills'

export interface ClipRequest {
  session_id: string
  /** Epoch ms of the moment. */
  at: number
  before_ms?: number
  after_ms?: number
  fps?: number
  width?: number
  height?: number
  window_id?: string
  skip_inactive?: boolean
  mask_text?: boolean
  decorations?: boolean
  codec?: Codec
  pages?: number
  out: string
}

/** A rendered clip: what the job answers (shared/clips.ts) before it is stored, with stage timings. */
export interface ClipResult extends Omit<ClipJobResult, 'clip_id'> {
  stats: RenderStats
}

export interface ClipRun {
  signal?: AbortSignal
  progress?: (done: number, total: number) => void
  onFrame?: (i: number, t: number, jpeg: Buffer) => void
  /** A given frame source (tests, bench); else the process's warm Chromium. */
  source?: FrameSource
}

export function clipPlan(reader: ReplayReader, r: ClipRequest): ClipPlan {
  const meta = reader.meta(r.session_id)
  if (meta.windows.length === 0) throw new UserError(`session ${r.session_id} has no recording to draw a clip from`)
  return planClip({
    at: r.at,
    before_ms: r.before_ms,
    after_ms: r.after_ms,
    fps: r.fps ?? MODEL_CLIP.fps,
    width: r.width ?? MODEL_CLIP.width,
    height: r.height,
    session: { start_ms: Math.min(meta.session.start_ms, ...meta.windows.map((w) => w.first_ms)), end_ms: Math.max(meta.session.end_ms, ...meta.windows.map((w) => w.last_ms)) },
    windows: meta.windows,
    window_id: r.window_id,
    activity: activityOf(meta.windows),
    inactive: r.skip_inactive ? meta.inactive : undefined,
  })
}

export async function makeClip(reader: ReplayReader, r: ClipRequest, run: ClipRun = {}): Promise<ClipResult> {
  const t0 = performance.now()
  const plan = clipPlan(reader, r)
  const file = path.resolve(r.out)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const go = (source: FrameSource | Promise<FrameSource>) =>
    renderClip(source, reader, plan, { session_id: r.session_id, file, codec: r.codec, decorations: r.decorations, mask_text: r.mask_text, pages: r.pages, signal: run.signal, onFrame: run.onFrame, progress: run.progress })
  const stats = run.source ? await go(run.source) : await withFrameSource(go)
  return {
    file,
    start_ms: plan.start_ms,
    end_ms: plan.end_ms,
    frames: plan.frames,
    fps: plan.fps,
    bytes: stats.bytes,
    wall_ms: Math.round(performance.now() - t0),
    width: plan.width,
    height: plan.height,
    window_ids: plan.runs.map((x) => x.window_id).filter((w, i, a) => a.indexOf(w) === i),
    stats,
  }
}
