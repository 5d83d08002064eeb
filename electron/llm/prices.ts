// Prices and context sizes per model: the one table to update when providers change theirs.
// USD per million tokens (input, output), list prices for text as published by OpenAI and Google
// (checked 2026-11); context = the prompt budget used to decide when a session needs segments.
// Models on this machine cost nothing; a model missing here gets no cost estimate (null).

export interface ModelInfo {
  input_per_m: number
  output_per_m: number
  context: number
}

export const MODELS: Record<string, ModelInfo> = {
  'gpt-4.1': { input_per_m: 2.0, output_per_m: 8.0, context: 1_047_576 },
  'gpt-4.1-mini': { input_per_m: 0.4, output_per_m: 1.6, context: 1_047_576 },
  'gpt-4.1-nano': { input_per_m: 0.1, output_per_m: 0.4, context: 1_047_576 },
  'gpt-4o': { input_per_m: 2.5, output_per_m: 10.0, context: 128_000 },
  'gpt-4o-mini': { input_per_m: 0.15, output_per_m: 0.6, context: 128_000 },
  'gpt-5': { input_per_m: 1.25, output_per_m: 10.0, context: 400_000 },
  'gpt-5-mini': { input_per_m: 0.25, output_per_m: 2.0, context: 400_000 },
  'gpt-5-nano': { input_per_m: 0.05, output_per_m: 0.4, context: 400_000 },
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
