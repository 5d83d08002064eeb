// The offline embedder: TF-IDF + truncated SVD (latent semantic analysis), fitted on the corpus
// of summaries and applied to it. Needs no download and no network. Unlike a per-text hash it is
// a corpus-level step: fit, then transform — so it is fitted again whenever the corpus changes
// (embed.ts), and vectors of different fits are never mixed. Rows are L2-normalised, so cosine
// and Euclidean distance rank neighbours alike (UMAP and HDBSCAN downstream).
import { truncatedSvd, type SvdResult } from './svd'
import { Tfidf, type TfidfOptions } from './tfidf'

export const LSA_MODEL = 'tfidf-svd'
export const LSA_DIM = 64

export class Lsa {
  readonly tfidf = new Tfidf()
  private svd: SvdResult | null = null

  get dim(): number {
    return this.svd?.k ?? 0
  }

  fit(texts: string[], o: TfidfOptions & { dim?: number; seed?: number } = {}): this {
    this.tfidf.fit(texts, o)
    this.svd = truncatedSvd(this.tfidf.transform(texts), this.tfidf.vocab.size, Math.min(o.dim ?? LSA_DIM, Math.max(1, texts.length - 1)), { seed: o.seed ?? 42 })
    return this
  }

  /** Vectors (each of `dim`, unit length; zero for a text with no known term). */
  transform(texts: string[]): Float32Array[] {
    const svd = this.svd
    if (!svd) throw new Error('The embedder has not been fitted.')
    const d = this.tfidf.vocab.size
    return this.tfidf.transform(texts).map((row) => {
      const v = new Float64Array(svd.k)
      for (let c = 0; c < svd.k; c++) {
        let sum = 0
        for (let j = 0; j < row.idx.length; j++) sum += row.val[j]! * svd.vt[c * d + row.idx[j]!]!
        v[c] = sum
      }
      return unit(v)
    })
  }

  fitTransform(texts: string[], o: TfidfOptions & { dim?: number; seed?: number } = {}): Float32Array[] {
    return this.fit(texts, o).transform(texts)
  }
}

function unit(v: Float64Array): Float32Array {
  let sq = 0
  for (const x of v) sq += x * x
  const n = Math.sqrt(sq) || 1
  return Float32Array.from(v, (x) => x / n)
}
