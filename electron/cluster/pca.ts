// PCA by randomized SVD (Halko, Martinsson & Tropp 2011): a few passes over the data instead of a
// d×d covariance, so 10k × 3,072 reduces to 50-D in seconds. Centering is implicit (no copy of
// the data). Used before the neighbour search for wide embeddings, and as UMAP's start layout.
import { Pacer, Rng } from './run-pace'

export interface PcaResult {
  /** n × k scores, row-major. */
  scores: Float32Array
  k: number
  /** Variance of each component (descending). */
  variances: Float64Array
}

export async function pca(data: Float32Array, n: number, d: number, kWanted: number, seed: number, pace = new Pacer(), powerIterations = 1): Promise<PcaResult> {
  const k = Math.max(1, Math.min(kWanted, d, n))
  const l = Math.min(k + 10, d, n)
  const rng = new Rng(seed ^ 0x5ca1ab1e)
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = mean[t]! + data[i * d + t]!
  for (let t = 0; t < d; t++) mean[t] = mean[t]! / n
  const passes = 2 + 2 * powerIterations
  let pass = 0

  // Xc · M for M d×l → n×l (rows in chunks, so the loop can yield between them).
  const timesRight = async (m: Float64Array): Promise<Float64Array> => {
    const out = new Float64Array(n * l)
    const shift = new Float64Array(l)
    for (let t = 0; t < d; t++) for (let c = 0; c < l; c++) shift[c] = shift[c]! + mean[t]! * m[t * l + c]!
    for (let i0 = 0; i0 < n; i0 += 64) {
      rowsTimes(data, d, m, l, out, shift, i0, Math.min(n, i0 + 64))
      await pace.tick((pass + i0 / n) / passes, 'PCA')
    }
    pass++
    return out
  }
  // Xcᵀ · Y for Y n×l → d×l.
  const timesLeft = async (y: Float64Array): Promise<Float64Array> => {
    const out = new Float64Array(d * l)
    const colSum = new Float64Array(l)
    for (let i0 = 0; i0 < n; i0 += 64) {
      transposeTimes(data, d, y, l, out, colSum, i0, Math.min(n, i0 + 64))
      await pace.tick((pass + i0 / n) / passes, 'PCA')
    }
    for (let t = 0; t < d; t++) for (let c = 0; c < l; c++) out[t * l + c] = out[t * l + c]! - mean[t]! * colSum[c]!
    pass++
    return out
  }

  const omega = new Float64Array(d * l)
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal()
  let y = await timesRight(omega)
  orthonormalize(y, n, l)
  for (let q = 0; q < powerIterations; q++) {
    const z = await timesLeft(y)
    orthonormalize(z, d, l)
    y = await timesRight(z)
    orthonormalize(y, n, l)
  }
  // B = Qᵀ Xc (l×d), held as its transpose; B Bᵀ = U Σ² Uᵀ; scores = Q U Σ.
  const bt = await timesLeft(y)
  const bbt = new Float64Array(l * l)
  for (let t = 0; t < d; t++) {
    const o = t * l
    for (let a = 0; a < l; a++) {
      const va = bt[o + a]!
      if (va === 0) continue
      for (let b = a; b < l; b++) bbt[a * l + b] = bbt[a * l + b]! + va * bt[o + b]!
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) bbt[a * l + b] = bbt[b * l + a]!
  const { values, vectors } = symmetricEigen(bbt, l)
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b]! - values[a]!)
  const scores = new Float32Array(n * k)
  const variances = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    const e = order[c]!
    const sigma = Math.sqrt(Math.max(0, values[e]!))
    variances[c] = (sigma * sigma) / Math.max(1, n - 1)
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let a = 0; a < l; a++) s += y[i * l + a]! * vectors[a * l + e]!
      scores[i * k + c] = s * sigma
    }
  }
  // Fix each component's sign (largest |loading| positive) so runs agree regardless of rounding.
  for (let c = 0; c < k; c++) {
    let best = 0
    for (let i = 0; i < n; i++) if (Math.abs(scores[i * k + c]!) > Math.abs(best)) best = scores[i * k + c]!
    if (best < 0) for (let i = 0; i < n; i++) scores[i * k + c] = -scores[i * k + c]!
  }
  return { scores, k, variances }
}

// The hot loops as plain functions of typed arrays (closures over mutable state optimize poorly).
// Four rows at a time: the d×l matrix (1.5 MB at 3,072 × 60) is read once per four rows instead of
// once per row, which is what bounds these loops (memory, not arithmetic).
function rowsTimes(data: Float32Array, d: number, m: Float64Array, l: number, out: Float64Array, shift: Float64Array, i0: number, i1: number): void {
  let i = i0
  for (; i + 3 < i1; i += 4) {
    const o0 = i * l
    const o1 = o0 + l
    const o2 = o1 + l
    const o3 = o2 + l
    const r0 = i * d
    const r1 = r0 + d
    const r2 = r1 + d
    const r3 = r2 + d
    for (let t = 0; t < d; t++) {
      const x0 = data[r0 + t]!
      const x1 = data[r1 + t]!
      const x2 = data[r2 + t]!
      const x3 = data[r3 + t]!
      const mo = t * l
      for (let c = 0; c < l; c++) {
        const v = m[mo + c]!
        out[o0 + c] = out[o0 + c]! + x0 * v
        out[o1 + c] = out[o1 + c]! + x1 * v
        out[o2 + c] = out[o2 + c]! + x2 * v
        out[o3 + c] = out[o3 + c]! + x3 * v
      }
    }
  }
  for (; i < i1; i++) {
    const o = i * l
    const row = i * d
    for (let t = 0; t < d; t++) {
      const x = data[row + t]!
      const mo = t * l
      for (let c = 0; c < l; c++) out[o + c] = out[o + c]! + x * m[mo + c]!
    }
  }
  for (let r = i0; r < i1; r++) for (let c = 0; c < l; c++) out[r * l + c] = out[r * l + c]! - shift[c]!
}

function transposeTimes(data: Float32Array, d: number, y: Float64Array, l: number, out: Float64Array, colSum: Float64Array, i0: number, i1: number): void {
  for (let r = i0; r < i1; r++) for (let c = 0; c < l; c++) colSum[c] = colSum[c]! + y[r * l + c]!
  let i = i0
  for (; i + 3 < i1; i += 4) {
    const o0 = i * l
    const o1 = o0 + l
    const o2 = o1 + l
    const o3 = o2 + l
    const r0 = i * d
    const r1 = r0 + d
    const r2 = r1 + d
    const r3 = r2 + d
    for (let t = 0; t < d; t++) {
      const x0 = data[r0 + t]!
      const x1 = data[r1 + t]!
      const x2 = data[r2 + t]!
      const x3 = data[r3 + t]!
      const mo = t * l
      for (let c = 0; c < l; c++) out[mo + c] = out[mo + c]! + (x0 * y[o0 + c]! + x1 * y[o1 + c]! + x2 * y[o2 + c]! + x3 * y[o3 + c]!)
    }
  }
  for (; i < i1; i++) {
    const o = i * l
    const row = i * d
    for (let t = 0; t < d; t++) {
      const x = data[row + t]!
      const mo = t * l
      for (let c = 0; c < l; c++) out[mo + c] = out[mo + c]! + x * y[o + c]!
    }
  }
}

/** Modified Gram–Schmidt (twice, for stability) on the columns of a row-major m×l matrix (done on a column-major copy: contiguous columns). */
function orthonormalize(a: Float64Array, m: number, l: number): void {
  const cols = new Float64Array(m * l)
  for (let i = 0; i < m; i++) for (let c = 0; c < l; c++) cols[c * m + i] = a[i * l + c]!
  for (let round = 0; round < 2; round++) {
    for (let c = 0; c < l; c++) {
      const oc = c * m
      for (let p = 0; p < c; p++) {
        const op = p * m
        let dot = 0
        for (let i = 0; i < m; i++) dot += cols[oc + i]! * cols[op + i]!
        for (let i = 0; i < m; i++) cols[oc + i] = cols[oc + i]! - dot * cols[op + i]!
      }
      let norm = 0
      for (let i = 0; i < m; i++) norm += cols[oc + i]! * cols[oc + i]!
      norm = Math.sqrt(norm)
      const inv = norm > 1e-12 ? 1 / norm : 0
      for (let i = 0; i < m; i++) cols[oc + i] = cols[oc + i]! * inv
    }
  }
  for (let i = 0; i < m; i++) for (let c = 0; c < l; c++) a[i * l + c] = cols[c * m + i]!
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix: values, and vectors as columns. */
export function symmetricEigen(input: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input)
  const v = new Float64Array(m * m)
  for (let i = 0; i < m; i++) v[i * m + i] = 1
  let scale = 0
  for (let i = 0; i < m * m; i++) scale += a[i]! ** 2
  for (let sweep = 0; sweep < 50; sweep++) {
    // Converged when what is off the diagonal is negligible next to the matrix (relative: an absolute bound never holds for large entries).
    let off = 0
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2
    if (off <= 1e-26 * scale) break
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!
        if (Math.abs(apq) < 1e-300) continue
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let r = 0; r < m; r++) {
          const arp = a[r * m + p]!
          const arq = a[r * m + q]!
          a[r * m + p] = c * arp - s * arq
          a[r * m + q] = s * arp + c * arq
        }
        for (let r = 0; r < m; r++) {
          const apr = a[p * m + r]!
          const aqr = a[q * m + r]!
          a[p * m + r] = c * apr - s * aqr
          a[q * m + r] = s * apr + c * aqr
        }
        for (let r = 0; r < m; r++) {
          const vrp = v[r * m + p]!
          const vrq = v[r * m + q]!
          v[r * m + p] = c * vrp - s * vrq
          v[r * m + q] = s * vrp + c * vrq
        }
      }
    }
  }
  const values = new Float64Array(m)
  for (let i = 0; i < m; i++) values[i] = a[i * m + i]!
  return { values, vectors: v }
}
