import type { Database } from 'better-sqlite3'

/**
 * Event keys changed in 0.2: xxHash64 instead of sha1, and a content-defined sample instead of
 * every event. Windows stored before keep their old keys until an import into their session
 * recomputes them from the chunks (the hash needs WebAssembly, which a migration cannot await).
 */
export default function windowKeysVersion(db: Database): void {
  db.exec(`ALTER TABLE session_windows ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 2`)
  // Only windows with chunks have keys to recompute.
  db.exec(`UPDATE session_windows SET keys_version = 1 WHERE id IN (SELECT window_key FROM snapshot_chunks)`)
}
