// Test and benchmark data with known structure: Gaussian blobs on the unit sphere (like embeddings
// of texts about a few topics) plus uniform noise, and the adjusted Rand index to score a clustering.
import { Rng } from '../../electron/cluster/run-pace'

export interface Blobs {
  data: Float32Array
  n: number
  d: number
  /** True blob per point, −1 for noise points. */
  truth: Int32Array
}

/**
 * `k` centres uniform on the sphere; each point is its centre plus isotropic noise of total norm
 * ≈ `spread` (per-dimension σ = spread/√d), normalized. `noise` of the points are uniform on the sphere.
 */
export function sphereBlobs(o: { n: number; d: number; k: number; noise?: number; spread?: number; seed?: number }): Blobs {
  const rng = new Rng(o.seed ?? 1)
  const { n, d, k } = o
  const spread = o.spread ?? 0.8
  const centres = new Float64Array(k * d)
  for (let c = 0; c < k; c++) {
    let s = 0
    for (let t = 0; t < d; t++) s += (centres[c * d + t] = rng.normal()) ** 2
    for (let t = 0; t < d; t++) centres[c * d + t] = centres[c * d + t]! / Math.sqrt(s)
  }
  const data = new Float32Array(n * d)
  const truth = new Int32Array(n)
  const noisy = Math.round(n * (o.noise ?? 0))
  const sigma = spread / Math.sqrt(d)
  for (let i = 0; i < n; i++) {
    const c = i < noisy ? -1 : (i - noisy) % k
    truth[i] = c
    let s = 0
    for (let t = 0; t < d; t++) {
      const v = c < 0 ? rng.normal() : centres[c * d + t]! + rng.normal() * sigma
      data[i * d + t] = v
      s += v * v
    }
    const inv = 1 / Math.sqrt(s)
    for (let t = 0; t < d; t++) data[i * d + t] = data[i * d + t]! * inv
  }
  return { data, n, d, truth }
}

/** Adjusted Rand index (Hubert & Arabie) of two labellings; −1 is a label like any other, as scikit-learn scores it. */
export function ari(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length
  const table = new Map<string, number>()
  const ra = new Map<number, number>()
  const rb = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`
    table.set(key, (table.get(key) ?? 0) + 1)
    ra.set(a[i]!, (ra.get(a[i]!) ?? 0) + 1)
    rb.set(b[i]!, (rb.get(b[i]!) ?? 0) + 1)
  }
  const c2 = (x: number) => (x * (x - 1)) / 2
  let index = 0
  for (const v of table.values()) index += c2(v)
  let sa = 0
  let sb = 0
  for (const v of ra.values()) sa += c2(v)
  for (const v of rb.values()) sb += c2(v)
  const expected = (sa * sb) / c2(n)
  const max = (sa + sb) / 2
  return max === expected ? 1 : (index - expected) / (max - expected)
}
