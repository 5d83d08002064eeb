// The summary covers the session's range (issue 13): the range the header, the Library and the
// player show, which truth.json gives for every sample (start_ms, end_ms). Events outside it
// (page-load requests timed before the recording began, product events sent after it ended) do
// not stretch what the summary says it covers: the offline summary's span, and the session
// length a model is told.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { summarizeSession } from '../../electron/summarize'
import { importOne, samplesDir, tmp, truth, withStore } from '../import/helpers'

const t = tmp()
afterAll(() => t.cleanup())
const secrets = { get: () => undefined }

describe.each(Object.keys(truth.files))('%s', (name) => {
  it("the summary's covered range is the session's range", async () => {
    const store = withStore(t.dir, `${name}.db`)
    try {
      const r = await importOne(store, path.join(samplesDir, name))
      expect(r.error).toBeNull()
      const ts = truth.files[name]!.sessions[0]!
      const id = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 1, offset: 0 }).rows[0]!.id
      const offline = (await summarizeSession(store, secrets, id, { llm: { provider: 'none', model: '', baseUrl: '', offline: true } })).summary!
      const rel = (ms: number) => ms - ts.start_ms
      expect(offline.segments.map((g) => [rel(g.start_ms), rel(g.end_ms)]), 'offline summary span (ms from the session start)').toEqual([[0, ts.duration_ms]])
      const dry = (await summarizeSession(store, secrets, id, { llm: { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:9', offline: true }, dryRun: true })).dry_run!
      expect(dry.requests[0]!.user).toContain(`Session length ${(ts.duration_ms / 1000).toFixed(1)} s`)
    } finally {
      store.close()
    }
  })
})
