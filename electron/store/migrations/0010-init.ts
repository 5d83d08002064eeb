import type { Database } from 'better-sqlite3'

/** The foundation tables. Later stages add theirs in their own numbered migration. */
export default function init(db: Database): void {
  db.exec(`
    CREATE TABLE sources (
      id          INTEGER PRIMARY KEY,
      file        TEXT NOT NULL,
      sha256      TEXT NOT NULL UNIQUE,
      format      TEXT NOT NULL,
      bytes       INTEGER NOT NULL,
      imported_ms INTEGER NOT NULL,
      stats       TEXT NOT NULL DEFAULT '{}'
    );

    CREATE TABLE sessions (
      id              TEXT PRIMARY KEY,
      distinct_id     TEXT,
      start_ms        INTEGER NOT NULL,
      end_ms          INTEGER NOT NULL,
      active_ms       INTEGER NOT NULL DEFAULT 0,
      first_url       TEXT,
      events          INTEGER NOT NULL DEFAULT 0,
      snapshot_events INTEGER NOT NULL DEFAULT 0,
      errors          INTEGER NOT NULL DEFAULT 0,
      windows         INTEGER NOT NULL DEFAULT 0,
      source_id       INTEGER REFERENCES sources(id)
    );
    CREATE INDEX sessions_start ON sessions(start_ms);

    CREATE TABLE traces (
      id            TEXT PRIMARY KEY,
      name          TEXT,
      start_ms      INTEGER,
      end_ms        INTEGER,
      spans         INTEGER NOT NULL DEFAULT 0,
      input_tokens  INTEGER NOT NULL DEFAULT 0,
      output_tokens INTEGER NOT NULL DEFAULT 0,
      cost_usd      REAL,
      error         INTEGER NOT NULL DEFAULT 0,
      session_id    TEXT,
      source_id     INTEGER REFERENCES sources(id)
    );
    CREATE INDEX traces_session ON traces(session_id);

    CREATE TABLE jobs (
      id          TEXT PRIMARY KEY,
      kind        TEXT NOT NULL,
      title       TEXT NOT NULL,
      state       TEXT NOT NULL,
      progress    REAL,
      message     TEXT NOT NULL DEFAULT '',
      error       TEXT,
      result      TEXT,
      created_ms  INTEGER NOT NULL,
      finished_ms INTEGER
    );

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `)
}
