import type { Database } from 'better-sqlite3'

/**
 * A pull by query lists again a window before its sync point (recordings PostHog lists late), so the
 * items pulled there stay until that window has passed them: each keeps the recording's start time
 * to be dropped by. Rows from before have none and are kept.
 */
export default function pullSyncOverlap(db: Database): void {
  db.exec(`ALTER TABLE pull_sync_items ADD COLUMN start_ms INTEGER;`)
}
