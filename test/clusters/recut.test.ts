// The topic slider's capability (clusters:topics): a stored run cut again at K topics from its
// stored merge order. Fixture: six clusters (three per topic), 30 noise points, a summary per trace.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { App, type Changed } from '../../electron/app'
import { openCore } from '../../electron/core'
import { unpackColumns } from '../../shared/columns'
import type { PointColumns, PointsMeta } from '../../shared/cluster-view'
import { tempDir } from '../helpers'
import { CLUSTERS, NOISE, PER_CLUSTER, seedRun } from './fixture'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
const db = path.join(tmp.dir, 'r.db')
const open = () => openCore({ db, transport: 'cli', secrets: { get: () => undefined } })

const topicColumn = async (app: App, runId: string) => unpackColumns<PointColumns, PointsMeta>(await app.run('clusters:points', { run_id: runId })).columns.topic

describe('clusters:topics (the topic slider)', () => {
  it('cuts a run at 1 … clusters topics, relabels them, stores the cut, tells the windows', async () => {
    const core = open()
    const seen: Changed[] = []
    const app = new App(core, (what) => seen.push(what))
    const { runId } = seedRun(core.store, { merges: true })
    const before = await topicColumn(app, runId) // fills the explorer's points cache

    // K = 1: one topic of every clustered point; noise stays Outliers.
    expect(await app.run('clusters:topics', { run_id: runId, topics: 1 })).toEqual({ run_id: runId, clusters: 6, topics: 1, noise: NOISE })
    expect(seen).toEqual(['clusters'])
    expect(core.store.clusters.info(runId)!.params.topics_made).toBe(2)
    let run = core.store.clusters.get(runId)!
    expect(run.topics.map((t) => [t.id, t.size])).toEqual([[-1, NOISE], [0, PER_CLUSTER * 6]])
    expect(new Set(run.clusters.filter((c) => c.id >= 0).map((c) => c.topic))).toEqual(new Set([0]))
    expect(run.points.every((p) => p.topic === (p.cluster < 0 ? -1 : 0))).toBe(true)
    const one = await topicColumn(app, runId)
    expect(one).not.toEqual(before) // the cached points were dropped
    expect([...new Set(one)].sort()).toEqual([-1, 0])

    // K = clusters: one topic per cluster, each labelled from its own traces' summaries.
    await app.run('clusters:topics', { run_id: runId, topics: 6 })
    run = core.store.clusters.get(runId)!
    expect(run.clusters.filter((c) => c.id >= 0).map((c) => c.topic)).toEqual([0, 1, 2, 3, 4, 5])
    const topics = run.topics.filter((t) => t.id >= 0)
    expect(topics.map((t) => t.size)).toEqual(new Array(6).fill(PER_CLUSTER))
    CLUSTERS.forEach((c, k) => expect(topics[k]!.label).toContain(`'${c.title} #`))
    expect(topics[0]!.keywords).toContain('refund')
    expect(run.points.every((p) => p.topic === p.cluster)).toBe(true)

    // K = 2: the stored merge order's two topics.
    await app.run('clusters:topics', { run_id: runId, topics: 2 })
    run = core.store.clusters.get(runId)!
    expect(run.clusters.filter((c) => c.id >= 0).map((c) => c.topic)).toEqual(CLUSTERS.map((c) => c.topic))

    // Out of bounds: refused, nothing changes.
    await expect(app.run('clusters:topics', { run_id: runId, topics: 0 })).rejects.toThrow(`Cluster run ${runId} has 6 clusters: the number of topics must be 1…6, not 0.`)
    await expect(app.run('clusters:topics', { run_id: runId, topics: 7 })).rejects.toThrow(/must be 1…6, not 7/)
    await expect(app.run('clusters:topics', { run_id: 'nope', topics: 2 })).rejects.toThrow(/No cluster run with id "nope"/)
    expect(core.store.clusters.info(runId)!.topics).toBe(2)
    await core.close()

    // A reload shows the chosen K.
    const again = open()
    const info = new App(again, () => {}).run('clusters:runs', {})
    const stored = (await info).runs.find((r) => r.run_id === runId)!
    expect(stored.topics).toBe(2)
    expect(stored.params.topics_cut).toBe(2)
    expect(stored.params.topics_made).toBe(2) // the fixture's run was made with 2 topics
    await again.close()
  })

  it('a run stored without its merge order says why it cannot be re-cut', async () => {
    const core = openCore({ db: path.join(tmp.dir, 'old.db'), transport: 'cli', secrets: { get: () => undefined } })
    const app = new App(core, () => {})
    const { runId } = seedRun(core.store, { runId: 'old-run' })
    await expect(app.run('clusters:topics', { run_id: runId, topics: 2 })).rejects.toThrow('Cannot change the topics of cluster run old-run: this run was stored without its topic merge order')
    expect(core.store.clusters.get(runId)!.topics.filter((t) => t.id >= 0)).toHaveLength(2)
    await core.close()
  })
})
