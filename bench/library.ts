// Library paging at 100k sessions: each sort and a text search, first page and a deep page, as a
// ratio to reading one page by primary key (the floor for any list query).
//   npx tsx bench/library.ts
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { openStore } from '../electron/store'
import { parseFilter } from '../electron/sessions/filter'

const N = 100_000
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'))
const store = openStore(path.join(dir, 'lib.db'))
const put = store.db.prepare('INSERT INTO sessions (id, distinct_id, start_ms, end_ms, active_ms, first_url, events, errors, windows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
const ev = store.db.prepare("INSERT INTO events (uuid, origin, session_id, time_ms, type, url, el_text) VALUES (?, 'product', ?, ?, ?, ?, ?)")
let seed = 42
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
store.transaction(() => {
  for (let i = 0; i < N; i++) {
    const start = 1.7e12 + i * 60_000
    const id = `s-${i.toString(36)}`
    put.run(id, `person-${i % 5000}`, start, start + Math.round(rnd() * 3_600_000), Math.round(rnd() * 600_000), `https://shop.test/p/${i % 977}`, Math.round(rnd() * 500), Math.round(rnd() * 3), 1)
    for (let k = 0; k < 5; k++) ev.run(`${id}-${k}`, id, start + k * 1000, k === 4 && i % 50 === 0 ? '$rageclick' : '$pageview', `https://shop.test/p/${(i + k) % 977}`, k === 4 ? 'Pay' : null)
  }
})

const time = (fn: () => unknown, reps = 20) => {
  fn()
  const t0 = performance.now()
  for (let i = 0; i < reps; i++) fn()
  return (performance.now() - t0) / reps
}
const floor = time(() => store.db.prepare('SELECT * FROM sessions WHERE rowid > ? ORDER BY rowid LIMIT 50').all(50_000))
console.log(`${N} sessions, ${N * 5} events; floor (one page by rowid): ${floor.toFixed(2)} ms`)
const cases: [string, Parameters<typeof store.sessions.list>[0]][] = []
for (const sort of ['start_ms', 'duration_ms', 'active_ms', 'events', 'errors', 'first_url'] as const) {
  cases.push([`sort ${sort}, page 1`, { sort, dir: 'desc', limit: 50, offset: 0 }])
  cases.push([`sort ${sort}, page 1000`, { sort, dir: 'desc', limit: 50, offset: 50_000 }])
}
cases.push(['search "p/97"', { q: 'p/97', sort: 'start_ms', dir: 'desc', limit: 50, offset: 0 }])
cases.push(['filter did $rageclick', { filter: parseFilter('did $rageclick'), sort: 'start_ms', dir: 'desc', limit: 50, offset: 0 }])
cases.push(['filter duration > 30m and errors > 0', { filter: parseFilter('duration > 30m and errors > 0'), sort: 'start_ms', dir: 'desc', limit: 50, offset: 0 }])
for (const [name, q] of cases) {
  const ms = time(() => store.sessions.list(q), 5)
  console.log(`${name.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / floor).toFixed(0).padStart(6)}× floor`)
}
store.close()
fs.rmSync(dir, { recursive: true, force: true })
