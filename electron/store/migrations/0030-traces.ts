import type { Database } from 'better-sqlite3'

/**
 * LLM traces: spans with their messages, OTel log records (message content that arrives apart
 * from its span, possibly in another file), and feedback. Spans and logs are keyed by the
 * source's own ids so that a second copy, or the other half of a split export, merges.
 */
export default function traces(db: Database): void {
  db.exec(`
    ALTER TABLE traces ADD COLUMN conversation_id TEXT;
    ALTER TABLE traces ADD COLUMN distinct_id TEXT;
    ALTER TABLE traces ADD COLUMN root_span_id TEXT;
    ALTER TABLE traces ADD COLUMN format TEXT;
    ALTER TABLE traces ADD COLUMN models TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX traces_start ON traces(start_ms);

    CREATE TABLE spans (
      trace_id        TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
      span_id         TEXT NOT NULL,
      parent_id       TEXT,
      -- file order, for spans that start at the same millisecond
      seq             INTEGER NOT NULL,
      kind            TEXT NOT NULL,
      name            TEXT,
      model           TEXT,
      provider        TEXT,
      input_messages  TEXT,
      output_messages TEXT,
      tools           TEXT,
      tool_calls      TEXT,
      input_tokens    INTEGER,
      output_tokens   INTEGER,
      cost_usd        REAL,
      latency_ms      REAL,
      start_ms        INTEGER,
      end_ms          INTEGER,
      error           INTEGER NOT NULL DEFAULT 0,
      error_message   TEXT,
      orphan          INTEGER NOT NULL DEFAULT 0,
      -- where the messages came from: 'span' (attributes/events), 'logs' (OTel log records), NULL
      content         TEXT,
      -- what the source said about the whole trace, on whichever span said it
      session_id      TEXT,
      conversation_id TEXT,
      distinct_id     TEXT,
      format          TEXT,
      attributes      TEXT NOT NULL DEFAULT '{}',
      source_id       INTEGER REFERENCES sources(id),
      PRIMARY KEY (trace_id, span_id)
    ) WITHOUT ROWID;

    -- OTel GenAI log records (gen_ai.user.message, gen_ai.choice, ...), kept even when their span
    -- is not imported yet; a span's messages are rebuilt from them whenever either side arrives.
    CREATE TABLE span_logs (
      trace_id  TEXT NOT NULL,
      span_id   TEXT NOT NULL,
      hash      TEXT NOT NULL,
      time_ns   TEXT NOT NULL,
      seq       INTEGER NOT NULL,
      event     TEXT NOT NULL,
      body      TEXT NOT NULL,
      source_id INTEGER REFERENCES sources(id),
      PRIMARY KEY (trace_id, span_id, hash)
    ) WITHOUT ROWID;

    -- Metrics and feedback on a trace ($ai_metric, $ai_feedback, llm-task feedback events).
    CREATE TABLE trace_feedback (
      uuid      TEXT PRIMARY KEY,
      trace_id  TEXT NOT NULL,
      kind      TEXT NOT NULL,
      name      TEXT NOT NULL,
      value     TEXT NOT NULL,
      time_ms   INTEGER,
      source_id INTEGER REFERENCES sources(id)
    );
    CREATE INDEX trace_feedback_trace ON trace_feedback(trace_id);
  `)
}
