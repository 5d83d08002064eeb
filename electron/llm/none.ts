// Provider "none": no model, nothing leaves the machine. Summaries come from the heuristics
// (summarize/offline.ts); embeddings from a hashed bag of words, enough to group similar texts
// without any download.
import { createHash } from 'node:crypto'
import { UserError } from '../errors'
import type { Provider } from './types'

const DIM = 256

export class NoneProvider implements Provider {
  readonly name = 'none' as const
  readonly model = 'heuristics'
  readonly baseUrl = null
  readonly cloud = false
  readonly contextTokens = Number.POSITIVE_INFINITY

  structured(): never {
    throw new UserError('Provider "none" makes no model calls.', 'user_error', ['Choose openai or gemini (a local server works too) for model output'])
  }

  async embed(texts: string[]) {
    return { vectors: texts.map(hashEmbed), usage: { input_tokens: 0, output_tokens: 0 }, model: `hashed-bow-${DIM}` }
  }
}

/** Words and word pairs hashed into DIM signed buckets, L2-normalised. */
export function hashEmbed(text: string): number[] {
  const v = new Array<number>(DIM).fill(0)
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  const grams = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)]
  for (const g of grams) {
    const h = createHash('md5').update(g).digest()
    v[h.readUInt16LE(0) % DIM]! += h[2]! & 1 ? 1 : -1
  }
  const n = Math.hypot(...v) || 1
  return v.map((x) => x / n)
}
