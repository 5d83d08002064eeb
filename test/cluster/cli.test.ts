// `sightline cluster` end to end in a child process: .npy inputs of both dtypes, DESIGN.md's JSON
// shape, runs kept side by side (a new run never overwrites an old one), clear errors.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/openai-server'
import { sightlineCli, tempDir } from '../helpers'
import { ari, sphereBlobs } from './blobs'

const tmp = tempDir('sightline-cluster-')
const db = path.join(tmp.dir, 'c.db')
afterAll(() => tmp.cleanup())

const sightline = sightlineCli(db)

/** A little-endian .npy file (format 1.0) of a row-major matrix. */
function writeNpy(file: string, rows: number, cols: number, values: Float32Array, dtype: '<f4' | '<f8'): void {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n'
  const size = dtype === '<f4' ? 4 : 8
  const buf = Buffer.alloc(10 + header.length + rows * cols * size)
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(buf)
  buf.writeUInt16LE(header.length, 8)
  buf.write(header, 10, 'latin1')
  values.forEach((v, i) => (size === 4 ? buf.writeFloatLE(v, 10 + header.length + i * 4) : buf.writeDoubleLE(v, 10 + header.length + i * 8)))
  fs.writeFileSync(file, buf)
}

interface RunJson {
  run_id: string
  params: { minClusterSize: number; seed: number }
  topics: { id: number; label: string; size: number }[]
  clusters: { id: number; label: string; size: number; topic: number }[]
  points: { id: number; cluster: number; topic: number; x: number; y: number }[]
}

describe('sightline cluster', () => {
  const b = sphereBlobs({ n: 240, d: 48, k: 4, seed: 21, spread: 0.5 })

  it('clusters an .npy of float32 and of float64 alike, in the documented shape; runs are kept side by side', async () => {
    const f32 = path.join(tmp.dir, 'v32.npy')
    const f64 = path.join(tmp.dir, 'v64.npy')
    writeNpy(f32, b.n, b.d, b.data, '<f4')
    writeNpy(f64, b.n, b.d, b.data, '<f8')
    const r32 = await sightline(['cluster', '--embeddings', f32, '--min-cluster-size', '10', '--json'])
    expect(r32.stderr).toBe('')
    expect(r32.code).toBe(0)
    const a = JSON.parse(r32.stdout) as RunJson
    expect(a.params.minClusterSize).toBe(10)
    expect(a.points.map((p) => p.id)).toEqual(Array.from({ length: b.n }, (_, i) => i))
    expect(ari(b.truth, a.points.map((p) => p.cluster))).toBe(1)
    expect(a.clusters.filter((c) => c.id >= 0).map((c) => c.size).sort()).toEqual([60, 60, 60, 60])
    for (const c of a.clusters) expect(c).toMatchObject({ id: expect.any(Number), label: expect.any(String), size: expect.any(Number), topic: expect.any(Number) })
    expect(a.topics.reduce((s, t) => s + t.size, 0)).toBe(b.n)
    for (const p of a.points) expect(p.topic).toBe(a.clusters.find((c) => c.id === p.cluster)!.topic)

    const r64 = await sightline(['cluster', '--embeddings', f64, '--min-cluster-size', '10', '--json'])
    expect(r64.code).toBe(0)
    const c = JSON.parse(r64.stdout) as RunJson
    expect(c.run_id).not.toBe(a.run_id)
    // float64 rounds to the same float32 values: the same run.
    expect(c.points).toEqual(a.points)

    const list = await sightline(['cluster', '--list', '--json'])
    const runs = JSON.parse(list.stdout) as { run_id: string; source: string; input: { kind: string; dtype: string } }[]
    expect(runs.map((r) => r.run_id).sort()).toEqual([a.run_id, c.run_id].sort())
    expect(runs.map((r) => r.input.dtype).sort()).toEqual(['<f4', '<f8'])
  }, 240_000)

  it('--provider openai: the labelling agent names the clusters through a local OpenAI-compatible server', async () => {
    const file = path.join(tmp.dir, 'agent.npy')
    writeNpy(file, b.n, b.d, b.data, '<f4')
    let n = 0
    const fake = await startFakeOpenAI(() =>
      n++ === 0
        ? { tool_calls: [{ name: 'bulk_set_labels', arguments: { labels: [0, 1, 2, 3].map((id) => ({ cluster_id: id, title: `Intent ${id}`, description: `about ${id}` })) } }] }
        : { tool_calls: [{ name: 'finalize_labels', arguments: {} }] },
    )
    try {
      const r = await sightline(['cluster', '--embeddings', file, '--min-cluster-size', '10', '--provider', 'openai', '--base-url', fake.baseUrl, '--label-model', 'llama3.1', '--json'])
      expect(r.code).toBe(0)
      expect(r.stderr).toContain('Labels: 4 of 4 clusters named by llama3.1 in 2 calls')
      const run = JSON.parse(r.stdout) as RunJson
      expect(run.clusters.filter((c) => c.id >= 0).map((c) => c.label).sort()).toEqual(['Intent 0', 'Intent 1', 'Intent 2', 'Intent 3'])
      expect(fake.chatRequests()).toHaveLength(2)
    } finally {
      await fake.close()
    }
  }, 180_000)

  it('says what is wrong with a file that is not an .npy, and with an empty database', async () => {
    const bad = path.join(tmp.dir, 'bad.npy')
    fs.writeFileSync(bad, 'not numpy')
    const r = await sightline(['cluster', '--embeddings', bad])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('bad.npy is not a usable .npy file')
    const empty = await sightline(['cluster', '--db', path.join(tmp.dir, 'empty.db')])
    expect(empty.code).not.toBe(0)
    expect(empty.stderr).toContain('No embeddings are stored')
  }, 120_000)
})
