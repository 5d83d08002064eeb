// What a clip is: its window of time around a moment, its frame times, and which recorded window
// each frame shows. Pure.
import { skipTarget } from '../../shared/replay-engine'
import { UserError } from '../errors'
import { windowRuns, type WindowSpan } from '../../shared/window-at'

export const CLIP_DEFAULTS = { before_ms: 2_000, after_ms: 8_000 } as const
export { MODEL_CLIP, PERSON_CLIP } from '../../shared/clips'
export const MAX_FPS = 30
export const MAX_WIDTH = 1920
export const MAX_FRAMES = 3_600

export interface ClipPlan {
  start_ms: number
  end_ms: number
  fps: number
  width: number
  height: number
  /** Frame times (epoch ms), in order, grouped by the window they show. */
  runs: { window_id: string; times: number[] }[]
  frames: number
}

export interface PlanInput {
  at: number
  before_ms?: number
  after_ms?: number
  fps: number
  width: number
  height?: number
  session: { start_ms: number; end_ms: number }
  windows: readonly WindowSpan[]
  window_id?: string
  /** Each window's user activity spans: a clip follows the window the user was in. */
  activity?: Readonly<Record<string, readonly (readonly [number, number])[]>>
  /** Idle gaps to pass over (skip inactivity), or none. */
  inactive?: readonly [number, number][]
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2)
/** A clip's frame size: even sides (yuv420), 16:9 unless a height is given. */
export const clipSize = (width: number, height?: number) => ({ width: even(width), height: even(height ?? (width * 9) / 16) })

export function planClip(p: PlanInput): ClipPlan {
  if (!(p.fps > 0 && p.fps <= MAX_FPS)) throw new UserError(`fps must be above 0 and at most ${MAX_FPS}, not ${p.fps}`)
  if (!(p.width >= 64 && p.width <= MAX_WIDTH)) throw new UserError(`width must be 64 to ${MAX_WIDTH} px, not ${p.width}`)
  const before = p.before_ms ?? CLIP_DEFAULTS.before_ms
  const after = p.after_ms ?? CLIP_DEFAULTS.after_ms
  // A moment outside the recording (an event sent after it stopped) gets the clip at its nearest end.
  const at = p.at > p.session.end_ms ? p.session.end_ms - after : p.at < p.session.start_ms ? p.session.start_ms + before : p.at
  const start = Math.max(p.session.start_ms, Math.round(at - before))
  const end = Math.min(p.session.end_ms, Math.round(at + after))
  if (!(end > start)) throw new UserError(`the clip around ${p.at} is empty: the session runs from ${p.session.start_ms} to ${p.session.end_ms}`)
  if (p.window_id && !p.windows.some((w) => w.window_id === p.window_id)) throw new UserError(`the session has no window ${p.window_id} (it has ${p.windows.map((w) => w.window_id).join(', ')})`)
  const step = 1000 / p.fps
  const times: number[] = []
  for (let t = start; t < end - 1e-6; ) {
    const to = p.inactive ? skipTarget(p.inactive as [number, number][], t) : null
    if (to !== null && to > t) {
      t = to
      continue
    }
    times.push(Math.round(t))
    if (times.length > MAX_FRAMES) throw new UserError(`a clip has at most ${MAX_FRAMES} frames; ${p.fps} fps over ${end - start} ms is more`)
    t += step
  }
  const runs = windowRuns(p.windows, times, p.window_id, p.activity)
  return { start_ms: start, end_ms: end, fps: p.fps, ...clipSize(p.width, p.height), runs, frames: times.length }
}
