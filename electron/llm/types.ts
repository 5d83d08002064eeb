// The one interface every model provider implements: structured output against a JSON schema
// (validated with zod on return) and embeddings. Parts can be text, images or a video file, so
// that verification (clips of a replay) uses the same call as summaries.
import type { z } from 'zod'

export type Part =
  | { type: 'text'; text: string }
  /** `detail`: OpenAI's image detail (low: one 512-px tile, 85 tokens); Gemini ignores it. */
  | { type: 'image'; mime: 'image/png' | 'image/jpeg' | 'image/webp'; data: Uint8Array; detail?: 'low' | 'high' | 'auto' }
  /**
   * A video file: Gemini takes it inline while the whole request stays under its 20 MB limit, else
   * through the Files API. `fps`: frames a second the model samples (Gemini's default 1).
   */
  | { type: 'video'; mime: 'video/webm' | 'video/mp4'; path: string; fps?: number }

export interface Message {
  role: 'system' | 'user' | 'assistant'
  parts: Part[]
}

export interface StructuredRequest<T> {
  messages: Message[]
  schema: z.ZodType<T>
  /** Names the schema for the provider (letters, digits, _ and -). */
  schemaName: string
  maxOutputTokens?: number
  temperature?: number
  signal?: AbortSignal
}

export interface CallUsage {
  input_tokens: number
  output_tokens: number
}

export interface EmbedResult {
  vectors: number[][]
  /** `estimated`: the API reports no token counts (Gemini embeddings); ours, o200k. */
  usage: CallUsage & { estimated?: boolean }
  model: string
  cut?: number
}

export interface StructuredResult<T> {
  value: T
  /** The model's text exactly as received. */
  raw: string
  usage: CallUsage
  model: string
}

/** A tool the model may call: its name, what it does, its arguments as a JSON schema. */
export interface ToolSpec {
  name: string
  description: string
  parameters: Record<string, unknown>
}

export interface ToolCall {
  id: string
  name: string
  /** The arguments as the model wrote them (JSON text, parsed by the caller). */
  arguments: string
}

/** A conversation with tool calls and their results (OpenAI's chat shape; Gemini maps it to functionCall / functionResponse parts). */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; name: string; content: string }

export interface ToolsRequest {
  messages: ChatMessage[]
  tools: ToolSpec[]
  maxOutputTokens?: number
  signal?: AbortSignal
}

/** One model turn: text, or the tools it wants called (the caller runs them and asks again: llm/tool-loop.ts). */
export interface ToolsTurn {
  content: string | null
  toolCalls: ToolCall[]
  usage: CallUsage
  model: string
}

export interface Provider {
  readonly name: 'openai' | 'gemini' | 'none'
  readonly model: string
  /** Where requests go; null for none. */
  readonly baseUrl: string | null
  /** Whether requests leave this machine (non-loopback host). */
  readonly cloud: boolean
  /** Prompt budget of the model, in tokens (see prices.ts). */
  readonly contextTokens: number
  structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>>
  /** Vectors in the order of `texts`, batched within the API's limits; `cut`: texts shortened to the per-input limit. */
  embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<EmbedResult>
  /** One turn of a conversation with tools; absent where the provider has none (none). */
  toolsTurn?(req: ToolsRequest): Promise<ToolsTurn>
}

export const textOf = (m: Message) =>
  m.parts
    .filter((p): p is Extract<Part, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('\n')
