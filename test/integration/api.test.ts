import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRouter, type Router } from '../../electron/api'
import { openCore, type Core } from '../../electron/core'
import { tempDir } from '../helpers'

let core: Core
let router: Router
let tmp: ReturnType<typeof tempDir>
const changes: string[] = []

beforeEach(() => {
  tmp = tempDir()
  core = openCore({ db: path.join(tmp.dir, `api-${Math.random()}.db`), transport: 'http', secrets: { get: () => undefined } })
  router = createRouter(core, { onChanged: (w) => changes.push(w) })
})
afterEach(async () => {
  await core.close()
  tmp.cleanup()
})

describe('router', () => {
  it('rejects unknown channels and invalid requests with typed errors', async () => {
    expect(await router.handle('nope:nothing', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    expect(await router.handle('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    const wrongType = await router.handle('sessions:list', { limit: 'ten' })
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(wrongType.ok || wrongType.error.message).toMatch(/limit/)
    expect(await router.handle('sessions:list', { limit: 10, extra: true })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await router.handle('import:files', { paths: [] })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(await router.handle('settings:set', { base_url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })

  it('answers with defaults applied and reports not-found ids', async () => {
    expect(await router.handle('sessions:list', {})).toEqual({ ok: true, result: { rows: [], total: 0 } })
    expect(await router.handle('sessions:get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('nope') } })
    const info = await router.handle('app:info', {})
    expect(info).toMatchObject({ ok: true, result: { transport: 'http', keys: { openai: false, gemini: false } } })
  })

  it('settings round-trip and announce the change; keys cannot be stored outside the app', async () => {
    expect(await router.handle('settings:set', { provider: 'openai', offline: false })).toMatchObject({ ok: true, result: { provider: 'openai', offline: false } })
    expect(await router.handle('settings:get', {})).toMatchObject({ ok: true, result: { provider: 'openai', offline: false, theme: 'system' } })
    expect(changes).toContain('settings')
    const keys = await router.handle('keys:set', { name: 'openai', value: 'sk-secret-value' })
    expect(keys).toMatchObject({ ok: false, error: { code: 'user_error', message: expect.stringContaining('OPENAI_API_KEY') } })
    expect(JSON.stringify(keys)).not.toContain('sk-secret-value')
  })

  it('an import runs as a job whose result names the file and its problem', async () => {
    const res = await router.handle('import:files', { paths: [path.join(tmp.dir, 'nothing-here.json')] })
    expect(res.ok).toBe(true)
    const { job } = (res as { ok: true; result: { job: { id: string } } }).result
    const done = await core.jobs.wait(job.id)
    expect(done.state).toBe('done')
    expect((done.result as { error: string }[])[0]!.error).toMatch(/nothing-here\.json/)
  })
})
