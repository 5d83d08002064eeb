// Spans, their OTel log records and trace feedback: the writes of a trace import and the reads
// of the text representation. Messages and tools are stored as JSON in the shared shapes.
import type { Database, Statement } from 'better-sqlite3'
import type { AiCall, Message, Span, SpanKind, ToolCall, ToolDef, TraceDetail, TraceFeedback } from '../../shared/trace-model'

interface SpanRow {
  trace_id: string
  span_id: string
  parent_id: string | null
  seq: number
  kind: string
  name: string | null
  model: string | null
  provider: string | null
  input_messages: string | null
  output_messages: string | null
  tools: string | null
  tool_calls: string | null
  input_tokens: number | null
  output_tokens: number | null
  cost_usd: number | null
  latency_ms: number | null
  start_ms: number | null
  end_ms: number | null
  error: number
  error_message: string | null
  orphan: number
  content: string | null
  attributes: string
}

/** What an importer hands over for one span. */
export type NewSpan = Omit<Span, 'orphan'> & {
  seq: number
  content: 'span' | null
  session_id: string | null
  conversation_id: string | null
  distinct_id: string | null
  format: string
}

/** The trace-level hints stored on each span. */
export interface SpanHints {
  span_id: string
  session_id: string | null
  conversation_id: string | null
  distinct_id: string | null
  format: string | null
}

/** Trace-level fields an import computes from all of a trace's spans. */
export type TraceRollup = Omit<TraceDetail, 'spans' | 'feedback'> & { spans: number; models: string[] }

export interface LogRow {
  trace_id: string
  span_id: string
  time_ns: string
  seq: number
  event: string
  body: string
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v))
const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T))

function toSpan(r: SpanRow): Span {
  return {
    trace_id: r.trace_id,
    span_id: r.span_id,
    parent_id: r.parent_id,
    kind: r.kind as SpanKind,
    name: r.name,
    model: r.model,
    provider: r.provider,
    input: parse<Message[]>(r.input_messages),
    output: parse<Message[]>(r.output_messages),
    tools: parse<ToolDef[]>(r.tools),
    tool_calls: parse<ToolCall[]>(r.tool_calls),
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cost_usd: r.cost_usd,
    latency_ms: r.latency_ms,
    start_ms: r.start_ms,
    end_ms: r.end_ms,
    error: r.error !== 0,
    error_message: r.error_message,
    orphan: r.orphan !== 0,
    attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  }
}

export class SpanQueries {
  private readonly insSpan
  private readonly ensureTrace
  /** Per-trace queries run thousands of times in one import: prepare each once. */
  private readonly cache = new Map<string, Statement>()
  private stmt(sql: string): Statement {
    let st = this.cache.get(sql)
    if (!st) this.cache.set(sql, (st = this.db.prepare(sql)))
    return st
  }

  constructor(private readonly db: Database) {
    this.insSpan = db.prepare(`INSERT OR IGNORE INTO spans (trace_id, span_id, parent_id, seq, kind, name, model, provider,
      input_messages, output_messages, tools, tool_calls, input_tokens, output_tokens, cost_usd, latency_ms, start_ms, end_ms,
      error, error_message, content, session_id, conversation_id, distinct_id, format, attributes, source_id)
      VALUES (@trace_id, @span_id, @parent_id, @seq, @kind, @name, @model, @provider, @input_messages, @output_messages, @tools,
      @tool_calls, @input_tokens, @output_tokens, @cost_usd, @latency_ms, @start_ms, @end_ms, @error, @error_message, @content,
      @session_id, @conversation_id, @distinct_id, @format, @attributes, @source_id)`)
    this.ensureTrace = db.prepare('INSERT OR IGNORE INTO traces (id, source_id) VALUES (?, ?)')
  }

  /** Inserts spans not stored yet (same trace and span id = the same span). Returns how many were new. */
  insert(spans: NewSpan[], sourceId: number): number {
    let n = 0
    for (const s of spans) {
      this.ensureTrace.run(s.trace_id, sourceId)
      const r = this.insSpan.run({
        ...s,
        input_messages: json(s.input),
        output_messages: json(s.output),
        tools: json(s.tools),
        tool_calls: json(s.tool_calls),
        error: s.error ? 1 : 0,
        attributes: JSON.stringify(s.attributes),
        source_id: sourceId,
      })
      n += r.changes
    }
    return n
  }

  /** Copies a staging area's log records: how many were new, and the (trace, span) pairs that got them. */
  insertStagedLogs(stagingName: string, sourceId: number): { records: number; spans: { trace_id: string; span_id: string }[] } {
    const rows = this.db
      .prepare(
        `INSERT OR IGNORE INTO span_logs (trace_id, span_id, hash, time_ns, seq, event, body, source_id)
         SELECT trace_id, span_id, hash, time_ns, seq, event, body, ? FROM temp.${stagingName}_log WHERE true
         RETURNING trace_id, span_id`,
      )
      .all(sourceId) as { trace_id: string; span_id: string }[]
    const seen = new Set<string>()
    const spans = rows.filter((r) => {
      const k = `${r.trace_id}\u0000${r.span_id}`
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
    return { records: rows.length, spans }
  }

  insertStagedFeedback(stagingName: string, sourceId: number): number {
    return this.db
      .prepare(
        `INSERT OR IGNORE INTO trace_feedback (uuid, trace_id, kind, name, value, time_ms, source_id)
         SELECT uuid, trace_id, kind, name, value, time_ms, ? FROM temp.${stagingName}_feedback`,
      )
      .run(sourceId).changes
  }

  logsOf(traceId: string, spanId: string): LogRow[] {
    return this.stmt('SELECT trace_id, span_id, time_ns, seq, event, body FROM span_logs WHERE trace_id = ? AND span_id = ? ORDER BY length(time_ns), time_ns, seq')
      .all(traceId, spanId) as LogRow[]
  }

  /** Which source put a span's messages there: 'span', 'logs' or null (none yet); undefined: no such span. */
  contentOf(traceId: string, spanId: string): string | null | undefined {
    const r = this.stmt('SELECT content FROM spans WHERE trace_id = ? AND span_id = ?').get(traceId, spanId) as { content: string | null } | undefined
    return r ? r.content : undefined
  }

  setContentFromLogs(traceId: string, spanId: string, input: Message[] | null, output: Message[] | null, toolCalls: ToolCall[] | null): void {
    this.stmt(`UPDATE spans SET input_messages = ?, output_messages = ?, tool_calls = coalesce(?, tool_calls), content = 'logs' WHERE trace_id = ? AND span_id = ?`)
      .run(json(input), json(output), json(toolCalls), traceId, spanId)
  }

  /** All spans of a trace, in file order. */
  ofTrace(traceId: string): Span[] {
    return (this.stmt('SELECT * FROM spans WHERE trace_id = ? ORDER BY seq, span_id').all(traceId) as SpanRow[]).map(toSpan)
  }

  hintsOf(traceId: string): SpanHints[] {
    return this.stmt('SELECT span_id, session_id, conversation_id, distinct_id, format FROM spans WHERE trace_id = ? ORDER BY seq, span_id').all(traceId) as SpanHints[]
  }

  setOrphans(traceId: string, orphanIds: string[]): void {
    this.stmt('UPDATE spans SET orphan = 0 WHERE trace_id = ?').run(traceId)
    const set = this.stmt('UPDATE spans SET orphan = 1 WHERE trace_id = ? AND span_id = ?')
    for (const id of orphanIds) set.run(traceId, id)
  }

  updateTrace(t: TraceRollup): void {
    this.stmt(
      `UPDATE traces SET name = @name, start_ms = @start_ms, end_ms = @end_ms, spans = @spans, input_tokens = @input_tokens,
       output_tokens = @output_tokens, cost_usd = @cost_usd, error = @error, session_id = @session_id,
       conversation_id = @conversation_id, distinct_id = @distinct_id, root_span_id = @root_span_id, format = @format,
       models = @models WHERE id = @id`,
    ).run({ ...t, error: t.error ? 1 : 0, models: JSON.stringify(t.models) })
  }

  traceExists(id: string): boolean {
    return this.stmt('SELECT 1 FROM traces WHERE id = ?').get(id) !== undefined
  }

  feedbackOf(traceId: string): TraceFeedback[] {
    return this.stmt('SELECT kind, name, value, time_ms FROM trace_feedback WHERE trace_id = ? ORDER BY time_ms, uuid')
      .all(traceId) as TraceFeedback[]
  }

  /** The model calls of the traces linked to a session, in time order: for the session's timeline. */
  callsInSession(sessionId: string): AiCall[] {
    return (
      this.db
        .prepare(
          `SELECT s.trace_id, s.span_id, s.kind, s.name, s.model, s.start_ms, s.end_ms, s.error, s.error_message
           FROM traces t JOIN spans s ON s.trace_id = t.id
           WHERE t.session_id = ? AND s.kind IN ('llm', 'embedding') ORDER BY s.start_ms, s.seq`,
        )
        .all(sessionId) as (Omit<AiCall, 'error'> & { error: number })[]
    ).map((r) => ({ ...r, error: r.error !== 0 }))
  }

  /** A whole trace for the text representation and the UI; null when unknown. */
  detail(traceId: string): TraceDetail | null {
    const t = this.db.prepare('SELECT * FROM traces WHERE id = ?').get(traceId) as
      | (Omit<TraceDetail, 'spans' | 'feedback' | 'error'> & { error: number; models: string })
      | undefined
    if (!t) return null
    return {
      id: t.id,
      name: t.name,
      start_ms: t.start_ms,
      end_ms: t.end_ms,
      input_tokens: t.input_tokens,
      output_tokens: t.output_tokens,
      cost_usd: t.cost_usd,
      error: t.error !== 0,
      session_id: t.session_id,
      conversation_id: t.conversation_id,
      distinct_id: t.distinct_id,
      format: t.format,
      root_span_id: t.root_span_id,
      spans: this.ofTrace(traceId),
      feedback: this.feedbackOf(traceId),
    }
  }
}
