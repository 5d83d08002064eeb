// LLM trace domain types, one shape for every source format (PostHog $ai_* events, PostHog-LLM
// llm-task events, OpenTelemetry GenAI, OpenInference). Importers normalise into these; the
// text representation and the UI read only these.

/** One piece of a message. Unknown media keep only their kind: content is never guessed at. */
export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; id: string | null; name: string; arguments: unknown }
  | { type: 'tool_result'; id: string | null; name: string | null; content: string }
  | { type: 'media'; kind: string; ref: string | null }
  | { type: 'json'; value: unknown }

export interface Message {
  /** Lower case as the source wrote it: system, user, assistant, tool, agent, … */
  role: string
  parts: MessagePart[]
  name?: string
  tool_call_id?: string
}

export interface ToolDef {
  name: string
  description: string | null
  /** JSON schema of the arguments, when the source had one. */
  parameters: unknown
}

export interface ToolCall {
  id: string | null
  name: string
  arguments: unknown
}

/** trace = explicit root; llm / embedding = a model call; tool, agent, chain, … = work around it. */
export type SpanKind = 'trace' | 'agent' | 'chain' | 'llm' | 'embedding' | 'tool' | 'retriever' | 'reranker' | 'guardrail' | 'evaluator' | 'span'

export interface Span {
  trace_id: string
  span_id: string
  parent_id: string | null
  kind: SpanKind
  name: string | null
  model: string | null
  provider: string | null
  input: Message[] | null
  output: Message[] | null
  tools: ToolDef[] | null
  tool_calls: ToolCall[] | null
  input_tokens: number | null
  output_tokens: number | null
  cost_usd: number | null
  latency_ms: number | null
  start_ms: number | null
  end_ms: number | null
  error: boolean
  error_message: string | null
  /** The parent named by the source is not in the trace: the tree hangs this span off the root. */
  orphan: boolean
  attributes: Record<string, unknown>
}

export interface TraceFeedback {
  kind: 'metric' | 'feedback'
  name: string
  value: string
  time_ms: number | null
}

export interface TraceDetail {
  id: string
  name: string | null
  start_ms: number | null
  end_ms: number | null
  input_tokens: number
  output_tokens: number
  cost_usd: number | null
  error: boolean
  session_id: string | null
  conversation_id: string | null
  distinct_id: string | null
  format: string | null
  root_span_id: string | null
  /** Spans in file order; electron/traces orders them as a tree. */
  spans: Span[]
  feedback: TraceFeedback[]
}

/** A model call of a trace that belongs to a session: a marker on that session's timeline. */
export interface AiCall {
  trace_id: string
  span_id: string
  kind: string
  name: string | null
  model: string | null
  start_ms: number | null
  end_ms: number | null
  error: boolean
  error_message: string | null
}

/** A span's place in its trace tree, in display order. */
export interface TreeRow {
  span_id: string
  depth: number
}
