// Topics: the level a reader sees first. HDBSCAN at PostHog's settings gives fine, pure clusters
// (one intent split by phrasing); topics merge them by average linkage on their centroids (cosine
// on the embedding, or its PCA scores), cut at the largest jump in merge distance unless a number
// of topics is asked for. Keeping every cluster apart scores its first merge against the clusters'
// own spread: two clusters closer than their members are to their own centre are one topic. The merge order is kept so a slider can re-cut cheaply.
import { Pacer } from './run-pace'

export interface TopicResult {
  /** Topic of each fine cluster. */
  topicOfCluster: Int32Array
  topics: number
  /** Merges, closest first: [a, b] joined into a new group (ids as scipy: clusters 0…K−1, then K, K+1, …). */
  merges: [number, number, number][]
  /** Jump in merge distance at each cut, by number of topics. */
  scores: Record<number, number>
}

export async function topicsOf(vectors: Float32Array, n: number, d: number, labels: Int32Array, clusters: number, wanted: number | undefined, pace = new Pacer()): Promise<TopicResult> {
  const K = clusters
  const centroids = new Float64Array(K * d)
  const sizes = new Float64Array(K)
  for (let i = 0; i < n; i++) {
    const c = labels[i]!
    if (c < 0) continue
    sizes[c] = sizes[c]! + 1
    for (let t = 0; t < d; t++) centroids[c * d + t] = centroids[c * d + t]! + vectors[i * d + t]!
  }
  for (let c = 0; c < K; c++) for (let t = 0; t < d; t++) centroids[c * d + t] = centroids[c * d + t]! / Math.max(1, sizes[c]!)
  const spread = meanSpread(vectors, n, d, labels, centroids, K)
  const merges = averageLinkage(centroids, K, d, sizes)
  const scores: Record<number, number> = {}
  let topics = K
  if (wanted !== undefined) topics = Math.max(1, Math.min(K, wanted))
  else if (K > 2) {
    // Cut where the dendrogram jumps most: cutting to k groups leaves merge K−k as the next one,
    // so the jump is h[K−k] − h[K−k−1]; for k = K, h[−1] is the clusters' spread (k = K when even
    // the closest clusters are far apart for their size). Measured on the sample traces: 37 fine
    // clusters of 8 intents (spread 0.11, first merge 0.21, the jump between intents 0.12) → 8
    // topics; 8 clusters that are the intents (spread 0.34, first merge 0.65) stay 8.
    let best = -Infinity
    for (let k = K; k >= 2; k--) {
      const next = merges[K - k]![2]
      const last = k === K ? spread : merges[K - k - 1]![2]
      const gap = next - last
      scores[k] = +gap.toFixed(6)
      if (gap > best + 1e-9) {
        best = gap
        topics = k
      }
    }
    await pace.tick(1, 'Topics')
  }
  return { topicOfCluster: cutTree(merges, K, topics), topics, merges, scores }
}

/** Mean over the clusters of their members' cosine distance to the cluster's centroid. */
function meanSpread(vectors: Float32Array, n: number, d: number, labels: Int32Array, centroids: Float64Array, K: number): number {
  const sum = new Float64Array(K)
  const count = new Float64Array(K)
  const cnorm = new Float64Array(K)
  for (let c = 0; c < K; c++) {
    let s = 0
    for (let t = 0; t < d; t++) s += centroids[c * d + t]! ** 2
    cnorm[c] = Math.sqrt(s) || 1
  }
  for (let i = 0; i < n; i++) {
    const c = labels[i]!
    if (c < 0) continue
    let dot = 0
    let nv = 0
    for (let t = 0; t < d; t++) {
      dot += vectors[i * d + t]! * centroids[c * d + t]!
      nv += vectors[i * d + t]! ** 2
    }
    sum[c] = sum[c]! + 1 - dot / ((Math.sqrt(nv) || 1) * cnorm[c]!)
    count[c] = count[c]! + 1
  }
  let total = 0
  for (let c = 0; c < K; c++) total += sum[c]! / Math.max(1, count[c]!)
  return K ? total / K : 0
}

/** Average linkage (UPGMA) over cosine distances of the centroids: O(K³), K is at most a few hundred. */
function averageLinkage(c: Float64Array, K: number, d: number, sizes: Float64Array): [number, number, number][] {
  const dist = new Float64Array(K * K)
  const norm = (i: number) => Math.sqrt(c.subarray(i * d, i * d + d).reduce((s, v) => s + v * v, 0)) || 1
  const norms = Array.from({ length: K }, (_, i) => norm(i))
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      let dot = 0
      for (let t = 0; t < d; t++) dot += c[i * d + t]! * c[j * d + t]!
      dist[i * K + j] = dist[j * K + i] = 1 - dot / (norms[i]! * norms[j]!)
    }
  }
  const active = Array.from({ length: K }, (_, i) => i)
  const id = Array.from({ length: K }, (_, i) => i) // scipy id of the group held in slot i
  const weight = Array.from(sizes, (s) => Math.max(1, s))
  const merges: [number, number, number][] = []
  let nextId = K
  while (active.length > 1) {
    let bi = -1
    let bj = -1
    let bd = Infinity
    for (let x = 0; x < active.length; x++) {
      for (let y = x + 1; y < active.length; y++) {
        const v = dist[active[x]! * K + active[y]!]!
        if (v < bd) {
          bd = v
          bi = x
          bj = y
        }
      }
    }
    const i = active[bi]!
    const j = active[bj]!
    merges.push([id[i]!, id[j]!, bd])
    for (const o of active) {
      if (o === i || o === j) continue
      const v = (dist[i * K + o]! * weight[i]! + dist[j * K + o]! * weight[j]!) / (weight[i]! + weight[j]!)
      dist[i * K + o] = dist[o * K + i] = v
    }
    weight[i] = weight[i]! + weight[j]!
    id[i] = nextId++
    active.splice(bj, 1)
  }
  return merges
}

/** Topic of each of the K clusters when the merge list is cut to `k` groups; topics numbered by their smallest cluster. */
export function cutTree(merges: [number, number, number][], K: number, k: number): Int32Array {
  const parent = Array.from({ length: 2 * K }, (_, i) => i)
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)))
  for (let m = 0; m < K - Math.max(1, k) && m < merges.length; m++) {
    const [a, b] = merges[m]!
    parent[find(a)] = K + m
    parent[find(b)] = K + m
  }
  const out = new Int32Array(K)
  const number = new Map<number, number>()
  for (let c = 0; c < K; c++) {
    const r = find(c)
    if (!number.has(r)) number.set(r, number.size)
    out[c] = number.get(r)!
  }
  return out
}
