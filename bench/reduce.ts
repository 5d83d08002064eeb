// Prompt size of the reduced session (CSV + aliases, noise filtered) against the raw events as
// JSON, for every developer sample. Goal: ≤ 0.10 of raw. Run: npx tsx bench/reduce.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { importFiles } from '../electron/import'
import { estimateTokens } from '../electron/llm/tokens'
import { reduceSession, renderReduced } from '../electron/sessions'
import { openStore } from '../electron/store'

const samples = path.resolve(import.meta.dirname, '../../shared/samples/sessions')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'))
const rows: string[][] = [['sample', 'rows', 'reduced tok', 'events JSON tok', 'ratio', 'recording JSON tok', 'ratio']]
let sumReduced = 0
let sumRaw = 0
try {
  for (const name of fs.readdirSync(samples).filter((f) => /^S\d/.test(f)).sort()) {
    const store = openStore(path.join(dir, `${name}.db`))
    await importFiles(store, [path.join(samples, name)])
    const id = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 1, offset: 0 }).rows[0]!.id
    const reduced = reduceSession(store, id)
    const ours = estimateTokens(renderReduced(reduced))
    // Raw: what a naive implementation would send, every stored event with all its properties.
    const raw = store.events.bySession(id).map((e) => ({ ...e, properties: JSON.parse(e.properties) as unknown }))
    const rawTok = estimateTokens(JSON.stringify(raw))
    const recording = store.chunks.windows(id).flatMap((w) => store.chunks.chunks(w.id).map((c) => zlib.gunzipSync(c.data).toString('utf8')))
    const recTok = recording.length ? estimateTokens(recording.join(',')) : 0
    sumReduced += ours
    sumRaw += rawTok
    rows.push([name, String(reduced.rows.length), String(ours), String(rawTok), (ours / rawTok).toFixed(3), recTok ? String(recTok) : '-', recTok ? (ours / recTok).toFixed(4) : '-'])
    store.close()
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
console.log(`\nall samples: reduced ${sumReduced} tokens vs raw events JSON ${sumRaw} tokens: ratio ${(sumReduced / sumRaw).toFixed(3)} (goal ≤ 0.10)`)
console.log('tokens: o200k_base (gpt-4o family); raw = every stored event of the session as JSON with its properties')
