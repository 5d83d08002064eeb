// The demo traces the app ships (resources/samples) import with the counts their manifest states,
// and the traces of the demo recording keep its session id.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { traceText } from '../../electron/traces'
import { tempDir } from '../helpers'
import { bundledDir, importOne, readJson, withStore } from './helpers'

interface Entry {
  name: string
  kind: string
  format: string
  traces: number
  events?: number
  spans?: number
  error_generations?: number
  error_spans?: number
  failed_traces?: string[]
  linked_traces?: { session_id: string; trace_ids: string[] }
  topics: Record<string, string>
}

const tmp = tempDir('sightline-bundled-traces-')
afterAll(() => tmp.cleanup())
const manifest = readJson<Entry[]>(path.join(bundledDir, 'index.json')).filter((e) => e.kind === 'traces')

describe('bundled demo traces', () => {
  it('are listed in the manifest', () => {
    expect(manifest.map((e) => e.name).sort()).toEqual(['demo-traces.otlp.jsonl', 'demo-traces.posthog.jsonl'])
  })

  it.each(manifest.map((e) => [e.name, e] as const))('%s imports with the manifest counts', async (name, e) => {
    const store = withStore(tmp.dir, `${name}.db`)
    try {
      const r = await importOne(store, path.join(bundledDir, name))
      expect(r).toMatchObject({ error: null, format: e.format, traces: e.traces, sessions: 0, events: 0 })
      // PostHog: every $ai_generation/$ai_span/$ai_trace event is a span; OTLP: the spans.
      expect(r.spans).toBe(e.spans ?? e.events)
      const rows = store.traces.list({ sort: 'start_ms', dir: 'asc', limit: 1000, offset: 0 }).rows
      expect(rows.map((t) => t.id).sort()).toEqual(Object.keys(e.topics).sort())
      const failed = new Set(e.failed_traces ?? [])
      for (const id of failed) expect(rows.find((t) => t.id === id)!.error).toBe(true)
      const errorSpans = rows.reduce((a, t) => a + store.spans.detail(t.id)!.spans.filter((s) => s.error && s.kind === 'llm').length, 0)
      expect(errorSpans).toBe(e.error_generations ?? e.error_spans)
      if (e.linked_traces) {
        const linked = store.traces.list({ session: e.linked_traces.session_id, sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows
        expect(linked.map((t) => t.id).sort()).toEqual([...e.linked_traces.trace_ids].sort())
        // The session's timeline gets the model calls of those traces, in time order.
        const calls = store.spans.callsInSession(e.linked_traces.session_id)
        expect(new Set(calls.map((c) => c.trace_id))).toEqual(new Set(e.linked_traces.trace_ids))
        expect(calls.every((c, i) => i === 0 || c.start_ms! >= calls[i - 1]!.start_ms!)).toBe(true)
      }
      for (const t of rows) {
        const text = traceText(store, t.id)!
        expect(text.text).toMatch(/^L001: /)
        expect(text.text).toMatch(/\[1\] SYSTEM/)
        if (failed.has(t.id)) expect(text.text).toMatch(/^L\d+: ERROR in llm/m)
        else expect(text.text).toMatch(/\[\d+\] ASSISTANT/)
      }
    } finally {
      store.close()
    }
  })
})
