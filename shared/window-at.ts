// Which recorded window (browser tab) a replay shows at a moment, and how a stretch of time splits
// into runs of one window. Pure, so the player, the clip renderer and the tests agree on it.
//
// The rule is PostHog's player's (frontend/src/scenes/session-recordings/player/utils/segmenter.ts,
// createSegments): walking the events of all windows in time order, an *active* event (FullSnapshot,
// Meta, or an incremental MouseMove, MouseInteraction, Scroll, ViewportResize, Input, TouchMove,
// MediaInteraction, Drag) in another window switches the view to that window; inactive events
// (mutations, network, console) of a background tab never do; when the shown window's recording
// ends, the view moves to a window still recording. Meta + FullSnapshot stand for focus and
// visibility: a tab that is opened, reloaded or navigated starts with them, so it takes the view.
// Here the active events come as each window's activity spans (what the import measured: runs of
// active events no more than 5 s apart), so "the latest active event at or before t" is the end of
// a finished span, or t itself inside a span; two spans running at once go to the one that began
// later (the window the user moved to). PostHog's one quirk not kept: after 5 s without activity it
// lets the next event of any window, even a background mutation, take the view.

export interface WindowSpan {
  window_id: string
  first_ms: number
  last_ms: number
}

/** Each window's activity spans [start, end], epoch ms, by window id. */
export type WindowActivity = Readonly<Record<string, readonly (readonly [number, number])[]>>

/** A stretch [start_ms, end_ms] (inclusive, whole ms) during which one window is shown. */
export interface WindowSegment {
  window_id: string
  start_ms: number
  end_ms: number
}

/**
 * The window shown at `t` when nothing says where the user was: the first (by start) whose
 * recording covers t; between windows or after them all, the one that ended last (the last frame
 * seen stays); before every window, the first. `windows` sorted by first_ms.
 */
export function windowAt(windows: readonly WindowSpan[], t: number): string | null {
  if (windows.length === 0) return null
  const covering = windows.find((w) => t >= w.first_ms && t <= w.last_ms)
  if (covering) return covering.window_id
  let ended: WindowSpan | null = null
  for (const w of windows) if (w.last_ms < t && (!ended || w.last_ms > ended.last_ms)) ended = w
  return (ended ?? windows[0]!).window_id
}

/**
 * The window the user was in at `t` (see the rule above): among the windows still recording at t,
 * the one with the latest activity at or before t; none active yet: windowAt.
 */
export function activeWindowAt(windows: readonly WindowSpan[], activity: WindowActivity, t: number): string | null {
  let best: string | null = null
  let bestLast = -Infinity
  let bestStart = -Infinity
  for (const w of windows) {
    if (t < w.first_ms || t > w.last_ms) continue
    for (const [a, b] of activity[w.window_id] ?? []) {
      if (a > t) continue
      const last = Math.min(b, t)
      if (last > bestLast || (last === bestLast && a > bestStart)) {
        best = w.window_id
        bestLast = last
        bestStart = a
      }
    }
  }
  return best ?? windowAt(windows, t)
}

/**
 * The windows shown over [start, end] as consecutive segments (activeWindowAt at every ms, computed
 * only where it can change: a span's start or the ms after its end, a window's first or the ms
 * after its last). What the player switches by and the timeline draws.
 */
export function windowSegments(windows: readonly WindowSpan[], activity: WindowActivity, start: number, end: number): WindowSegment[] {
  start = Math.floor(start)
  end = Math.floor(end)
  if (windows.length === 0 || end < start) return []
  const points = new Set<number>([start])
  const add = (t: number) => {
    if (t > start && t <= end) points.add(Math.floor(t))
  }
  for (const w of windows) {
    add(w.first_ms)
    add(w.last_ms + 1)
    for (const [a, b] of activity[w.window_id] ?? []) {
      add(a)
      add(b + 1)
    }
  }
  const sorted = [...points].sort((x, y) => x - y)
  const out: WindowSegment[] = []
  sorted.forEach((t, i) => {
    const id = activeWindowAt(windows, activity, t)!
    const until = i + 1 < sorted.length ? sorted[i + 1]! - 1 : end
    const last = out.at(-1)
    if (last && last.window_id === id) last.end_ms = until
    else out.push({ window_id: id, start_ms: t, end_ms: until })
  })
  return out
}

/** The segment holding `t` (binary search; `segments` as windowSegments returns them). */
export function segmentAt(segments: readonly WindowSegment[], t: number): WindowSegment | null {
  t = Math.floor(t)
  let lo = 0
  let hi = segments.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = segments[mid]!
    if (t < s.start_ms) hi = mid - 1
    else if (t > s.end_ms) lo = mid + 1
    else return s
  }
  return null
}

/** Frame times grouped into consecutive runs that show the same window (`fixed`: always that one). */
export function windowRuns(windows: readonly WindowSpan[], times: readonly number[], fixed?: string, activity?: WindowActivity): { window_id: string; times: number[] }[] {
  const runs: { window_id: string; times: number[] }[] = []
  for (const t of times) {
    const id = fixed ?? (activity ? activeWindowAt(windows, activity, t) : windowAt(windows, t))
    if (id === null) continue
    const last = runs.at(-1)
    if (last && last.window_id === id) last.times.push(t)
    else runs.push({ window_id: id, times: [t] })
  }
  return runs
}

/** Each window's activity spans from the replay meta's windows (those without any: none). */
export function activityOf(windows: readonly (WindowSpan & { activity?: readonly (readonly [number, number])[] })[]): WindowActivity {
  return Object.fromEntries(windows.map((w) => [w.window_id, w.activity ?? []]))
}
