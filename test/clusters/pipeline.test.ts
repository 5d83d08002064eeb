// "Run clustering" for a new user: the bundled sample traces → offline summaries → embeddings →
// a stored cluster run, as one job whose progress names each stage in order.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { App } from '../../electron/app'
import { openCore, type Core } from '../../electron/core'
import { tempDir } from '../helpers'

const tmp = tempDir()
let core: Core
let app: App

beforeAll(async () => {
  core = openCore({ db: path.join(tmp.dir, 'p.db'), transport: 'cli', secrets: { get: () => undefined } })
  app = new App(core)
  await app.complete('import:files', { files: ['demo-traces.posthog.jsonl', 'demo-traces.otlp.jsonl'].map((f) => path.resolve('resources/samples', f)) })
}, 120_000)
afterAll(async () => {
  await core?.close()
  tmp.cleanup()
})

describe('clusters:pipeline', () => {
  it('refuses at once when there are too few traces to cluster', async () => {
    const empty = openCore({ db: path.join(tmp.dir, 'empty.db'), transport: 'cli', secrets: { get: () => undefined } })
    await expect(new App(empty).run('clusters:pipeline', {})).rejects.toThrow(/at least 3 traces/)
    await empty.close()
  })

  it('offline by default: summaries, embeddings and a stored run, the stages reported in order', async () => {
    const traces = core.store.traces.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).total
    expect(traces).toBeGreaterThan(20)
    const stages: string[] = []
    const out = await app.complete('clusters:pipeline', { min_cluster_size: 3 }, { onUpdate: (j) => j.message && stages.push(j.message) })
    expect(out.summarized).toBe(traces)
    expect(out.embedded).toBe(traces)
    expect(out.points).toBe(traces)
    const order = [...new Set(stages.map((m) => /^(\d)\/3/.exec(m)?.[1]).filter(Boolean))]
    expect(order).toEqual(['1', '2', '3'])
    const runs = await app.run('clusters:runs', {})
    expect(runs.runs[0]!.run_id).toBe(out.run_id)
    const rows = await app.run('clusters:rows', { run_id: out.run_id, limit: 5 })
    expect(rows.total).toBe(traces)
    // Titles come from the summaries just made.
    expect(rows.rows.every((r) => typeof r.title === 'string' && r.title.length > 0)).toBe(true)
  }, 240_000)
})
