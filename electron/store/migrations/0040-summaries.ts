import type { Database } from 'better-sqlite3'

/**
 * Session summaries (versioned, never overwritten), their flags and the heuristic flags, plus the
 * checkpoints that let an interrupted summary job resume without calling the model twice.
 */
export default function summaries(db: Database): void {
  db.exec(`
    CREATE TABLE summaries (
      id             INTEGER PRIMARY KEY,
      session_id     TEXT NOT NULL,
      version        INTEGER NOT NULL,
      created_ms     INTEGER NOT NULL,
      provider       TEXT NOT NULL,
      model          TEXT NOT NULL,
      kind           TEXT NOT NULL CHECK (kind IN ('model', 'heuristic')),
      goal           TEXT NOT NULL,
      outcome        TEXT NOT NULL CHECK (outcome IN ('succeeded', 'partly', 'failed', 'unclear')),
      outcome_reason TEXT NOT NULL DEFAULT '',
      segments       TEXT NOT NULL DEFAULT '[]',
      key_moments    TEXT NOT NULL DEFAULT '[]',
      usage          TEXT NOT NULL DEFAULT '{}',
      -- hash of the run's input (provider, model, prompt); its checkpoints go when the version lands
      run_key        TEXT,
      UNIQUE (session_id, version)
    );

    CREATE TABLE flags (
      id            INTEGER PRIMARY KEY,
      session_id    TEXT NOT NULL,
      origin        TEXT NOT NULL CHECK (origin IN ('heuristic', 'model')),
      summary_id    INTEGER REFERENCES summaries(id) ON DELETE CASCADE,
      -- heuristic flags are recomputed; this key finds the same flag again so its status survives
      key           TEXT NOT NULL,
      type          TEXT NOT NULL,
      label         TEXT NOT NULL CHECK (label IN ('blocking', 'friction', 'noise')),
      severity      TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
      blocking      INTEGER NOT NULL DEFAULT 0,
      time_ms       INTEGER NOT NULL,
      window_id     TEXT,
      evidence      TEXT NOT NULL DEFAULT '[]',
      confidence    REAL,
      title         TEXT NOT NULL DEFAULT '',
      detail        TEXT NOT NULL DEFAULT '',
      status        TEXT NOT NULL DEFAULT 'unverified' CHECK (status IN ('unverified', 'confirmed', 'denied', 'inconclusive')),
      status_by     TEXT CHECK (status_by IN ('user', 'model')),
      status_note   TEXT,
      status_ms     INTEGER,
      -- a heuristic flag the detectors no longer find (new rules); kept for its status, not listed
      stale         INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX flags_session ON flags(session_id, time_ms);
    CREATE UNIQUE INDEX flags_heuristic_key ON flags(session_id, key) WHERE origin = 'heuristic';
    CREATE UNIQUE INDEX flags_summary_key ON flags(summary_id, key) WHERE origin = 'model';

    -- One row per finished model call of a summary run (sequential segments): a re-run of the same
    -- input resumes after the last one instead of paying for it again.
    CREATE TABLE summary_checkpoints (
      run_key    TEXT NOT NULL,
      segment    INTEGER NOT NULL,
      result     TEXT NOT NULL,
      usage      TEXT NOT NULL,
      created_ms INTEGER NOT NULL,
      PRIMARY KEY (run_key, segment)
    );

    -- Model answers that were not valid JSON for the schema (or were cut off), kept verbatim so
    -- the user can see what the model said; the prompt was redacted, so is this.
    CREATE TABLE summary_failures (
      id         INTEGER PRIMARY KEY,
      session_id TEXT NOT NULL,
      run_key    TEXT,
      segment    INTEGER,
      created_ms INTEGER NOT NULL,
      error      TEXT NOT NULL,
      raw        TEXT NOT NULL
    );
    CREATE INDEX summary_failures_session ON summary_failures(session_id, created_ms);
  `)
}
