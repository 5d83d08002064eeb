import type { Database } from 'better-sqlite3'
import { cached } from './statements'

export interface WindowRow {
  id: number
  session_id: string
  window_id: string
  first_ms: number | null
  last_ms: number | null
  first_url: string | null
  snapshot_events: number
  unplayable: number
}

export interface ChunkRow {
  id: number
  window_key: number
  seq: number
  start_ms: number
  end_ms: number
  events: number
  has_full_snapshot: number
  full_snapshot_seq: number | null
  full_snapshot_ms: number | null
  activity: string
  /** JSON ms offsets from start_ms of mutations, scrolls, page loads; null: not recorded (older import). */
  reactions: string | null
  encoding: string
  raw_bytes: number
  data: Buffer
}

export type NewChunk = Omit<ChunkRow, 'id' | 'window_key' | 'has_full_snapshot' | 'activity' | 'reactions' | 'encoding'> & {
  has_full_snapshot: boolean
  activity: [number, number][]
  reactions: number[]
}

/** How event keys are made (migration 0060): xxHash64, content-sampled. */
export const KEYS_VERSION = 2

/** Recording storage: windows of a session, their compressed chunks, and event hashes. */
export class ChunkQueries {
  constructor(private readonly db: Database) {}

  windows(sessionId: string): WindowRow[] {
    return this.db.prepare('SELECT * FROM session_windows WHERE session_id = ? ORDER BY first_ms IS NULL, first_ms, id').all(sessionId) as WindowRow[]
  }

  window(sessionId: string, windowId: string): WindowRow | undefined {
    return cached(this.db, 'SELECT * FROM session_windows WHERE session_id = ? AND window_id = ?').get(sessionId, windowId) as WindowRow | undefined
  }

  windowByKey(key: number): WindowRow | undefined {
    return cached(this.db, 'SELECT * FROM session_windows WHERE id = ?').get(key) as WindowRow | undefined
  }

  ensureWindow(sessionId: string, windowId: string): number {
    cached(this.db, 'INSERT OR IGNORE INTO session_windows (session_id, window_id) VALUES (?, ?)').run(sessionId, windowId)
    return this.window(sessionId, windowId)!.id
  }

  renameWindow(key: number, windowId: string): void {
    const w = this.db.prepare('SELECT session_id, window_id FROM session_windows WHERE id = ?').get(key) as { session_id: string; window_id: string }
    this.db.prepare('UPDATE session_windows SET window_id = ? WHERE id = ?').run(windowId, key)
    this.db.prepare('UPDATE events SET window_id = ? WHERE session_id = ? AND window_id = ?').run(windowId, w.session_id, w.window_id)
  }

  /** The stored window of a session that already holds the most of these event hashes. */
  windowSharingHashes(sessionId: string, sample: bigint[]): number | null {
    if (sample.length === 0) return null
    const stmt = cached(
      this.db,
      `SELECT k.window_key AS key FROM snapshot_event_keys k JOIN session_windows w ON w.id = k.window_key
       WHERE k.hash = ? AND w.session_id = ?`,
    )
    const votes = new Map<number, number>()
    for (const h of sample) for (const r of stmt.all(h, sessionId) as { key: number }[]) votes.set(r.key, (votes.get(r.key) ?? 0) + 1)
    let best: number | null = null
    let bestVotes = 0
    for (const [k, v] of votes) if (v > bestVotes) [best, bestVotes] = [k, v]
    return best
  }

  hasChunks(key: number): boolean {
    return cached(this.db, 'SELECT 1 FROM snapshot_chunks WHERE window_key = ? LIMIT 1').get(key) !== undefined
  }

  chunks(key: number): ChunkRow[] {
    return this.db.prepare('SELECT * FROM snapshot_chunks WHERE window_key = ? ORDER BY seq').all(key) as ChunkRow[]
  }

  /**
   * What a player needs to show [fromMs, toMs] of a window: from the chunk holding the full
   * snapshot that governs fromMs, through the last chunk starting before toMs.
   */
  chunksForRange(key: number, fromMs: number, toMs: number): ChunkRow[] {
    const at = this.db
      .prepare('SELECT seq, full_snapshot_seq FROM snapshot_chunks WHERE window_key = ? AND start_ms <= ? ORDER BY seq DESC LIMIT 1')
      .get(key, fromMs) as { seq: number; full_snapshot_seq: number | null } | undefined
    const first = at ? (at.full_snapshot_seq ?? 0) : 0
    return this.db
      .prepare('SELECT * FROM snapshot_chunks WHERE window_key = ? AND seq >= ? AND start_ms <= ? ORDER BY seq')
      .all(key, first, toMs) as ChunkRow[]
  }

  replaceChunks(key: number, chunks: NewChunk[], sourceId: number): void {
    this.db.prepare('DELETE FROM snapshot_chunks WHERE window_key = ?').run(key)
    const ins = this.db.prepare(
      `INSERT INTO snapshot_chunks (window_key, seq, start_ms, end_ms, events, has_full_snapshot, full_snapshot_seq,
        full_snapshot_ms, activity, reactions, raw_bytes, data, source_id)
       VALUES (@window_key, @seq, @start_ms, @end_ms, @events, @has_full_snapshot, @full_snapshot_seq,
        @full_snapshot_ms, @activity, @reactions, @raw_bytes, @data, @source_id)`,
    )
    for (const c of chunks) {
      ins.run({
        window_key: key,
        seq: c.seq,
        start_ms: c.start_ms,
        end_ms: c.end_ms,
        events: c.events,
        has_full_snapshot: c.has_full_snapshot ? 1 : 0,
        full_snapshot_seq: c.full_snapshot_seq,
        full_snapshot_ms: c.full_snapshot_ms,
        activity: JSON.stringify(c.activity),
        reactions: JSON.stringify(c.reactions),
        raw_bytes: c.raw_bytes,
        data: c.data,
        source_id: sourceId,
      })
    }
  }

  /** Moves a window's staged chunks and hashes into the store (the common, non-merge case). */
  copyStaged(stagingName: string, sid: string, wid: string, key: number, sourceId: number): void {
    cached(this.db, 'DELETE FROM snapshot_chunks WHERE window_key = ?').run(key)
    this.db
      .prepare(
        `INSERT INTO snapshot_chunks (window_key, seq, start_ms, end_ms, events, has_full_snapshot, full_snapshot_seq,
          full_snapshot_ms, activity, reactions, raw_bytes, data, source_id)
         SELECT @key, seq, start_ms, end_ms, events, has_full_snapshot, full_snapshot_seq, full_snapshot_ms, activity, reactions,
          raw_bytes, data, @sourceId FROM temp.${stagingName}_chunk WHERE sid = @sid AND wid = @wid ORDER BY seq`,
      )
      .run({ key, sourceId, sid, wid })
    this.db
      .prepare(`INSERT OR IGNORE INTO snapshot_event_keys (hash, window_key) SELECT hash, ? FROM temp.${stagingName}_key WHERE sid = ? AND wid = ?`)
      .run(key, sid, wid)
  }

  /** Windows of a session whose keys predate KEYS_VERSION (see migration 0060). */
  windowsWithOldKeys(sessionId: string): number[] {
    return (cached(this.db, 'SELECT id FROM session_windows WHERE session_id = ? AND keys_version < ?').all(sessionId, KEYS_VERSION) as { id: number }[]).map((r) => r.id)
  }

  replaceHashes(key: number, hashes: bigint[]): void {
    this.db.prepare('UPDATE session_windows SET keys_version = ? WHERE id = ?').run(KEYS_VERSION, key)
    this.db.prepare('DELETE FROM snapshot_event_keys WHERE window_key = ?').run(key)
    const ins = this.db.prepare('INSERT OR IGNORE INTO snapshot_event_keys (hash, window_key) VALUES (?, ?)')
    for (const h of hashes) ins.run(h, key)
  }

  updateWindow(key: number, w: { first_ms: number | null; last_ms: number | null; first_url: string | null; snapshot_events: number; unplayable: number }): void {
    cached(
      this.db,
      `UPDATE session_windows SET first_ms = @first_ms, last_ms = @last_ms, first_url = @first_url,
         snapshot_events = @snapshot_events, unplayable = @unplayable WHERE id = @key`,
    ).run({ ...w, key })
  }

  /** Per chunk of a window: its start, its recorded reaction offsets (null: older import, see its data). */
  reactions(key: number): { seq: number; start_ms: number; reactions: string | null }[] {
    return this.db.prepare('SELECT seq, start_ms, reactions FROM snapshot_chunks WHERE window_key = ? ORDER BY seq').all(key) as { seq: number; start_ms: number; reactions: string | null }[]
  }

  chunk(key: number, seq: number): ChunkRow | undefined {
    return this.db.prepare('SELECT * FROM snapshot_chunks WHERE window_key = ? AND seq = ?').get(key, seq) as ChunkRow | undefined
  }

  /** Activity spans of all chunks of a session, for the active-time rollup. */
  activity(sessionId: string): [number, number][] {
    const rows = cached(this.db, 'SELECT c.activity FROM snapshot_chunks c JOIN session_windows w ON w.id = c.window_key WHERE w.session_id = ?').all(sessionId) as { activity: string }[]
    return rows.flatMap((r) => JSON.parse(r.activity) as [number, number][])
  }
}
