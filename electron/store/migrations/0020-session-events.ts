import type { Database } from 'better-sqlite3'

/**
 * Session import: product events with hot columns, rrweb recordings stored as compressed chunks
 * per window, and the keys that make a second import of the same session merge, not duplicate.
 */
export default function sessionEvents(db: Database): void {
  db.exec(`
    -- One row per (session, browser tab). Chunks hang off the integer key so that renaming a
    -- window (a numeric export index later learnt to be a $window_id) touches one row.
    CREATE TABLE session_windows (
      id              INTEGER PRIMARY KEY,
      session_id      TEXT NOT NULL,
      window_id       TEXT NOT NULL,
      first_ms        INTEGER,
      last_ms         INTEGER,
      first_url       TEXT,
      snapshot_events INTEGER NOT NULL DEFAULT 0,
      -- recording spans that cannot be replayed (events before the first full snapshot, ...)
      unplayable      INTEGER NOT NULL DEFAULT 0,
      UNIQUE (session_id, window_id)
    );

    -- rrweb events of one window, time-sorted, cut into chunks of ~10 s. A player seeking to T
    -- loads the chunk holding T plus the chunk named by full_snapshot_seq (where the Meta +
    -- FullSnapshot it must start from lives) and everything between.
    CREATE TABLE snapshot_chunks (
      id                INTEGER PRIMARY KEY,
      window_key        INTEGER NOT NULL REFERENCES session_windows(id) ON DELETE CASCADE,
      seq               INTEGER NOT NULL,
      start_ms          INTEGER NOT NULL,
      end_ms            INTEGER NOT NULL,
      events            INTEGER NOT NULL,
      has_full_snapshot INTEGER NOT NULL DEFAULT 0,
      full_snapshot_seq INTEGER,
      full_snapshot_ms  INTEGER,
      activity          TEXT NOT NULL DEFAULT '[]',
      encoding          TEXT NOT NULL DEFAULT 'gzip-json',
      raw_bytes         INTEGER NOT NULL,
      data              BLOB NOT NULL,
      source_id         INTEGER REFERENCES sources(id),
      UNIQUE (window_key, seq)
    );
    CREATE INDEX snapshot_chunks_time ON snapshot_chunks(window_key, start_ms);

    -- 64-bit content hash of every stored rrweb event: dedupe on merge, and how an incoming
    -- window is recognised as one already stored under another id.
    CREATE TABLE snapshot_event_keys (
      hash       INTEGER NOT NULL,
      window_key INTEGER NOT NULL REFERENCES session_windows(id) ON DELETE CASCADE,
      PRIMARY KEY (hash, window_key)
    ) WITHOUT ROWID;
    CREATE INDEX snapshot_event_keys_window ON snapshot_event_keys(window_key);

    -- Product events (origin 'product') and events derived from the rrweb stream (origin 'rrweb':
    -- click, input, navigation, console_error, network) so analysis works without product events.
    CREATE TABLE events (
      id           INTEGER PRIMARY KEY,
      uuid         TEXT NOT NULL UNIQUE,
      origin       TEXT NOT NULL,
      session_id   TEXT,
      window_id    TEXT,
      time_ms      INTEGER NOT NULL,
      type         TEXT NOT NULL,
      distinct_id  TEXT,
      url          TEXT,
      el_text      TEXT,
      el_selector  TEXT,
      exc_type     TEXT,
      exc_message  TEXT,
      http_status  INTEGER,
      http_method  TEXT,
      http_url     TEXT,
      properties   TEXT NOT NULL DEFAULT '{}',
      source_id    INTEGER REFERENCES sources(id)
    );
    CREATE INDEX events_session_time ON events(session_id, time_ms);
    CREATE INDEX events_type_time ON events(type, time_ms);

    ALTER TABLE sessions ADD COLUMN recording INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN unplayable INTEGER NOT NULL DEFAULT 0;
  `)
}
