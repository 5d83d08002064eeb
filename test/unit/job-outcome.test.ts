// The status bar's account of a finished import batch: every failed file's reason, not only the first's (issue 13).
import { describe, expect, it } from 'vitest'
import type { ImportResult, JobInfo } from '../../shared/model'
import { jobOutcome } from '../../shared/job-outcome'

const result = (file: string, over: Partial<ImportResult> = {}): ImportResult => ({
  file, format: null, sessions: 0, events: 0, snapshot_events: 0, traces: 0, spans: 0, skipped: [], duration_ms: 1, already_imported: false, error: null, ...over,
})
const job = (results: ImportResult[]) => ({ id: 'j', kind: 'import', title: 'Import', state: 'done', progress: 1, message: '', result: results }) as unknown as JobInfo

describe('import batch outcome', () => {
  it('lists the reason of every failed file', () => {
    const o = jobOutcome(job([
      result('a.json', { sessions: 1 }),
      ...['b', 'c', 'd', 'e'].map((n) => result(`${n}.json`, { error: `${n}.json: not a recording (found a number)` })),
    ]))
    expect(o).toMatchObject({ bad: true, text: '1 session · 4 failed' })
    expect(o.failures).toEqual(['b', 'c', 'd', 'e'].map((n) => `${n}.json: not a recording (found a number)`))
  })
  it('one failure is said inline; trace conflicts are said too', () => {
    expect(jobOutcome(job([result('x.json', { error: 'x.json: empty' })]))).toMatchObject({ text: '1 failed: x.json: empty', failures: [] })
    const c = { trace_id: 't', span_id: 's', stored_as: 't~12345678', fields: ['model'] }
    expect(jobOutcome(job([result('t.json', { traces: 1, conflicts: [c] })])).text).toBe('1 trace · 1 span with taken ids kept as a separate trace')
  })
})
