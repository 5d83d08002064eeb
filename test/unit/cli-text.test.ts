import { describe, expect, it } from 'vitest'
import { importFailure, importSummary } from '../../electron/cli-text'
import type { ImportResult } from '../../shared/model'

const base: ImportResult = { file: '/x/t.json', format: 'posthog-llm', sessions: 0, events: 0, snapshot_events: 0, traces: 1, spans: 3, skipped: [], duration_ms: 12, already_imported: false, error: null }

describe('import text for people', () => {
  it('says which traces conflicted and where the file’s version went, once per trace', () => {
    const text = importSummary({
      ...base,
      conflicts: [
        { trace_id: 'ph-1', span_id: 'g1', stored_as: 'ph-1~abcdef01', fields: ['model', 'output'] },
        { trace_id: 'ph-1', span_id: 'g2', stored_as: 'ph-1~abcdef01', fields: ['output'] },
      ],
    })
    expect(text.match(/conflict:/g)).toHaveLength(1)
    expect(text).toContain('trace ph-1 is stored with other content (model, output)')
    expect(text).toContain('kept as ph-1~abcdef01')
  })

  it('a failure is one line naming the file', () => {
    expect(importFailure({ ...base, error: 'line 3: not JSON' })).toBe('error: /x/t.json: line 3: not JSON')
  })
})

describe('times no date can hold', () => {
  it('show as ? instead of failing the listing', async () => {
    const { sessionsTable } = await import('../../electron/cli-text')
    const row = { id: 's', distinct_id: null, start_ms: 1e308, end_ms: 1e308, duration_ms: 0, active_ms: 0, first_url: null, events: 0, snapshot_events: 0, errors: 0, windows: 0, source_id: null, flags: 0 }
    expect(sessionsTable([row as never], false)).toContain('?')
  })
})
