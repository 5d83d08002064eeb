// Agent labels and the topic slider: the labelling agent (against a fake OpenAI server that answers
// tool calls) names the clusters, then the topics; a re-cut gives offline labels to new topics but
// keeps a written label for a topic of the same clusters, so going back to the run's K brings every
// agent label back. Also: noise points placed in topics by the run's outlier model at each cut.
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { App } from '../../electron/app'
import { labelRun } from '../../electron/cluster/labels-run'
import { openCore } from '../../electron/core'
import { OpenAIProvider } from '../../electron/llm/openai'
import { NetworkGuard } from '../../electron/net'
import type { Recorded } from '../fakes/http'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { tempDir } from '../helpers'
import { CLUSTERS, NOISE, PER_CLUSTER, seedRun } from './fixture'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
let fake: FakeOpenAI | null = null
afterEach(async () => {
  await fake?.close()
  fake = null
})
const open = (name: string) => openCore({ db: path.join(tmp.dir, name), transport: 'cli', secrets: { get: () => undefined } })

const scripted = (script: ((req: Recorded) => unknown)[]) => {
  let n = 0
  return (req: Recorded) => script[Math.min(n++, script.length - 1)]!(req)
}
const clusterTitles = CLUSTERS.map((c) => `Agent: ${c.label}`)

describe('agent topic labels across re-cuts', () => {
  it('the agent names clusters then topics; a re-cut keeps a label for a topic of the same clusters, offline for the others', async () => {
    const core = open('labels.db')
    const app = new App(core, () => {})
    const { runId } = seedRun(core.store, { merges: true })
    fake = await startFakeOpenAI(
      scripted([
        () => ({ tool_calls: [{ name: 'bulk_set_labels', arguments: { labels: clusterTitles.map((title, cluster_id) => ({ cluster_id, title, description: '' })) } }] }),
        () => ({ tool_calls: [{ name: 'finalize_labels', arguments: {} }] }),
        () => ({ tool_calls: [{ name: 'bulk_set_topic_labels', arguments: { labels: [{ topic_id: 0, title: 'Orders and money', description: 'refunds, shipping, invoices' }, { topic_id: 1, title: 'Account access', description: '' }] } }] }),
      ]),
    )
    const provider = new OpenAIProvider({ model: 'llama3.1', baseUrl: fake.baseUrl, apiKey: undefined, guard: new NetworkGuard(true), contextTokens: 8192, retry: { retries: 0 } })
    const r = await labelRun(core.store, provider, runId, { maxCalls: 10, maxTokens: 100_000 })
    expect(r.error).toBeNull()
    expect(r.calls).toBe(3)
    // The topic request showed the model each topic's clusters with their new labels.
    const last = (fake.chatRequests()[2]!.body as { messages: { content: string }[] }).messages.at(-1)!.content
    expect(last).toContain('Agent: Refund requests')
    const topicsOf = () => core.store.clusters.get(runId)!.topics.filter((t) => t.id >= 0).map((t) => [t.label, t.label_source])
    expect(topicsOf()).toEqual([
      ['Orders and money', 'agent'],
      ['Account access', 'agent'],
    ])

    // K = 6: one cluster per topic, each takes its cluster's agent label.
    await app.run('clusters:topics', { run_id: runId, topics: 6 })
    expect(topicsOf()).toEqual(clusterTitles.map((t) => [t, 'agent']))
    // K = 3: the merge order gives 0+1+2 (the set the agent named), 3+4 (a new set: offline) and
    // 5 alone (its cluster's agent label).
    await app.run('clusters:topics', { run_id: runId, topics: 3 })
    const three = topicsOf()
    expect(three.map(([, s]) => s)).toEqual(['agent', 'offline', 'agent'])
    expect(three[0]).toEqual(['Orders and money', 'agent'])
    expect(three[2]).toEqual([clusterTitles[5], 'agent'])
    // Back to the K the run was made with: both agent topic labels, with their description.
    await app.run('clusters:topics', { run_id: runId, topics: 2 })
    expect(topicsOf()).toEqual([
      ['Orders and money', 'agent'],
      ['Account access', 'agent'],
    ])
    expect(core.store.clusters.get(runId)!.topics.find((t) => t.id === 0)!.description).toBe('refunds, shipping, invoices')
    await core.close()
  })

  it('a run made without a model: a re-cut and back keeps offline labels (nothing written to keep)', async () => {
    const core = open('offline.db')
    const app = new App(core, () => {})
    const { runId } = seedRun(core.store, { merges: true })
    await app.run('clusters:topics', { run_id: runId, topics: 6 })
    await app.run('clusters:topics', { run_id: runId, topics: 2 })
    expect(core.store.clusters.get(runId)!.topics.filter((t) => t.id >= 0).map((t) => t.label_source)).toEqual(['offline', 'offline'])
    await core.close()
  })

  it('noise points take the topic the run’s outlier model gives them at each cut; the rest stay Outliers', async () => {
    const core = open('noise.db')
    const app = new App(core, () => {})
    const { runId } = seedRun(core.store, { merges: true })
    const noiseIdx = core.store.clusters.get(runId)!.points.flatMap((p, i) => (p.cluster < 0 ? [i] : []))
    // A hand-made model in 2-D: clusters 0–2 point along x, 3–5 along y; the first noise point
    // along x (inside the reach of any group of clusters 0–2), the others opposite to both.
    const sums = CLUSTERS.map((c) => (c.topic === 0 ? [PER_CLUSTER, 0] : [0, PER_CLUSTER]))
    const model = { points: noiseIdx, vectors: noiseIdx.map((_, j) => (j === 0 ? [1, 0] : [-0.7, -0.7])), sums, reach: new Array(11).fill(0.1) }
    core.store.db.prepare('INSERT INTO cluster_topic_outliers (run_id, model) VALUES (?, ?)').run(runId, JSON.stringify(model))
    for (const k of [2, 6]) {
      await app.run('clusters:topics', { run_id: runId, topics: k })
      const run = core.store.clusters.get(runId)!
      expect(run.points[noiseIdx[0]!]!.topic).toBe(0)
      expect(run.points[noiseIdx[0]!]!.cluster).toBe(-1) // still an outlier at the cluster level
      expect(noiseIdx.slice(1).every((i) => run.points[i]!.topic === -1)).toBe(true)
      expect(run.topics.find((t) => t.id === -1)!.size).toBe(NOISE - 1)
      expect(run.topics.find((t) => t.id === 0)!.size).toBe(PER_CLUSTER * (k === 2 ? 3 : 1) + 1)
    }
    await core.close()
  })
})
