// Structured trace summaries: one row per trace, summarizer and prompt version (migration 0090).
import type { Database } from 'better-sqlite3'
import type { LineRefText, TraceSummary } from '../../shared/trace-summary'

interface Raw {
  trace_id: string
  provider: TraceSummary['provider']
  model: string
  prompt_version: string
  content_hash: string
  kind: TraceSummary['kind']
  title: string
  flow_diagram: string
  bullets: string
  notes: string
  dropped_refs: number
  usage: string
  created_ms: number
}

const toSummary = (r: Raw): TraceSummary => ({
  trace_id: r.trace_id,
  provider: r.provider,
  model: r.model,
  prompt_version: r.prompt_version,
  content_hash: r.content_hash,
  kind: r.kind,
  title: r.title,
  flow_diagram: r.flow_diagram,
  summary_bullets: JSON.parse(r.bullets) as LineRefText[],
  interesting_notes: JSON.parse(r.notes) as LineRefText[],
  dropped_refs: r.dropped_refs,
  usage: JSON.parse(r.usage) as TraceSummary['usage'],
  created_ms: r.created_ms,
})

export class TraceSummaryQueries {
  constructor(private readonly db: Database) {}

  /** Writes (or replaces, when the trace changed) the summary of one trace by one summarizer and prompt version. */
  put(s: TraceSummary): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO trace_summaries (trace_id, provider, model, prompt_version, content_hash, kind, title, flow_diagram,
           bullets, notes, dropped_refs, usage, created_ms)
         VALUES (@trace_id, @provider, @model, @prompt_version, @content_hash, @kind, @title, @flow_diagram, @bullets, @notes,
           @dropped_refs, @usage, @created_ms)`,
      )
      .run({ ...s, bullets: JSON.stringify(s.summary_bullets), notes: JSON.stringify(s.interesting_notes), usage: JSON.stringify(s.usage) })
  }

  /** Content hash per trace already summarized by this summarizer with this prompt version. */
  hashes(provider: string, model: string, promptVersion: string): Map<string, string> {
    const rows = this.db
      .prepare('SELECT trace_id, content_hash FROM trace_summaries WHERE provider = ? AND model = ? AND prompt_version = ?')
      .all(provider, model, promptVersion) as { trace_id: string; content_hash: string }[]
    return new Map(rows.map((r) => [r.trace_id, r.content_hash]))
  }

  /** The newest summary of a trace, any summarizer (model summaries before extractive ones made at the same moment). */
  latest(traceId: string): TraceSummary | null {
    const r = this.db
      .prepare(`SELECT * FROM trace_summaries WHERE trace_id = ? ORDER BY created_ms DESC, kind = 'model' DESC LIMIT 1`)
      .get(traceId) as Raw | undefined
    return r ? toSummary(r) : null
  }

  /** Every summary of a trace, newest first. */
  all(traceId: string): TraceSummary[] {
    return (this.db.prepare('SELECT * FROM trace_summaries WHERE trace_id = ? ORDER BY created_ms DESC').all(traceId) as Raw[]).map(toSummary)
  }

  /** The newest summary of every summarized trace (what `embed` embeds), by trace id. */
  latestAll(): TraceSummary[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT s.*, row_number() OVER (PARTITION BY trace_id ORDER BY created_ms DESC, kind = 'model' DESC) AS n FROM trace_summaries s
         ) WHERE n = 1 ORDER BY trace_id`,
      )
      .all() as Raw[]
    return rows.map(toSummary)
  }
}
