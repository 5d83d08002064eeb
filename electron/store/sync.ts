// Sync points of pulls by query (pull_sync, pull_sync_items) and the PostHog page of every pulled
// session and trace (posthog_links). A sync point is per project and query: `key` is built by the
// pull stage from the API host, the project and the normalized query.
import type { Database } from 'better-sqlite3'

export interface SyncPoint {
  key: string
  kind: 'recordings' | 'traces'
  project_url: string
  query: string
  /** Where the listing resumes (JSON the pull stage wrote), null before the first item. */
  cursor: string | null
  /** Items pulled under this sync point in all runs. */
  pulled: number
  updated_ms: number
}

export type LinkKind = 'session' | 'trace'

export class SyncQueries {
  constructor(private readonly db: Database) {}

  get(key: string): SyncPoint | undefined {
    return this.db.prepare('SELECT * FROM pull_sync WHERE key = ?').get(key) as SyncPoint | undefined
  }

  list(): SyncPoint[] {
    return this.db.prepare('SELECT * FROM pull_sync ORDER BY updated_ms DESC').all() as SyncPoint[]
  }

  /** The sync point of `key`, created (no cursor yet) when there is none. */
  ensure(p: Pick<SyncPoint, 'key' | 'kind' | 'project_url' | 'query'>): SyncPoint {
    this.db
      .prepare('INSERT INTO pull_sync (key, kind, project_url, query, cursor, pulled, updated_ms) VALUES (@key, @kind, @project_url, @query, NULL, 0, @now) ON CONFLICT(key) DO NOTHING')
      .run({ ...p, now: Date.now() })
    return this.get(p.key)!
  }

  /** Ids already pulled under `key`, of those given. */
  done(key: string, ids: string[]): Set<string> {
    const out = new Set<string>()
    const q = this.db.prepare('SELECT 1 FROM pull_sync_items WHERE sync_key = ? AND item_id = ?')
    for (const id of ids) if (q.get(key, id)) out.add(id)
    return out
  }

  /** Records an item as pulled (idempotent); true when it was new. `startMs`: when it started (what advance() drops it by). */
  markDone(key: string, id: string, startMs: number | null = null): boolean {
    const r = this.db.prepare('INSERT INTO pull_sync_items (sync_key, item_id, start_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(key, id, startMs)
    if (r.changes) this.db.prepare('UPDATE pull_sync SET pulled = pulled + 1, updated_ms = ? WHERE key = ?').run(Date.now(), key)
    return r.changes > 0
  }

  /**
   * Moves the sync point on; items that started before `dropBeforeMs` are no longer listed, so their
   * rows go. `pulled`: items pulled up to the new point that were not marked one by one (a page of events).
   */
  advance(key: string, cursor: string, o: { dropBeforeMs?: number; pulled?: number } = {}): void {
    const { dropBeforeMs } = o
    const tx = this.db.transaction(() => {
      this.db.prepare('UPDATE pull_sync SET cursor = ?, pulled = pulled + ?, updated_ms = ? WHERE key = ?').run(cursor, o.pulled ?? 0, Date.now(), key)
      if (dropBeforeMs !== undefined) this.db.prepare('DELETE FROM pull_sync_items WHERE sync_key = ? AND start_ms < ?').run(key, dropBeforeMs)
    })
    tx.immediate()
  }

  /** Items kept for `key` (pulled past the sync point, or in the window listed again before it). */
  items(key: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM pull_sync_items WHERE sync_key = ?').get(key) as { n: number }).n
  }

  /** Forgets a sync point and (by cascade) its items: the next pull starts over; what was imported stays. */
  remove(key: string): boolean {
    return this.db.prepare('DELETE FROM pull_sync WHERE key = ?').run(key).changes > 0
  }

  /** Forgets every sync point of a project (`https://<host>/project/<id>`); returns their keys. */
  removeProject(projectUrl: string): string[] {
    return this.db.transaction(() => {
      const keys = (this.db.prepare('SELECT key FROM pull_sync WHERE project_url = ?').all(projectUrl) as { key: string }[]).map((r) => r.key)
      for (const k of keys) this.remove(k)
      return keys
    }).immediate()
  }

  setLink(kind: LinkKind, id: string, url: string): void {
    this.db.prepare('INSERT INTO posthog_links (kind, id, url) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET url = excluded.url').run(kind, id, url)
  }

  setLinks(kind: LinkKind, links: [id: string, url: string][]): void {
    const q = this.db.prepare('INSERT INTO posthog_links (kind, id, url) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET url = excluded.url')
    this.db.transaction(() => {
      for (const [id, url] of links) q.run(kind, id, url)
    }).immediate()
  }

  link(kind: LinkKind, id: string): string | null {
    const r = this.db.prepare('SELECT url FROM posthog_links WHERE kind = ? AND id = ?').get(kind, id) as { url: string } | undefined
    return r?.url ?? null
  }
}
