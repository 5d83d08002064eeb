// Which recorded window (browser tab) a replay shows at a moment, and how a stretch of time splits
// into runs of one window. Pure, so the player, the clip renderer and the tests agree on it.

export interface WindowSpan {
  window_id: string
  first_ms: number
  last_ms: number
}

/**
 * The window shown at `t`: the first (by start) whose recording covers t; between windows, the
 * last one that started before t; before every window, the first. `windows` sorted by first_ms.
 */
export function windowAt(windows: readonly WindowSpan[], t: number): string | null {
  if (windows.length === 0) return null
  const covering = windows.find((w) => t >= w.first_ms && t <= w.last_ms)
  if (covering) return covering.window_id
  const before = windows.filter((w) => w.first_ms <= t)
  return (before.at(-1) ?? windows[0]!).window_id
}

/**
 * The window the user was in at `t`: the one with the latest user activity (a span of input,
 * clicks, scrolls, moves) starting at or before t — a person works in one tab at a time, and the
 * others keep recording in the background. Before any activity: windowAt.
 * `activity`: each window's activity spans [start, end] epoch ms.
 */
export function activeWindowAt(windows: readonly WindowSpan[], activity: Readonly<Record<string, readonly (readonly [number, number])[]>>, t: number): string | null {
  let best: string | null = null
  let bestStart = -Infinity
  for (const w of windows) {
    for (const [a] of activity[w.window_id] ?? []) {
      if (a <= t && a > bestStart) {
        bestStart = a
        best = w.window_id
      }
    }
  }
  return best ?? windowAt(windows, t)
}

/** Frame times grouped into consecutive runs that show the same window (`fixed`: always that one). */
export function windowRuns(windows: readonly WindowSpan[], times: readonly number[], fixed?: string, activity?: Readonly<Record<string, readonly (readonly [number, number])[]>>): { window_id: string; times: number[] }[] {
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
