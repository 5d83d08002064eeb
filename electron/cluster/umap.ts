// UMAP (McInnes, Healy & Melville 2018) as umap-learn computes it — smooth kNN distances, fuzzy
// union, the a/b curve from min_dist, SGD with negative sampling and a linearly decaying rate — on
// typed arrays. The fuzzy graph is built once from one kNN and shared by both reductions (the
// clustering one and the 2-D plot), which differ only in target dimension and min_dist.
import type { Knn } from './knn'
import { Pacer, Rng } from './run-pace'

/** The symmetric fuzzy graph, each undirected edge present in both directions (as umap-learn's COO). */
export interface FuzzyGraph {
  n: number
  heads: Int32Array
  tails: Int32Array
  weights: Float32Array
}

const SMOOTH_K_TOLERANCE = 1e-5
const MIN_K_DIST_SCALE = 1e-3

/** Memberships from a kNN (self excluded, so n_neighbors = knn.k + 1), then the fuzzy union A + Aᵀ − A∘Aᵀ. */
export function fuzzyGraph(knn: Knn): FuzzyGraph {
  const { n, k } = knn
  const target = Math.log2(k + 1)
  let meanAll = 0
  for (let i = 0; i < knn.distances.length; i++) meanAll += knn.distances[i]!
  meanAll /= Math.max(1, knn.distances.length)
  const directed = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const base = i * k
    let rho = 0
    let mean = 0
    for (let j = 0; j < k; j++) {
      const dj = knn.distances[base + j]!
      mean += dj
      if (rho === 0 && dj > 0) rho = dj
    }
    mean /= k + 1 // umap-learn's row includes the point itself at distance 0
    let lo = 0
    let hi = Infinity
    let mid = 1
    for (let it = 0; it < 64; it++) {
      let psum = 0
      for (let j = 0; j < k; j++) {
        const dd = knn.distances[base + j]! - rho
        psum += dd > 0 ? Math.exp(-dd / mid) : 1
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break
      if (psum > target) {
        hi = mid
        mid = (lo + hi) / 2
      } else {
        lo = mid
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2
      }
    }
    let sigma = mid
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? mean : meanAll)
    if (sigma < floor) sigma = floor
    for (let j = 0; j < k; j++) {
      const t = knn.indices[base + j]!
      if (t < 0 || t === i) continue
      const dd = knn.distances[base + j]! - rho
      const w = dd <= 0 || sigma === 0 ? 1 : Math.exp(-dd / sigma)
      directed.set(i * n + t, w)
    }
  }
  const heads: number[] = []
  const tails: number[] = []
  const weights: number[] = []
  for (const [key, w] of directed) {
    const i = Math.floor(key / n)
    const j = key - i * n
    const back = directed.get(j * n + i)
    if (back !== undefined && j < i) continue // the pair was emitted from its smaller end
    const b = back ?? 0
    const s = w + b - w * b
    heads.push(i, j)
    tails.push(j, i)
    weights.push(s, s)
  }
  // A deterministic edge order (by head, then tail): SGD visits edges in this order.
  const order = heads.map((_, e) => e).sort((x, y) => heads[x]! - heads[y]! || tails[x]! - tails[y]!)
  return {
    n,
    heads: Int32Array.from(order, (e) => heads[e]!),
    tails: Int32Array.from(order, (e) => tails[e]!),
    weights: Float32Array.from(order, (e) => weights[e]!),
  }
}

/** a, b of 1 / (1 + a·d^(2b)) fitted to the min_dist / spread curve (Levenberg–Marquardt, as scipy's curve_fit). */
export function findAB(minDist: number, spread = 1): { a: number; b: number } {
  const xs: number[] = []
  const ys: number[] = []
  for (let i = 0; i < 300; i++) {
    const x = (i * 3 * spread) / 299
    xs.push(x)
    ys.push(x < minDist ? 1 : Math.exp(-(x - minDist) / spread))
  }
  const residual = (a: number, b: number) => xs.reduce((s, x, i) => s + (1 / (1 + a * x ** (2 * b)) - ys[i]!) ** 2, 0)
  let a = 1
  let b = 1
  let lambda = 1e-3
  let err = residual(a, b)
  for (let it = 0; it < 200; it++) {
    let jaa = 0
    let jab = 0
    let jbb = 0
    let ga = 0
    let gb = 0
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!
      if (x === 0) continue
      const u = x ** (2 * b)
      const den = (1 + a * u) ** 2
      const da = -u / den
      const db = (-a * u * 2 * Math.log(x)) / den
      const r = 1 / (1 + a * u) - ys[i]!
      jaa += da * da
      jab += da * db
      jbb += db * db
      ga += da * r
      gb += db * r
    }
    const m11 = jaa * (1 + lambda)
    const m22 = jbb * (1 + lambda)
    const det = m11 * m22 - jab * jab
    if (!(Math.abs(det) > 0)) break
    const stepA = -(m22 * ga - jab * gb) / det
    const stepB = -(-jab * ga + m11 * gb) / det
    const next = residual(a + stepA, b + stepB)
    if (next < err) {
      a += stepA
      b += stepB
      lambda /= 10
      if (err - next < 1e-15) {
        err = next
        break
      }
      err = next
    } else lambda *= 10
  }
  return { a, b }
}

export interface LayoutOptions {
  dim: number
  minDist: number
  /** umap-learn: 500 up to 10,000 points, 200 above. */
  epochs?: number
  seed: number
  negativeSampleRate?: number
  /** n × k start coordinates (e.g. PCA scores); dims past k start near 0. Random in [-10, 10] when absent. */
  init?: { data: Float32Array; k: number }
  label?: string
}

/** Optimizes an embedding of the graph's n points in `dim` dimensions (umap-learn's optimize_layout_euclidean). */
export async function layout(graph: FuzzyGraph, o: LayoutOptions, pace = new Pacer()): Promise<Float32Array> {
  const { n } = graph
  const dim = o.dim
  const rng = new Rng(o.seed)
  const epochs = o.epochs ?? (n <= 10_000 ? 500 : 200)
  const negRate = o.negativeSampleRate ?? 5
  const { a, b } = findAB(o.minDist)
  const emb = initial(n, dim, o.init, rng)
  if (n < 2) return emb
  let wmax = 0
  for (const w of graph.weights) if (w > wmax) wmax = w
  const keep: number[] = []
  for (let e = 0; e < graph.weights.length; e++) if (graph.weights[e]! >= wmax / epochs) keep.push(e)
  const heads = Int32Array.from(keep, (e) => graph.heads[e]!)
  const tails = Int32Array.from(keep, (e) => graph.tails[e]!)
  const eps = Float64Array.from(keep, (e) => wmax / graph.weights[e]!)
  const next = Float64Array.from(eps)
  const epsNeg = Float64Array.from(eps, (v) => v / negRate)
  const nextNeg = Float64Array.from(epsNeg)
  // Optimized in doubles (no float32 conversion on every read and write of the hot loop), returned as float32.
  const work = Float64Array.from(emb)
  const state = { heads, tails, eps, next, epsNeg, nextNeg, emb: work, n, dim, a, b, rng: new Uint32Array([(o.seed ^ 0x2545f491) >>> 0 || 1]) }
  for (let epoch = 0; epoch < epochs; epoch++) {
    epochStep(state, epoch, 1 - epoch / epochs)
    await pace.tick((epoch + 1) / epochs, o.label ?? `UMAP ${dim}-D`)
  }
  emb.set(work)
  return emb
}

interface SgdState {
  heads: Int32Array
  tails: Int32Array
  eps: Float64Array
  next: Float64Array
  epsNeg: Float64Array
  nextNeg: Float64Array
  emb: Float64Array
  n: number
  dim: number
  a: number
  b: number
  /** mulberry32 state, kept in a typed array so the hot loop stays monomorphic. */
  rng: Uint32Array
}

/**
 * One epoch of SGD: attract along each due edge (both ends move), repel from random points (only the
 * head moves). x^b is computed as exp(b·ln x): V8's Math.pow made the layouts ~30 % slower (2,500 points).
 */
function epochStep(st: SgdState, epoch: number, alpha: number): void {
  const { heads, tails, eps, next, epsNeg, nextNeg, emb, n, dim, a, b } = st
  const twoAB = 2 * a * b
  let seed = st.rng[0]!
  const m = heads.length
  for (let e = 0; e < m; e++) {
    if (next[e]! > epoch) continue
    const j = heads[e]! * dim
    const k = tails[e]! * dim
    let d2 = 0
    for (let t = 0; t < dim; t++) {
      const x = emb[j + t]! - emb[k + t]!
      d2 += x * x
    }
    if (d2 > 0) {
      const pb = Math.exp(b * Math.log(d2))
      const coeff = (-twoAB * (pb / d2)) / (a * pb + 1)
      for (let t = 0; t < dim; t++) {
        let g = coeff * (emb[j + t]! - emb[k + t]!)
        g = (g > 4 ? 4 : g < -4 ? -4 : g) * alpha
        emb[j + t] = emb[j + t]! + g
        emb[k + t] = emb[k + t]! - g
      }
    }
    next[e] = next[e]! + eps[e]!
    const negs = Math.floor((epoch - nextNeg[e]!) / epsNeg[e]!)
    for (let p = 0; p < negs; p++) {
      // mulberry32, inline
      seed = (seed + 0x6d2b79f5) >>> 0
      let r = Math.imul(seed ^ (seed >>> 15), seed | 1)
      r ^= r + Math.imul(r ^ (r >>> 7), r | 61)
      const kk = Math.floor((((r ^ (r >>> 14)) >>> 0) / 4294967296) * n) * dim
      if (kk === j) continue
      let q2 = 0
      for (let t = 0; t < dim; t++) {
        const x = emb[j + t]! - emb[kk + t]!
        q2 += x * x
      }
      if (q2 <= 0) continue
      const coeff = (2 * b) / ((0.001 + q2) * (a * Math.exp(b * Math.log(q2)) + 1))
      for (let t = 0; t < dim; t++) {
        let g = coeff * (emb[j + t]! - emb[kk + t]!)
        g = g > 4 ? 4 : g < -4 ? -4 : g
        emb[j + t] = emb[j + t]! + g * alpha
      }
    }
    nextNeg[e] = nextNeg[e]! + negs * epsNeg[e]!
  }
  st.rng[0] = seed
}

function initial(n: number, dim: number, init: LayoutOptions['init'], rng: Rng): Float32Array {
  const emb = new Float32Array(n * dim)
  if (!init) {
    for (let i = 0; i < emb.length; i++) emb[i] = rng.next() * 20 - 10
    return emb
  }
  // umap-learn's noisy_scale_coords: the start layout scaled to ±10, plus a little noise.
  const used = Math.min(dim, init.k)
  let max = 0
  for (let i = 0; i < n; i++) for (let t = 0; t < used; t++) max = Math.max(max, Math.abs(init.data[i * init.k + t]!))
  const scale = max > 0 ? 10 / max : 1
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < dim; t++) {
      const base = t < used ? init.data[i * init.k + t]! * scale : 0
      emb[i * dim + t] = base + rng.normal() * 1e-4
    }
  }
  return emb
}
