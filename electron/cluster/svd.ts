// Truncated SVD of a sparse matrix by the randomized range finder (Halko, Martinsson & Tropp
// 2011, as scikit-learn's TruncatedSVD does): a seeded Gaussian sketch, a few power iterations
// re-orthonormalised each time, then the exact SVD of the small projected matrix through the
// eigen-decomposition of B·Bᵀ (Jacobi). Deterministic for a seed. Gives U·S (the documents in the
// k-dimensional latent space) and Vᵀ (to map new documents: x·V).
import type { SparseRow } from './tfidf'

export interface SvdResult {
  /** n × k, row-major: U·S. */
  us: Float64Array
  /** k × vocabulary, row-major: Vᵀ. */
  vt: Float64Array
  /** The k singular values, largest first. */
  s: Float64Array
  k: number
}

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** X (n × d sparse) times M (d × l, row-major) → n × l. */
function mul(X: SparseRow[], M: Float64Array, l: number): Float64Array {
  const out = new Float64Array(X.length * l)
  X.forEach((row, i) => {
    for (let k = 0; k < row.idx.length; k++) {
      const v = row.val[k]!
      const off = row.idx[k]! * l
      for (let c = 0; c < l; c++) out[i * l + c]! += v * M[off + c]!
    }
  })
  return out
}

/** Xᵀ (d × n) times M (n × l, row-major) → d × l. */
function mulT(X: SparseRow[], d: number, M: Float64Array, l: number): Float64Array {
  const out = new Float64Array(d * l)
  X.forEach((row, i) => {
    for (let k = 0; k < row.idx.length; k++) {
      const v = row.val[k]!
      const off = row.idx[k]! * l
      for (let c = 0; c < l; c++) out[off + c]! += v * M[i * l + c]!
    }
  })
  return out
}

/** Orthonormalises the columns of A (rows × l, row-major) in place (modified Gram-Schmidt). */
function orthonormalise(A: Float64Array, rows: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0
      for (let r = 0; r < rows; r++) dot += A[r * l + c]! * A[r * l + p]!
      for (let r = 0; r < rows; r++) A[r * l + c]! -= dot * A[r * l + p]!
    }
    let norm = 0
    for (let r = 0; r < rows; r++) norm += A[r * l + c]! ** 2
    norm = Math.sqrt(norm)
    for (let r = 0; r < rows; r++) A[r * l + c] = norm > 1e-12 ? A[r * l + c]! / norm : 0
  }
}

/** Eigenvalues and eigenvectors (columns of V, row-major l × l) of a symmetric matrix, by cyclic Jacobi. */
function jacobiEigen(S: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(S)
  const V = new Float64Array(l * l)
  for (let i = 0; i < l; i++) V[i * l + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += A[p * l + q]! ** 2
    if (off < 1e-22) break
    for (let p = 0; p < l; p++)
      for (let q = p + 1; q < l; q++) {
        const apq = A[p * l + q]!
        if (Math.abs(apq) < 1e-300) continue
        const theta = (A[q * l + q]! - A[p * l + p]!) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < l; k++) {
          const akp = A[k * l + p]!
          const akq = A[k * l + q]!
          A[k * l + p] = c * akp - s * akq
          A[k * l + q] = s * akp + c * akq
        }
        for (let k = 0; k < l; k++) {
          const apk = A[p * l + k]!
          const aqk = A[q * l + k]!
          A[p * l + k] = c * apk - s * aqk
          A[q * l + k] = s * apk + c * aqk
        }
        for (let k = 0; k < l; k++) {
          const vkp = V[k * l + p]!
          const vkq = V[k * l + q]!
          V[k * l + p] = c * vkp - s * vkq
          V[k * l + q] = s * vkp + c * vkq
        }
      }
  }
  return { values: Float64Array.from({ length: l }, (_, i) => A[i * l + i]!), vectors: V }
}

/** The k largest singular triplets of X (n × d). k is capped at min(n, d). */
export function truncatedSvd(X: SparseRow[], d: number, k: number, o: { seed?: number; oversample?: number; powerIterations?: number } = {}): SvdResult {
  const n = X.length
  k = Math.max(1, Math.min(k, n, d))
  const l = Math.min(k + (o.oversample ?? 10), n, d)
  const random = rng(o.seed ?? 42)
  const omega = Float64Array.from({ length: d * l }, () => gaussian(random))
  let Y = mul(X, omega, l) // n × l
  orthonormalise(Y, n, l)
  for (let it = 0; it < (o.powerIterations ?? 4); it++) {
    const Z = mulT(X, d, Y, l) // d × l
    orthonormalise(Z, d, l)
    Y = mul(X, Z, l)
    orthonormalise(Y, n, l)
  }
  // B = Qᵀ X (l × d), kept as its transpose Bt = Xᵀ Q (d × l).
  const Bt = mulT(X, d, Y, l)
  // B Bᵀ (l × l) = Btᵀ Bt.
  const G = new Float64Array(l * l)
  for (let r = 0; r < d; r++)
    for (let a = 0; a < l; a++) {
      const x = Bt[r * l + a]!
      if (x === 0) continue
      for (let b = a; b < l; b++) G[a * l + b]! += x * Bt[r * l + b]!
    }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) G[a * l + b] = G[b * l + a]!
  const { values, vectors } = jacobiEigen(G, l)
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, k)
  const s = Float64Array.from(order, (i) => Math.sqrt(Math.max(0, values[i]!)))
  // U·S = Q · U_B · S, where U_B are the eigenvectors; Vᵀ = S⁻¹ U_Bᵀ B.
  const us = new Float64Array(n * k)
  const vt = new Float64Array(k * d)
  order.forEach((e, c) => {
    for (let i = 0; i < n; i++) {
      let sum = 0
      for (let a = 0; a < l; a++) sum += Y[i * l + a]! * vectors[a * l + e]!
      us[i * k + c] = sum * s[c]!
    }
    if (s[c]! > 1e-12)
      for (let r = 0; r < d; r++) {
        let sum = 0
        for (let a = 0; a < l; a++) sum += Bt[r * l + a]! * vectors[a * l + e]!
        vt[c * d + r] = sum / s[c]!
      }
  })
  return { us, vt, s, k }
}
