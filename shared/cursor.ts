// The pointer as recorded: rrweb's own cursor shows the last MouseMove *event* (batches cover up to
// ~450 ms, so it lags), eases with a CSS transition and draws no click while seeking. Frames are
// drawn from the recorded positions instead (../shared/research/clip-rendering.md).

export interface CursorTrack {
  /** [time, x, y], time-ordered; top-document CSS pixels of the recorded viewport. */
  moves: [number, number, number][]
  /** Clicks: [time, x, y], time-ordered. */
  clicks: [number, number, number][]
}

/** How long a click ripple shows, ms. */
export const RIPPLE_MS = 300

const INCREMENTAL = 3
const MOUSE_MOVE = 1
const MOUSE_INTERACTION = 2
const TOUCH_MOVE = 6
const DRAG = 12
const CLICK = 2
const TOUCH_START = 7

type Ev = { type: number; timestamp: number; data?: unknown }
type Pos = { x: number; y: number; timeOffset?: number }

export function cursorTrack(events: readonly Ev[]): CursorTrack {
  const moves: [number, number, number][] = []
  const clicks: [number, number, number][] = []
  for (const e of events) {
    if (e.type !== INCREMENTAL || !e.data || typeof e.data !== 'object') continue
    const d = e.data as { source?: number; positions?: Pos[]; type?: number; x?: number; y?: number }
    if ((d.source === MOUSE_MOVE || d.source === TOUCH_MOVE || d.source === DRAG) && Array.isArray(d.positions)) {
      for (const p of d.positions) if (Number.isFinite(p.x) && Number.isFinite(p.y)) moves.push([e.timestamp + (p.timeOffset ?? 0), p.x, p.y])
    } else if (d.source === MOUSE_INTERACTION && Number.isFinite(d.x) && Number.isFinite(d.y)) {
      moves.push([e.timestamp, d.x!, d.y!])
      if (d.type === CLICK || d.type === TOUCH_START) clicks.push([e.timestamp, d.x!, d.y!])
    }
  }
  const byTime = (a: [number, number, number], b: [number, number, number]) => a[0] - b[0]
  return { moves: moves.sort(byTime), clicks: clicks.sort(byTime) }
}

/** Index of the last entry at or before t, or -1. */
function lastAtOrBefore(xs: readonly [number, number, number][], t: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (xs[mid]![0] <= t) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

/** Where the pointer is at t (null: not seen yet), and the click being shown, with its age in ms. */
export function cursorAt(track: CursorTrack, t: number): { x: number; y: number; click: { x: number; y: number; age: number } | null } | null {
  const i = lastAtOrBefore(track.moves, t)
  if (i < 0) return null
  const [, x, y] = track.moves[i]!
  const j = lastAtOrBefore(track.clicks, t)
  const c = j >= 0 && t - track.clicks[j]![0] < RIPPLE_MS ? track.clicks[j]! : null
  return { x, y, click: c ? { x: c[1], y: c[2], age: t - c[0] } : null }
}
