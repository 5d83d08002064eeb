// Third-party noise shown muted (issue 13): errors thrown by another origin's script, benign
// browser chatter and failed requests to other hosts are grey markers, listed apart, and not in
// the red Errors count. Checked on every sample against truth.json: S6's files hold only noise
// (a broken third-party widget: "every error, warning and failed request ... comes from a broken
// third-party snippet", each listed under `noise`), the others hold none.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sessionEvents } from '../../electron/replay'
import { isProblem, toMarkers } from '../../renderer/player/markers'
import { isNoiseEvent } from '../../shared/noise'
import { importOne, samplesDir, tmp, truth, withStore } from '../import/helpers'

const t = tmp()
afterAll(() => t.cleanup())

type Noise = { kind: string; t_ms: number; evidence_in_file?: string[] }
const noiseOf = (name: string) => ((truth.files[name]!.sessions[0] as unknown as { noise?: Noise[] }).noise ?? [])

describe.each(Object.keys(truth.files))('%s', (name) => {
  it('mutes exactly what truth.json lists as noise; the Errors count leaves it out', async () => {
    const store = withStore(t.dir, `${name}.db`)
    try {
      const r = await importOne(store, path.join(samplesDir, name))
      expect(r.error).toBeNull()
      const ts = truth.files[name]!.sessions[0]!
      const s = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 1, offset: 0 }).rows[0]!
      const events = sessionEvents(store, s.id)
      const problems = events.filter(isProblem)
      const markers = toMarkers(events, null)
      const truthNoise = noiseOf(name)
      // Every error and failed request, counted as before (product exceptions and recorded console
      // errors report the same failures twice): the count without muting.
      const unmuted = Math.max(events.filter((e) => e.type === '$exception').length, events.filter((e) => e.type === 'console_error').length)
      if (truthNoise.length) {
        expect(problems.length, 'S6 has errors and failed requests').toBeGreaterThan(0)
        expect(problems.filter((e) => !e.noise).map((e) => `${e.type} ${e.exc_message ?? e.http_url}`)).toEqual([])
        expect(s.errors, `Errors without noise (was ${unmuted})`).toBe(0)
        expect(markers.filter((m) => m.kind === 'error')).toEqual([])
        // Each noise entry of truth.json that the file holds evidence of (its time from the
        // file's start) has a grey marker at its moment.
        const grey = markers.filter((m) => m.kind === 'noise').map((m) => m.time - ts.start_ms)
        for (const n of truthNoise.filter((x) => x.evidence_in_file?.length)) expect(grey.some((g) => Math.abs(g - n.t_ms) <= 150), `${n.kind} at +${n.t_ms} ms: grey markers at ${grey.join(', ')}`).toBe(true)
      } else {
        expect(problems.filter((e) => e.noise).map((e) => `${e.type} ${e.exc_message ?? e.http_url}`)).toEqual([])
        expect(s.errors).toBe(unmuted)
        expect(markers.filter((m) => m.kind === 'noise')).toEqual([])
      }
    } finally {
      store.close()
    }
  })
})

describe('the noise rule', () => {
  const page = 'https://shop.test/cart'
  it('an error is noise when its script is on another host, or it is benign chatter', () => {
    const err = (type: string, exc_message: string, props: Record<string, unknown>, url: string | null = page) => isNoiseEvent({ type, url, exc_message, http_url: null }, props)
    expect(err('console_error', 'Uncaught TypeError: x', { trace: ['at w (https://cdn.widget.test/w.min.js:1:2)'] })).toBe(true)
    expect(err('console_error', 'Uncaught TypeError: x', { trace: ['at pay (https://shop.test/app.js:1:2)'] })).toBe(false)
    expect(err('$exception', 'x', { $exception_list: [{ stacktrace: { frames: [{ filename: 'https://cdn.widget.test/w.js' }] } }] })).toBe(true)
    expect(err('$exception', 'ResizeObserver loop completed with undelivered notifications', {})).toBe(true)
    expect(err('$exception', 'Script error.', {})).toBe(true)
    // No script named, or no page to compare with: not noise (never hide what may matter).
    expect(err('$exception', 'x is undefined', {})).toBe(false)
    expect(err('console_error', 'x', { trace: ['https://cdn.widget.test/w.js'] }, null)).toBe(false)
  })

  it('a request is noise when it goes to another host than the page', () => {
    const req = (http_url: string) => isNoiseEvent({ type: 'network', url: page, exc_message: null, http_url }, {})
    expect(req('https://collect.widget.test/beacon')).toBe(true)
    expect(req('https://shop.test/api/pay')).toBe(false)
    expect(req('/api/pay')).toBe(false)
  })
})
