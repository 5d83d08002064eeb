import type { Database } from 'better-sqlite3'

/**
 * Structured trace summaries and embeddings.
 * - trace_summaries: one row per trace and summarizer (provider + model) and prompt version; the
 *   trace's content hash says whether the row still describes the stored trace, so a re-run
 *   skips what is current and costs nothing. Bullets and notes are JSON `[{text, line_refs}]`.
 * - embeddings: one Float32 vector per (model, trace); another model's vectors are kept beside.
 *   `text_hash` is the hash of the text embedded (NULL for vectors brought from a file), so a
 *   re-run embeds only what changed. No foreign key: vectors may be brought for ids of an
 *   imported list of texts as well as for traces.
 */
export default function traceSummaries(db: Database): void {
  db.exec(`
    CREATE TABLE trace_summaries (
      trace_id       TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
      provider       TEXT NOT NULL,
      model          TEXT NOT NULL,
      prompt_version TEXT NOT NULL,
      content_hash   TEXT NOT NULL,
      kind           TEXT NOT NULL,
      title          TEXT NOT NULL,
      flow_diagram   TEXT NOT NULL,
      bullets        TEXT NOT NULL,
      notes          TEXT NOT NULL,
      dropped_refs   INTEGER NOT NULL DEFAULT 0,
      usage          TEXT NOT NULL,
      created_ms     INTEGER NOT NULL,
      PRIMARY KEY (trace_id, provider, model, prompt_version)
    );
    CREATE INDEX trace_summaries_created ON trace_summaries(trace_id, created_ms);

    CREATE TABLE embeddings (
      trace_id   TEXT NOT NULL,
      model      TEXT NOT NULL,
      dim        INTEGER NOT NULL,
      vector     BLOB NOT NULL,
      text_hash  TEXT,
      created_ms INTEGER NOT NULL,
      PRIMARY KEY (model, trace_id)
    );
  `)
}
