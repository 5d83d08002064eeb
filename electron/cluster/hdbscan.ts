// HDBSCAN (Campello, Moulavi & Sander 2013) as scikit-learn's HDBSCAN computes it with
// cluster_selection_method "eom": core distances (the min_samples-th neighbour, the point itself
// counted), a minimum spanning tree of mutual reachability (Prim's over the dense graph: O(n²·d)
// time, O(n) memory), single linkage, the condensed tree at min_cluster_size, excess of mass
// selection (the root is never a cluster), noise as −1, membership strength and GLOSH outlier scores.
import { dist2, exactKnn } from './knn'
import { Pacer } from './run-pace'

export interface HdbscanOptions {
  minClusterSize: number
  /** Defaults to minClusterSize, as scikit-learn; capped at minClusterSize like PostHog. */
  minSamples?: number
}

export interface CondensedTree {
  parent: Int32Array
  child: Int32Array
  lambda: Float64Array
  size: Int32Array
}

export interface HdbscanResult {
  /** Cluster per point, 0…k−1, or −1 for noise. */
  labels: Int32Array
  /** Membership strength 0…1 (0 for noise). */
  probabilities: Float32Array
  /** GLOSH outlier score 0…1. */
  outlierScores: Float32Array
  clusters: number
  tree: CondensedTree
}

export async function hdbscan(data: Float32Array, n: number, d: number, o: HdbscanOptions, pace = new Pacer()): Promise<HdbscanResult> {
  const mcs = Math.max(2, Math.min(o.minClusterSize, n))
  const minSamples = Math.max(1, Math.min(o.minSamples ?? mcs, mcs, n))
  if (n < 2) return empty(n)
  // Core distance: distance to the min_samples-th point counting the point itself (scikit-learn).
  const core = new Float64Array(n)
  if (minSamples > 1) {
    const knn = await exactKnn(data, n, d, minSamples - 1, pace)
    for (let i = 0; i < n; i++) core[i] = knn.distances[i * knn.k + knn.k - 1]!
  }
  const edges = await primMst(data, n, d, core, pace)
  const hierarchy = singleLinkage(edges, n)
  const tree = condense(hierarchy, n, mcs)
  return extract(tree, n)
}

interface Edges {
  a: Int32Array
  b: Int32Array
  w: Float64Array
}

/** Prim's algorithm on the complete mutual-reachability graph. */
async function primMst(data: Float32Array, n: number, d: number, core: Float64Array, pace: Pacer): Promise<Edges> {
  const best = new Float64Array(n).fill(Infinity)
  const from = new Int32Array(n).fill(-1)
  const rest = Int32Array.from({ length: n - 1 }, (_, i) => i + 1) // not yet in the tree
  let restLen = n - 1
  const a = new Int32Array(n - 1)
  const b = new Int32Array(n - 1)
  const w = new Float64Array(n - 1)
  let cur = 0
  for (let e = 0; e < n - 1; e++) {
    const cc = core[cur]!
    let pick = -1
    let pickW = Infinity
    for (let r = 0; r < restLen; r++) {
      const j = rest[r]!
      let m = Math.sqrt(dist2(data, d, cur, j))
      if (cc > m) m = cc
      if (core[j]! > m) m = core[j]!
      if (m < best[j]!) {
        best[j] = m
        from[j] = cur
      }
      if (best[j]! < pickW || (best[j] === pickW && j < rest[pick]!)) {
        pickW = best[j]!
        pick = r
      }
    }
    const next = rest[pick]!
    a[e] = from[next]!
    b[e] = next
    w[e] = pickW
    rest[pick] = rest[--restLen]!
    cur = next
    if ((e & 31) === 0) await pace.tick(1 - (restLen * restLen) / ((n - 1) * (n - 1)), 'HDBSCAN spanning tree')
  }
  return { a, b, w }
}

interface Hierarchy {
  left: Int32Array
  right: Int32Array
  dist: Float64Array
  size: Int32Array
}

/** Kruskal over the MST's edges: node n+i joins left[i] and right[i] at dist[i] (scipy's linkage form). */
function singleLinkage(edges: Edges, n: number): Hierarchy {
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort((x, y) => edges.w[x]! - edges.w[y]! || x - y)
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i)
  const size = new Int32Array(2 * n - 1).fill(1)
  const find = (x: number) => {
    let r = x
    while (parent[r] !== r) r = parent[r]!
    while (parent[x] !== r) {
      const nx = parent[x]!
      parent[x] = r
      x = nx
    }
    return r
  }
  const h: Hierarchy = { left: new Int32Array(n - 1), right: new Int32Array(n - 1), dist: new Float64Array(n - 1), size: new Int32Array(n - 1) }
  order.forEach((e, i) => {
    const ra = find(edges.a[e]!)
    const rb = find(edges.b[e]!)
    const node = n + i
    h.left[i] = ra
    h.right[i] = rb
    h.dist[i] = edges.w[e]!
    h.size[i] = size[ra]! + size[rb]!
    size[node] = h.size[i]!
    parent[ra] = node
    parent[rb] = node
  })
  return h
}

/** The condensed tree: clusters n, n+1, … (root n); a split is real when both sides have ≥ min_cluster_size points. */
function condense(h: Hierarchy, n: number, mcs: number): CondensedTree {
  const root = 2 * n - 2
  const sizeOf = (node: number) => (node < n ? 1 : h.size[node - n]!)
  const relabel = new Int32Array(2 * n - 1)
  const ignore = new Uint8Array(2 * n - 1)
  relabel[root] = n
  let nextLabel = n + 1
  const parent: number[] = []
  const child: number[] = []
  const lambdas: number[] = []
  const sizes: number[] = []
  const row = (p: number, c: number, l: number, s: number) => {
    parent.push(p)
    child.push(c)
    lambdas.push(l)
    sizes.push(s)
  }
  const fallOut = (sub: number, into: number, lambda: number) => {
    const stack = [sub]
    while (stack.length) {
      const x = stack.pop()!
      ignore[x] = 1
      if (x < n) row(into, x, lambda, 1)
      else stack.push(h.left[x - n]!, h.right[x - n]!)
    }
  }
  const queue = [root]
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!
    if (node < n || ignore[node]) continue
    const i = node - n
    const left = h.left[i]!
    const right = h.right[i]!
    queue.push(left, right)
    const dist = h.dist[i]!
    const lambda = dist > 0 ? 1 / dist : Infinity
    const lc = sizeOf(left)
    const rc = sizeOf(right)
    const here = relabel[node]!
    if (lc >= mcs && rc >= mcs) {
      relabel[left] = nextLabel++
      row(here, relabel[left]!, lambda, lc)
      relabel[right] = nextLabel++
      row(here, relabel[right]!, lambda, rc)
    } else if (lc < mcs && rc < mcs) {
      fallOut(left, here, lambda)
      fallOut(right, here, lambda)
    } else if (lc < mcs) {
      relabel[right] = here
      fallOut(left, here, lambda)
    } else {
      relabel[left] = here
      fallOut(right, here, lambda)
    }
  }
  return { parent: Int32Array.from(parent), child: Int32Array.from(child), lambda: Float64Array.from(lambdas), size: Int32Array.from(sizes) }
}

/** Excess-of-mass selection, labels, membership strengths and GLOSH scores from a condensed tree. */
export function extract(tree: CondensedTree, n: number): HdbscanResult {
  const rows = tree.parent.length
  let maxLabel = n
  for (let r = 0; r < rows; r++) if (tree.child[r]! > maxLabel) maxLabel = tree.child[r]!
  const count = maxLabel - n + 1
  const birth = new Float64Array(count) // root born at λ 0
  const parentOf = new Int32Array(count).fill(-1)
  const children: number[][] = Array.from({ length: count }, () => [])
  const pointParent = new Int32Array(n).fill(-1)
  const pointLambda = new Float64Array(n)
  for (let r = 0; r < rows; r++) {
    const c = tree.child[r]!
    if (c >= n) {
      birth[c - n] = tree.lambda[r]!
      parentOf[c - n] = tree.parent[r]! - n
      children[tree.parent[r]! - n]!.push(c - n)
    } else {
      pointParent[c] = tree.parent[r]! - n
      pointLambda[c] = tree.lambda[r]!
    }
  }
  const stability = new Float64Array(count)
  const deaths = new Float64Array(count) // largest λ among a cluster's own rows
  for (let r = 0; r < rows; r++) {
    const p = tree.parent[r]! - n
    stability[p] = stability[p]! + (tree.lambda[r]! - birth[p]!) * tree.size[r]!
    if (tree.lambda[r]! > deaths[p]!) deaths[p] = tree.lambda[r]!
  }
  const selected = new Uint8Array(count).fill(1)
  selected[0] = 0
  const deselectBelow = (c: number) => {
    const stack = [...children[c]!]
    while (stack.length) {
      const x = stack.pop()!
      selected[x] = 0
      stack.push(...children[x]!)
    }
  }
  // Children carry larger labels than their parent: walking labels downward visits children first.
  for (let c = count - 1; c >= 1; c--) {
    let sub = 0
    for (const ch of children[c]!) sub += stability[ch]!
    if (sub > stability[c]!) {
      selected[c] = 0
      stability[c] = sub
    } else deselectBelow(c)
  }
  const labelOf = new Int32Array(count).fill(-1)
  let clusters = 0
  for (let c = 1; c < count; c++) if (selected[c]) labelOf[c] = clusters++
  const labels = new Int32Array(n).fill(-1)
  const probabilities = new Float32Array(n)
  const outlierScores = new Float32Array(n)
  const subtreeDeaths = Float64Array.from(deaths)
  for (let c = count - 1; c >= 1; c--) {
    const p = parentOf[c]!
    if (subtreeDeaths[c]! > subtreeDeaths[p]!) subtreeDeaths[p] = subtreeDeaths[c]!
  }
  for (let i = 0; i < n; i++) {
    const p0 = pointParent[i]!
    if (p0 < 0) continue
    let c = p0
    while (c > 0 && !selected[c]) c = parentOf[c]!
    const lambda = pointLambda[i]!
    if (c > 0) {
      labels[i] = labelOf[c]!
      const maxL = deaths[c]!
      probabilities[i] = maxL === 0 || !Number.isFinite(lambda) ? 1 : Math.min(lambda, maxL) / maxL
    }
    const maxS = subtreeDeaths[p0]!
    outlierScores[i] = maxS === 0 || !Number.isFinite(lambda) || !Number.isFinite(maxS) ? 0 : (maxS - lambda) / maxS
  }
  return { labels, probabilities, outlierScores, clusters, tree }
}

function empty(n: number): HdbscanResult {
  return {
    labels: new Int32Array(n).fill(-1),
    probabilities: new Float32Array(n),
    outlierScores: new Float32Array(n),
    clusters: 0,
    tree: { parent: new Int32Array(0), child: new Int32Array(0), lambda: new Float64Array(0), size: new Int32Array(0) },
  }
}
