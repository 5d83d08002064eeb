// Structured trace summaries and embeddings: what the core stores and returns, what the renderer
// shows. The summary's shape is PostHog's (products/llm_analytics/backend/summarization/llm/schema.py):
// a title, an ASCII flow diagram, summary bullets and interesting notes, each `{text, line_refs}`
// where line_refs is one reference into the trace's L001: text ("L045"), or '' for none.

export interface LineRefText {
  text: string
  /** One line of the trace text, as `L045` (the padding the text uses), or '' when none applies. */
  line_refs: string
}

/** 'model': written by a model; 'extractive': made offline from the trace itself, without a model. */
export type TraceSummaryKind = 'model' | 'extractive'

export interface TraceSummary {
  trace_id: string
  provider: 'openai' | 'gemini' | 'none'
  model: string
  prompt_version: string
  /** sha256 of the trace text the summary was made from. */
  content_hash: string
  kind: TraceSummaryKind
  title: string
  flow_diagram: string
  summary_bullets: LineRefText[]
  interesting_notes: LineRefText[]
  /** Line refs the model gave that do not exist in the trace text: dropped (set to ''). */
  dropped_refs: number
  usage: { input_tokens: number; output_tokens: number; cost_usd: number | null }
  created_ms: number
}

export interface SummarizeTracesResult {
  provider: 'openai' | 'gemini' | 'none'
  model: string
  prompt_version: string
  /** Traces chosen by the sampling (all, a random N, a time range). */
  selected: number
  summarized: number
  /** Already summarized from the same content with the same prompt version: nothing sent. */
  skipped: number
  failed: { trace_id: string; error: string }[]
  dropped_refs: number
  usage: { input_tokens: number; output_tokens: number; calls: number; cost_usd: number | null }
}

/** What a cloud run would cost, before anything is sent. */
export interface TraceSummaryEstimate {
  provider: 'openai' | 'gemini' | 'none'
  model: string
  cloud: boolean
  offline_refused: boolean
  selected: number
  to_summarize: number
  skipped: number
  estimated_input_tokens: number
  estimated_output_tokens: number
  estimated_cost_usd: number | null
}

export interface EmbedResult {
  model: string
  dim: number
  /** Vectors written by this run. */
  embedded: number
  /** Unchanged since the last run with this model: kept as they were. */
  skipped: number
  /** Summarized traces (or rows of the file) in all. */
  total: number
  usage: { input_tokens: number; cost_usd: number | null }
  /** --from FILE: rows whose id matched no trace. */
  unmatched?: string[]
  /** Offline embedder: the corpus was fitted again (it grew or changed). */
  refit?: boolean
}

export interface EmbeddingModelInfo {
  model: string
  dim: number
  count: number
  created_ms: number
}
