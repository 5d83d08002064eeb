import type { Database } from 'better-sqlite3'

/** Key → JSON value. Never holds secrets: keys live in the OS keychain or the environment. */
export class SettingQueries {
  constructor(private readonly db: Database) {}

  all(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]))
  }

  set(values: Record<string, unknown>): void {
    const put = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) put.run(k, JSON.stringify(v))
    }).immediate()
  }
}
