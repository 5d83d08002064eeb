// The window a replay shows at a moment (shared/window-at.ts): PostHog's rule on hand-made cases,
// segments equal to the rule at every ms, and the two-tab sample through the real import.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { replayMeta } from '../../electron/replay'
import { openStore } from '../../electron/store'
import { activeWindowAt, activityOf, segmentAt, windowAt, windowRuns, windowSegments, type WindowActivity, type WindowSpan } from '../../shared/window-at'
import { sharedSamples, tempDir } from '../helpers'

const W = (window_id: string, first_ms: number, last_ms: number): WindowSpan => ({ window_id, first_ms, last_ms })

describe('activeWindowAt', () => {
  // Tab a from 0 to 20 s; tab b opened at 5 s (its Meta + FullSnapshot), read until 12 s; back in a.
  const windows = [W('a', 0, 20_000), W('b', 5_000, 14_000)]
  const activity: WindowActivity = { a: [[0, 3_000], [15_000, 18_000]], b: [[5_000, 5_010], [9_000, 12_000]] }

  it('follows the latest interaction, whichever window it was in', () => {
    expect(activeWindowAt(windows, activity, 1_000)).toBe('a')
    expect(activeWindowAt(windows, activity, 4_000)).toBe('a') // idle in a: stays
    expect(activeWindowAt(windows, activity, 5_000)).toBe('b') // the new tab's first frame takes the view
    expect(activeWindowAt(windows, activity, 7_000)).toBe('b')
    expect(activeWindowAt(windows, activity, 11_000)).toBe('b')
    expect(activeWindowAt(windows, activity, 14_500)).toBe('a') // b's recording has ended: a, though idle
    expect(activeWindowAt(windows, activity, 15_000)).toBe('a')
    expect(activeWindowAt(windows, activity, 19_000)).toBe('a')
  })

  it("keeps the window until its recording ends, even when a background tab's later activity ended before t", () => {
    // b is still recording after its last interaction; a's activity ended earlier: b stays.
    expect(activeWindowAt(windows, activity, 13_999)).toBe('b')
    expect(activeWindowAt(windows, activity, 14_000)).toBe('b')
    expect(activeWindowAt(windows, activity, 14_001)).toBe('a')
  })

  it('two spans running at once: the one that began later (the window the user moved to)', () => {
    const act: WindowActivity = { a: [[0, 10_000]], b: [[6_000, 8_000]] }
    expect(activeWindowAt(windows, act, 7_000)).toBe('b')
    expect(activeWindowAt(windows, act, 9_000)).toBe('a') // b's ended at 8 s, a's runs on
  })

  it('without activity, the first window covering t (windowAt)', () => {
    expect(activeWindowAt(windows, {}, 6_000)).toBe('a')
    expect(windowAt(windows, 6_000)).toBe('a')
    expect(activeWindowAt([W('a', 0, 1_000), W('b', 2_000, 3_000)], {}, 1_500)).toBe('a')
    expect(activeWindowAt([W('a', 0, 1_000), W('b', 2_000, 3_000)], {}, 5_000)).toBe('b')
    expect(activeWindowAt([W('a', 0, 9_000), W('b', 2_000, 3_000)], { b: [[2_000, 3_000]] }, 9_500)).toBe('a') // after all: the last to end
    expect(activeWindowAt([], {}, 0)).toBeNull()
  })
})

describe('windowSegments', () => {
  it('equals activeWindowAt at every ms (random sessions)', () => {
    let seed = 7
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let k = 0; k < 20; k++) {
      const ids = ['x', 'y', 'z'].slice(0, 1 + rnd(3))
      const windows = ids.map((id) => {
        const a = rnd(800)
        return W(id, a, a + rnd(1200))
      }).sort((p, q) => p.first_ms - q.first_ms)
      const activity: Record<string, [number, number][]> = {}
      for (const w of windows) {
        activity[w.window_id] = []
        for (let i = rnd(4); i > 0; i--) {
          const a = w.first_ms + rnd(Math.max(1, w.last_ms - w.first_ms))
          activity[w.window_id]!.push([a, Math.min(w.last_ms, a + rnd(300))])
        }
      }
      const segs = windowSegments(windows, activity, 0, 2_100)
      expect(segs[0]!.start_ms).toBe(0)
      expect(segs.at(-1)!.end_ms).toBe(2_100)
      for (let i = 1; i < segs.length; i++) {
        expect(segs[i]!.start_ms).toBe(segs[i - 1]!.end_ms + 1)
        expect(segs[i]!.window_id).not.toBe(segs[i - 1]!.window_id)
      }
      for (let t = 0; t <= 2_100; t++) expect(segmentAt(segs, t)?.window_id, `case ${k} t ${t}`).toBe(activeWindowAt(windows, activity, t))
      expect(segmentAt(segs, 10.5)?.window_id).toBe(activeWindowAt(windows, activity, 10))
    }
  })

  it('windowRuns: pinned window throughout, else the rule', () => {
    const windows = [W('a', 0, 100), W('b', 50, 100)]
    const act = { a: [[0, 10]], b: [[50, 60]] } as WindowActivity
    expect(windowRuns(windows, [0, 40, 55, 90], undefined, act)).toEqual([{ window_id: 'a', times: [0, 40] }, { window_id: 'b', times: [55, 90] }])
    expect(windowRuns(windows, [0, 40, 55, 90], 'a', act)).toEqual([{ window_id: 'a', times: [0, 40, 55, 90] }])
  })
})

describe('the two-tab sample (S4, PostHog export)', () => {
  const tmp = tempDir('sightline-window-at-')
  afterAll(() => tmp.cleanup())

  it('shows tab 2 while the user reads the care guide there, tab 1 before and after', async () => {
    const store = openStore(path.join(tmp.dir, 's4.db'))
    try {
      const [r] = await importFiles(store, [path.join(sharedSamples, 'sessions/S4-two-tabs.posthog-export.json.gz')])
      expect(r!.error).toBeNull()
      const meta = replayMeta(store, r!.session_ids![0]!)
      expect(meta.windows.map((w) => w.window_id)).toEqual(['1', '2'])
      const t0 = meta.windows[0]!.first_ms
      const act = activityOf(meta.windows)
      const at = (s: number) => activeWindowAt(meta.windows, act, t0 + s * 1000)
      // The recording: product page in tab 1, the care guide opens in tab 2 at +5.05 s (its Meta),
      // clicks there at +10.1–10.65 s, where tab 2's recording ends (+10.665 s); tab 1 again from
      // then (PostHog: a window whose events have ended gives the view to one still recording),
      // clicks in tab 1 from +15.6 s, basket at +18.8 s.
      expect([at(1), at(4), at(5.055), at(10.1), at(10.5), at(10.665), at(11), at(15.6), at(17), at(18.9)]).toEqual(['1', '1', '2', '2', '2', '2', '1', '1', '1', '1'])
      // As PostHog: tab 1's mouse move at +5.073 s (a batch of positions from before the switch)
      // takes the view back until tab 2's next interaction.
      expect(at(7)).toBe('1')
      const segs = windowSegments(meta.windows, act, t0, Math.max(...meta.windows.map((w) => w.last_ms)))
      expect(segs.map((s) => [s.window_id, s.start_ms - t0])).toEqual([['1', 0], ['2', 5_052], ['1', 5_063], ['2', 10_068], ['1', 10_666]])
    } finally {
      store.close()
    }
  })
})
