// The other shapes a recording or an events export arrives in, built from the real samples.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles, type ImportProgress } from '../../electron/import'
import { CancelledError } from '../../electron/errors'
import { fingerprint, importOne, samplesDir, tempTables, tmp, truth, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())
const S = (n: string) => path.join(samplesDir, n)
let dbs = 0
const fresh = () => withStore(t.dir, `fmt-${++dbs}.db`)
/** RFC 4180 quoting, as PostHog's exporter writes it. */
const q = (v: string) => (/[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v)
const write = (name: string, data: string | Buffer) => (fs.writeFileSync(t.file(name), data), t.file(name))
const rrweb = (n: string) => JSON.parse(fs.readFileSync(S(n), 'utf8')) as Record<string, unknown>[]
const jsonl = (n: string) =>
  fs
    .readFileSync(S(n), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
const exportOf = (n: string) => JSON.parse(fs.readFileSync(S(n), 'utf8')) as { version: string; data: { id: string; snapshots: Record<string, unknown>[] } }

async function single(file: string) {
  const store = fresh()
  const r = await importOne(store, file)
  const rows = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 10, offset: 0 }).rows
  return { r, rows, store }
}

describe('recording formats', () => {
  const tab2 = truth.files['S4-two-tabs.tab2.rrweb.json']!.sessions[0]!

  it('rrweb JSON lines', async () => {
    const f = write('tab2.jsonl', rrweb('S4-two-tabs.tab2.rrweb.json').map((e) => JSON.stringify(e)).join('\n') + '\n')
    const { r, rows } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'rrweb-jsonl', snapshot_events: 11 })
    expect(rows[0]).toMatchObject({ start_ms: tab2.start_ms, end_ms: tab2.end_ms, active_ms: tab2.active_ms })
  })

  it('@rrweb/packer strings (zlib, latin1, v1 marker)', async () => {
    const packed = rrweb('S4-two-tabs.tab2.rrweb.json').map((e) => zlib.deflateSync(Buffer.from(JSON.stringify({ ...e, v: 'v1' }))).toString('latin1'))
    const f = write('packed.json', JSON.stringify(packed))
    const { r, rows, store } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'rrweb-packed', snapshot_events: 11 })
    expect(rows[0]).toMatchObject({ start_ms: tab2.start_ms, end_ms: tab2.end_ms })
    // Unpacked it is the same recording as the plain file: merging adds nothing.
    const plain = await importOne(store, S('S4-two-tabs.tab2.rrweb.json'))
    expect(plain).toMatchObject({ error: null, snapshot_events: 0 })
  })

  it('PostHog blob lines ["windowId", event], still cv-compressed', async () => {
    const lines = jsonl('S1-happy-browse-and-buy.posthog-events.jsonl')
      .filter((e) => e.event === '$snapshot')
      .flatMap((e) => {
        const p = e.properties as Record<string, unknown>
        return (p.$snapshot_data as unknown[]).map((ev) => JSON.stringify([p.$window_id, ev]))
      })
    const f = write('blob.jsonl', lines.join('\n'))
    const { r, rows, store } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'posthog-snapshots-jsonl', snapshot_events: 251 })
    expect(store.chunks.windows(rows[0]!.id).map((w) => w.window_id)).toEqual(truth.files['S1-happy-browse-and-buy.posthog-events.jsonl']!.sessions[0]!.windows)
  })

  it('older snapshot API lines {window_id, data: [...]}', async () => {
    const exp = exportOf('S3-search-500-spa.posthog-export.json')
    const byWin = new Map<string, unknown[]>()
    for (const s of exp.data.snapshots) byWin.set(String(s.windowId), [...(byWin.get(String(s.windowId)) ?? []), s])
    const f = write('api.jsonl', [...byWin].map(([w, data]) => JSON.stringify({ window_id: w, data })).join('\n') + '\n' + '\n')
    const { r } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'posthog-snapshots-jsonl', snapshot_events: 122 })
  })

  it('older snapshot API documents: {window_id, data} and snapshot_data_by_window_id', async () => {
    const exp = exportOf('S3-search-500-spa.posthog-export.json')
    const wid = String(exp.data.snapshots[0]!.windowId)
    const plain = exp.data.snapshots.map(({ windowId: _w, ...e }) => e)
    const a = await single(write('api-doc.json', JSON.stringify({ window_id: wid, data: plain })))
    expect(a.r).toMatchObject({ error: null, format: 'posthog-snapshots-json', snapshot_events: 122 })
    expect(a.store.chunks.windows(a.rows[0]!.id).map((w) => w.window_id)).toEqual([wid])
    const b = await single(write('api-old.json', JSON.stringify({ snapshot_data_by_window_id: { [wid]: plain }, next: null })))
    expect(b.r).toMatchObject({ error: null, format: 'posthog-snapshots-json', snapshot_events: 122 })
    expect(b.store.chunks.windows(b.rows[0]!.id).map((w) => w.window_id)).toEqual([wid])
  })

  it('legacy export 2022-12-02 with snapshotsByWindowId', async () => {
    const exp = exportOf('S3-search-500-spa.posthog-export.json')
    const byWin: Record<string, unknown[]> = {}
    for (const s of exp.data.snapshots) (byWin[String(s.windowId)] ??= []).push(s)
    const f = write('v1.json', JSON.stringify({ version: '2022-12-02', data: { person: null, snapshotsByWindowId: byWin } }, null, 2))
    const { r, rows } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'posthog-export-v1', snapshot_events: 122 })
    const tr = truth.files['S3-search-500-spa.posthog-export.json']!.sessions[0]!
    expect(rows[0]).toMatchObject({ start_ms: tr.start_ms, end_ms: tr.end_ms, active_ms: tr.active_ms })
  })

  it('export keys in another order (snapshots before id)', async () => {
    const exp = exportOf('S3-search-500-spa.posthog-export.json')
    const f = write('reordered.json', JSON.stringify({ data: { snapshots: exp.data.snapshots, id: exp.data.id }, version: exp.version }))
    const { r, rows } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'posthog-export', snapshot_events: 122 })
    expect(rows[0]!.id).toBe(exp.data.id)
  })

  it('out-of-order events are sorted (stable), duplicates and clock glitches dropped', async () => {
    const ev = rrweb('S3-search-500-spa.rrweb.json')
    const shuffled = [...ev].reverse()
    shuffled.push(ev[20]!, ev[21]!) // duplicates
    shuffled.push({ ...ev[30]!, timestamp: (ev[30]!.timestamp as number) * 10 }) // a timestamp 10× too large
    const { r, rows, store } = await single(write('shuffled.json', JSON.stringify(shuffled)))
    expect(r.error).toBeNull()
    expect(r.snapshot_events).toBe(83)
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { reason: 'duplicate event', count: 2 },
        { reason: 'timestamp far outside the recording (clock glitch)', count: 1 },
      ]),
    )
    const tr = truth.files['S3-search-500-spa.rrweb.json']!.sessions[0]!
    expect(rows[0]).toMatchObject({ start_ms: tr.start_ms, end_ms: tr.end_ms, active_ms: tr.active_ms })
    expect(store.events.bySession(rows[0]!.id, { type: 'click' })).toHaveLength(8)
    const stats = JSON.parse((store.db.prepare('SELECT stats FROM sources').get() as { stats: string }).stats)
    expect(stats.out_of_order).toBeGreaterThan(40)
    // Same session as the file in its own order: the id comes from the earliest event.
    const plain = await importOne(store, S('S3-search-500-spa.rrweb.json'))
    expect(plain).toMatchObject({ error: null, snapshot_events: 0, sessions: 1 })
  })

  it('unknown event types and plugins are kept; undecodable events are skipped with a reason', async () => {
    const ev = rrweb('S4-two-tabs.tab2.rrweb.json')
    const ts = ev.at(-1)!.timestamp as number
    ev.push({ type: 7, data: { url: 'http://x/a.png', payload: {} }, timestamp: ts + 1 })
    ev.push({ type: 6, data: { plugin: 'acme/thing@1', payload: { a: 1 } }, timestamp: ts + 2 })
    ev.push({ type: 3, data: { source: 0, adds: 'bm90IGd6aXA=', removes: '', texts: '', attributes: '' }, cv: '2024-10', timestamp: ts + 3 })
    ev.push({ type: 2, data: { node: null }, timestamp: ts + 4 })
    const { r, store, rows } = await single(write('unknown.json', JSON.stringify(ev)))
    expect(r.error).toBeNull()
    expect(r.snapshot_events).toBe(13)
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { reason: 'compressed event could not be decoded', count: 1 },
        { reason: 'full snapshot without a DOM tree', count: 1 },
      ]),
    )
    const w = store.chunks.windows(rows[0]!.id)[0]!
    const stored = store.chunks.chunks(w.id).flatMap((c) => JSON.parse(zlib.gunzipSync(c.data).toString()) as { type: number }[])
    expect(stored.map((e) => e.type)).toEqual(expect.arrayContaining([7, 6]))
  })

  it('a FullSnapshot without its Meta gets a synthetic one (not counted)', async () => {
    const ev = rrweb('S4-two-tabs.tab2.rrweb.json').filter((e) => e.type !== 4)
    const { r, store, rows } = await single(write('nometa.json', JSON.stringify(ev)))
    expect(r).toMatchObject({ error: null, snapshot_events: 10 })
    const w = store.chunks.windows(rows[0]!.id)[0]!
    const stored = store.chunks.chunks(w.id).flatMap((c) => JSON.parse(zlib.gunzipSync(c.data).toString()) as { type: number; synthetic?: boolean }[])
    const fs0 = stored.findIndex((e) => e.type === 2)
    expect(stored[fs0 - 1]).toMatchObject({ type: 4, synthetic: true })
  })

  it('a PostHog mobile recording (wireframes) is stored, marked unplayable and reported', async () => {
    // The shape of posthog-ios / posthog-android snapshots: wireframes instead of a DOM.
    const t0 = Date.UTC(2026, 0, 3)
    const wf = (id: number, text: string) => ({ id, x: 0, y: id * 40, width: 390, height: 40, type: 'text', text, style: { color: '#000' } })
    const events = [
      { type: 4, data: { href: 'MainActivity', width: 390, height: 844 }, timestamp: t0 },
      { type: 2, data: { wireframes: [{ id: 1, x: 0, y: 0, width: 390, height: 844, type: 'div', childWireframes: [wf(2, 'Cart'), wf(3, 'Pay')] }], initialOffset: { top: 0, left: 0 } }, timestamp: t0 + 1 },
      { type: 3, data: { source: 0, updates: [{ parentId: 1, wireframe: wf(4, 'Paid') }] }, timestamp: t0 + 2000 },
      { type: 3, data: { source: 2, type: 7, id: 3, x: 20, y: 130 }, timestamp: t0 + 2500 },
    ]
    const { r, store, rows } = await single(write('mobile.json', JSON.stringify(events)))
    expect(r).toMatchObject({ error: null, snapshot_events: 4, skipped: [] })
    expect(r.notes).toEqual([expect.stringContaining('PostHog mobile recording')])
    expect(store.chunks.windows(rows[0]!.id)[0]).toMatchObject({ snapshot_events: 4, unplayable: 4 })
    // A web recording says nothing of the kind.
    const web = await single(write('web.json', JSON.stringify(rrweb('S4-two-tabs.tab2.rrweb.json'))))
    expect(web.r.notes).toBeUndefined()
  })
})

describe('product event formats', () => {
  it('PostHog events as a JSON array, and as an API page {results: [...]}', async () => {
    const events = jsonl('S2-checkout-typeerror-rage-leave.posthog-events.jsonl')
    const a = await single(write('events.json', JSON.stringify(events, null, 2)))
    expect(a.r).toMatchObject({ error: null, format: 'posthog-events-json', events: 48, snapshot_events: 248 })
    const b = await single(write('page.json', JSON.stringify({ results: events, next: null })))
    expect(b.r).toMatchObject({ error: null, format: 'posthog-events-json', events: 48, snapshot_events: 248 })
  })

  it('$snapshot_data as a single event object, and $snapshot_items', async () => {
    const lines = jsonl('S4-two-tabs.posthog-events.jsonl').flatMap((e) => {
      if (e.event !== '$snapshot') return [e]
      const p = e.properties as Record<string, unknown>
      return (p.$snapshot_data as unknown[]).map((one, i) =>
        i % 2 ? { ...e, uuid: `${e.uuid}-${i}`, properties: { ...p, $snapshot_data: one } } : { ...e, event: '$snapshot_items', uuid: `${e.uuid}-${i}`, properties: { ...p, $snapshot_data: undefined, $snapshot_items: [one] } },
      )
    })
    const { r } = await single(write('single.jsonl', lines.map((l) => JSON.stringify(l)).join('\n')))
    expect(r).toMatchObject({ error: null, events: 10, snapshot_events: 78 })
  })

  it('CSV: columns found by name in any order; chosen-columns exports too', async () => {
    const src = S('S1-happy-browse-and-buy.events.csv')
    const base = fresh()
    await importOne(base, src)
    const sid = truth.files['S1-happy-browse-and-buy.events.csv']!.sessions[0]!.id!
    const hot = (s: typeof base) =>
      s.events.bySession(sid, { origin: 'product' }).map((e) => ({ ...e, id: 0, source_id: 0, properties: JSON.parse(e.properties) }))
    const want = hot(base)

    const rows = parse(fs.readFileSync(src), { bom: true }) as string[][]
    const header = rows[0]!
    // Reverse the columns: positions change, names do not.
    const order = header.map((_, i) => header.length - 1 - i)
    const csv = rows.map((r) => order.map((i) => q(r[i] ?? '')).join(',')).join('\r\n')
    const shuffled = fresh()
    const r = await importOne(shuffled, write('reversed.csv', csv))
    expect(r).toMatchObject({ error: null, format: 'events-csv', events: 26 })
    expect(hot(shuffled)).toEqual(want)

    // "Export current columns": event, a few properties, timestamp; no uuid.
    const pick = ['timestamp', 'properties.$session_id', 'event', 'properties.$current_url', 'properties.$window_id', 'properties.$el_text']
    const idx = (n: string) => header.indexOf(n === 'event' ? 'event' : '*.' + n)
    const chosen = [pick.join(','), ...rows.slice(1).map((r) => pick.map((n) => q(r[idx(n)] ?? '')).join(','))].join('\n')
    const c = fresh()
    const rc = await importOne(c, write('chosen.csv', chosen))
    expect(rc).toMatchObject({ error: null, events: 26 })
    const got = c.events.bySession(sid, { origin: 'product' })
    expect(got.map((e) => [e.type, e.time_ms, e.url, e.el_text])).toEqual(want.map((e) => [e.type, e.time_ms, e.url, e.el_text]))
    // No uuid column: stable synthetic ids make a re-import of a copy a no-op.
    const again = await importOne(c, write('chosen-copy.csv', chosen + '\n'))
    expect(again).toMatchObject({ error: null, events: 0 })
  })

  it("JSON rows keyed by column label (PostHog's copy-as-JSON)", async () => {
    const events = jsonl('S3-search-500-spa.posthog-events.jsonl').filter((e) => e.event !== '$snapshot')
    const rows = events.map((e) => {
      const p = e.properties as Record<string, unknown>
      return { event: e.event, person: 'someone', 'Url / Screen': p.$current_url, 'properties.$lib': p.$lib, 'properties.$session_id': p.$session_id, timestamp: e.timestamp }
    })
    const { r, rows: sessions, store } = await single(write('copied.json', JSON.stringify(rows)))
    expect(r).toMatchObject({ error: null, format: 'posthog-events-json', events: 19 })
    expect(sessions[0]!.id).toBe(truth.files['S3-search-500-spa.posthog-events.jsonl']!.sessions[0]!.id)
    expect(store.events.bySession(sessions[0]!.id).every((e) => e.url?.startsWith('http://'))).toBe(true)
  })

  it('CSV with every cell quoted (first byte is a quote, not JSON)', async () => {
    const f = write('quoted.csv', '"event","timestamp","properties.$session_id"\r\n"$pageview","2026-11-23 15:17:53.103000+00:00","s-1"\r\n')
    const { r, rows } = await single(f)
    expect(r).toMatchObject({ error: null, format: 'events-csv', events: 1 })
    expect(rows[0]).toMatchObject({ id: 's-1', start_ms: Date.UTC(2026, 10, 23, 15, 17, 53, 103) })
  })
})

describe('progress and cancel', () => {
  it('reports bytes read up to the file size', async () => {
    const store = fresh()
    const seen: ImportProgress[] = []
    const file = S('S5-pii-order-refund-chat.posthog-events.jsonl')
    await importFiles(store, [file], { onProgress: (p) => seen.push(p) })
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen.at(-1)).toMatchObject({ bytes_read: fs.statSync(file).size, total_bytes: fs.statSync(file).size, index: 0, files: 1 })
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytes_read).toBeGreaterThanOrEqual(seen[i - 1]!.bytes_read)
  })

  it('cancel mid-file leaves nothing behind', async () => {
    const store = fresh()
    await importOne(store, S('S3-search-500-spa.events.csv'))
    const before = fingerprint(store)
    // A file big enough to be read in several chunks.
    const ev = jsonl('S5-pii-order-refund-chat.posthog-events.jsonl')
    const big = write('big.jsonl', Array.from({ length: 8 }, (_, k) => ev.map((e) => JSON.stringify({ ...e, uuid: `${e.uuid}-${k}` })).join('\n')).join('\n'))
    const ac = new AbortController()
    let calls = 0
    const p = importFiles(store, [big], {
      signal: ac.signal,
      onProgress: (x) => {
        if (++calls === 1 || x.bytes_read > 0) ac.abort()
      },
    })
    await expect(p).rejects.toBeInstanceOf(CancelledError)
    expect(fingerprint(store)).toBe(before)
    expect(tempTables(store)).toEqual([])
  })
})
