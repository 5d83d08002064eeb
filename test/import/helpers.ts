import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { importFiles, type ImportOptions } from '../../electron/import'
import { openStore, type Store } from '../../electron/store'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const samplesDir = path.resolve(repoRoot, '../shared/samples/sessions')
export const badDir = path.join(samplesDir, 'bad')

export interface TruthSession {
  id: string | null
  windows: (string | number | null)[]
  window_order?: string[]
  start_ms: number
  end_ms: number
  duration_ms: number
  active_ms?: number
  events_by_type: Record<string, number> | null
  rrweb_events?: number
  rrweb_clicks?: number
  plugin_events?: Record<string, number>
  problems?: { kind: string; element_text: string | null }[]
}
export interface TruthFile {
  format: string
  gzip: boolean
  sessions: TruthSession[]
  timeline: { action: string; element_text?: string }[]
}
export const truth = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth.json'), 'utf8')) as {
  files: Record<string, TruthFile>
  bad: { file: string }[]
}

export function tmp(): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-import-'))
  return { dir, file: (n) => path.join(dir, n), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

export function withStore(dir: string, name = 'db.sqlite'): Store {
  return openStore(path.join(dir, name))
}

export async function importOne(store: Store, file: string, opts: ImportOptions = {}) {
  const [r] = await importFiles(store, [file], opts)
  return r!
}

const TABLES = ['sources', 'sessions', 'session_windows', 'snapshot_chunks', 'snapshot_event_keys', 'events']

/** Everything an import could have written, as one comparable string. */
export function fingerprint(store: Store): string {
  return TABLES.map((t) => {
    const rows = store.db.prepare(`SELECT * FROM ${t}`).raw(true).safeIntegers(true).all() as unknown[][]
    return t + ':' + rows.map((r) => r.map((v) => (Buffer.isBuffer(v) ? `blob${v.length}:${v.subarray(0, 16).toString('hex')}` : String(v))).join('|')).sort().join('\n')
  }).join('\n#\n')
}

/** Temp tables left behind by an import would leak memory in a long-running app. */
export function tempTables(store: Store): string[] {
  return (store.db.prepare(`SELECT name FROM sqlite_temp_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name)
}

/** Every row of the tables an import writes (source import times aside), in order. */
export function storedRows(store: Store): string {
  const q = (sql: string) => JSON.stringify(store.db.prepare(sql).raw(true).safeIntegers(true).all(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v))
  return [
    q('SELECT id, file, sha256, format, bytes, stats FROM sources ORDER BY id'),
    q('SELECT * FROM sessions ORDER BY 1'),
    q('SELECT * FROM session_windows ORDER BY id'),
    q('SELECT * FROM snapshot_chunks ORDER BY id'),
    q('SELECT * FROM snapshot_event_keys ORDER BY 1, 2'),
    q('SELECT * FROM events ORDER BY id'),
  ].join('\n')
}
