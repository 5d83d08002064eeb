// The recorder itself: it must see a connect and a DNS lookup made anywhere in the process — the
// main thread, an eval worker (how jobs start from source) and a file worker (how the bundle starts
// them) — or the offline test passes for a path it cannot see (pull and embed run in workers; the
// eval worker's lookup and connect went unrecorded before).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { NetRecord } from './recorded-run'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-recorder-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Asks DNS for `<name>.invalid` and connects to 192.0.2.<n> (TEST-NET-1), then stops: nothing is awaited. */
const probe = (name: string, n: number) =>
  `require('node:dns').lookup('${name}.invalid', () => {}); require('node:net').connect(9, '192.0.2.${n}').on('error', () => {}).destroy();`

describe('record-connects.mjs', () => {
  it('records connects and lookups in the main thread, an eval worker and a file worker', () => {
    const fileWorker = path.join(dir, 'worker.cjs')
    fs.writeFileSync(fileWorker, probe('file-worker', 3))
    const main = path.join(dir, 'main.cjs')
    fs.writeFileSync(
      main,
      `const { Worker } = require('node:worker_threads')
${probe('main', 1)}
new Worker(${JSON.stringify(probe('eval-worker', 2))}, { eval: true })
new Worker(${JSON.stringify(fileWorker)})`,
    )
    const log = path.join(dir, 'net.jsonl')
    fs.writeFileSync(log, '')
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(__dirname, 'record-connects.mjs')).href, main], {
      env: { ...process.env, SIGHTLINE_NET_LOG: log },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const records = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as NetRecord & { thread: number })
    const seen = (kind: string) =>
      records
        .filter((x) => x.kind === kind)
        .map((x) => x.host)
        .sort()
    expect(seen('dns')).toEqual(['eval-worker.invalid', 'file-worker.invalid', 'main.invalid'])
    expect(seen('connect')).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3'])
    expect(new Set(records.map((x) => x.thread)).size).toBe(3)
  }, 60_000)
})
