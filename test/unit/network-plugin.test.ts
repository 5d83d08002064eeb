// The network plugin decoder, above all the legacy `posthog/network@1` positional payload.
// Fixtures are written with literal numeric keys from PostHog's PerformanceEventReverseMapping
// (PostHog/posthog frontend/src/scenes/session-recordings/apm/performance-event-utils.ts) and the
// payload shape posthog-js emitted (one PerformanceEntry per plugin event, timestamp = key 40),
// so a wrong key in the decoder's table fails here.
import { describe, expect, it } from 'vitest'
import { decodeNetworkPlugin, Deriver, LEGACY_NETWORK_FIELDS } from '../../electron/import/derive'

const LEGACY = 'posthog/network@1'

/** A failed fetch as the legacy plugin recorded it (PerformanceResourceTiming.toJSON(), positional). */
const legacyFetch500 = {
  '0': 'resource', // entry_type
  '1': 1795447132226, // time_origin
  '2': 'https://shop.test/api/search?q=x', // name
  '3': 12183, // start_time
  '7': 12182.6, // fetch_start
  '13': 12186.9, // request_start
  '14': 12188.6, // response_start
  '15': 12190, // response_end
  '16': 44, // decoded_body_size
  '17': 44, // encoded_body_size
  '18': 'fetch', // initiator_type
  '19': 'http/1.1', // next_hop_protocol
  '20': 'non-blocking', // render_blocking_status
  '21': 500, // response_status
  '22': 344, // transfer_size
  '39': 7.4, // duration
  '40': 1795447144409, // timestamp
}

describe('posthog/network@1 (legacy positional payload)', () => {
  it('decodes url, status, time, initiator, duration and size from their numeric keys', () => {
    expect(decodeNetworkPlugin(LEGACY, legacyFetch500)).toEqual([
      {
        index: 0,
        time: 1795447144409,
        url: 'https://shop.test/api/search?q=x',
        method: null, // the legacy plugin never recorded the method
        status: 500,
        initiator: 'fetch',
        entry_type: 'resource',
        duration_ms: 7,
        transfer_size: 344,
        initial: false,
      },
    ])
  })

  it('the table is PostHog’s: base, resource, LCP and navigation columns, 38 unused', () => {
    expect(Object.keys(LEGACY_NETWORK_FIELDS).map(Number)).toEqual([...Array.from({ length: 38 }, (_, i) => i), 39, 40])
    expect(LEGACY_NETWORK_FIELDS).toMatchObject({ 0: 'entryType', 1: 'timeOrigin', 2: 'name', 3: 'startTime', 18: 'initiatorType', 21: 'responseStatus', 22: 'transferSize', 35: 'navigationType', 39: 'duration', 40: 'timestamp' })
  })

  it('a v1 payload without key 40 is timed by time origin + start time; without either, by its event', () => {
    const { '40': _ts, ...v1 } = legacyFetch500
    expect(decodeNetworkPlugin(LEGACY, v1)[0]!.time).toBe(1795447132226 + 12183)
    const { '1': _origin, ...bare } = v1
    expect(decodeNetworkPlugin(LEGACY, bare)[0]!.time).toBeNull()
  })

  it('a navigation entry is a request; a status of 0 or none is unknown (null)', () => {
    const nav = { '0': 'navigation', '1': 1000, '2': 'https://shop.test/', '3': 0, '18': 'navigation', '21': 0, '39': 577.5, '40': 1000, '35': 'navigate' }
    expect(decodeNetworkPlugin(LEGACY, nav)).toMatchObject([{ url: 'https://shop.test/', status: null, entry_type: 'navigation', duration_ms: 578, time: 1000 }])
    const { '21': _s, ...noStatus } = legacyFetch500
    expect(decodeNetworkPlugin(LEGACY, noStatus)[0]!.status).toBeNull()
  })

  it('paint, first-input, LCP and server-timing entries are not requests', () => {
    const base = { '1': 1000, '3': 10, '40': 1010 }
    for (const entryType of ['paint', 'first-input', 'largest-contentful-paint', 'serverTiming']) {
      expect(decodeNetworkPlugin(LEGACY, { ...base, '0': entryType, '2': 'first-contentful-paint' }), entryType).toEqual([])
    }
    expect(decodeNetworkPlugin(LEGACY, { '0': 'largest-contentful-paint', '2': '', '28': 'https://shop.test/hero.png', '26': 12000 })).toEqual([])
  })

  it('a positional array decodes as PostHog’s `key in` lookup would', () => {
    const arr: unknown[] = []
    arr[0] = 'resource'
    arr[2] = 'https://shop.test/a.js'
    arr[21] = 404
    arr[40] = 5000
    expect(decodeNetworkPlugin(LEGACY, arr)).toMatchObject([{ url: 'https://shop.test/a.js', status: 404, time: 5000 }])
  })

  it('malformed payloads give no request and never throw', () => {
    for (const bad of [null, undefined, 0, 'x', true, {}, [], { requests: [legacyFetch500] }, { '2': 42, '21': 500 }, { '0': 'resource', '21': 500 }]) {
      expect(decodeNetworkPlugin(LEGACY, bad), JSON.stringify(bad)).toEqual([])
    }
    // Wrong types in single fields drop only those fields.
    expect(decodeNetworkPlugin(LEGACY, { ...legacyFetch500, '21': 'oops', '39': 'slow', '40': 'late' })).toMatchObject([
      { url: 'https://shop.test/api/search?q=x', status: null, duration_ms: null, time: 1795447132226 + 12183 },
    ])
  })
})

describe('rrweb/network@1 and the legacy plugin decode alike', () => {
  it('the same request in either shape gives the same fields (the legacy one has no method)', () => {
    const named = Object.fromEntries(Object.entries(legacyFetch500).map(([k, v]) => [LEGACY_NETWORK_FIELDS[k]!, v]))
    const [fromNamed] = decodeNetworkPlugin('rrweb/network@1', { requests: [named] })
    expect(decodeNetworkPlugin(LEGACY, legacyFetch500)).toEqual([fromNamed])
    const [withMethod] = decodeNetworkPlugin('rrweb/network@1', { requests: [{ ...named, method: 'GET', status: 500 }] })
    expect(withMethod).toEqual({ ...fromNamed, method: 'GET' })
  })

  it('rrweb requests keep their payload index, skip server timings, and fall back to `url` for the name', () => {
    const reqs = decodeNetworkPlugin('rrweb/network@1', {
      requests: [
        'junk',
        { name: 'db', entryType: 'serverTiming', duration: 3, timestamp: 10 },
        { url: 'https://shop.test/api/x', method: 'POST', status: 201, startTime: 5, timeOrigin: 100 },
      ],
    })
    expect(reqs).toMatchObject([{ index: 2, url: 'https://shop.test/api/x', method: 'POST', status: 201, time: 105 }])
  })

  it('other plugins give nothing', () => {
    expect(decodeNetworkPlugin('rrweb/console@1', { level: 'error', payload: [] })).toEqual([])
    expect(decodeNetworkPlugin(undefined, legacyFetch500)).toEqual([])
  })
})

describe('Deriver', () => {
  it('derives a network event from a legacy plugin event with the uuid scheme of rrweb/network@1', () => {
    const d = new Deriver('s1', 'w1')
    d.push({ type: 4, timestamp: 1795447130000, data: { href: 'https://shop.test/search', width: 1280, height: 800 } }, 1n)
    d.push({ type: 6, timestamp: 1795447144409, data: { plugin: LEGACY, payload: legacyFetch500 } }, 0xabcn)
    d.push({ type: 6, timestamp: 1795447144500, data: { plugin: LEGACY, payload: 'garbage' } }, 0xabdn)
    const net = d.drain(true).filter((e) => e.type === 'network')
    expect(net).toMatchObject([
      {
        uuid: 'rr:s1:w1:abc:0',
        time_ms: 1795447144409,
        url: 'https://shop.test/search',
        http_status: 500,
        http_method: null,
        http_url: 'https://shop.test/api/search?q=x',
      },
    ])
    expect(JSON.parse(net[0]!.properties)).toEqual({ initiator: 'fetch', entry_type: 'resource', duration_ms: 7, transfer_size: 344, initial: false })
  })
})
