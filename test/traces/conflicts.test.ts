// A trace file whose trace and span ids are stored already: idempotency is by the file's content
// hash only. Same content under the same ids adds nothing; different content (another model,
// other messages) is a conflict the result reports, and both versions are kept — the file's
// trace beside the stored one as `<trace id>~<8 hex of its sha256>` (issue 13: it was reported
// already imported with 0 traces, its content lost).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { conflictTraceId } from '../../electron/import/traces/commit'
import { tempDir } from '../helpers'
import { importOne, withStore } from './helpers'

const tmp = tempDir('sightline-trace-conflicts-')
afterAll(() => tmp.cleanup())
const fixture = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'posthog-small.json')

describe('trace and span ids that collide with stored ones', () => {
  it('different content is reported as conflicts and stored beside the original; the same content adds nothing', async () => {
    const store = withStore(tmp.dir, 'conflicts.db')
    try {
      const first = await importOne(store, fixture)
      expect(first).toMatchObject({ error: null, traces: 1 })
      expect(first.conflicts).toBeUndefined()
      const before = store.spans.ofTrace('ph-1').find((s) => s.span_id === 'g1')!
      expect(before.model).toBe('gpt-4.1-mini')

      // The same content, written differently (another file): nothing new, no conflict.
      const events = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { properties: Record<string, unknown> }[]
      const same = path.join(tmp.dir, 'same.json')
      fs.writeFileSync(same, JSON.stringify(events, null, 2))
      expect(await importOne(store, same)).toMatchObject({ error: null, already_imported: false, traces: 0, spans: 0 })

      // The same ids, another model and answer.
      const changed = events.map((e) =>
        e.properties.$ai_span_id === 'g1'
          ? { ...e, properties: { ...e.properties, $ai_model: 'claude-x', $ai_output_choices: [{ role: 'assistant', content: 'Your order A1 shipped.' }] } }
          : e,
      )
      const other = path.join(tmp.dir, 'other-model.json')
      fs.writeFileSync(other, JSON.stringify(changed))
      const r = await importOne(store, other)
      expect(r).toMatchObject({ error: null, already_imported: false })
      expect(r.traces).toBe(1)
      expect(r.spans).toBeGreaterThan(0)
      expect(r.conflicts).toHaveLength(1)
      const c = r.conflicts![0]!
      expect(c).toMatchObject({ trace_id: 'ph-1', span_id: 'g1' })
      expect(c.fields).toEqual(expect.arrayContaining(['model', 'output']))
      expect(c.stored_as).toMatch(/^ph-1~[0-9a-f]{8}$/)
      // Both versions are there; the stored one is untouched.
      expect(store.spans.ofTrace('ph-1').find((s) => s.span_id === 'g1')!.model).toBe('gpt-4.1-mini')
      const kept = store.spans.ofTrace(c.stored_as).find((s) => s.span_id === 'g1')!
      expect(kept.model).toBe('claude-x')
      expect(JSON.stringify(kept.output)).toContain('Your order A1 shipped.')
      expect(store.spans.ofTrace(c.stored_as)).toHaveLength(store.spans.ofTrace('ph-1').length)

      // Importing that file again is idempotent by its hash.
      expect(await importOne(store, other)).toMatchObject({ already_imported: true, traces: 0 })
      expect(conflictTraceId('ph-1', 'abcdef0123')).toBe('ph-1~abcdef01')
    } finally {
      store.close()
    }
  })
})
