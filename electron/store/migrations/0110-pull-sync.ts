import type { Database } from 'better-sqlite3'

/**
 * Pulls by query keep a sync point per project and query (pull_sync: how far the listing has been
 * pulled, so a re-run asks only for what is new) and the items pulled past it (pull_sync_items: a
 * pull killed half way resumes without pulling those again). Every pulled session and trace keeps
 * the PostHog page it came from (posthog_links) for "Open in PostHog".
 */
export default function pullSync(db: Database): void {
  db.exec(`
    CREATE TABLE pull_sync (
      key TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      project_url TEXT NOT NULL,
      query TEXT NOT NULL,
      cursor TEXT,
      pulled INTEGER NOT NULL DEFAULT 0,
      updated_ms INTEGER NOT NULL
    );
    CREATE TABLE pull_sync_items (
      sync_key TEXT NOT NULL REFERENCES pull_sync(key) ON DELETE CASCADE,
      item_id TEXT NOT NULL,
      PRIMARY KEY (sync_key, item_id)
    ) WITHOUT ROWID;
    CREATE TABLE posthog_links (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      url TEXT NOT NULL,
      PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
  `)
}
