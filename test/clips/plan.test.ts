// The pure parts of a clip: its frame times (with idle stretches skipped), which window each frame
// shows, the recorded cursor and click ripple, and text masking for clips sent to a model.
import { describe, expect, it } from 'vitest'
import { planClip } from '../../electron/clips/plan'
import { cursorAt, cursorTrack } from '../../shared/cursor'
import { maskEventsText } from '../../shared/mask-text'
import { activeWindowAt } from '../../shared/window-at'

const T = 1_000_000
const windows = [
  { window_id: 'a', first_ms: T, last_ms: T + 60_000 },
  { window_id: 'b', first_ms: T + 10_000, last_ms: T + 60_000 },
]

describe('planClip', () => {
  it('is [t − 2 s, t + 8 s] at the frame rate, cut at the session edges', () => {
    const p = planClip({ at: T + 20_000, fps: 10, width: 960, session: { start_ms: T, end_ms: T + 60_000 }, windows: windows.slice(0, 1) })
    expect(p).toMatchObject({ start_ms: T + 18_000, end_ms: T + 28_000, frames: 100, width: 960, height: 540 })
    expect(p.runs[0]!.times.slice(0, 3)).toEqual([T + 18_000, T + 18_100, T + 18_200])
    expect(planClip({ at: T + 1_000, fps: 1, width: 640, session: { start_ms: T, end_ms: T + 60_000 }, windows }).start_ms).toBe(T)
  })

  it('a moment after the recording stopped (an event sent later) gets the last 10 s; one before it the first', () => {
    const session = { start_ms: T, end_ms: T + 60_000 }
    expect(planClip({ at: T + 64_500, fps: 1, width: 640, session, windows })).toMatchObject({ start_ms: T + 50_000, end_ms: T + 60_000, frames: 10 })
    expect(planClip({ at: T - 3_000, fps: 1, width: 640, session, windows })).toMatchObject({ start_ms: T, end_ms: T + 10_000, frames: 10 })
  })

  it('skips idle stretches inside the clip when asked', () => {
    const inactive: [number, number][] = [[T + 20_000, T + 26_000]]
    const p = planClip({ at: T + 20_000, fps: 1, width: 640, session: { start_ms: T, end_ms: T + 60_000 }, windows: windows.slice(0, 1), inactive })
    expect(p.runs[0]!.times).toEqual([T + 18_000, T + 19_000, T + 26_000, T + 27_000])
  })

  it('follows the window the user was in, or the one given', () => {
    const activity = { a: [[T + 1_000, T + 5_000]] as [number, number][], b: [[T + 12_000, T + 14_000]] as [number, number][] }
    expect(activeWindowAt(windows, activity, T + 11_000)).toBe('a')
    expect(activeWindowAt(windows, activity, T + 12_000)).toBe('b')
    const p = planClip({ at: T + 12_000, fps: 1, width: 640, session: { start_ms: T, end_ms: T + 60_000 }, windows, activity })
    expect(p.runs.map((r) => [r.window_id, r.times.length])).toEqual([['a', 2], ['b', 8]])
    const fixed = planClip({ at: T + 12_000, fps: 1, width: 640, session: { start_ms: T, end_ms: T + 60_000 }, windows, activity, window_id: 'a' })
    expect(fixed.runs.map((r) => r.window_id)).toEqual(['a'])
    expect(() => planClip({ at: T, fps: 1, width: 640, session: { start_ms: T, end_ms: T + 60_000 }, windows, window_id: 'zz' })).toThrow('the session has no window zz (it has a, b)')
  })
})

describe('cursor', () => {
  const events = [
    { type: 3, timestamp: T + 500, data: { source: 1, positions: [{ x: 10, y: 20, id: 1, timeOffset: -400 }, { x: 30, y: 40, id: 1, timeOffset: 0 }] } },
    { type: 3, timestamp: T + 1_000, data: { source: 2, type: 2, id: 1, x: 50, y: 60 } },
  ]
  it('is at the last recorded position (not the last MouseMove event), with a ripple for 300 ms after a click', () => {
    const track = cursorTrack(events)
    expect(cursorAt(track, T)).toBeNull()
    expect(cursorAt(track, T + 200)).toEqual({ x: 10, y: 20, click: null })
    expect(cursorAt(track, T + 1_100)).toEqual({ x: 50, y: 60, click: { x: 50, y: 60, age: 100 } })
    expect(cursorAt(track, T + 1_300)!.click).toBeNull()
  })
})

describe('maskEventsText', () => {
  it('masks page text in snapshots and mutations, not styles', () => {
    const snap = { type: 2, timestamp: T, data: { node: { type: 0, childNodes: [{ type: 2, tagName: 'style', childNodes: [{ type: 3, textContent: 'a{b:c}' }] }, { type: 2, tagName: 'p', childNodes: [{ type: 3, textContent: 'Jane Doe 42' }] }] } } }
    const mut = { type: 3, timestamp: T + 1, data: { source: 0, texts: [{ id: 5, value: 'card 4242' }], adds: [{ parentId: 1, node: { type: 3, textContent: 'hi there' } }], removes: [], attributes: [] } }
    const [s, m] = maskEventsText([snap, mut]) as unknown as [typeof snap, typeof mut]
    expect(JSON.stringify(s.data)).toContain('"a{b:c}"')
    expect(JSON.stringify(s.data)).toContain('"**** *** **"')
    expect(m.data.texts[0]!.value).toBe('**** ****')
    expect(m.data.adds[0]!.node.textContent).toBe('** *****')
  })
})
