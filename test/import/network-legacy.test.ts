// A recording whose network requests came from the legacy `posthog/network@1` plugin derives the
// same network events as the same recording with `rrweb/network@1`. The legacy file is made from
// S3's PostHog export by rewriting each request into the positional payload posthog-js emitted
// (one entry per plugin event, stamped with key 40), using PostHog's PerformanceEventReverseMapping.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { importOne, samplesDir, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())

/** Named request field → numeric key (PostHog/posthog performance-event-utils.ts, PerformanceEventReverseMapping). */
const POSITION: Record<string, number> = {
  entryType: 0, timeOrigin: 1, name: 2, startTime: 3, redirectStart: 4, redirectEnd: 5, workerStart: 6, fetchStart: 7,
  domainLookupStart: 8, domainLookupEnd: 9, connectStart: 10, secureConnectionStart: 11, connectEnd: 12, requestStart: 13,
  responseStart: 14, responseEnd: 15, decodedBodySize: 16, encodedBodySize: 17, initiatorType: 18, nextHopProtocol: 19,
  renderBlockingStatus: 20, responseStatus: 21, transferSize: 22, domComplete: 29, domInteractive: 31, loadEventEnd: 32,
  loadEventStart: 33, redirectCount: 34, unloadEventEnd: 36, unloadEventStart: 37, duration: 39, timestamp: 40,
}

interface Snap { type: number; timestamp: number; data: { plugin?: string; payload?: { requests?: Record<string, unknown>[] } }; [k: string]: unknown }

function toLegacy(ev: Snap): Snap[] {
  return ev.data.payload!.requests!.map((r) => {
    const payload: Record<string, unknown> = {}
    for (const [field, key] of Object.entries(POSITION)) if (r[field] !== undefined) payload[key] = r[field]
    // Wrapped fetches carry `status`; the legacy plugin only had the performance entry's status.
    if (r.status !== undefined) payload[21] = r.status
    return { ...ev, timestamp: typeof r.timestamp === 'number' ? r.timestamp : ev.timestamp, data: { plugin: 'posthog/network@1', payload } }
  })
}

const network = (store: Store, sid: string) =>
  store.events.bySession(sid, { type: 'network' }).map((e) => ({ time_ms: e.time_ms, status: e.http_status, method: e.http_method, url: e.http_url, window: e.window_id }))

describe('posthog/network@1 recordings', () => {
  it('S3 with its requests rewritten into the legacy plugin derives the same network events (no method)', async () => {
    const src = path.join(samplesDir, 'S3-search-500-spa.posthog-export.json')
    const doc = JSON.parse(fs.readFileSync(src, 'utf8')) as { data: { id: string; snapshots: Snap[] } }
    const sid = doc.data.id
    const isRrwebNet = (e: Snap) => e.type === 6 && e.data.plugin === 'rrweb/network@1'
    expect(doc.data.snapshots.filter(isRrwebNet).length).toBe(11)
    doc.data.snapshots = doc.data.snapshots.flatMap((e) => (isRrwebNet(e) ? toLegacy(e) : [e]))
    expect(doc.data.snapshots.some(isRrwebNet)).toBe(false)
    const legacyFile = t.file('S3-legacy-network.posthog-export.json')
    fs.writeFileSync(legacyFile, JSON.stringify(doc))

    const a = withStore(t.dir, 'rrweb-network.db')
    const b = withStore(t.dir, 'legacy-network.db')
    const c = withStore(t.dir, 'legacy-network-staged.db')
    try {
      expect(await importOne(a, src)).toMatchObject({ error: null, sessions: 1 })
      expect(await importOne(b, legacyFile)).toMatchObject({ error: null, sessions: 1 })
      const modern = network(a, sid)
      const legacy = network(b, sid)
      expect(modern.length).toBe(16)
      // Status, url, time and window line up one to one; the legacy plugin never recorded methods.
      expect(legacy).toEqual(modern.map((e) => ({ ...e, method: null })))
      expect(modern.filter((e) => e.status === 500).map((e) => e.method)).toEqual(['GET', 'GET'])
      const failed = legacy.filter((e) => e.status === 500)
      expect(failed.map((e) => new URL(e.url!).pathname)).toEqual(['/api/search', '/api/search'])
      // The rest of what the recording derives is untouched by the rewrite.
      const others = (s: Store) => s.events.bySession(sid, { origin: 'rrweb' }).filter((e) => e.type !== 'network').map((e) => [e.type, e.time_ms, e.uuid])
      expect(others(b)).toEqual(others(a))
      expect(b.sessions.get(sid)).toMatchObject({ errors: a.sessions.get(sid)!.errors })
      // The staged build path derives through the same code.
      expect(await importOne(c, legacyFile, { directBuild: false })).toMatchObject({ error: null, sessions: 1 })
      expect(network(c, sid)).toEqual(legacy)
    } finally {
      a.close()
      b.close()
      c.close()
    }
  })
})
