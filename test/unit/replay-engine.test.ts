import { describe, expect, it } from 'vitest'
import { frameTime, seekTime, skipTarget } from '../../shared/replay-engine'

// Two page loads (Meta at 100 and 500, their FullSnapshots 30 ms later), and a third page opened
// at 900 whose snapshot was never recorded.
const ev = (type: number, timestamp: number) => ({ type, timestamp })
const events = [ev(0, 90), ev(4, 100), ev(2, 130), ev(3, 300), ev(4, 500), ev(2, 530), ev(3, 700), ev(4, 900), ev(3, 950)]

describe('frameTime: where a frame at t is drawn', () => {
  it.each([
    [0, 131, 'before the first page: its first frame'],
    [100, 131, 'at the Meta: just after its FullSnapshot'],
    [130, 131, 'at the FullSnapshot itself (events before t apply)'],
    [131, 131, 'a page is shown: t itself'],
    [499, 499, 'just before a navigation'],
    [500, 531, 'at a navigation: the new page'],
    [899, 899, 'before the last Meta'],
    [900, 899, 'a page never recorded: the last page shown'],
    [960, 899, 'after it too'],
  ])('t=%i → %i (%s)', (t, want) => expect(frameTime(events, t)).toBe(want))
})

describe('seekTime and skipTarget', () => {
  it('seek targets are whole ms inside the range', () => {
    expect(seekTime(1234.6, { start: 0, end: 5000 })).toBe(1235)
    expect(seekTime(-4, { start: 10, end: 5000 })).toBe(10)
    expect(seekTime(9e9, { start: 10, end: 5000 })).toBe(5000)
  })
  it('an idle gap is skipped to its end; its end and outside it are not', () => {
    const gaps: [number, number][] = [[1000, 79_000], [90_000, 96_000]]
    expect(skipTarget(gaps, 1000)).toBe(79_000)
    expect(skipTarget(gaps, 50_000)).toBe(79_000)
    expect(skipTarget(gaps, 79_000)).toBeNull()
    expect(skipTarget(gaps, 500)).toBeNull()
    expect(skipTarget(gaps, 95_999)).toBe(96_000)
  })
})
