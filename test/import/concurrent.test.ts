// Several processes importing into one database at once: write transactions take the write lock
// up front (BEGIN IMMEDIATE), so they wait for each other instead of failing "database is locked".
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import type { ImportResult } from '../../shared/model'
import { sightlineCli } from '../helpers'
import { samplesDir, tmp, withStore } from './helpers'

const PROCESSES = 4
const FILES_EACH = 50
const t = tmp()
const files: string[][] = []

/** Small capture-events files, each its own session (ids and uuids rewritten from S3). */
beforeAll(() => {
  const lines = fs.readFileSync(path.join(samplesDir, 'S3-search-500-spa.posthog-events.jsonl'), 'utf8').trim().split('\n').slice(0, 12)
  const sid = (JSON.parse(lines[0]!) as { properties: { $session_id: string } }).properties.$session_id
  for (let p = 0; p < PROCESSES; p++) {
    files.push([])
    for (let i = 0; i < FILES_EACH; i++) {
      const tag = `p${p}f${String(i).padStart(3, '0')}`
      const text = lines
        .map((l, n) => {
          const e = JSON.parse(l) as { uuid: string; properties: Record<string, unknown> }
          e.uuid = `${tag}-${n}`
          e.properties.$session_id = `${sid}-${tag}`
          return JSON.stringify(e)
        })
        .join('\n')
      const f = t.file(`${tag}.jsonl`)
      fs.writeFileSync(f, text + '\n')
      files[p]!.push(f)
    }
  }
})
afterAll(() => t.cleanup())

// Each run names its database; only the test's timeout limits it.
const cli = sightlineCli(null, { timeout: 0 })

function counts(dbFile: string): Record<string, number> {
  const store = withStore(path.dirname(dbFile), path.basename(dbFile))
  try {
    const out: Record<string, number> = {}
    for (const table of ['sources', 'sessions', 'session_windows', 'snapshot_chunks', 'events']) {
      out[table] = (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    }
    return out
  } finally {
    store.close()
  }
}

describe('parallel imports into one database', () => {
  it(`${PROCESSES} processes × ${FILES_EACH} files: no failures, same rows as a serial import`, async () => {
    const db = t.file('parallel.sqlite')
    const runs = await Promise.all(files.map((fs_) => cli(['import', '--db', db, '--json', ...fs_])))
    const failures: string[] = []
    for (const r of runs) {
      if (r.code !== 0 && !r.stdout.trim().startsWith('[')) failures.push(`exit ${r.code}: ${r.stderr.slice(0, 500)}`)
      else for (const res of JSON.parse(r.stdout) as ImportResult[]) if (res.error) failures.push(res.error)
    }
    expect(failures).toEqual([])
    expect(runs.map((r) => r.code)).toEqual(Array(PROCESSES).fill(0))

    const serial = withStore(t.dir, 'serial.sqlite')
    const rs = await importFiles(serial, files.flat())
    serial.close()
    expect(rs.filter((r) => r.error)).toEqual([])
    const want = counts(t.file('serial.sqlite'))
    expect(want.sources).toBe(PROCESSES * FILES_EACH)
    expect(counts(db)).toEqual(want)
  }, 240_000)
})
