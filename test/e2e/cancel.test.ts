// Cancelling an import from the status bar, at a moment the test chooses: the import has read part
// of the file and then its disk stops answering (every read waits on a gate this test holds), so
// the import cannot finish before the cancel however fast or loaded the machine. The cancel must
// take effect within a second even so, and leave nothing behind.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeRecording } from '../../bench/gen-recording'
import type { JobInfo } from '../../shared/model'
import { startWeb, type Web } from './harness'

let web: Web
let file = ''

beforeAll(async () => {
  web = await startWeb()
  // ~25 MB: far more than the import's read-ahead, so it needs the disk again after the gate shuts.
  file = path.join(web.dir, 'two-hours.rrweb.json')
  await writeRecording(file, { durationMs: 2 * 3_600_000 })
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 120_000)
afterAll(async () => web?.close())

/**
 * A disk that stops answering, for this process: file reads of every thread (the import's worker
 * included) run on libuv's thread pool; each pool thread is held in open(2) of a FIFO that has no
 * writer yet, so reads queue behind them. `release` gives each FIFO a writer (an O_RDWR open never
 * blocks), which lets the held opens and the queued reads go on.
 */
function holdDisk(dir: string): { release(): void } {
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4
  const fifos = Array.from({ length: threads }, (_, i) => path.join(dir, `gate-${i}`))
  for (const f of fifos) execFileSync('mkfifo', [f])
  const held = fifos.map((f) => fs.promises.open(f, 'r'))
  let released = false
  return {
    release() {
      if (released) return
      released = true
      const writers = fifos.map((f) => fs.openSync(f, 'r+'))
      void Promise.all(held).then(async (handles) => {
        await Promise.all(handles.map((h) => h.close()))
        for (const w of writers) fs.closeSync(w)
      })
    },
  }
}

describe('cancel', () => {
  it('the status bar cancels an import stuck on its disk within a second; nothing is kept', async () => {
    expect(fs.statSync(file).size).toBeGreaterThan(20e6)
    let gate: { release(): void } | undefined
    let readSome: (job: JobInfo) => void
    const reading = new Promise<JobInfo>((resolve) => (readSome = resolve))
    let cancelled: (at: number) => void
    const ended = new Promise<number>((resolve) => (cancelled = resolve))
    const states: string[] = []
    const off = web.core.jobs.onJob((job) => {
      if (job.kind !== 'import') return
      // Shut the gate as soon as the import has read something (in this listener, before the next read).
      if (!gate && job.state === 'running' && (job.progress ?? 0) > 0) {
        gate = holdDisk(web.dir)
        readSome(job)
      }
      if (job.state !== 'running') {
        states.push(job.state)
        cancelled(performance.now())
      }
    })
    try {
      await web.page.getByTestId('file-picker').setInputFiles(file)
      const job = await reading
      expect(job.progress).toBeLessThan(0.5)
      const running = web.page.getByTestId('job-running')
      await running.waitFor({ timeout: 60_000 })
      const button = running.getByRole('button', { name: /Cancel/ })
      await button.waitFor()
      const clicked = performance.now()
      await button.click()
      const stoppedMs = (await ended) - clicked
      // The import stopped by cancel, not by finishing (or failing) first.
      expect(states).toEqual(['cancelled'])
      console.log(`cancel took ${stoppedMs.toFixed(0)} ms from the click to the job's end (disk held)`)
      expect(stoppedMs).toBeLessThan(1_000)
    } finally {
      gate?.release()
      off()
    }
    const last = web.page.getByTestId('job-last')
    await last.waitFor({ timeout: 60_000 })
    expect(await last.innerText()).toMatch(/Cancelled — nothing was kept/)
    const [job] = web.core.jobs.list()
    expect(job!.state).toBe('cancelled')
    // Every table but the jobs' own record is as empty as before the import.
    const db = web.core.store.db
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'jobs'`).all() as { name: string }[]).map((t) => t.name)
    expect(tables).toEqual(expect.arrayContaining(['sources', 'sessions', 'session_windows', 'snapshot_chunks', 'snapshot_event_keys', 'events']))
    const rows = Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]))
    expect(rows).toEqual(Object.fromEntries(tables.map((t) => [t, 0])))
  }, 180_000)
})
