// Exact k nearest neighbours (euclidean) over row-major Float32 data. Each pair's distance is
// computed once and offered to both rows' heaps, so n = 10k rows of 50 dims take ~2.5e9 multiply-adds.
// Exact beats approximate search here: the inputs are reduced first (PCA to ≤ 50-D for wide
// embeddings), and exact neighbours keep runs reproducible and free of recall loss.
import { Pacer } from './run-pace'

export interface Knn {
  n: number
  /** Neighbours per row, self excluded. */
  k: number
  /** Row i's neighbours at [i*k, i*k+k), nearest first. */
  indices: Int32Array
  distances: Float32Array
}

/** Squared euclidean distance of rows a and b. */
export function dist2(data: Float32Array, d: number, a: number, b: number): number {
  let s = 0
  const oa = a * d
  const ob = b * d
  for (let t = 0; t < d; t++) {
    const x = data[oa + t]! - data[ob + t]!
    s += x * x
  }
  return s
}

export async function exactKnn(data: Float32Array, n: number, d: number, kWanted: number, pace = new Pacer()): Promise<Knn> {
  const k = Math.max(0, Math.min(kWanted, n - 1))
  const hd = new Float64Array(n * k).fill(Infinity) // per-row max-heaps of squared distances
  const hi = new Int32Array(n * k).fill(-1)
  const norms = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let t = 0, o = i * d; t < d; t++) s += data[o + t]! * data[o + t]!
    norms[i] = s
  }
  // Replaces the root of row r's heap with (dist, idx) and sifts it down.
  const push = (r: number, dist: number, idx: number) => {
    const base = r * k
    let pos = 0
    for (;;) {
      const l = 2 * pos + 1
      if (l >= k) break
      const rr = l + 1
      const c = rr < k && hd[base + rr]! > hd[base + l]! ? rr : l
      if (hd[base + c]! <= dist) break
      hd[base + pos] = hd[base + c]!
      hi[base + pos] = hi[base + c]!
      pos = c
    }
    hd[base + pos] = dist
    hi[base + pos] = idx
  }
  const total = (n * (n - 1)) / 2
  let done = 0
  if (k > 0) {
    for (let i = 0; i < n; i++) {
      const oi = i * d
      const ni = norms[i]!
      for (let j = i + 1; j < n; j++) {
        const oj = j * d
        let dot = 0
        let t = 0
        for (; t + 3 < d; t += 4) {
          dot += data[oi + t]! * data[oj + t]! + data[oi + t + 1]! * data[oj + t + 1]! + data[oi + t + 2]! * data[oj + t + 2]! + data[oi + t + 3]! * data[oj + t + 3]!
        }
        for (; t < d; t++) dot += data[oi + t]! * data[oj + t]!
        let dd = ni + norms[j]! - 2 * dot
        if (dd < 0) dd = 0
        if (dd < hd[i * k]!) push(i, dd, j)
        if (dd < hd[j * k]!) push(j, dd, i)
      }
      done += n - i - 1
      await pace.tick(done / total, 'Nearest neighbours')
    }
  }
  // Heaps to sorted lists (ties by index, so the order does not depend on the heap's history).
  const indices = new Int32Array(n * k)
  const distances = new Float32Array(n * k)
  const order = Array.from({ length: k }, (_, t) => t)
  for (let i = 0; i < n; i++) {
    const base = i * k
    order.sort((a, b) => hd[base + a]! - hd[base + b]! || hi[base + a]! - hi[base + b]!)
    for (let t = 0; t < k; t++) {
      indices[base + t] = hi[base + order[t]!]!
      distances[base + t] = Math.sqrt(hd[base + order[t]!]!)
    }
  }
  return { n, k, indices, distances }
}

/** Rows scaled to unit length (zero rows stay zero): euclidean neighbours are then cosine neighbours. */
export function normalizeRows(data: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let t = 0; t < d; t++) s += data[i * d + t]! * data[i * d + t]!
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0
    for (let t = 0; t < d; t++) out[i * d + t] = data[i * d + t]! * inv
  }
  return out
}
