// Fine clusters (min_cluster_size 3 splits each of the sample traces' 8 intents by phrasing: 37
// clusters) still get intent-level topics from the automatic cut: the first merge is judged against
// the clusters' own spread, not against 0 (which kept all 37 clusters as topics).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { App } from '../../electron/app'
import { openCore, type Core } from '../../electron/core'
import { ari } from '../cluster/blobs'
import { sharedSamples, tempDir } from '../helpers'

const dir = path.join(sharedSamples, 'traces')
const labels = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Record<string, Record<string, string>>
const tmp = tempDir('sightline-fine-topics-')
let core: Core
afterAll(async () => {
  await core?.close()
  tmp.cleanup()
})

it('37 fine clusters of 8 intents: the automatic cut finds about 8 topics, far closer to the intents than the clusters', async () => {
  core = openCore({ db: path.join(tmp.dir, 'fine.db'), transport: 'cli', secrets: { get: () => undefined } })
  const app = new App(core)
  await app.complete('import:files', { files: [path.join(dir, 'posthog-events.jsonl')] })
  const out = await app.complete('clusters:pipeline', { min_cluster_size: 3 })
  const run = core.store.clusters.get(out.run_id)!
  const truth = run.points.map((p) => labels.posthog![String(p.id)]!)
  const names = [...new Set(truth)]
  const intent = truth.map((t) => names.indexOf(t))
  const topics = run.topics.filter((t) => t.id >= 0).length
  const r = { clusters: out.clusters, topics, ari_clusters: ari(intent, run.points.map((p) => p.cluster)), ari_topics: ari(intent, run.points.map((p) => p.topic)) }
  console.log(`fine: ${JSON.stringify(r)}`)
  expect(out.clusters).toBeGreaterThan(2 * names.length) // the case: clusters split intents
  expect(topics).toBeGreaterThanOrEqual(names.length / 2)
  expect(topics).toBeLessThanOrEqual(names.length * 1.5)
  expect(r.ari_topics).toBeGreaterThan(r.ari_clusters + 0.2)
}, 300_000)
