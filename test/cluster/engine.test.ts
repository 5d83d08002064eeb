// The clustering engine: HDBSCAN on hand-checked small cases, UMAP's curve fit, the whole pipeline
// on blobs with known structure (exact clusters, topics that regroup split blobs), determinism with
// a seed, cancel mid-run.
import { describe, expect, it } from 'vitest'
import { hdbscan } from '../../electron/cluster/hdbscan'
import { exactKnn } from '../../electron/cluster/knn'
import { offlineLabels } from '../../electron/cluster/labels'
import { pca } from '../../electron/cluster/pca'
import { layoutInWorker } from '../../electron/cluster/layout-thread'
import { clusterVectors, defaultParams } from '../../electron/cluster/run'
import { Pacer, Rng } from '../../electron/cluster/run-pace'
import { findAB, fuzzyGraph, layout } from '../../electron/cluster/umap'
import { ari, sphereBlobs } from './blobs'

const line = (xs: number[]) => ({ data: Float32Array.from(xs), n: xs.length, d: 1 })

describe('HDBSCAN (hand-checked)', () => {
  it('two groups and a far point: two clusters, the point is noise with a high outlier score', async () => {
    const p = line([0, 1, 2, 3, 10, 11, 12, 13, 50])
    const h = await hdbscan(p.data, p.n, p.d, { minClusterSize: 3, minSamples: 2 })
    expect(Array.from(h.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, -1])
    // Every member leaves its cluster at λ = 1 (the cluster's last λ): full membership.
    expect(Array.from(h.probabilities)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0])
    // GLOSH: (λ_max − λ_point) / λ_max = (1 − 1/37) / 1 for the far point (core distance 37), 0 inside.
    expect(h.outlierScores[8]).toBeCloseTo(1 - 1 / 37, 5)
    expect(h.outlierScores[0]).toBe(0)
    // Condensed tree: root 9 holds the far point (λ 1/37) and clusters 10, 11 born at λ 1/7.
    const rows = Array.from(h.tree.parent, (par, i) => [par, h.tree.child[i], +h.tree.lambda[i]!.toFixed(4), h.tree.size[i]])
    expect(rows.filter((r) => r[0] === 9)).toEqual([
      [9, 8, +(1 / 37).toFixed(4), 1],
      [9, 10, +(1 / 7).toFixed(4), 4],
      [9, 11, +(1 / 7).toFixed(4), 4],
    ])
  })

  it('excess of mass keeps a parent whose children are less stable (gap 1.5), and splits it when they are not (gap 10)', async () => {
    // Parent {0..5.5}: stability 6·(1/1.5 − 1/94.5) = 3.94 > children 2·3·(1 − 1/1.5) = 2.
    const near = line([0, 1, 2, 3.5, 4.5, 5.5, 100, 101, 102])
    const a = await hdbscan(near.data, near.n, near.d, { minClusterSize: 3, minSamples: 2 })
    expect(a.clusters).toBe(2)
    expect(ari(a.labels, [0, 0, 0, 0, 0, 0, 1, 1, 1])).toBe(1)
    // Children 2·3·(1 − 1/10) = 5.4 > parent 6·(1/10 − 1/86) = 0.53.
    const far = line([0, 1, 2, 12, 13, 14, 100, 101, 102])
    const b = await hdbscan(far.data, far.n, far.d, { minClusterSize: 3, minSamples: 2 })
    // (cluster numbers follow the condensed tree's order; the partition is what counts)
    expect(b.clusters).toBe(3)
    expect(ari(b.labels, [0, 0, 0, 1, 1, 1, 2, 2, 2])).toBe(1)
  })

  it('min_samples counts the point itself (scikit-learn): with min_samples 2 the core distance is the nearest other point', async () => {
    // Cores with min_samples 2: 0.5, 0.5, 0.5 and 3 for the point at 4 (its nearest other point).
    const p = line([0, 0.5, 1, 4, 20, 20.5, 21])
    const h = await hdbscan(p.data, p.n, p.d, { minClusterSize: 3, minSamples: 2 })
    expect(Array.from(h.labels)).toEqual([0, 0, 0, 0, 1, 1, 1])
    // 4 leaves its cluster at λ 1/3, the rest at λ 2: membership 1/6 (the second-nearest, 3.5, would give 2/7).
    expect(h.probabilities[3]).toBeCloseTo(1 / 3 / 2, 5)
    expect(h.probabilities[0]).toBe(1)
  })

  it('uniform noise is all noise', async () => {
    const rng = new Rng(5)
    const n = 200
    const d = 8
    const data = Float32Array.from({ length: n * d }, () => rng.next())
    const h = await hdbscan(data, n, d, { minClusterSize: 10, minSamples: 5 })
    expect(h.clusters).toBe(0)
    expect(Array.from(h.labels).every((l) => l === -1)).toBe(true)
  })
})

describe('building blocks', () => {
  it('the a/b curve matches umap-learn for min_dist 0.1 and 0', () => {
    const r = findAB(0.1)
    expect(r.a).toBeCloseTo(1.577, 2)
    expect(r.b).toBeCloseTo(0.895, 2)
    const z = findAB(0)
    expect(z.a).toBeCloseTo(1.929, 1)
    expect(z.b).toBeCloseTo(0.7915, 2)
  })

  it('exact kNN agrees with brute force, nearest first, self excluded', async () => {
    const b = sphereBlobs({ n: 120, d: 16, k: 3, seed: 2 })
    const knn = await exactKnn(b.data, b.n, b.d, 5)
    for (let i = 0; i < b.n; i += 17) {
      const all = Array.from({ length: b.n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => [j, Math.hypot(...Array.from({ length: b.d }, (_, t) => b.data[i * b.d + t]! - b.data[j * b.d + t]!))] as const)
        .sort((x, y) => x[1] - y[1])
      expect(Array.from(knn.indices.subarray(i * 5, i * 5 + 5))).toEqual(all.slice(0, 5).map(([j]) => j))
      expect(knn.distances[i * 5]).toBeCloseTo(all[0]![1], 4)
    }
  })

  it('randomized PCA finds the planted directions', async () => {
    // Points on a 2-D plane inside 40-D, plus a little noise: two components carry nearly all variance.
    const rng = new Rng(3)
    const n = 300
    const d = 40
    const data = new Float32Array(n * d)
    for (let i = 0; i < n; i++) {
      const u = rng.normal() * 5
      const v = rng.normal() * 2
      for (let t = 0; t < d; t++) data[i * d + t] = (t === 3 ? u : 0) + (t === 7 ? v : 0) + rng.normal() * 0.01
    }
    const r = await pca(data, n, d, 3, 1)
    expect(r.variances[0]! / 25).toBeCloseTo(1, 0)
    expect(r.variances[1]! / 4).toBeCloseTo(1, 0)
    expect(r.variances[2]!).toBeLessThan(0.01)
  })

  it('c-TF-IDF labels name each group by its distinctive words and its most central title', () => {
    const texts = ['refund my order please', 'refund for a broken card order', 'order refund', 'reset my password', 'password reset link', 'login password']
    const labels = offlineLabels({
      groups: Int32Array.from([0, 0, 0, 1, 1, 1]),
      count: 2,
      texts,
      titles: ['Refund request', 'Refund for a defective card', 'Order refund', 'Password reset', 'Reset link', 'Login help'],
      centrality: Float32Array.from([0.5, 1, 0.2, 0.3, 0.9, 0.1]),
      kind: 'Cluster',
    })
    expect(labels[0]!.keywords.slice(0, 2).sort()).toEqual(['order', 'refund'])
    expect(labels[0]!.label).toBe(`${labels[0]!.keywords.join(' · ')} — 'Refund for a defective card'`)
    expect(labels[1]!.keywords.slice(0, 2).sort()).toEqual(['password', 'reset'])
  })
})

describe('plot layout in a second thread', () => {
  const b = sphereBlobs({ n: 300, d: 16, k: 3, seed: 4, spread: 0.5 })
  const options = { dim: 2, minDist: 0.1, seed: 43, epochs: 60 }

  it('gives exactly the layout made in this thread, and reports its progress here', async () => {
    const graph = fuzzyGraph(await exactKnn(b.data, b.n, b.d, 14))
    const here = await layout(graph, options)
    const seen: number[] = []
    const there = await layoutInWorker(graph, options, new Pacer({ progress: (f) => seen.push(f) }))
    expect(Array.from(there)).toEqual(Array.from(here))
    expect(seen.length).toBeGreaterThan(0)
  }, 60_000)

  it('cancel ends the worker at once', async () => {
    const graph = fuzzyGraph(await exactKnn(b.data, b.n, b.d, 14))
    const stop = new AbortController()
    const t0 = performance.now()
    const run = layoutInWorker(graph, { ...options, epochs: 1_000_000 }, new Pacer({ signal: stop.signal }), stop.signal)
    setTimeout(() => stop.abort(), 300)
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' })
    expect(performance.now() - t0).toBeLessThan(5000)
  }, 60_000)
})

describe('defaultParams', () => {
  it("keeps PostHog's 15 neighbours and min_samples 5 from 120 points; below, an eighth of the points and half of that; given values win", () => {
    expect([300, 120, 10_000].map((n) => [defaultParams(n).nNeighbors, defaultParams(n).minSamples])).toEqual([[15, 5], [15, 5], [15, 5]])
    expect([defaultParams(40).nNeighbors, defaultParams(40).minSamples]).toEqual([5, 2])
    expect([defaultParams(80).nNeighbors, defaultParams(80).minSamples]).toEqual([10, 5])
    expect([defaultParams(10).nNeighbors, defaultParams(10).minSamples]).toEqual([2, 2])
    expect(defaultParams(40, { nNeighbors: 15, minSamples: 5 })).toMatchObject({ nNeighbors: 15, minSamples: 5 })
  })
})

describe('pipeline', () => {
  const blobs = sphereBlobs({ n: 600, d: 64, k: 6, seed: 11, spread: 0.6 })
  const params = defaultParams(blobs.n, { epochs: 200 })

  it('well separated blobs give exactly the blobs, no noise', async () => {
    const r = await clusterVectors(blobs.data, blobs.n, blobs.d, params)
    expect(r.clusters).toBe(6)
    expect(ari(blobs.truth, r.labels)).toBe(1)
    expect(r.labels.every((l) => l >= 0)).toBe(true)
    expect(r.xy.length).toBe(blobs.n * 2)
    expect(r.xy.every(Number.isFinite)).toBe(true)
  }, 60_000)

  it('the same seed gives the same run; another seed the same clusters', async () => {
    const small = sphereBlobs({ n: 200, d: 16, k: 4, seed: 5, spread: 0.5 })
    const p = defaultParams(small.n, { epochs: 100 })
    const a = await clusterVectors(small.data, small.n, small.d, p)
    const b = await clusterVectors(small.data, small.n, small.d, p)
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels))
    expect(Array.from(b.xy)).toEqual(Array.from(a.xy))
    const c = await clusterVectors(small.data, small.n, small.d, { ...p, seed: 7 })
    expect(Array.from(c.xy)).not.toEqual(Array.from(a.xy))
    expect(ari(a.labels, c.labels)).toBe(1)
  }, 60_000)

  it('topics regroup the fine clusters of split blobs', async () => {
    // 3 topics, each made of 3 tight sub-blobs: HDBSCAN finds the 9 sub-blobs, topics the 3 groups.
    const rng = new Rng(9)
    const d = 32
    const per = 40
    const top = Array.from({ length: 3 }, () => Array.from({ length: d }, () => rng.normal()))
    const rows: number[][] = []
    const truth: number[] = []
    for (let t = 0; t < 3; t++) {
      for (let s = 0; s < 3; s++) {
        const centre = top[t]!.map((v) => v + rng.normal() * 0.35)
        for (let i = 0; i < per; i++) {
          rows.push(centre.map((v) => v + rng.normal() * 0.05))
          truth.push(t)
        }
      }
    }
    const n = rows.length
    const r = await clusterVectors(Float32Array.from(rows.flat()), n, d, defaultParams(n, { epochs: 200 }))
    expect(r.clusters).toBeGreaterThanOrEqual(6)
    const topicOf = Array.from(r.labels, (l) => (l < 0 ? -1 : r.topic.topicOfCluster[l]!))
    expect(r.topic.topics).toBe(3)
    expect(ari(truth, topicOf)).toBeGreaterThan(0.95)
  }, 60_000)

  it('uniform noise through the whole pipeline: all noise or one cluster (UMAP alone clumps it into 18–26 clusters)', async () => {
    for (const [n, d, seed] of [
      [400, 32, 5],
      [300, 64, 6],
      [1000, 64, 7],
    ] as const) {
      const rng = new Rng(seed)
      const data = Float32Array.from({ length: n * d }, () => rng.normal())
      const r = await clusterVectors(data, n, d, defaultParams(n))
      const noise = r.labels.filter((l) => l < 0).length
      expect(noise >= 0.9 * n || r.clusters === 1, `${n}×${d}: ${r.clusters} clusters, ${noise} noise`).toBe(true)
      expect(r.dissolved).toBeGreaterThan(0)
      expect(r.membership.every((m, i) => r.labels[i]! >= 0 || m === 0)).toBe(true)
    }
  }, 120_000)

  it('the neighbour-graph check keeps real clusters: blobs with 5 % uniform noise keep every blob', async () => {
    const b = sphereBlobs({ n: 800, d: 64, k: 8, noise: 0.05, seed: 3, spread: 0.7 })
    const r = await clusterVectors(b.data, b.n, b.d, defaultParams(b.n))
    expect(r.dissolved).toBe(0)
    const inBlobs = Array.from(b.truth.keys()).filter((i) => b.truth[i]! >= 0)
    expect(ari(inBlobs.map((i) => b.truth[i]!), inBlobs.map((i) => r.labels[i]!))).toBeGreaterThan(0.99)
  }, 60_000)

  it('cancel mid-run stops with CancelledError', async () => {
    const stop = new AbortController()
    const seen: string[] = []
    const run = clusterVectors(blobs.data, blobs.n, blobs.d, params, {
      signal: stop.signal,
      progress: (_f, message) => {
        seen.push(message)
        if (message.startsWith('UMAP')) stop.abort()
      },
    })
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' })
    expect(seen.some((m) => m.startsWith('UMAP'))).toBe(true)
    expect(seen).not.toContain('HDBSCAN spanning tree')
  }, 60_000)
})
