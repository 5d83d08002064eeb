// Trace import and text representation on the shared samples, as a ratio to the floor of reading
// the same file (gunzip + JSON.parse of every line or of the document, nothing stored).
//   npx tsx bench/trace-import.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { importFiles } from '../electron/import'
import { openStore } from '../electron/store'
import { traceText } from '../electron/traces'

const samples = path.resolve(import.meta.dirname, '../../shared/samples/traces')
const files = ['posthog-events.jsonl', 'llm-tasks.jsonl', 'otel-genai.traces.otlp.jsonl', 'otel-genai.logs.otlp.jsonl.gz', 'openinference.otlp.json.gz']
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-traces-'))

function floor(file: string): number {
  const t0 = performance.now()
  let raw = fs.readFileSync(file)
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = zlib.gunzipSync(raw)
  const text = raw.toString('utf8')
  if (/\.jsonl/.test(file)) {
    for (const l of text.split('\n')) if (l.trim()) JSON.parse(l)
  } else JSON.parse(text)
  return performance.now() - t0
}

const store = openStore(path.join(dir, 'bench.db'))
for (const name of files) {
  const file = path.join(samples, name)
  const ref = floor(file)
  const t0 = performance.now()
  const [r] = await importFiles(store, [file])
  const ours = performance.now() - t0
  const mb = fs.statSync(file).size / 2 ** 20
  console.log(`${name.padEnd(32)} ${mb.toFixed(1).padStart(5)} MB  ${r!.traces} traces ${r!.spans} spans  ours ${ours.toFixed(0)} ms  floor ${ref.toFixed(0)} ms  ratio ${(ours / ref).toFixed(1)}×`)
}
const ids = store.traces.list({ sort: 'start_ms', dir: 'asc', limit: 100_000, offset: 0 }).rows.map((t) => t.id)
const t0 = performance.now()
let lines = 0
for (const id of ids) lines += traceText(store, id, { maxLines: 400 })!.total_lines
const per = (performance.now() - t0) / ids.length
console.log(`trace-text: ${ids.length} traces, ${lines} lines, ${per.toFixed(2)} ms per trace`)
store.close()
fs.rmSync(dir, { recursive: true, force: true })
