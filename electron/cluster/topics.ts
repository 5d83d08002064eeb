// Topics: the level a reader sees first. HDBSCAN at PostHog's settings gives fine, pure clusters
// (one intent split by phrasing); topics merge them by average linkage. How many topics: the
// centroid tree (cosine on the embedding, or its PCA scores) cut at the largest jump in merge
// distance, keeping every cluster apart scored against the clusters' own spread (two clusters
// closer than their members are to their own centre are one topic), then raised until no topic
// holds two clusters whose words are apart beyond their own halves' difference (wordsApart), unless
// a number is asked for.
// Which clusters go together: when the traces have texts, the tree of the clusters' c-TF-IDF word
// vectors (BERTopic's class-based TF-IDF, the full vocabulary), cut at that number; it tells apart
// intents that share an app, tools and much wording, which the 64-D embedding mixes (measured in
// bench/topics-heldout.ts, docs/clustering.md). Without texts, the centroid tree. The merge order
// is kept so a slider can re-cut cheaply. Noise points take a topic when they are as close to its
// centroid as its own farthest member (BERTopic's reduce_outliers, "embeddings"), at every cut.
import { tokenize } from './labels'
import { Pacer } from './run-pace'

export interface TopicResult {
  /** Topic of each fine cluster. */
  topicOfCluster: Int32Array
  topics: number
  /** Merges, closest first: [a, b] joined into a new group (ids as scipy: clusters 0…K−1, then K, K+1, …). */
  merges: [number, number, number][]
  /** Jump in merge distance at each cut, by number of topics. */
  scores: Record<number, number>
  /** The tree `merges` is: of the clusters' words (c-TF-IDF), or of their centroids. */
  tree: 'words' | 'centroids'
  /** What places noise points in topics at any cut (outlierTopics). */
  outliers: OutlierModel
}

export async function topicsOf(vectors: Float32Array, n: number, d: number, labels: Int32Array, clusters: number, wanted: number | undefined, pace = new Pacer(), texts?: (string | null)[]): Promise<TopicResult> {
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
  const tokens = texts ? wordsOf(texts) : null
  const words = tokens ? wordDistances(tokens, labels, K) : null
  const tree = words ? averageLinkageOf(words, K, sizes) : merges
  // The centroids may put two intents closer than one intent's phrasings (they share an app, tools,
  // wording); the words then say two clusters differ for sure when the clusters are big enough
  // for their halves to agree. No topic holds such a pair unless a number was asked for.
  if (wanted === undefined && words) {
    const apart = wordsApart(tokens!, labels, K)
    while (topics < K && holdsPair(cutTree(tree, K, topics), apart, K)) topics++
  }
  return { topicOfCluster: cutTree(tree, K, topics), topics, merges: tree, scores, tree: words ? 'words' : 'centroids', outliers: outlierModel(vectors, n, d, labels, K, tree) }
}

/** Each text's words as ids into one vocabulary (null: no text): tokenized once for both
 * wordDistances and wordsApart. */
export interface Words {
  ids: (Int32Array | null)[]
  vocabulary: number
}

export function wordsOf(texts: (string | null)[]): Words {
  const index = new Map<string, number>()
  const ids = texts.map((t) => (t ? Int32Array.from(tokenize(t), (w) => index.get(w) ?? (index.set(w, index.size), index.size - 1)) : null))
  return { ids, vocabulary: index.size }
}

/**
 * Cosine distances between the clusters' c-TF-IDF vectors (a word's share of the cluster's words
 * × log(1 + average words per cluster / the word's count overall)), or null when a cluster has no
 * words (no texts: an .npy run). Each vector is sparse (word ids and weights); a pair's dot product
 * reads one of them scattered into a dense row (string-keyed maps took 6.5 s at 50,000 texts in
 * 300 clusters, 21 s for wordsApart's 600 halves).
 */
export function wordDistances(words: Words, labels: Int32Array, K: number): Float64Array | null {
  const counts: Map<number, number>[] = Array.from({ length: K }, () => new Map())
  const overall = new Float64Array(words.vocabulary)
  let total = 0
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!
    const ids = words.ids[i]
    if (c < 0 || !ids) continue
    for (const w of ids) {
      counts[c]!.set(w, (counts[c]!.get(w) ?? 0) + 1)
      overall[w]!++
      total++
    }
  }
  if (K < 2 || counts.some((m) => !m.size)) return null
  const avg = total / K
  const rows = counts.map((m) => {
    const ids = Int32Array.from(m.keys())
    const sum = [...m.values()].reduce((a, b) => a + b, 0)
    const weights = Float64Array.from(ids, (w) => (m.get(w)! / sum) * Math.log(1 + avg / overall[w]!))
    let norm = 0
    for (const t of weights) norm += t * t
    norm = Math.sqrt(norm) || 1
    for (let k = 0; k < weights.length; k++) weights[k]! /= norm
    return { ids, weights }
  })
  const dist = new Float64Array(K * K)
  const dense = new Float64Array(words.vocabulary)
  for (let i = 0; i < K; i++) {
    const a = rows[i]!
    for (let k = 0; k < a.ids.length; k++) dense[a.ids[k]!] = a.weights[k]!
    for (let j = i + 1; j < K; j++) {
      const b = rows[j]!
      let dot = 0
      for (let k = 0; k < b.ids.length; k++) dot += dense[b.ids[k]!]! * b.weights[k]!
      dist[i * K + j] = dist[j * K + i] = 1 - dot
    }
    for (let k = 0; k < a.ids.length; k++) dense[a.ids[k]!] = 0
  }
  return dist
}

/** How much more two clusters' halves differ in words than each cluster's own two halves do. */
const APART_MARGIN = 0.6
/** Members each cluster needs before its words are trusted to tell it apart. */
const APART_MIN_SIZE = 10

/**
 * Pairs of clusters whose words differ beyond their own sampling noise (split-half): each cluster's
 * members split in two alternately, c-TF-IDF over the 2K halves, and i, j apart when the mean
 * distance between their halves exceeds the larger of their own halves' distance by APART_MARGIN.
 * Clusters under APART_MIN_SIZE members are never judged apart: at the fine level one intent's
 * phrasings differ in words as much as two intents do (1,386 pairs measured, docs/clustering.md).
 * None are when a half has no text (the count stays the centroids').
 */
export function wordsApart(words: Words, labels: Int32Array, K: number): Uint8Array {
  const seen = new Int32Array(K)
  const halves = labels.map((c) => (c < 0 ? -1 : 2 * c + (seen[c]!++ % 2)))
  const d = wordDistances(words, halves, 2 * K)
  const apart = new Uint8Array(K * K)
  if (!d) return apart
  const H = 2 * K
  const self = (c: number) => d[2 * c * H + 2 * c + 1]!
  for (let i = 0; i < K; i++) {
    if (seen[i]! < APART_MIN_SIZE) continue
    for (let j = i + 1; j < K; j++) {
      if (seen[j]! < APART_MIN_SIZE) continue
      const between = (d[2 * i * H + 2 * j]! + d[2 * i * H + 2 * j + 1]! + d[(2 * i + 1) * H + 2 * j]! + d[(2 * i + 1) * H + 2 * j + 1]!) / 4
      if (between - Math.max(self(i), self(j)) > APART_MARGIN) apart[i * K + j] = apart[j * K + i] = 1
    }
  }
  return apart
}

/** Whether a topic of this cut holds two clusters that are apart. */
function holdsPair(topicOf: Int32Array, apart: Uint8Array, K: number): boolean {
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) if (topicOf[i] === topicOf[j] && apart[i * K + j]) return true
  return false
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
  return averageLinkageOf(dist, K, sizes)
}

/** Average linkage over a K × K distance matrix (changed in place), groups weighted by size. */
function averageLinkageOf(dist: Float64Array, K: number, sizes: Float64Array): [number, number, number][] {
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
  return cutNodes(merges, K, k).topicOfCluster
}

/** cutTree, with the tree node (scipy id) each topic is. */
function cutNodes(merges: [number, number, number][], K: number, k: number): { topicOfCluster: Int32Array; nodeOfTopic: number[] } {
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
  return { topicOfCluster: out, nodeOfTopic: [...number.keys()] }
}

/**
 * What outlierTopics needs at any cut of the tree, stored with a run (params.topic_outliers) so
 * the slider places noise as a run does: the noise points' unit vectors, each cluster's sum of
 * unit vectors, and each tree node's reach (its farthest member's cosine distance to its centroid).
 */
export interface OutlierModel {
  /** Point indices of the noise points. */
  points: number[]
  vectors: number[][]
  sums: number[][]
  /** By tree node: clusters 0…K−1, then merge m as K + m. */
  reach: number[]
}

const round = (x: number) => Math.round(x * 1e5) / 1e5

export function outlierModel(vectors: Float32Array, n: number, d: number, labels: Int32Array, K: number, merges: [number, number, number][]): OutlierModel {
  const unit = new Float32Array(n * d)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let t = 0; t < d; t++) s += vectors[i * d + t]! ** 2
    const inv = 1 / (Math.sqrt(s) || 1)
    for (let t = 0; t < d; t++) unit[i * d + t] = vectors[i * d + t]! * inv
  }
  const points: number[] = []
  const sums = new Float64Array(K * d)
  const members: number[][] = Array.from({ length: K }, () => [])
  for (let i = 0; i < n; i++) {
    const c = labels[i]!
    if (c < 0) {
      points.push(i)
      continue
    }
    for (let t = 0; t < d; t++) sums[c * d + t] = sums[c * d + t]! + unit[i * d + t]!
    members[c]!.push(i)
  }
  // Each node's sum (children's sums added), then its farthest member from that centroid.
  const nodes = K + merges.length
  const nodeSum = new Float64Array(nodes * d)
  nodeSum.set(sums)
  const clustersOf: number[][] = Array.from({ length: K }, (_, c) => [c])
  merges.forEach(([a, b], m) => {
    clustersOf.push([...clustersOf[a]!, ...clustersOf[b]!])
    for (let t = 0; t < d; t++) nodeSum[(K + m) * d + t] = nodeSum[a * d + t]! + nodeSum[b * d + t]!
  })
  const reach = clustersOf.map((cs, node) => {
    const s = nodeSum.subarray(node * d, node * d + d)
    const norm = Math.sqrt(s.reduce((a, x) => a + x * x, 0)) || 1
    let far = 0
    for (const c of cs) {
      for (const i of members[c]!) {
        let dot = 0
        for (let t = 0; t < d; t++) dot += unit[i * d + t]! * s[t]!
        far = Math.max(far, 1 - dot / norm)
      }
    }
    return round(far)
  })
  return {
    points,
    vectors: points.map((i) => Array.from(unit.subarray(i * d, i * d + d), round)),
    sums: Array.from({ length: K }, (_, c) => Array.from(sums.subarray(c * d, c * d + d), round)),
    reach,
  }
}

/**
 * Topic of each noise point at the cut to `k` topics (BERTopic's reduce_outliers by embeddings): its
 * nearest topic centroid (cosine) when it is as close as that topic's farthest member; −1 otherwise.
 */
export function outlierTopics(m: OutlierModel, merges: [number, number, number][], K: number, k: number): Map<number, number> {
  const { topicOfCluster, nodeOfTopic } = cutNodes(merges, K, k)
  const d = m.sums[0]?.length ?? 0
  const cents = nodeOfTopic.map(() => new Float64Array(d))
  for (let c = 0; c < K; c++) for (let t = 0; t < d; t++) cents[topicOfCluster[c]!]![t] = cents[topicOfCluster[c]!]![t]! + m.sums[c]![t]!
  const norms = cents.map((c) => Math.sqrt(c.reduce((a, x) => a + x * x, 0)) || 1)
  const out = new Map<number, number>()
  m.points.forEach((p, j) => {
    const v = m.vectors[j]!
    let best = -1
    let bd = Infinity
    cents.forEach((c, t) => {
      let dot = 0
      for (let x = 0; x < d; x++) dot += v[x]! * c[x]!
      const dist = 1 - dot / norms[t]!
      if (dist < bd) {
        bd = dist
        best = t
      }
    })
    out.set(p, best >= 0 && bd <= m.reach[nodeOfTopic[best]!]! + 1e-9 ? best : -1)
  })
  return out
}
