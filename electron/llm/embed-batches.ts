// Embedding requests cut to each API's limits. OpenAI's /v1/embeddings takes at most 2,048
// inputs and ~300k tokens per request, 8,192 tokens per input, and refuses empty strings
// (platform.openai.com/docs/api-reference/embeddings/create); Gemini's batchEmbedContents takes
// at most 100 requests per call (ai.google.dev/api/embeddings#method:-models.batchembedcontents)
// and 2,048 tokens per text for gemini-embedding-001. Local OpenAI-compatible servers get
// OpenAI's limits. An input over the per-input limit is cut (tokens estimated, o200k).
import { UserError } from '../errors'
import { estimateTokens } from './tokens'

export interface EmbedLimits {
  maxInputs: number
  maxTokensPerRequest: number
  maxTokensPerInput: number
}

export const OPENAI_EMBED_LIMITS: EmbedLimits = { maxInputs: 2048, maxTokensPerRequest: 300_000, maxTokensPerInput: 8192 }
export const GEMINI_EMBED_LIMITS: EmbedLimits = { maxInputs: 100, maxTokensPerRequest: Number.POSITIVE_INFINITY, maxTokensPerInput: 2048 }

export interface Batches {
  /** Indexes into the texts, in order; every text in exactly one batch. */
  batches: number[][]
  /** The texts as sent (cut where over the per-input limit). */
  texts: string[]
  /** How many texts were cut. */
  cut: number
  /** Estimated tokens of each text as sent. */
  tokens: number[]
}

// Our estimate may undercount another tokenizer's; stay this far under the limits.
const MARGIN = 0.9

/** Cuts a text to about `max` tokens (by characters, then checked). */
function cutTo(text: string, max: number): string {
  let t = text
  for (let n = estimateTokens(t); n > max; n = estimateTokens(t)) t = t.slice(0, Math.floor((t.length * max) / n) - 1)
  return t
}

export function planEmbedBatches(texts: string[], limits: EmbedLimits): Batches {
  const empty = texts.findIndex((t) => !t.trim())
  if (empty >= 0) throw new UserError(`Text ${empty + 1} of ${texts.length} to embed is empty; embedding APIs refuse empty inputs.`)
  const perInput = Math.floor(limits.maxTokensPerInput * MARGIN)
  const perRequest = limits.maxTokensPerRequest * MARGIN
  let cut = 0
  const sent = texts.map((t) => {
    const n = estimateTokens(t)
    if (n <= perInput) return t
    cut++
    return cutTo(t, perInput)
  })
  const tokens = sent.map(estimateTokens)
  const batches: number[][] = []
  let cur: number[] = []
  let used = 0
  sent.forEach((_, i) => {
    if (cur.length && (cur.length >= limits.maxInputs || used + tokens[i]! > perRequest)) {
      batches.push(cur)
      cur = []
      used = 0
    }
    cur.push(i)
    used += tokens[i]!
  })
  if (cur.length) batches.push(cur)
  return { batches, texts: sent, cut, tokens }
}
