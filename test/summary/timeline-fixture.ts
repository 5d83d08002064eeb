// Hand-made timelines for the detectors: one recorded window w1 on one page, moments at T0 + t ms.
import { detect } from '../../electron/sessions'
import type { Moment, Timeline } from '../../electron/sessions/timeline'

export const T0 = 1_800_000_000_000
let nextId = 1
const PAGE = 'https://shop.test/checkout'

/** A moment of this kind at T0 + t ms, every field empty but what `over` sets. */
export function moment(kind: Moment['kind'], t: number, over: Partial<Moment> = {}): Moment {
  return {
    id: nextId++,
    t: T0 + t,
    window: 'w1',
    kind,
    url: PAGE,
    text: null,
    selector: null,
    tag: null,
    x: null,
    y: null,
    chars: null,
    typing_ms: null,
    exc_type: null,
    message: null,
    script_url: null,
    status: null,
    method: null,
    http_url: null,
    initiator: null,
    duration_ms: null,
    name: null,
    props: {},
    origin: 'rrweb',
    ...over,
  }
}

/** The detectors' flags for these moments in a two-minute session whose page reacts (DOM mutations) at these ms. */
export function detectOn(moments: Moment[], mutations: number[] = []) {
  const timeline: Timeline = { session_id: 's', start_ms: T0, end_ms: T0 + 120_000, windows: ['w1'], recorded: new Set(['w1']), moments, raw: [] }
  return detect({ timeline, reactions: new Map([['w1', { times: mutations.map((t) => T0 + t) }]]) })
}
