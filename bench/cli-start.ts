// How fast `sightline` starts, as a script calling it 100 times would feel it: wall time of
// `--help`, `sessions --json` on an empty database and on a 100k-session one, each against
// `node -e 0` in the same run (the floor: Node's own start). Goals: --help ≤ 0.3 s, sessions on an
// empty database ≤ 0.5 s. Builds the bundle first and runs it (as an installed copy does).
//   npx tsx bench/cli-start.ts [--runs 7]
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openStore } from '../electron/store'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7
const root = path.resolve(import.meta.dirname, '..')
const bin = path.join(root, 'bin', 'sightline.mjs')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-clistart-'))

execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' })

const empty = path.join(dir, 'empty.db')
openStore(empty).close()
const big = path.join(dir, 'lib.db')
const store = openStore(big)
const put = store.db.prepare('INSERT INTO sessions (id, distinct_id, start_ms, end_ms, active_ms, first_url, events, errors, windows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
store.db.transaction(() => {
  for (let i = 0; i < 100_000; i++) put.run(`s-${i.toString(36)}`, `person-${i % 5000}`, 1.7e12 + i * 60_000, 1.7e12 + i * 60_000 + 90_000, 30_000, `https://shop.test/p/${i % 977}`, 40, i % 3, 1)
})()
store.close()

/** Median wall ms of a command over the runs (the first run warms the OS caches and is dropped). */
function wall(args: string[]): number {
  const times: number[] = []
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30, env: { ...process.env, SIGHTLINE_FROM_SOURCE: '0' } })
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`)
    if (i > 0) times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!
}

const floor = wall(['-e', '0'])
const rows: [string, number, number | null][] = [
  ['sightline --help', wall([bin, '--help']), 300],
  ['sightline sessions --json (empty db)', wall([bin, 'sessions', '--json', '--db', empty]), 500],
  ['sightline sessions --json --limit 50 (100k sessions)', wall([bin, 'sessions', '--json', '--limit', '50', '--db', big]), null],
  ['sightline sessions --json (100k sessions, every row)', wall([bin, 'sessions', '--json', '--db', big]), null],
]
console.log(`node -e 0: ${floor.toFixed(0)} ms (median of ${runs})`)
for (const [what, ms, goal] of rows) {
  console.log(`${what.padEnd(54)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / floor).toFixed(2)}× node${goal ? `  goal ≤ ${goal} ms: ${ms <= goal ? 'met' : 'not met'}` : ''}`)
}
fs.rmSync(dir, { recursive: true, force: true })
