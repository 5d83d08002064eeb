// UMAP at min_dist 0 clumps even uniform noise, and HDBSCAN then finds those clumps as clusters
// (400 random 32-D vectors: 23 clusters). What tells a clump from a cluster is the kNN of the
// input (the one both layouts share): a real cluster's members have their nearest neighbours
// inside it, a clump of noise's do not. Clusters whose members keep fewer than MIN_COHESION of
// their neighbours become noise, and when the clusters together keep fewer than MIN_MEAN_COHESION
// the data has no cluster structure: all of it is noise. Measured: uniform noise in 8, 10, 16, 32
// and 64 dimensions (300–1,000 points) loses every clump (20–33 clusters before); blobs and the
// sample traces lose none at the default min_cluster_size (3 of 40 tiny clusters at 3 on the samples).
import type { Knn } from './knn'

export const MIN_COHESION = 0.5
export const MIN_MEAN_COHESION = 0.6

/**
 * Per cluster, the mean over its members of the share of their nearest m neighbours (m = the
 * cluster's size − 1, at most k) that are in the cluster: a small cluster is not held to more
 * neighbours than it has members.
 */
export function cohesion(knn: Knn, labels: Int32Array, clusters: number): Float64Array {
  const sizes = new Int32Array(clusters)
  for (const c of labels) if (c >= 0) sizes[c]!++
  const sum = new Float64Array(clusters)
  for (let i = 0; i < knn.n; i++) {
    const c = labels[i]!
    if (c < 0) continue
    const m = Math.min(sizes[c]! - 1, knn.k)
    if (m <= 0) continue
    let inside = 0
    for (let j = 0; j < m; j++) if (labels[knn.indices[i * knn.k + j]!] === c) inside++
    sum[c] = sum[c]! + inside / m
  }
  return sum.map((v, c) => (sizes[c]! > 0 ? v / sizes[c]! : 0))
}

/** Labels with incoherent clusters turned to noise (−1) and the rest numbered 0…k−1 in their order. */
export function dropIncoherent(knn: Knn, labels: Int32Array, clusters: number): { labels: Int32Array; clusters: number; dropped: number } {
  const coh = cohesion(knn, labels, clusters)
  const sizes = new Float64Array(clusters)
  for (const c of labels) if (c >= 0) sizes[c] = sizes[c]! + 1
  let weighted = 0
  let total = 0
  for (let c = 0; c < clusters; c++) {
    weighted += coh[c]! * sizes[c]!
    total += sizes[c]!
  }
  const structureless = total > 0 && weighted / total < MIN_MEAN_COHESION
  const renumber = new Int32Array(clusters).fill(-1)
  let kept = 0
  for (let c = 0; c < clusters; c++) if (!structureless && coh[c]! >= MIN_COHESION) renumber[c] = kept++
  return { labels: labels.map((c) => (c < 0 ? -1 : renumber[c]!)), clusters: kept, dropped: clusters - kept }
}
