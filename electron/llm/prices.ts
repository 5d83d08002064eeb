// Prices and context sizes per model: the one table to update when providers change theirs.
// USD per million tokens (input, output), list prices for text as published by OpenAI and Google
// (checked 2026-11); context = the prompt budget used to decide when a session needs segments.
// Models on this machine cost nothing; a model missing here gets no cost estimate (null).

export interface ModelInfo {
  input_per_m: number
  output_per_m: number
  context: number
  /** How an image is billed in input tokens (OpenAI; Gemini's rule is GEMINI_MEDIA). */
  image?: OpenAIImageRule
}

/**
 * OpenAI's two image rules (platform.openai.com/docs/guides/images-vision, "Calculating costs"):
 * `tiles`: detail low = `base`; high = fit in 2048², short side down to 768, `base` + `tile` per
 * 512-px tile. `patches`: 32-px patches (at most 1,536, the image scaled down to fit) × `multiplier`;
 * detail does not apply.
 */
export type OpenAIImageRule = { kind: 'tiles'; base: number; tile: number } | { kind: 'patches'; multiplier: number }

const TILES_4O: OpenAIImageRule = { kind: 'tiles', base: 85, tile: 170 }

/**
 * Gemini 2.x media (ai.google.dev/gemini-api/docs/tokens, /video-understanding): a video costs
 * 258 tokens a sampled frame at the default media resolution, sampled at 1 fps unless
 * videoMetadata.fps (0 < fps ≤ 24) says otherwise; an image up to 384 px both ways 258 tokens,
 * larger ones 258 per 768-px tile.
 */
export const GEMINI_MEDIA = { tokens_per_frame: 258, default_fps: 1, max_fps: 24, tokens_per_image_tile: 258, small_image_px: 384, image_tile_px: 768 } as const

export const MODELS: Record<string, ModelInfo> = {
  'gpt-4.1': { input_per_m: 2.0, output_per_m: 8.0, context: 1_047_576, image: TILES_4O },
  'gpt-4.1-mini': { input_per_m: 0.4, output_per_m: 1.6, context: 1_047_576, image: { kind: 'patches', multiplier: 1.62 } },
  'gpt-4.1-nano': { input_per_m: 0.1, output_per_m: 0.4, context: 1_047_576, image: { kind: 'patches', multiplier: 2.46 } },
  'gpt-4o': { input_per_m: 2.5, output_per_m: 10.0, context: 128_000, image: TILES_4O },
  'gpt-4o-mini': { input_per_m: 0.15, output_per_m: 0.6, context: 128_000, image: { kind: 'tiles', base: 2833, tile: 5667 } },
  'gpt-5': { input_per_m: 1.25, output_per_m: 10.0, context: 400_000, image: { kind: 'tiles', base: 70, tile: 140 } },
  'gpt-5-mini': { input_per_m: 0.25, output_per_m: 2.0, context: 400_000, image: { kind: 'patches', multiplier: 1.62 } },
  'gpt-5-nano': { input_per_m: 0.05, output_per_m: 0.4, context: 400_000, image: { kind: 'patches', multiplier: 2.46 } },
  'text-embedding-3-small': { input_per_m: 0.02, output_per_m: 0, context: 8_191 },
  'text-embedding-3-large': { input_per_m: 0.13, output_per_m: 0, context: 8_191 },
  'gemini-2.5-pro': { input_per_m: 1.25, output_per_m: 10.0, context: 1_048_576 },
  'gemini-2.5-flash': { input_per_m: 0.3, output_per_m: 2.5, context: 1_048_576 },
  'gemini-2.5-flash-lite': { input_per_m: 0.1, output_per_m: 0.4, context: 1_048_576 },
  'gemini-2.0-flash': { input_per_m: 0.1, output_per_m: 0.4, context: 1_048_576 },
  'gemini-embedding-001': { input_per_m: 0.15, output_per_m: 0, context: 2_048 },
}

export const DEFAULT_MODEL = { openai: 'gpt-4.1-mini', gemini: 'gemini-2.5-flash' } as const
// text-embedding-3-large (3,072-D) as PostHog embeds trace summaries.
export const DEFAULT_EMBEDDING_MODEL = { openai: 'text-embedding-3-large', gemini: 'gemini-embedding-001' } as const

/** Local models rarely say their context; 8k tokens is what small ones (and Ollama's default) give. */
export const UNKNOWN_CONTEXT = 8_192

/** The entry for a model name, also for dated variants (gpt-4.1-mini-2025-04-14). */
export function modelInfo(model: string): ModelInfo | undefined {
  if (MODELS[model]) return MODELS[model]
  const base = Object.keys(MODELS)
    .filter((k) => model.startsWith(`${k}-`))
    .sort((a, b) => b.length - a.length)[0]
  return base ? MODELS[base] : undefined
}

/** USD, or null when unknown. `local`: the model runs on this machine. */
export function estimateCost(model: string, inputTokens: number, outputTokens: number, local: boolean): number | null {
  if (local) return 0
  const m = modelInfo(model)
  if (!m) return null
  return (inputTokens * m.input_per_m + outputTokens * m.output_per_m) / 1_000_000
}

/** The image rule of an OpenAI model; GPT-4o's tiles (85 + 170 a tile) when the table has none. */
export function openaiImageRule(model: string): OpenAIImageRule {
  return modelInfo(model.replace(/^.*\//, ''))?.image ?? TILES_4O
}

/** Input tokens of one image of `width`×`height` px sent to `model` (the rule above; GPT-4o's by default). */
export function openaiImageTokens(width: number, height: number, detail: 'low' | 'high' | 'auto' = 'high', rule: OpenAIImageRule = TILES_4O): number {
  if (rule.kind === 'patches') {
    const patches = (w: number, h: number) => Math.ceil(w / 32) * Math.ceil(h / 32)
    let w = width
    let h = height
    if (patches(w, h) > 1536) {
      // Scaled so that 1,536 patches cover it, then down to whole patches along the tighter side.
      let f = Math.sqrt((32 * 32 * 1536) / (w * h))
      f *= Math.min(Math.floor((w * f) / 32) / ((w * f) / 32), Math.floor((h * f) / 32) / ((h * f) / 32))
      w *= f
      h *= f
    }
    return Math.ceil(Math.min(1536, patches(w, h)) * rule.multiplier)
  }
  if (detail === 'low') return rule.base
  const fit = Math.min(1, 2048 / Math.max(width, height))
  let w = width * fit
  let h = height * fit
  const short = Math.min(w, h)
  if (short > 768) {
    w *= 768 / short
    h *= 768 / short
  }
  return rule.base + rule.tile * Math.ceil(w / 512) * Math.ceil(h / 512)
}

/** Input tokens of a video of `seconds` sampled at `fps` by Gemini (video frames only; no audio track in clips). */
export function geminiVideoTokens(seconds: number, fps: number = GEMINI_MEDIA.default_fps): number {
  return Math.ceil(seconds * fps) * GEMINI_MEDIA.tokens_per_frame
}

/** Input tokens of one image sent to Gemini. */
export function geminiImageTokens(width: number, height: number): number {
  const g = GEMINI_MEDIA
  if (width <= g.small_image_px && height <= g.small_image_px) return g.tokens_per_image_tile
  return Math.ceil(width / g.image_tile_px) * Math.ceil(height / g.image_tile_px) * g.tokens_per_image_tile
}
