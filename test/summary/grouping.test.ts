// One problem, one flag (issue 13): repetitions of one failure and the rage clicks it caused are
// one flag with all the evidence; counts in its text count each error once; PostHog's own
// $dead_click / $rageclick are evidence at their time; a request that never answers is a flag.
import { describe, expect, it } from 'vitest'
import type { Moment } from '../../electron/sessions/timeline'
import { detectOn as run, moment as m, T0 } from './timeline-fixture'

const click = (t: number, over: Partial<Moment> = {}) => m('click', t, { text: 'Place order', selector: 'button#pay', tag: 'button', x: 100, y: 100, ...over })
const post500 = (t: number) => m('network', t, { method: 'POST', http_url: 'https://shop.test/api/checkout', status: 500, initiator: 'fetch', duration_ms: 40 })
const logged = (t: number) => m('exception', t, { message: 'POST /api/checkout failed: HTTP 500 Internal Server Error', script_url: 'https://shop.test/app.js' })
const reacting = Array.from({ length: 40 }, (_, i) => i * 500)
/** A failed checkout: the click, its 500 and the console error the page logs. */
const attempt = (t: number) => [click(t), post500(t + 40), logged(t + 45)]

describe('one problem, one flag', () => {
  it('a failing checkout, then rage clicks that fail the same way, is one blocking flag with every piece of evidence', () => {
    const moments = [...attempt(0), ...[3500, 3700, 3900, 4100, 4300].flatMap(attempt)]
    const flags = run(moments, reacting).filter((f) => f.label !== 'noise')
    expect(flags).toHaveLength(1)
    const f = flags[0]!
    expect(f).toMatchObject({ type: 'rage_click', blocking: true, time_ms: T0 })
    expect(f.title).toMatch(/^POST \/api\/checkout → 500 after clicking 'Place order'/)
    expect(f.title).toContain('then 5 rapid clicks')
    // Every click, request and error of both, each once.
    expect(new Set(f.evidence).size).toBe(f.evidence.length)
    for (const x of moments) expect(f.evidence).toContain(x.id)
    expect(f.detail).toContain('6 failed requests, 6 errors')
  })

  it('the same failure again after a pause (a retry) is its own flag', () => {
    const flags = run([...attempt(0), ...attempt(8000)], reacting)
    expect(flags.map((f) => f.type)).toEqual(['http_error_after_action', 'http_error_after_action'])
  })

  it('rage clicks count each error they caused once', () => {
    const err = (t: number) => m('exception', t, { exc_type: 'TypeError', message: 'x is undefined', script_url: 'https://shop.test/app.js' })
    const flags = run([click(0), err(5), click(300), err(305), click(600), err(605)], reacting)
    const all = flags.map((f) => `${f.title} ${f.detail}`).join('\n')
    expect(all).toContain('3 errors')
    expect(all).not.toMatch(/\b6 errors\b/)
  })
})

describe("PostHog's own detectors", () => {
  it('a $dead_click where the recording shows a change is still a dead-click flag, with the event as evidence', () => {
    const c = click(0, { text: 'Send', selector: 'button#send' })
    const hint = m('deadclick_hint', 2, { origin: 'product', text: 'Send' })
    const flags = run([c, hint], [600])
    expect(flags.map((f) => f.type)).toEqual(['dead_click'])
    expect(flags[0]!.evidence).toContain(hint.id)
  })

  it('a $rageclick becomes evidence of the rage flag for those clicks, not a second flag', () => {
    const hint = m('rageclick_hint', 410, { origin: 'product', text: 'Place order' })
    const flags = run([click(0), click(200), click(400), hint], reacting)
    expect(flags.map((f) => f.type)).toEqual(['rage_click'])
    expect(flags[0]!.evidence).toContain(hint.id)
  })
})

describe('requests that never answer', () => {
  it('no response when the page is left, or one after 10 s, is a flag; a beacon is not', () => {
    const pending = m('network', 50, { method: 'POST', http_url: 'https://shop.test/api/orders', initiator: 'xmlhttprequest' })
    expect(run([click(0), pending], reacting).map((f) => [f.type, f.blocking])).toEqual([['request_unanswered', true]])
    const slow = m('network', 50, { method: 'GET', http_url: 'https://shop.test/api/search', initiator: 'fetch', status: 200, duration_ms: 12_000 })
    const flags = run([click(0), slow], reacting)
    expect(flags.map((f) => f.type)).toEqual(['request_unanswered'])
    expect(flags[0]!.title).toContain('took 12 s')
    const beacon = m('network', 50, { method: 'POST', http_url: 'https://shop.test/api/log', initiator: 'beacon' })
    expect(run([click(0), beacon], reacting)).toEqual([])
  })
})
