import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobInfo } from '../../shared/model'
import { JobManager } from '../../electron/jobs'
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
    const job = jobs.start('detect', 'Count', async (ctx) => {
      ctx.progress({ fraction: 0.5, message: 'half way' })
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
    const long = jobs.start('detect', 'Wait', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))))
    expect(jobs.cancel(long.id)).toBe(true)
    expect((await jobs.wait(long.id)).state).toBe('cancelled')
    const bad = jobs.start('detect', 'Fail', async () => {
      throw new UserError('data.json: line 3: not JSON')
    })
    expect(await jobs.wait(bad.id)).toMatchObject({ state: 'failed', error: 'data.json: line 3: not JSON' })
    expect(jobs.cancel(bad.id)).toBe(false)
    store.close()
  })

  it('a job left running by a process that is gone is marked interrupted; a live process’s job is left alone', async () => {
    const file = path.join(tmp.dir, 'j.db')
    const store = openStore(file)
    const job = (id: string) => ({ id, kind: 'import' as const, title: 'Import', state: 'running' as const, progress: 0.3, message: '', error: null, result: null, created_ms: 1, finished_ms: null })
    // A child process that has exited: its pid is free.
    const { spawnSync, spawn } = await import('node:child_process')
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!
    store.jobs.insert(job('dead'), { pid: gone, capability: 'import:files', input: { files: ['a.json'] } })
    store.jobs.insert(job('legacy'), { pid: null as unknown as number })
    // Another live process (a CLI import beside the app).
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      store.jobs.insert(job('live'), { pid: other.pid! })
      new JobManager(store)
      expect(store.jobs.get('dead')!.state).toBe('interrupted')
      expect(store.jobs.get('legacy')!.state).toBe('interrupted')
      expect(store.jobs.get('live')!.state).toBe('running')
      expect(store.jobs.record('dead')).toEqual({ capability: 'import:files', input: { files: ['a.json'] } })
    } finally {
      other.kill()
      store.close()
    }
  })
})

describe('secrets in errors', () => {
  it('a failed job never stores or shows a key its error text contained', async () => {
    const tmp2 = tempDir()
    const { openCore } = await import('../../electron/core')
    const key = 'sk-live-abcdefghijklmnop'
    const core = openCore({ db: path.join(tmp2.dir, 's.db'), transport: 'cli', secrets: { get: (n) => (n === 'openai' ? key : undefined) } })
    const job = core.jobs.start('detect', 'Leak', async () => {
      throw new UserError(`401 Incorrect API key provided: ${key}`)
    })
    const done = await core.jobs.wait(job.id)
    expect(done.error).toBe('401 Incorrect API key provided: [openai key]')
    expect(JSON.stringify(core.store.jobs.get(job.id))).not.toContain(key)
    await core.close()
    tmp2.cleanup()
  })
})
