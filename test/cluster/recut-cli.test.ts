// `sightline cluster --run ID --topics K --json` in a child process: a run the engine made (4 blobs)
// cut again to 1 and to 4 topics, printed in the shape of `sightline cluster --json`; bad K refused.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sightlineCli, tempDir } from '../helpers'
import { sphereBlobs } from './blobs'
import { writeNpy } from './npy-writer'

const tmp = tempDir('sightline-recut-')
const db = path.join(tmp.dir, 'c.db')
afterAll(() => tmp.cleanup())

const sightline = sightlineCli(db)

interface RunJson {
  run_id: string
  params: { topics_cut?: number; topic_merges: unknown[] }
  topics: { id: number; label: string; size: number }[]
  clusters: { id: number; label: string; size: number; topic: number }[]
  points: { id: number; cluster: number; topic: number; x: number; y: number }[]
}

describe('sightline cluster --run ID --topics K', () => {
  it('re-cuts a stored run and prints it in the same shape; out-of-range K is refused', async () => {
    const b = sphereBlobs({ n: 160, d: 16, k: 4, seed: 5, spread: 0.4 })
    const file = path.join(tmp.dir, 'v.npy')
    fs.writeFileSync(file, writeNpy(Array.from({ length: b.n }, (_, i) => Array.from(b.data.subarray(i * b.d, (i + 1) * b.d))), { dtype: 'f4' }))
    const made = await sightline(['cluster', '--embeddings', file, '--min-cluster-size', '10', '--json'])
    expect(made.code, made.stderr).toBe(0)
    const run = JSON.parse(made.stdout) as RunJson
    const K = run.clusters.filter((c) => c.id >= 0).length
    expect(K).toBe(4)
    expect(run.params.topic_merges).toHaveLength(K - 1)

    const one = await sightline(['cluster', '--run', run.run_id, '--topics', '1', '--json'])
    expect(one.code, one.stderr).toBe(0)
    const a = JSON.parse(one.stdout) as RunJson
    expect(a.run_id).toBe(run.run_id)
    expect(a.params.topics_cut).toBe(1)
    expect(a.topics.filter((t) => t.id >= 0)).toEqual([{ id: 0, label: 'Topic 0', size: b.n - a.points.filter((p) => p.cluster < 0).length, keywords: [], description: null, label_source: 'offline' }])
    expect(a.points.map(({ id, cluster, x, y }) => ({ id, cluster, x, y }))).toEqual(run.points.map(({ id, cluster, x, y }) => ({ id, cluster, x, y })))
    for (const p of a.points) expect(p.topic).toBe(p.cluster < 0 ? -1 : 0)

    const all = JSON.parse((await sightline(['cluster', '--run', run.run_id, '--topics', String(K), '--json'])).stdout) as RunJson
    expect(all.clusters.filter((c) => c.id >= 0).map((c) => c.topic).sort()).toEqual([0, 1, 2, 3])
    for (const p of all.points) expect(p.topic).toBe(all.clusters.find((c) => c.id === p.cluster)!.topic)

    const bad = await sightline(['cluster', '--run', run.run_id, '--topics', '9'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain(`Cluster run ${run.run_id} has 4 clusters: the number of topics must be 1…4, not 9.`)
    const missing = await sightline(['cluster', '--run', 'cr_nope', '--topics', '2'])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('No cluster run with id "cr_nope"')
  }, 240_000)
})
