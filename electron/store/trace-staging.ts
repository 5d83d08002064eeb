import type { Database, Statement } from 'better-sqlite3'

/** A span as an importer staged it: the normalised span plus trace-level hints, as JSON. */
export interface StagedSpanRow {
  trace_id: string
  seq: number
  json: string
}

export interface StagedLogRow {
  trace_id: string
  span_id: string
  hash: string
  time_ns: string
  seq: number
  event: string
  body: string
}

export interface StagedFeedbackRow {
  uuid: string
  trace_id: string
  kind: string
  name: string
  value: string
  time_ms: number | null
}

let counter = 0

/**
 * Per-import scratch tables for traces (TEMP schema, private to this connection), filled while a
 * file streams so that spans of a trace may be scattered over the whole file. Only the final
 * transaction copies into the real tables. Same rules as StagingArea.
 */
export class TraceStaging {
  readonly name: string
  private readonly insSpan
  private readonly insLog
  private readonly insFeedback
  private selSpans: Statement | null = null

  constructor(private readonly db: Database) {
    this.name = `tstage_${process.pid}_${++counter}`
    const n = this.name
    db.exec(`
      CREATE TEMP TABLE ${n}_span (trace_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TEMP TABLE ${n}_log (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, hash TEXT NOT NULL, time_ns TEXT NOT NULL,
        seq INTEGER NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (trace_id, span_id, hash));
      CREATE TEMP TABLE ${n}_feedback (uuid TEXT PRIMARY KEY, trace_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
        value TEXT NOT NULL, time_ms INTEGER);
    `)
    this.insSpan = db.prepare(`INSERT INTO temp.${n}_span VALUES (@trace_id, @seq, @json)`)
    this.insLog = db.prepare(`INSERT OR IGNORE INTO temp.${n}_log VALUES (@trace_id, @span_id, @hash, @time_ns, @seq, @event, @body)`)
    this.insFeedback = db.prepare(`INSERT OR IGNORE INTO temp.${n}_feedback VALUES (@uuid, @trace_id, @kind, @name, @value, @time_ms)`)
  }

  /** One small synchronous transaction per batch. Returns how many rows were duplicates. */
  addBatch(spans: StagedSpanRow[], logs: StagedLogRow[], feedback: StagedFeedbackRow[]): number {
    let dups = 0
    this.db.transaction(() => {
      for (const s of spans) this.insSpan.run(s)
      for (const l of logs) if (this.insLog.run(l).changes === 0) dups++
      for (const f of feedback) if (this.insFeedback.run(f).changes === 0) dups++
    })()
    return dups
  }

  indexForReading(): void {
    this.db.exec(`CREATE INDEX IF NOT EXISTS temp.${this.name}_span_trace ON ${this.name}_span(trace_id, seq)`)
  }

  traceIds(): string[] {
    return (this.db.prepare(`SELECT DISTINCT trace_id FROM temp.${this.name}_span ORDER BY trace_id`).all() as { trace_id: string }[]).map((r) => r.trace_id)
  }

  spansOf(traceId: string): StagedSpanRow[] {
    this.selSpans ??= this.db.prepare(`SELECT trace_id, seq, json FROM temp.${this.name}_span WHERE trace_id = ? ORDER BY seq`)
    return this.selSpans.all(traceId) as StagedSpanRow[]
  }

  /** A provisional trace id resolved late (llm-task conversations), or a conflicting trace moved aside. */
  renameTrace(from: string, to: string): void {
    this.db.prepare(`UPDATE temp.${this.name}_span SET trace_id = ? WHERE trace_id = ?`).run(to, from)
    this.db.prepare(`UPDATE temp.${this.name}_log SET trace_id = ? WHERE trace_id = ?`).run(to, from)
    this.db.prepare(`UPDATE temp.${this.name}_feedback SET trace_id = ? WHERE trace_id = ?`).run(to, from)
  }

  /** Drops staged feedback whose trace could not be resolved; returns how many. */
  dropFeedbackOf(prefix: string): number {
    return this.db.prepare(`DELETE FROM temp.${this.name}_feedback WHERE substr(trace_id, 1, ?) = ?`).run(prefix.length, prefix).changes
  }

  logs(): StagedLogRow[] {
    return this.db.prepare(`SELECT * FROM temp.${this.name}_log`).all() as StagedLogRow[]
  }

  feedback(): StagedFeedbackRow[] {
    return this.db.prepare(`SELECT * FROM temp.${this.name}_feedback`).all() as StagedFeedbackRow[]
  }

  counts(): { spans: number; logs: number; feedback: number } {
    const one = (t: string) => (this.db.prepare(`SELECT count(*) AS n FROM temp.${this.name}_${t}`).get() as { n: number }).n
    return { spans: one('span'), logs: one('log'), feedback: one('feedback') }
  }

  drop(): void {
    if (!this.db.open) return
    this.db.exec(`DROP TABLE IF EXISTS temp.${this.name}_span; DROP TABLE IF EXISTS temp.${this.name}_log; DROP TABLE IF EXISTS temp.${this.name}_feedback;`)
  }
}
