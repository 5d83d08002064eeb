// Session import throughput end to end (parse, decode, chunk, compress, store) on a generated
// PostHog UI export, as a ratio to plain JSON.parse of the same file in the same run (import MB/s
// ÷ JSON.parse MB/s; goal ≥ 0.7), and peak RSS of the import (goal ≤ 300 MB at 500 MB). Each
// measurement runs in its own process so that one's heap does not inflate the other's.
// The import runs as shipped: the built bundle (electron-vite build, done first) in plain Node;
// --source runs it from the TypeScript through tsx instead, as the CLI does today.
//   npx tsx bench/import.ts            (100 MB and 500 MB)
//   npx tsx bench/import.ts 50 200     (sizes in MB)
//   npx tsx bench/import.ts 40 --cpu-prof   (also writes the import's .cpuprofile to the cwd)
//   npx tsx bench/import.ts --generate 100 FILE   (only writes the export, e.g. for profiling)
//   npx tsx bench/import.ts --sessions 10000 20000 50000 [--source]
//       many small sessions in one capture-events file (a pageview, a click and a 3-event recording
//       each): import time must grow linearly with the number of sessions (goal: 50k in ≤ 20 s)
// The files go to os.tmpdir() and are removed afterwards.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { recording } from './gen-recording'
import { generateSessions } from './gen-sessions'

const MB = 2 ** 20
const WINDOWS = 4
const repoRoot = path.resolve(import.meta.dirname, '..')

/** A PostHog export `{version, data: {id, person, snapshots}}` of ~`bytes`, written streaming: 4 tabs interleaved in time. */
async function generate(file: string, bytes: number): Promise<{ events: number; bytes: number; spanMs: number }> {
  const out = fs.createWriteStream(file)
  const write = async (s: string) => {
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  const start = Date.UTC(2026, 0, 1)
  const tabs = Array.from({ length: WINDOWS }, (_, i) => ({
    wid: `01941f29-0000-7000-8000-00000000000${i}`,
    gen: recording({ durationMs: 40 * 3600_000, start: start + i * 137, pageEveryMs: 30_000, rows: 150 }) as Generator<{ timestamp: number }>,
    head: null as { timestamp: number } | null,
  }))
  for (const t of tabs) t.head = t.gen.next().value ?? null
  await write(`{"version":"2023-04-28","data":{"id":"bench-session","person":{"distinct_ids":["bench-user"],"properties":{}},"snapshots":[\n`)
  let written = 0
  let events = 0
  let last = start
  while (written < bytes) {
    let next = tabs[0]!
    for (const t of tabs) if (t.head && (!next.head || t.head.timestamp < next.head.timestamp)) next = t
    if (!next.head) break
    const line = (events ? ',\n' : '') + JSON.stringify({ ...next.head, windowId: next.wid })
    await write(line)
    written += line.length
    last = next.head.timestamp
    events++
    next.head = next.gen.next().value ?? null
  }
  await write('\n]}}\n')
  await new Promise<void>((r) => out.end(r))
  return { events, bytes: fs.statSync(file).size, spanMs: last - start }
}

interface Measured {
  ms: number
  maxRssMb: number
  detail?: Record<string, unknown>
}

function child(args: string[], nodeArgs: string[]): Measured {
  const r = spawnSync(process.execPath, [...nodeArgs, ...args], { encoding: 'utf8', maxBuffer: 16 * MB })
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured
}

const PARSE_CHILD = `
const fs = require('node:fs')
const t0 = performance.now()
const v = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'))
const ms = performance.now() - t0
if (!v.data.snapshots.length) process.exit(3)
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }))
`

/**
 * The import as shipped: the built bundle (out/main, as the app and its job workers load it) in
 * plain Node, no TypeScript loader. Its chunk names are hashed and exports renamed, so each function
 * is found by the chunk that exports it (importFiles and openStore may sit in different chunks).
 */
const BUILT_CHILD = `
import fs from 'node:fs'
import path from 'node:path'
const [file, db, dir] = process.argv.slice(2)
const chunks = path.join(dir, 'out/main/chunks')
async function exported(name) {
  for (const f of fs.readdirSync(chunks)) {
    const alias = fs.readFileSync(path.join(chunks, f), 'utf8').match(new RegExp('\\\\b' + name + ' as (\\\\w+)'))?.[1]
    if (alias) return (await import(path.join(chunks, f)))[alias]
  }
  throw new Error('no built chunk exports ' + name + ': run npm run build')
}
{
  const [importFiles, openStore] = [await exported('importFiles'), await exported('openStore')]
  const store = openStore(db)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const [r] = await importFiles(store, [file])
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  store.close()
  if (r.error) throw new Error(r.error)
  const detail = { sessions: r.sessions, snapshot_events: r.snapshot_events, skipped: r.skipped, db_mb: fs.statSync(db).size / 2 ** 20, cpu_ms: (cpu.user + cpu.system) / 1000 }
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }))
  process.exit(0)
}
`

/** From source through tsx (as the CLI runs today): the loader adds its own thread and heap. */
async function importChild(file: string, db: string): Promise<void> {
  const { importFiles } = await import('../electron/import')
  const { openStore } = await import('../electron/store')
  const store = openStore(db)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const [r] = await importFiles(store, [file])
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  store.close()
  if (r!.error) throw new Error(r!.error)
  const detail = { sessions: r!.sessions, snapshot_events: r!.snapshot_events, skipped: r!.skipped, db_mb: fs.statSync(db).size / MB, cpu_ms: (cpu.user + cpu.system) / 1000 }
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }))
}

async function main(): Promise<void> {
  if (process.argv[2] === '--import-child') return importChild(process.argv[3]!, process.argv[4]!)
  if (process.argv[2] === '--generate') {
    console.log(JSON.stringify(await generate(process.argv[4]!, Number(process.argv[3]) * MB)))
    return
  }
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0)
  const fromSource = process.argv.includes('--source')
  if (!fromSource) {
    process.stderr.write('building (electron-vite build)…\n')
    const b = spawnSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, encoding: 'utf8' })
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr.slice(-2000)}`)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-import-'))
  // A file, not -e: evaluated code ran the import ~50% slower (its worker threads, apparently).
  const builtChild = path.join(dir, 'import-child.mjs')
  fs.writeFileSync(builtChild, BUILT_CHILD)
  const runImport = (file: string, dbFile: string, prof: string[]) =>
    fromSource ? child([import.meta.filename, '--import-child', file, dbFile], [...process.execArgv, ...prof]) : child([builtChild, file, dbFile, repoRoot], prof)
  if (process.argv.includes('--sessions')) {
    try {
      benchSessions(dir, sizes.length ? sizes : [10_000, 20_000, 50_000], runImport)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
    return
  }
  const rows: string[][] = [['size', 'events', 'generate', 'JSON.parse', 'import', 'ratio (goal ≥ 0.7)', 'peak RSS import (goal ≤ 300 MB)', 'peak RSS parse', 'db']]
  try {
    for (const size of sizes.length ? sizes : [100, 500]) {
      const file = path.join(dir, `export-${size}mb.json`)
      let t0 = performance.now()
      const g = await generate(file, size * MB)
      const genMs = performance.now() - t0
      const mb = g.bytes / MB
      process.stderr.write(`${mb.toFixed(0)} MB, ${g.events} events over ${(g.spanMs / 3600_000).toFixed(1)} h in ${WINDOWS} tabs, generated in ${(genMs / 1000).toFixed(1)} s\n`)
      t0 = performance.now()
      const parse = child([file], ['--max-old-space-size=16384', '-e', PARSE_CHILD])
      process.stderr.write(`  JSON.parse ${(parse.ms / 1000).toFixed(1)} s\n`)
      const prof = process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${process.cwd()}`] : []
      const dbFile = path.join(dir, `bench-${size}.db`)
      const imp = runImport(file, dbFile, prof)
      process.stderr.write(`  import ${(imp.ms / 1000).toFixed(1)} s ${JSON.stringify(imp.detail)}\n`)
      const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(1)} MB/s`
      rows.push([
        `${mb.toFixed(0)} MB`,
        String(g.events),
        `${(genMs / 1000).toFixed(1)} s`,
        `${rate(parse.ms)} (${(parse.ms / 1000).toFixed(1)} s)`,
        `${rate(imp.ms)} (${(imp.ms / 1000).toFixed(1)} s)`,
        // Import MB/s over JSON.parse MB/s of the same file, same run.
        `${(parse.ms / imp.ms).toFixed(2)} ${parse.ms / imp.ms >= 0.7 ? 'ok' : 'below goal'}`,
        `${imp.maxRssMb.toFixed(0)} MB ${imp.maxRssMb <= 300 ? 'ok' : 'over goal'}`,
        `${parse.maxRssMb.toFixed(0)} MB`,
        `${Number(imp.detail?.db_mb ?? 0).toFixed(0)} MB`,
      ])
      fs.rmSync(file, { force: true })
      fs.rmSync(path.join(dir, `bench-${size}.db`), { force: true })
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '))
}

/** Import time per session count; per 1k sessions it should stay flat (linear), 50k within 20 s. */
function benchSessions(dir: string, counts: number[], runImport: (file: string, db: string, prof: string[]) => Measured): void {
  // CPU time (all threads) beside wall time: on a shared machine the wall clock says more about the neighbours.
  const rows: string[][] = [['sessions', 'events', 'file', 'import', 'CPU', 'per 1k sessions (wall)', 'per 1k sessions (CPU)', 'goal (50k ≤ 20 s)']]
  for (const n of counts) {
    const file = path.join(dir, `sessions-${n}.jsonl`)
    const g = generateSessions(file, n)
    const db = path.join(dir, `sessions-${n}.db`)
    const imp = runImport(file, db, process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${process.cwd()}`] : [])
    if (imp.detail?.sessions !== n) throw new Error(`expected ${n} sessions, the import stored ${String(imp.detail?.sessions)}`)
    const cpu = Number(imp.detail?.cpu_ms ?? 0)
    rows.push([String(n), String(g.events), `${(g.bytes / MB).toFixed(1)} MB`, `${(imp.ms / 1000).toFixed(1)} s`, `${(cpu / 1000).toFixed(1)} s`, `${(imp.ms / (n / 1000)).toFixed(0)} ms`, `${(cpu / (n / 1000)).toFixed(0)} ms`, n >= 50_000 ? (imp.ms * (50_000 / n) <= 20_000 ? 'ok' : 'over goal') : ''])
    fs.rmSync(file, { force: true })
    fs.rmSync(db, { force: true })
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '))
}

await main()
