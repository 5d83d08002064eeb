// Every developer sample imported into a fresh database and checked against truth.json.
import { afterAll, describe, expect, it } from 'vitest'
import { fingerprint, importOne, samplesDir, tempTables, tmp, truth, withStore } from './helpers'
import path from 'node:path'

const t = tmp()
afterAll(() => t.cleanup())

const sum = (o: Record<string, number> | null | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0)

describe.each(Object.entries(truth.files))('%s', (name, f) => {
  it('imports with the counts, ids, bounds and derived events of truth.json', async () => {
    const store = withStore(t.dir, `${name}.db`)
    try {
      const r = await importOne(store, path.join(samplesDir, name))
      expect(r.error).toBeNull()
      expect(r.format).toBe(f.format)
      expect(r.already_imported).toBe(false)
      const ts = f.sessions[0]!
      expect(r.sessions).toBe(1)
      expect(r.events).toBe(sum(ts.events_by_type))
      expect(r.snapshot_events).toBe(ts.rrweb_events ?? 0)
      expect(tempTables(store)).toEqual([])

      const rows = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 10, offset: 0 }).rows
      expect(rows).toHaveLength(1)
      const s = rows[0]!
      if (ts.id) expect(s.id).toBe(ts.id)
      else expect(s.id).toMatch(/^rrweb-[0-9a-f]+$/)
      expect(s.start_ms).toBe(ts.start_ms)
      expect(s.end_ms).toBe(ts.end_ms)
      expect(s.duration_ms).toBe(ts.duration_ms)
      if (ts.active_ms !== undefined) expect(s.active_ms).toBe(ts.active_ms)
      expect(s.windows).toBe(ts.windows.length)
      expect(s.events).toBe(sum(ts.events_by_type))
      expect(s.snapshot_events).toBe(ts.rrweb_events ?? 0)

      // Product events by type.
      const product = store.events.bySession(s.id, { origin: 'product' })
      const byType: Record<string, number> = {}
      for (const e of product) byType[e.type] = (byType[e.type] ?? 0) + 1
      expect(byType).toEqual(ts.events_by_type ?? {})
      for (const e of product.filter((e) => e.type === '$exception')) expect(e.exc_type && e.exc_message).toBeTruthy()
      for (const e of product.filter((e) => e.type === '$autocapture')) expect(e.el_selector).toBeTruthy()

      if (ts.rrweb_events) {
        const derived = store.events.bySession(s.id, { origin: 'rrweb' })
        const clicks = derived.filter((e) => e.type === 'click')
        expect(clicks).toHaveLength(ts.rrweb_clicks!)
        // Every scripted click's element text is found on a derived click.
        const texts = new Set(clicks.map((c) => c.el_text))
        for (const a of f.timeline.filter((a) => a.action === 'click' && a.element_text)) {
          if (ts.rrweb_clicks! >= f.timeline.filter((x) => x.action === 'click').length) expect(texts, a.element_text).toContain(a.element_text)
        }
        for (const p of ts.problems ?? []) if (p.element_text && /click/.test(p.kind)) expect(texts).toContain(p.element_text)
        // Console errors and failed requests come out of the plugins.
        expect(derived.some((e) => e.type === 'navigation')).toBe(true)
        const consoleErrors = derived.filter((e) => e.type === 'console_error')
        if (!ts.plugin_events?.['rrweb/console@1']) expect(consoleErrors).toHaveLength(0)
        if (ts.plugin_events?.['rrweb/network@1']) expect(derived.some((e) => e.type === 'network' && e.http_status === 200)).toBe(true)
        // Inputs never keep the typed value.
        for (const e of derived.filter((e) => e.type === 'input')) expect(JSON.parse(e.properties)).not.toHaveProperty('text')
      }

      // Chunks: sorted, a Meta+FullSnapshot chunk governs every later chunk of its window.
      for (const w of store.chunks.windows(s.id)) {
        const chunks = store.chunks.chunks(w.id)
        if (!chunks.length) continue
        for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start_ms).toBeGreaterThanOrEqual(chunks[i - 1]!.end_ms)
        for (const c of chunks) if (c.full_snapshot_seq !== null) expect(chunks[c.full_snapshot_seq]!.has_full_snapshot).toBe(1)
        expect(chunks.reduce((a, c) => a + c.events, 0)).toBeGreaterThanOrEqual(w.snapshot_events)
      }

      // Idempotent: the same file again changes nothing and says so.
      const before = fingerprint(store)
      const again = await importOne(store, path.join(samplesDir, name))
      expect(again).toMatchObject({ already_imported: true, error: null, sessions: 0, events: 0, snapshot_events: 0 })
      expect(fingerprint(store)).toBe(before)
    } finally {
      store.close()
    }
  })
})

describe('derived events carry what a detector needs', () => {
  it('S3: the failing search requests with status 500 and the console errors', async () => {
    const store = withStore(t.dir, 's3-derived.db')
    try {
      await importOne(store, path.join(samplesDir, 'S3-search-500-spa.posthog-events.jsonl'))
      const sid = truth.files['S3-search-500-spa.posthog-events.jsonl']!.sessions[0]!.id!
      const failed = store.events.bySession(sid, { type: 'network' }).filter((e) => e.http_status === 500)
      expect(failed.map((e) => new URL(e.http_url!).pathname)).toEqual(['/api/search', '/api/search'])
      const errors = store.events.bySession(sid, { type: 'console_error' })
      expect(errors.map((e) => e.exc_message)).toEqual([
        'Search request failed: HTTP 500 for "delivery austria"',
        'Search request failed: HTTP 500 for "delivery austria"',
      ])
      const navs = store.events.bySession(sid, { type: 'navigation' })
      expect(new Set(navs.map((n) => new URL(n.url!).pathname)).size).toBeGreaterThan(2) // SPA pushState seen
    } finally {
      store.close()
    }
  })

  it('S2: the TypeError appears as product $exception and as console error with its type', async () => {
    const store = withStore(t.dir, 's2-derived.db')
    try {
      await importOne(store, path.join(samplesDir, 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl'))
      const sid = truth.files['S2-checkout-typeerror-rage-leave.posthog-events.jsonl']!.sessions[0]!.id!
      const exc = store.events.bySession(sid, { type: '$exception' })
      expect(exc).toHaveLength(6)
      expect(exc[0]).toMatchObject({ exc_type: 'TypeError', exc_message: "Cannot read properties of undefined (reading 'address')" })
      const ce = store.events.bySession(sid, { type: 'console_error' })
      expect(ce.every((e) => e.exc_type === 'TypeError')).toBe(true)
      const rage = store.events.bySession(sid, { type: '$rageclick' })
      expect(rage.map((e) => e.el_text).sort()).toEqual(['Apply coupon', 'Place order'])
      const s = store.sessions.get(sid)!
      expect(s.errors).toBe(6)
    } finally {
      store.close()
    }
  })

  it('a player can load only the window it needs', async () => {
    const store = withStore(t.dir, 'range.db')
    try {
      await importOne(store, path.join(samplesDir, 'S5-pii-order-refund-chat.posthog-export.json'))
      const sid = truth.files['S5-pii-order-refund-chat.posthog-export.json']!.sessions[0]!.id!
      const w = store.chunks.windows(sid)[0]!
      const all = store.chunks.chunks(w.id)
      const mid = all[Math.floor(all.length / 2)]!
      const range = store.chunks.chunksForRange(w.id, mid.start_ms + 1, mid.start_ms + 2)
      expect(range.length).toBeLessThan(all.length)
      expect(range[0]!.has_full_snapshot).toBe(1)
      expect(range.at(-1)!.seq).toBe(mid.seq)
    } finally {
      store.close()
    }
  })
})
