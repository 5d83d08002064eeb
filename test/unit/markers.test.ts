import { describe, expect, it } from 'vitest'
import type { SessionEvent } from '../../shared/model'
import { groupMarkers, toMarkers, withoutTwins, type Marker } from '../../renderer/player/markers'

const ev = (id: number, type: string, time_ms: number, extra: Partial<SessionEvent> = {}): SessionEvent => ({
  id, origin: type.startsWith('$') ? 'product' : 'rrweb', time_ms, type, window_id: 'w1', url: 'https://s.test/a', el_text: null, el_selector: null,
  exc_type: null, exc_message: null, http_status: null, http_method: null, http_url: null, duration_ms: null, noise: false, ...extra,
})

describe('timeline markers and the event list', () => {
  it('marks errors, failed requests, rage and dead clicks; skips successful requests', () => {
    const m = toMarkers([
      ev(1, 'click', 1000, { el_text: 'Pay' }),
      ev(2, 'network', 1100, { http_status: 200 }),
      ev(3, 'network', 1200, { http_status: 503, http_method: 'POST', http_url: 'https://s.test/api/pay' }),
      ev(4, '$exception', 1300, { exc_type: 'TypeError', exc_message: 'x is undefined' }),
      ev(5, '$rageclick', 1400, { el_text: 'Pay' }),
      ev(6, 'console_error', 1500, { window_id: 'w2' }),
    ], 'w1')
    expect(m.map((x) => x.kind)).toEqual(['click', 'error', 'error', 'rage'])
    expect(m[1]!.label).toBe('POST https://s.test/api/pay → 503')
  })

  it('drops click markers when there are too many to see anything else', () => {
    const many = Array.from({ length: 400 }, (_, i) => ev(i, 'click', i * 100))
    expect(toMarkers([...many, ev(999, '$exception', 5)], null).map((x) => x.kind)).toEqual(['error'])
  })

  it('lists a click once when PostHog captured it too, but keeps clicks it did not', () => {
    const list = withoutTwins([
      ev(1, '$autocapture', 1000, { el_text: 'Pay' }),
      ev(2, 'click', 1040, { el_text: 'Pay' }),
      ev(3, 'click', 5000, { el_text: 'Pay' }),
      ev(4, '$pageview', 0),
      ev(5, 'navigation', 20),
      ev(6, 'click', 1040, { el_text: 'Other' }),
    ])
    expect(list.map((e) => e.id)).toEqual([1, 3, 4, 6])
  })
})

describe('marker groups on the timeline', () => {
  const mk = (time: number, label = `m${time}`): Marker => ({ time, kind: 'click', label })
  it('five clicks within 6 px are one group of five; every marker stays in exactly one group', () => {
    // The demo: 80 s on an 800 px bar is 100 ms a pixel; five clicks at 63.0–63.5 s.
    const clicks = [63_000, 63_100, 63_200, 63_300, 63_500].map((t) => mk(t))
    const all = [mk(10_000), ...clicks, mk(70_000)]
    const groups = groupMarkers(all, 0, 80_000, 800)
    expect(groups.map((g) => g.markers.length)).toEqual([1, 5, 1])
    expect(groups[1]!.time).toBe(63_000)
    expect(groups.flatMap((g) => g.markers).sort((a, b) => a.time - b.time)).toEqual(all)
  })
  it('markers 6 px apart or more stay apart, in time order whatever the input order', () => {
    const groups = groupMarkers([mk(1_200), mk(0), mk(600)], 0, 80_000, 800)
    expect(groups.map((g) => g.markers.map((m) => m.time))).toEqual([[0], [600], [1_200]])
  })
})
