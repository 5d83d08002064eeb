// A pull by query killed half way and run again: the real CLI in a child process against the fake
// PostHog API holding 10,000 recordings, the 1,000 of the last 1,000 minutes asked for. The first run
// is killed (SIGKILL: no clean-up of any kind) once the database holds some of them; the second run
// resumes from the sync point without pulling again what landed; counts are exact.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePosthogApi } from '../fakes/posthog-api'
import { syntheticRecording } from '../fakes/posthog-list'
import { repoRoot, tempDir } from '../helpers'

const tmp = tempDir('sightline-pull-resume-')
const bin = path.join(repoRoot, 'bin', 'sightline.mjs')
const MIN = 60_000
const TOTAL = 10_000
const WANTED = 1_000
let api: FakePosthogApi
let since = ''
let wanted: string[] = []

beforeAll(async () => {
  api = await new FakePosthogApi().start()
  // a self-hosted PostHog without throttles (the client is told --plan none): the test is about resuming
  api.rateLimits = false
  const end = Date.now() - 60 * MIN
  for (let i = 0; i < TOTAL; i++) api.add(syntheticRecording(i, '321', end - (TOTAL - 1 - i) * MIN, { errorsEvery: 9 }))
  const all = [...api.recordings.values()].sort((a, b) => a.start_time.localeCompare(b.start_time))
  since = all[TOTAL - WANTED]!.start_time
  wanted = all.slice(TOTAL - WANTED).map((r) => r.sessionId).sort()
})
afterAll(async () => {
  await api.close()
  tmp.cleanup()
})

function sessionsIn(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return (d.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n
    } finally {
      d.close()
    }
  } catch {
    return 0 // not created (or not migrated) yet
  }
}

function pull(db: string, onStart?: (kill: () => void) => void): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; pid: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'pull', '--project', `${api.url}/project/321`, '--since', since, '--plan', 'none', '--json', '--db', db], {
      env: { ...process.env, POSTHOG_API_KEY: api.apiKey, SIGHTLINE_DB: db },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid! }))
    onStart?.(() => child.kill('SIGKILL'))
  })
}

const snapshotFetches = () => api.requests.filter((r) => /\/snapshots\?source=blob_v2&/.test(r.path)).length

describe('pull --project, killed and resumed', () => {
  it(`pulls ${WANTED} of ${TOTAL} recordings once across a kill`, async () => {
    const db = path.join(tmp.dir, 'resume.db')
    // first run: killed once at least 150 sessions have landed
    let landedAtKill = 0
    const first = await pull(db, (kill) => {
      const deadline = Date.now() + 240_000
      const poll = setInterval(() => {
        const n = sessionsIn(db)
        if (n >= 150 || Date.now() > deadline) {
          clearInterval(poll)
          landedAtKill = n
          kill()
        }
      }, 50)
    })
    if (first.signal !== "SIGKILL") throw new Error(`first run ended ${first.code}: ${first.stderr.slice(0, 2000)} ${first.stdout.slice(0, 500)}`)
    expect(landedAtKill).toBeGreaterThanOrEqual(150)
    const afterKill = sessionsIn(db)
    expect(afterKill).toBeLessThan(WANTED)
    const fetchedBefore = snapshotFetches()

    // The killed run's download folders are still there (nothing of it cleaned up)…
    const leftovers = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('sightline-pull-') && n.includes(`-${first.pid}-`))
    expect(leftovers().length).toBeGreaterThan(0)

    // second run: completes, pulling only what had not landed
    const second = await pull(db)
    expect(second.stderr).toBe('')
    expect(second.code).toBe(0)
    const r = JSON.parse(second.stdout) as { pulled: number; skipped: number; failed: unknown[]; more: boolean }
    expect(r.failed).toEqual([])
    expect(sessionsIn(db)).toBe(WANTED)
    // every recording landed once: those of the first run were not pulled again (a recording whose
    // import committed just before the kill, but not its sync record, comes back as already imported)
    expect(r.pulled).toBeGreaterThanOrEqual(WANTED - afterKill)
    expect(r.pulled).toBeLessThanOrEqual(WANTED - afterKill + 4)
    const d = new Database(db, { readonly: true })
    const ids = (d.prepare('SELECT id FROM sessions ORDER BY id').all() as { id: string }[]).map((x) => x.id)
    const links = (d.prepare("SELECT count(*) AS n FROM posthog_links WHERE kind = 'session'").get() as { n: number }).n
    const sync = d.prepare('SELECT cursor, pulled FROM pull_sync').all() as { cursor: string; pulled: number }[]
    d.close()
    expect(ids).toEqual(wanted)
    // …and the second removed them (its own are gone as it ends).
    expect(leftovers()).toEqual([])
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('sightline-pull-') && n.includes(`-${second.pid}-`))).toEqual([])
    expect(links).toBe(WANTED)
    expect(sync).toHaveLength(1)
    // snapshot ranges fetched in both runs: each recording's once, plus at most the ones in flight at the kill
    expect(snapshotFetches() - fetchedBefore).toBe(r.pulled)
    expect(snapshotFetches()).toBeLessThanOrEqual(WANTED + 4)

    // third run: nothing new
    const third = await pull(db)
    expect(third.code).toBe(0)
    expect(JSON.parse(third.stdout)).toMatchObject({ listed: 0, pulled: 0 })
    expect(sessionsIn(db)).toBe(WANTED)
  }, 600_000)
})
