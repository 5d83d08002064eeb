import type { Database } from 'better-sqlite3'

export interface SourceRecord {
  id: number
  file: string
  sha256: string
  format: string
  bytes: number
  imported_ms: number
  stats: string
}

export class SourceQueries {
  constructor(private readonly db: Database) {}

  bySha(sha256: string): SourceRecord | undefined {
    return this.db.prepare('SELECT * FROM sources WHERE sha256 = ?').get(sha256) as SourceRecord | undefined
  }

  insert(s: Omit<SourceRecord, 'id'>): number {
    const r = this.db
      .prepare(
        'INSERT INTO sources (file, sha256, format, bytes, imported_ms, stats) VALUES (@file, @sha256, @format, @bytes, @imported_ms, @stats)',
      )
      .run(s)
    return Number(r.lastInsertRowid)
  }

  setStats(id: number, stats: string): void {
    this.db.prepare('UPDATE sources SET stats = ? WHERE id = ?').run(stats, id)
  }
}
