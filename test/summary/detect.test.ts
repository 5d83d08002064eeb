// The detectors on hand-made timelines: the thresholds (rage 3 clicks ≤ 1 s apart within 30 px,
// dead = nothing within 2.5 s) and the AI-feature signals of seed 002, which no sample exercises.
import { describe, expect, it } from 'vitest'
import type { Moment } from '../../electron/sessions/timeline'
import { detectOn as run, moment as m } from './timeline-fixture'

const click = (t: number, over: Partial<Moment> = {}) => m('click', t, { text: 'Pay', selector: 'button#pay', tag: 'button', x: 100, y: 100, ...over })
const types = (flags: { type: string }[]) => flags.map((f) => f.type)

describe('rage clicks (PostHog: 3 clicks, each < 1000 ms and < 30 px from the previous)', () => {
  const mut = [0, 500, 1000, 1500, 2000, 2500, 3000, 3500] // the page reacts: not dead
  it('3 quick clicks on one spot are rage; 2 are not; a 1.1 s gap breaks the burst; 40 px apart is another spot', () => {
    expect(types(run([click(0), click(400), click(800)], mut))).toEqual(['rage_click'])
    expect(types(run([click(0), click(400)], mut))).toEqual([])
    expect(types(run([click(0), click(400), click(1500)], mut))).toEqual([])
    expect(types(run([click(0), click(400, { x: 140 }), click(800, { x: 180 })], mut))).toEqual([])
    // 25 px (Manhattan) from the previous click each time: still one spot for PostHog.
    expect(types(run([click(0), click(400, { x: 115, y: 110 }), click(800, { x: 130, y: 120 })], mut))).toEqual(['rage_click'])
  })
  it('fast clicks in a text field select text: not rage', () => {
    const field = (t: number) => click(t, { selector: 'input#q', tag: 'input', text: 'q' })
    expect(types(run([field(0), field(200), field(400)], [0, 300]))).toEqual([])
  })
  it('is blocking when the clicks throw first-party errors', () => {
    const err = (t: number) => m('exception', t, { exc_type: 'TypeError', message: 'x is undefined', script_url: 'https://shop.test/app.js' })
    const flags = run([click(0), err(5), click(300), err(305), click(600), err(605)], mut)
    expect(flags.find((f) => f.type === 'rage_click')).toMatchObject({ blocking: true, label: 'blocking' })
  })
})

describe('dead clicks (nothing within 2.5 s)', () => {
  it('a click with no mutation, navigation or request is dead; a reaction at 2.4 s saves it, one at 2.6 s does not', () => {
    expect(types(run([click(0)]))).toEqual(['dead_click'])
    expect(types(run([click(0)], [2400]))).toEqual([])
    expect(types(run([click(0)], [2600]))).toEqual(['dead_click'])
    expect(types(run([click(0), m('network', 800, { initiator: 'fetch', method: 'POST', status: 200, http_url: 'https://shop.test/api/x' })]))).toEqual([])
    expect(types(run([click(0), m('nav', 300, { url: 'https://shop.test/next' })]))).toEqual([])
  })
  it('clicking into a field is not dead', () => {
    expect(types(run([click(0, { selector: 'input#email', tag: 'input', text: 'email' })]))).toEqual([])
  })
})

describe('errors and requests after an action', () => {
  it('a failing API call right after a click is blocking; a third-party beacon failing is not flagged', () => {
    const api = m('network', 200, { initiator: 'fetch', method: 'POST', status: 500, http_url: 'https://shop.test/api/orders' })
    expect(run([click(0), api], [100]).find((f) => f.type === 'http_error_after_action')).toMatchObject({ blocking: true })
    const beacon = m('network', 200, { initiator: 'fetch', method: 'GET', status: 404, http_url: 'https://collect.widget.test/beacon' })
    expect(types(run([click(0), beacon], [100]))).toEqual([])
  })
  it('third-party and benign errors are noise, even right after a click', () => {
    const widget = m('exception', 50, { exc_type: 'TypeError', message: 'boom', script_url: 'https://cdn.widget.test/w.js' })
    const ro = m('exception', 60, { message: 'ResizeObserver loop completed with undelivered notifications.' })
    expect(types(run([click(0), widget, ro], [100]))).toEqual([])
  })
})

describe('form abandonment and quick back', () => {
  const typed = (t: number, sel: string) => m('input', t, { selector: sel, chars: 10, typing_ms: 2000 })
  it('two fields typed, then gone without submitting, is abandonment (friction); a failed submit makes it blocking', () => {
    const left = [typed(0, 'input#a'), typed(3000, 'input#b'), m('nav', 9000, { url: 'https://shop.test/' })]
    expect(run(left).find((f) => f.type === 'form_abandoned')).toMatchObject({ blocking: false, label: 'friction' })
    const failed = [typed(0, 'input#a'), typed(3000, 'input#b'), click(6000), m('network', 6100, { initiator: 'fetch', method: 'POST', status: 500, http_url: 'https://shop.test/api/o' }), m('pageleave', 9000)]
    expect(run(failed, [6200]).find((f) => f.type === 'form_abandoned')).toMatchObject({ blocking: true })
    const ok = [typed(0, 'input#a'), typed(3000, 'input#b'), click(6000), m('nav', 7000, { url: 'https://shop.test/thanks' })]
    expect(types(run(ok))).not.toContain('form_abandoned')
  })
  it('a page left for the previous one within 3 s is a quick back', () => {
    const navs = [m('nav', 0, { url: 'https://shop.test/a' }), m('nav', 5000, { url: 'https://shop.test/b' }), m('nav', 6500, { url: 'https://shop.test/a' })]
    expect(types(run(navs))).toContain('quick_back')
    const slow = [m('nav', 0, { url: 'https://shop.test/a' }), m('nav', 5000, { url: 'https://shop.test/b' }), m('nav', 15000, { url: 'https://shop.test/a' })]
    expect(types(run(slow))).not.toContain('quick_back')
  })
})

describe('AI-feature signals (seed 002)', () => {
  const chat = (t: number, typing: number) => m('input', t, { selector: 'textarea#chat-input', text: 'Ask the assistant', chars: 200, typing_ms: typing })
  it('an AI chat typed into for ≥ 30 s and never sent is abandoned; 20 s or a send is not', () => {
    expect(types(run([chat(0, 35_000)], [1000]))).toContain('ai_chat_abandoned')
    expect(types(run([chat(0, 20_000)], [1000]))).not.toContain('ai_chat_abandoned')
    const sent = [chat(0, 35_000), click(36_000, { text: 'Send', selector: 'button#send' }), m('network', 36_100, { initiator: 'fetch', method: 'POST', status: 200, http_url: 'https://shop.test/api/chat' })]
    expect(types(run(sent, [36_200]))).not.toContain('ai_chat_abandoned')
  })
  it('an AI answer followed within seconds by a search elsewhere is a bad-answer signal', () => {
    const answer = m('network', 1000, { initiator: 'fetch', method: 'POST', status: 200, http_url: 'https://shop.test/api/chat', duration_ms: 2000 })
    const search = m('nav', 9000, { url: 'https://shop.test/search?q=returns' })
    expect(run([click(0), answer, search], [1100]).find((f) => f.type === 'ai_bad_answer')).toMatchObject({ label: 'friction', evidence: [answer.id, search.id] })
    const late = m('nav', 60_000, { url: 'https://shop.test/search?q=returns' })
    expect(types(run([click(0), answer, late], [1100]))).not.toContain('ai_bad_answer')
  })
  it('an AI call that fails or times out is flagged; blocking right after the user asked', () => {
    const failed = m('network', 500, { initiator: 'fetch', method: 'POST', status: 502, http_url: 'https://shop.test/api/assistant' })
    expect(run([click(0), failed], [100]).find((f) => f.type === 'ai_call_failed')).toMatchObject({ blocking: true })
    const slow = m('network', 500, { initiator: 'fetch', method: 'POST', status: 200, duration_ms: 45_000, http_url: 'https://shop.test/api/chat' })
    expect(types(run([click(0), slow], [100]))).toContain('ai_call_failed')
    const event = m('ai', 700, { name: '$ai_generation', props: { $ai_is_error: true } })
    expect(types(run([click(0), event], [100]))).toContain('ai_call_failed')
  })
})
