import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobInfo } from '../../shared/model'
import { JobManager } from '../../electron/jobs'
import { runInWorker } from '../../electron/jobs/run-in-worker'
import { UserError } from '../../electron/errors'
import { openStore } from '../../electron/store'
import { tempDir } from '../helpers'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => (tmp = tempDir()))
afterEach(() => tmp.cleanup())

describe('jobs', () => {
  it('reports progress, then the result, and records the job', async () => {
    const store = openStore(path.join(tmp.dir, 'j.db'))
    const jobs = new JobManager(store)
    const seen: JobInfo[] = []
    jobs.onJob((j) => seen.push(j))
    const job = jobs.start('test', 'Count', async (ctx) => {
      ctx.progress(0.5, 'half way')
      return { n: 42 }
    })
    const done = await jobs.wait(job.id)
    expect(done).toMatchObject({ state: 'done', progress: 1, result: { n: 42 } })
    expect(seen.some((j) => j.message === 'half way' && j.progress === 0.5)).toBe(true)
    expect(store.jobs.get(job.id)).toMatchObject({ state: 'done', result: { n: 42 } })
    store.close()
  })

  it('cancel stops the work and marks the job cancelled; failures carry their message', async () => {
    const store = openStore(path.join(tmp.dir, 'j.db'))
    const jobs = new JobManager(store)
    const long = jobs.start('test', 'Wait', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))))
    expect(jobs.cancel(long.id)).toBe(true)
    expect((await jobs.wait(long.id)).state).toBe('cancelled')
    const bad = jobs.start('test', 'Fail', async () => {
      throw new UserError('data.json: line 3: not JSON')
    })
    expect(await jobs.wait(bad.id)).toMatchObject({ state: 'failed', error: 'data.json: line 3: not JSON' })
    expect(jobs.cancel(bad.id)).toBe(false)
    store.close()
  })

  it('a job left running by a dead process is marked interrupted on the next start', () => {
    const file = path.join(tmp.dir, 'j.db')
    const store = openStore(file)
    store.jobs.insert({ id: 'x', kind: 'import', title: 'Import', state: 'running', progress: 0.3, message: '', error: null, result: null, created_ms: 1, finished_ms: null })
    new JobManager(store)
    expect(store.jobs.get('x')!.state).toBe('interrupted')
    store.close()
  })

  it('runs a task in a worker thread over its own database connection', async () => {
    const file = path.join(tmp.dir, 'w.db')
    openStore(file).close()
    const progress: (number | null)[] = []
    const results = await runInWorker('import', { db: file, files: [path.join(tmp.dir, 'missing.json')] }, {
      signal: new AbortController().signal,
      progress: (f) => progress.push(f),
    })
    expect(results).toHaveLength(1)
    expect(results[0]!.error).toMatch(/missing\.json/)
  })
})

describe('secrets in errors', () => {
  it('a failed job never stores or shows a key its error text contained', async () => {
    const tmp2 = tempDir()
    const { openCore } = await import('../../electron/core')
    const key = 'sk-live-abcdefghijklmnop'
    const core = openCore({ db: path.join(tmp2.dir, 's.db'), transport: 'cli', secrets: { get: (n) => (n === 'openai' ? key : undefined) } })
    const job = core.jobs.start('test', 'Leak', async () => {
      throw new UserError(`401 Incorrect API key provided: ${key}`)
    })
    const done = await core.jobs.wait(job.id)
    expect(done.error).toBe('401 Incorrect API key provided: [openai key]')
    expect(JSON.stringify(core.store.jobs.get(job.id))).not.toContain(key)
    await core.close()
    tmp2.cleanup()
  })
})
