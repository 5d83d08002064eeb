// LLM providers behind one interface (types.ts). createProvider resolves the settings, the
// command line and the environment into a provider; every provider goes through the offline guard.
import type { ProviderName, Settings } from '../../shared/model'
import type { SecretSource } from '../secrets'
import { NetworkGuard } from '../net'
import { MissingKeyError, MODEL_OFFLINE_ACTIONS } from './errors'
import { GEMINI_BASE_URL, GeminiProvider } from './gemini'
import { NoneProvider } from './none'
import { OPENAI_BASE_URL, OpenAIProvider } from './openai'
import { DEFAULT_MODEL, modelInfo, UNKNOWN_CONTEXT } from './prices'
import type { RetryOptions } from './retry'
import { modelCalls } from './limit'
import type { Provider, StructuredRequest } from './types'

export { OfflineError, ModelOutputError, ModelRequestError, MissingKeyError, ReasoningBudgetError } from './errors'
export { estimateCost, modelInfo, DEFAULT_MODEL, DEFAULT_EMBEDDING_MODEL } from './prices'
export { modelCalls, DEFAULT_MODEL_CONCURRENCY } from './limit'
export { Redactor, REDACT_CATEGORIES, type RedactCategory } from './redact'
export { estimateTokens } from './tokens'
export { GEMINI_BASE_URL, OPENAI_BASE_URL }
export type { Message, Part, Provider, StructuredRequest, StructuredResult, CallUsage, EmbedResult } from './types'

export interface LlmConfig {
  provider: ProviderName
  model: string
  /** '' = the provider's default (OPENAI_BASE_URL from the environment for openai). */
  baseUrl: string
  offline: boolean
  /** One request's overall deadline, headers and body together (default 120 s). */
  timeoutMs?: number
  /** Retries; `totalMs` caps all attempts of one call together (default 300 s). */
  retry?: Partial<Omit<RetryOptions, 'signal' | 'onRetry' | 'deadlineMs'>>
  /** Overrides the price table's context size (local models: what the server was started with). */
  contextTokens?: number
  /** '' or absent = the provider's default (OpenAI's own API, Gemini); never the chat model. */
  embeddingModel?: string
  /** Output dimensions of the embedding model (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  embeddingDimensions?: number
}

/** Settings, overridden by what the user passed for this run. */
export function resolveConfig(settings: Settings, over: Partial<LlmConfig> = {}, env: NodeJS.ProcessEnv = process.env): LlmConfig {
  const provider = over.provider ?? settings.provider
  const sameProvider = provider === settings.provider
  const baseUrl = over.baseUrl ?? (sameProvider && settings.base_url ? settings.base_url : provider === 'openai' ? (env.OPENAI_BASE_URL ?? '') : '')
  const model = over.model || (sameProvider && settings.model) || (provider === 'none' ? 'heuristics' : DEFAULT_MODEL[provider])
  const embeddingModel = over.embeddingModel || (sameProvider && settings.embedding_model) || undefined
  return { ...over, provider, model, baseUrl, offline: over.offline ?? settings.offline, ...(embeddingModel ? { embeddingModel } : {}) }
}

/** A provider whose every call takes a slot of the process's one model-call limiter (limit.ts). */
export function createProvider(cfg: LlmConfig, secrets: SecretSource): Provider {
  return limited(makeProvider(cfg, secrets))
}

function limited(p: Provider): Provider {
  if (p.name === 'none') return p
  return Object.assign(Object.create(p) as Provider, {
    structured: <T>(req: StructuredRequest<T>) => modelCalls.run(() => p.structured(req), req.signal),
    embed: (texts: string[], o: { signal?: AbortSignal } = {}) => modelCalls.run(() => p.embed(texts, o), o.signal),
  })
}

function makeProvider(cfg: LlmConfig, secrets: SecretSource): Provider {
  const guard = new NetworkGuard(cfg.offline, MODEL_OFFLINE_ACTIONS)
  const retry = { ...cfg.retry, ...(cfg.timeoutMs !== undefined ? { deadlineMs: cfg.timeoutMs } : {}) }
  const contextTokens = cfg.contextTokens ?? modelInfo(cfg.model)?.context ?? UNKNOWN_CONTEXT
  switch (cfg.provider) {
    case 'none':
      return new NoneProvider()
    case 'openai': {
      const baseUrl = cfg.baseUrl || OPENAI_BASE_URL
      guard.check(baseUrl) // before anything else: no key lookup, no client, no socket
      const key = secrets.get('openai')
      if (!key && guard.isCloud(baseUrl)) throw new MissingKeyError('OpenAI', 'OPENAI_API_KEY')
      return new OpenAIProvider({ model: cfg.model, baseUrl, apiKey: key, guard, contextTokens, retry, ...opt('embeddingModel', cfg.embeddingModel), ...opt('embeddingDimensions', cfg.embeddingDimensions) })
    }
    case 'gemini': {
      const baseUrl = cfg.baseUrl || GEMINI_BASE_URL
      guard.check(baseUrl)
      const key = secrets.get('gemini')
      if (!key && guard.isCloud(baseUrl)) throw new MissingKeyError('Gemini', 'GEMINI_API_KEY')
      return new GeminiProvider({ model: cfg.model, baseUrl, apiKey: key ?? 'no-key', guard, contextTokens, retry, ...opt('embeddingModel', cfg.embeddingModel), ...opt('embeddingDimensions', cfg.embeddingDimensions) })
    }
  }
}

const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>))
