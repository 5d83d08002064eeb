// TF-IDF over a corpus of short texts (trace summaries): words and word pairs, sublinear term
// frequency, smoothed idf, rows L2-normalised — scikit-learn's TfidfVectorizer defaults plus
// sublinear_tf, min_df and max_df. Terms in nearly every summary ("user", "assistant", tool
// boilerplate) carry no signal and are dropped, as are terms seen once.
export interface SparseRow {
  idx: Int32Array
  val: Float64Array
}

export interface TfidfOptions {
  /** A term must occur in at least this many documents (default 2; 1 when the corpus is tiny). */
  minDf?: number
  /** …and in at most this share of them (default 0.9). */
  maxDf?: number
  /** Word pairs too (default true). */
  bigrams?: boolean
}

// Function words only: what the user asked about is in the rest.
const STOP = new Set(
  'a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that these those i you he she we they me my your our their them us do does did have has had not no yes can could would should will shall may might must just also very too than there here what which who whom when where why how all any some each about into over after before again more most other such only own same few both while until up down out off am im ive id dont cant wont please thanks thank hi hello'.split(
    ' ',
  ),
)

export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && !STOP.has(w) && !/^\d+$/.test(w))
}

function terms(text: string, bigrams: boolean): string[] {
  const w = tokens(text)
  return bigrams ? [...w, ...w.slice(1).map((x, i) => `${w[i]} ${x}`)] : w
}

export class Tfidf {
  vocab = new Map<string, number>()
  idf = new Float64Array(0)
  private bigrams = true

  fit(texts: string[], o: TfidfOptions = {}): this {
    this.bigrams = o.bigrams ?? true
    const minDf = o.minDf ?? (texts.length < 10 ? 1 : 2)
    const maxDf = Math.max(minDf, Math.floor((o.maxDf ?? 0.9) * texts.length))
    const df = new Map<string, number>()
    for (const t of texts) for (const term of new Set(terms(t, this.bigrams))) df.set(term, (df.get(term) ?? 0) + 1)
    const kept = [...df].filter(([, n]) => n >= minDf && n <= maxDf).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    this.vocab = new Map(kept.map(([term], i) => [term, i]))
    this.idf = Float64Array.from(kept, ([, n]) => Math.log((1 + texts.length) / (1 + n)) + 1)
    return this
  }

  transform(texts: string[]): SparseRow[] {
    return texts.map((t) => {
      const tf = new Map<number, number>()
      for (const term of terms(t, this.bigrams)) {
        const j = this.vocab.get(term)
        if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1)
      }
      const idx = Int32Array.from([...tf.keys()].sort((a, b) => a - b))
      const val = Float64Array.from(idx, (j) => (1 + Math.log(tf.get(j)!)) * this.idf[j]!)
      let sq = 0
      for (const v of val) sq += v * v
      const norm = Math.sqrt(sq) || 1
      for (let k = 0; k < val.length; k++) val[k]! /= norm
      return { idx, val }
    })
  }
}
