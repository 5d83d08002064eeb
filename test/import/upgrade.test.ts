// A database written by version 0.1 (schema 50: sha1 keys of every event, no recorded
// reactions) opens, migrates, and keeps working: dead-click reactions are decoded from its
// chunks, and a later import of the same session still merges into its windows.
import { createHash } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { loadReactions } from '../../electron/sessions/reactions'
import { openStore } from '../../electron/store'
import { migrations } from '../../electron/store/migrations'
import { decodeChunk } from '../../electron/store/chunk-codec'
import { importOne, samplesDir, tmp, truth } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())
const S = (n: string) => path.join(samplesDir, n)

/** The schema objects of a database: tables with their columns, and index names. */
function schema(db: Database.Database): { tables: Map<string, Set<string>>; indexes: Set<string> } {
  const rows = db.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { type: string; name: string }[]
  const tables = new Map(rows.filter((r) => r.type === 'table').map((r) => [r.name, new Set((db.prepare(`PRAGMA table_info(${r.name})`).all() as { name: string }[]).map((c) => c.name))]))
  return { tables, indexes: new Set(rows.filter((r) => r.type === 'index').map((r) => r.name)) }
}

/**
 * Turns a current database into what version 0.1 left: schema 50 (whatever later migrations added
 * is taken away again, found by comparing with a database migrated only to 50), its keys, no reactions.
 */
function makeOld(file: string): void {
  const ref = new Database(':memory:')
  for (const m of migrations.filter((m) => m.version <= 50)) m.up(ref)
  const want = schema(ref)
  ref.close()
  const db = new Database(file)
  db.pragma('foreign_keys = OFF')
  const have = schema(db)
  for (const name of have.indexes) if (!want.indexes.has(name)) db.exec(`DROP INDEX "${name}"`)
  for (const [table, cols] of have.tables) {
    const keep = want.tables.get(table)
    if (!keep) db.exec(`DROP TABLE "${table}"`)
    else for (const col of cols) if (!keep.has(col)) db.exec(`ALTER TABLE "${table}" DROP COLUMN "${col}"`)
  }
  db.exec('DELETE FROM snapshot_event_keys')
  const ins = db.prepare('INSERT OR IGNORE INTO snapshot_event_keys (hash, window_key) VALUES (?, ?)')
  for (const c of db.prepare('SELECT window_key, data FROM snapshot_chunks').all() as { window_key: number; data: Buffer }[]) {
    for (const ev of decodeChunk(c.data)) {
      if ((ev as { synthetic?: boolean }).synthetic) continue
      ins.run(createHash('sha1').update(JSON.stringify(ev)).digest().readBigInt64BE(0), c.window_key)
    }
  }
  db.pragma('user_version = 50')
  db.close()
}

describe('a database from version 0.1', () => {
  it('migrates, reads reactions from the chunks, and merges a later export of its session', async () => {
    const sid = truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.id!
    const file = path.join(t.dir, 'old.db')
    const fresh = openStore(file)
    await importOne(fresh, S('S4-two-tabs.posthog-export.json.gz'))
    const reactions = loadReactions(fresh, sid)
    fresh.close()
    makeOld(file)

    const store = openStore(file)
    expect(store.db.prepare('SELECT keys_version FROM session_windows ORDER BY id').pluck().all()).toEqual([1, 1])
    expect(store.db.prepare('SELECT count(*) FROM snapshot_chunks WHERE reactions IS NOT NULL').pluck().get()).toBe(0)
    expect(loadReactions(store, sid)).toEqual(reactions)
    // The export numbered the windows 1 and 2; the capture file names them: renamed, not doubled.
    const r = await importOne(store, S('S4-two-tabs.posthog-events.jsonl'))
    expect(r).toMatchObject({ error: null, snapshot_events: 0 })
    expect(store.chunks.windows(sid).map((w) => w.window_id)).toEqual(truth.files['S4-two-tabs.posthog-events.jsonl']!.sessions[0]!.window_order)
    expect(store.sessions.get(sid)).toMatchObject({ windows: 2, snapshot_events: 78 })
    store.close()
  })
})
