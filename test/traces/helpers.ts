import fs from 'node:fs'
import path from 'node:path'
import { importFiles } from '../../electron/import'
import { openStore, type Store } from '../../electron/store'
import { repoRoot } from '../helpers'

export { repoRoot }
export const tracesDir = path.resolve(repoRoot, '../shared/samples/traces')
export const bundledDir = path.join(repoRoot, 'resources/samples')

export interface TruthTrace {
  trace_id: string
  conversation_id: string
  intent: string
  app: string
  model: string
  huge: boolean
  error: { kind: string; gave_up: boolean; turn: number } | null
  turns: number
  root_span_id?: string
  session_id?: string
  web_session_id?: string | null
  ai_session_id?: string
  distinct_id: string
}
export interface TruthFile {
  producer: string
  count: number
  traces: TruthTrace[]
}
export interface TaskTruth {
  distinct_id: string
  session_id: string | null
  chatml: boolean
  first_input: string
  turns: number
  intent: string
  feedback: string | null
}

export const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T
export const truthOf = (name: string) => readJson<TruthFile>(path.join(tracesDir, `${name}-truth.json`))

/** Turns the app really ran: a conversation that gave up stops after the failing turn. */
export const executedTurns = (t: TruthTrace) => (t.error?.gave_up ? t.error.turn + 1 : t.turns)

export function withStore(dir: string, name: string): Store {
  return openStore(path.join(dir, name))
}

export async function importOne(store: Store, file: string) {
  const [r] = await importFiles(store, [file])
  return r!
}

export const fixturesDir = path.join(repoRoot, 'test/traces/fixtures')

/** A store DIR/NAME holding the two small fixtures: traces ph-1 (PostHog), t1 and chat-8 (LLM tasks). */
export async function withSmallTraces(dir: string, name: string): Promise<Store> {
  const store = withStore(dir, name)
  await importOne(store, path.join(fixturesDir, 'posthog-small.json'))
  await importOne(store, path.join(fixturesDir, 'llm-tasks-small.jsonl'))
  return store
}

const TABLES = ['sources', 'sessions', 'events', 'traces', 'spans', 'span_logs', 'trace_feedback']

/** Everything a trace import could have written, as one comparable string. */
export function fingerprint(store: Store): string {
  return TABLES.map((t) => {
    const rows = store.db.prepare(`SELECT * FROM ${t}`).raw(true).all() as unknown[][]
    return t + ':' + rows.map((r) => r.map(String).join('|')).sort().join('\n')
  }).join('\n#\n')
}

export function tempTables(store: Store): string[] {
  return (store.db.prepare(`SELECT name FROM sqlite_temp_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name)
}
