// A second export of the same session merges into it: nothing duplicated, windows kept apart,
// numeric window indexes of the newest PostHog export matched to the real $window_id.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { recording } from '../../bench/gen-recording'
import { importFiles } from '../../electron/import'
import { decodeChunk } from '../../electron/store/chunk-codec'
import { importOne, samplesDir, tmp, truth, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())
const S = (n: string) => path.join(samplesDir, n)
let dbs = 0
const fresh = () => withStore(t.dir, `merge-${++dbs}.db`)

describe('merging exports of one session', () => {
  it('capture JSONL, then the UI export: no new rrweb events, same session', async () => {
    const store = fresh()
    const a = await importOne(store, S('S1-happy-browse-and-buy.posthog-events.jsonl'))
    const sid = truth.files['S1-happy-browse-and-buy.posthog-events.jsonl']!.sessions[0]!.id!
    const row = store.sessions.get(sid)
    const b = await importOne(store, S('S1-happy-browse-and-buy.posthog-export.json'))
    expect(a).toMatchObject({ events: 26, snapshot_events: 251 })
    expect(b).toMatchObject({ error: null, already_imported: false, sessions: 1, events: 0, snapshot_events: 0 })
    expect(b.skipped).toContainEqual({ reason: 'rrweb event already imported (same window, time and content)', count: 251 })
    expect({ ...store.sessions.get(sid), source_id: 0 }).toEqual({ ...row, source_id: 0 })
    store.close()
  })

  it('UI export with numeric window ids, then the capture JSONL: windows renamed, not doubled', async () => {
    const store = fresh()
    const sid = truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.id!
    await importOne(store, S('S4-two-tabs.posthog-export.json.gz'))
    expect(store.chunks.windows(sid).map((w) => w.window_id)).toEqual(['1', '2'])
    const r = await importOne(store, S('S4-two-tabs.posthog-events.jsonl'))
    expect(r).toMatchObject({ error: null, events: 10, snapshot_events: 0 })
    expect(store.chunks.windows(sid).map((w) => w.window_id)).toEqual(truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.window_order)
    const s = store.sessions.get(sid)!
    expect(s).toMatchObject({ windows: 2, snapshot_events: 78, events: 10, active_ms: 18837 })
    // Derived events follow the rename.
    const wids = new Set(store.events.bySession(sid, { origin: 'rrweb' }).map((e) => e.window_id))
    expect([...wids].sort()).toEqual([...truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.windows].sort())
    store.close()
  })

  it('capture JSONL, then the export with numeric window ids: the real ids stay', async () => {
    const store = fresh()
    const sid = truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.id!
    await importOne(store, S('S4-two-tabs.posthog-events.jsonl'))
    const r = await importOne(store, S('S4-two-tabs.posthog-export.json.gz'))
    expect(r).toMatchObject({ error: null, events: 0, snapshot_events: 0 })
    expect(store.chunks.windows(sid)).toHaveLength(2)
    expect(store.sessions.get(sid)!.windows).toBe(2)
    expect(store.sessions.get(sid)!.snapshot_events).toBe(78)
    store.close()
  })

  it('events CSV, then the export with numeric window ids: matched by order of first event', async () => {
    const store = fresh()
    const sid = truth.files['S4-two-tabs.events.csv']!.sessions[0]!.id!
    await importOne(store, S('S4-two-tabs.events.csv'))
    const r = await importOne(store, S('S4-two-tabs.posthog-export.json.gz'))
    expect(r).toMatchObject({ error: null, snapshot_events: 78 })
    const windows = store.chunks.windows(sid)
    expect(windows.map((w) => w.window_id).sort()).toEqual([...truth.files['S4-two-tabs.events.csv']!.sessions[0]!.windows].sort())
    expect(windows.map((w) => w.snapshot_events).reduce((a, b) => a + b)).toBe(78)
    // The care guide opened in the second tab.
    const order = truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.window_order!
    expect(windows.find((w) => w.first_url?.includes('/guide/'))!.window_id).toBe(order[1])
    expect(store.sessions.get(sid)).toMatchObject({ windows: 2, events: 10, snapshot_events: 78 })
    // The capture file afterwards adds nothing and keeps two windows.
    const c = await importOne(store, S('S4-two-tabs.posthog-events.jsonl'))
    expect(c).toMatchObject({ error: null, events: 0, snapshot_events: 0 })
    expect(store.sessions.get(sid)).toMatchObject({ windows: 2 })
    store.close()
  })

  it('events CSV and capture JSONL: product events deduplicated by uuid', async () => {
    const store = fresh()
    const sid = truth.files['S2-checkout-typeerror-rage-leave.events.csv']!.sessions[0]!.id!
    const a = await importOne(store, S('S2-checkout-typeerror-rage-leave.events.csv'))
    const b = await importOne(store, S('S2-checkout-typeerror-rage-leave.posthog-events.jsonl'))
    expect(a.events).toBe(48)
    expect(b).toMatchObject({ events: 0, snapshot_events: 248 })
    expect(b.skipped).toContainEqual({ reason: 'product event already imported (same uuid)', count: 48 })
    const s = store.sessions.get(sid)!
    // With a recording the bounds are the recording's (as PostHog's player shows them).
    expect(s).toMatchObject({ events: 48, snapshot_events: 248, windows: 1, start_ms: 1795447073896, end_ms: 1795447117836, errors: 6 })
    store.close()
  })

  it('the same recording gzipped is recognised (same session, nothing new)', async () => {
    const store = fresh()
    const gz = t.file('s1.rrweb.json.gz')
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(S('S1-happy-browse-and-buy.rrweb.json'))))
    const [a, b] = await importFiles(store, [S('S1-happy-browse-and-buy.rrweb.json'), gz])
    expect(a).toMatchObject({ snapshot_events: 123 })
    expect(b).toMatchObject({ error: null, already_imported: false, snapshot_events: 0, sessions: 1 })
    expect(store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 10, offset: 0 }).total).toBe(1)
    store.close()
  })

  it('the same file imported twice at the same time lands once', async () => {
    const store = fresh()
    const f = S('S3-search-500-spa.posthog-events.jsonl')
    const [a, b] = await Promise.all([importOne(store, f), importOne(store, f)])
    expect([a!.already_imported, b!.already_imported].sort()).toEqual([false, true])
    expect(a!.error ?? b!.error).toBeNull()
    expect(store.sessions.get(truth.files['S3-search-500-spa.posthog-events.jsonl']!.sessions[0]!.id!)).toMatchObject({ events: 19, snapshot_events: 122 })
    store.close()
  })

  it('the identified person wins, whatever the import order', async () => {
    const sid = truth.files['S5-pii-order-refund-chat.posthog-events.jsonl']!.sessions[0]!.id!
    for (const order of [
      ['S5-pii-order-refund-chat.posthog-export.json', 'S5-pii-order-refund-chat.events.csv'],
      ['S5-pii-order-refund-chat.events.csv', 'S5-pii-order-refund-chat.posthog-export.json'],
    ]) {
      const store = fresh()
      await importFiles(store, order.map(S))
      expect(store.sessions.get(sid)!.distinct_id).toBe('cust_4711')
      store.close()
    }
  })

  it('two halves of one recording make the whole', async () => {
    const store = fresh()
    const ev = JSON.parse(fs.readFileSync(S('S3-search-500-spa.rrweb.json'), 'utf8')) as unknown[]
    const first = t.file('h1.json')
    const second = t.file('h2.json')
    const cut = Math.floor(ev.length * 0.6)
    fs.writeFileSync(first, JSON.stringify(ev.slice(0, cut)))
    // Overlapping by ten events: those must not be stored twice. The second half is a
    // continuation: it names the first file's session by starting with the same first page load
    // (a file without ids is named after its first full snapshot).
    fs.writeFileSync(second, JSON.stringify([...ev.slice(0, 4), ...ev.slice(cut - 10)]))
    const [a, b] = await importFiles(store, [first, second])
    expect(a!.error).toBeNull()
    expect(b!.error).toBeNull()
    expect(a!.snapshot_events + b!.snapshot_events).toBe(83)
    const s = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 10, offset: 0 }).rows[0]!
    const tr = truth.files['S3-search-500-spa.rrweb.json']!.sessions[0]!
    expect(s).toMatchObject({ snapshot_events: 83, start_ms: tr.start_ms, end_ms: tr.end_ms, active_ms: tr.active_ms })
    expect(store.events.bySession(s.id, { type: 'click' })).toHaveLength(8)
    store.close()
  })

  describe('windows recognised by content-sampled keys', () => {
    // 10 minutes at 20 Hz: ~12k events in one tab. The second export holds only its last third,
    // under the newest export's numeric window id: neither its first events nor its name match.
    const sid = 'keys-session'
    const all = [...recording({ durationMs: 600_000, start: Date.UTC(2026, 0, 2), pageEveryMs: 120_000, rows: 20 })] as Record<string, unknown>[]
    const late = all.slice(Math.floor(all.length * 0.66))
    const exportOf = (events: Record<string, unknown>[], windowId: string | number) =>
      JSON.stringify({ version: '2023-04-28', data: { id: sid, person: null, snapshots: events.map((e) => ({ ...e, windowId })) } })
    const whole = t.file('keys-whole.json')
    const tail = t.file('keys-tail.json')
    fs.writeFileSync(whole, exportOf(all, '0194aaaa-0000-7000-8000-000000000001'))
    fs.writeFileSync(tail, exportOf(late, 1))

    it('a late part of a window merges into it; only a sample of hashes is stored', async () => {
      const store = fresh()
      const a = await importOne(store, whole)
      expect(a).toMatchObject({ error: null, snapshot_events: all.length })
      const keys = store.db.prepare('SELECT count(*) AS n FROM snapshot_event_keys').get() as { n: number }
      // The first 64 plus ~1/64 of the rest.
      expect(keys.n).toBeGreaterThan(64 + all.length / 64 / 2)
      expect(keys.n).toBeLessThan(64 + (all.length / 64) * 2)
      const b = await importOne(store, tail)
      expect(b).toMatchObject({ error: null, snapshot_events: 0 })
      expect(store.chunks.windows(sid).map((w) => w.window_id)).toEqual(['0194aaaa-0000-7000-8000-000000000001'])
      expect(store.sessions.get(sid)!.snapshot_events).toBe(all.length)
      store.close()
    })

    it('keys stored by an older version (sha1 of every event) are recomputed before matching', async () => {
      const store = fresh()
      await importOne(store, whole)
      const [w] = store.chunks.windows(sid)
      // What version 0.1 stored: 64 bits of sha1 of every event's JSON, keys_version 1.
      store.db.prepare('DELETE FROM snapshot_event_keys').run()
      const ins = store.db.prepare('INSERT OR IGNORE INTO snapshot_event_keys (hash, window_key) VALUES (?, ?)')
      for (const c of store.chunks.chunks(w!.id)) for (const ev of decodeChunk(c.data)) ins.run(createHash('sha1').update(JSON.stringify(ev)).digest().readBigInt64BE(0), w!.id)
      store.db.prepare('UPDATE session_windows SET keys_version = 1').run()
      const b = await importOne(store, tail)
      expect(b).toMatchObject({ error: null, snapshot_events: 0 })
      expect(store.chunks.windows(sid)).toHaveLength(1)
      expect(store.db.prepare('SELECT keys_version FROM session_windows').pluck().all()).toEqual([2])
      store.close()
    })
  })
})
