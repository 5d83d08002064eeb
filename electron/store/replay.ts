import type { Database } from 'better-sqlite3'
import type { ChunkRow } from './chunks'

/** A chunk without its payload. */
export type ChunkIndexRow = Pick<ChunkRow, 'window_key' | 'seq' | 'start_ms' | 'end_ms' | 'events' | 'has_full_snapshot' | 'full_snapshot_seq' | 'activity'>

/** What the player reads: the chunk index of a session (no payloads) and chunk payloads by seq. */
export class ReplayQueries {
  constructor(private readonly db: Database) {}

  chunkIndex(sessionId: string): ChunkIndexRow[] {
    return this.db
      .prepare(
        `SELECT c.window_key, c.seq, c.start_ms, c.end_ms, c.events, c.has_full_snapshot, c.full_snapshot_seq, c.activity
         FROM snapshot_chunks c JOIN session_windows w ON w.id = c.window_key
         WHERE w.session_id = ? ORDER BY c.window_key, c.seq`,
      )
      .all(sessionId) as ChunkIndexRow[]
  }

  chunkData(sessionId: string, windowId: string, seqs: number[]): { seq: number; data: Buffer }[] {
    if (seqs.length === 0) return []
    return this.db
      .prepare(
        `SELECT c.seq, c.data FROM snapshot_chunks c JOIN session_windows w ON w.id = c.window_key
         WHERE w.session_id = ? AND w.window_id = ? AND c.seq IN (SELECT value FROM json_each(?)) ORDER BY c.seq`,
      )
      .all(sessionId, windowId, JSON.stringify(seqs)) as { seq: number; data: Buffer }[]
  }
}
