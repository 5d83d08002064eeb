import type { Database } from 'better-sqlite3'

/**
 * When the page visibly reacted (mutations, scrolls, page loads), per chunk, written at import:
 * dead-click detection reads these instead of decoding every chunk of the session (a 6-hour
 * recording: 2.4 s → milliseconds). A JSON array of ms offsets from start_ms; NULL for chunks
 * stored before, which are decoded as before.
 */
export default function chunkReactions(db: Database): void {
  db.exec(`ALTER TABLE snapshot_chunks ADD COLUMN reactions TEXT`)
}
