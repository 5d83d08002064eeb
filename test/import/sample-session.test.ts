// The bundled demo recording is a plain rrweb array (no session id): samples:import gives it the
// manifest's session_id, the one its demo traces carry, so the traces link to the session.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createRouter } from '../../electron/api'
import { openCore } from '../../electron/core'
import { importFiles } from '../../electron/import'
import { listSamples, sampleInput } from '../../electron/samples'
import { openStore } from '../../electron/store'
import { repoRoot, tempDir } from '../helpers'

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources/samples/index.json'), 'utf8')) as { name: string; kind: string; session_id?: string; linked_traces?: { trace_ids: string[] } }[]
const demo = manifest.find((e) => e.kind === 'session')!
const linked = manifest.find((e) => e.linked_traces)!.linked_traces!.trace_ids
const tmp = tempDir('sightline-samples-')
afterAll(() => tmp.cleanup())

describe('bundled samples', () => {
  it('the demo recording lands under the manifest session id, and its traces link to it (samples:import)', async () => {
    expect(demo.session_id).toMatch(/^[0-9a-f-]{36}$/)
    const core = openCore({ db: path.join(tmp.dir, 'router.db'), transport: 'http', secrets: { get: () => undefined } })
    try {
      const router = createRouter(core)
      const res = await router.handle('samples:import', { names: listSamples().map((s) => s.name) })
      expect(res.ok).toBe(true)
      const done = await core.jobs.wait((res as { ok: true; result: { job: { id: string } } }).result.job.id)
      expect(done.state).toBe('done')
      expect((done.result as { error: string | null }[]).every((r) => r.error === null)).toBe(true)
      const id = demo.session_id!
      expect(core.store.sessions.get(id)).toMatchObject({ id, windows: 1 })
      expect(core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).rows.map((r) => r.id)).toEqual([id])
      const traces = core.store.traces.list({ session: id, sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 })
      expect(traces.rows.map((t) => t.id).sort()).toEqual([...linked].sort())
      expect(traces.rows.every((t) => t.session_id === id)).toBe(true)
    } finally {
      await core.close()
    }
  })

  it('a session id is only a fallback: without one a plain rrweb file is rrweb-<hash>, a file with its own id keeps it', async () => {
    const store = openStore(path.join(tmp.dir, 'direct.db'))
    try {
      const { file } = sampleInput(demo.name)
      const [plain] = await importFiles(store, [file])
      expect(plain!.error).toBeNull()
      expect(store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).rows.map((r) => r.id)).toEqual([expect.stringMatching(/^rrweb-[0-9a-f]+$/)])
      const s1 = path.resolve(repoRoot, '../shared/samples/sessions/S1-happy-browse-and-buy.posthog-export.json')
      const [own] = await importFiles(store, [{ file: s1, session_id: 'ignored-because-the-file-has-one', label: 'S1 export' }])
      expect(own).toMatchObject({ file: 'S1 export', error: null, sessions: 1 })
      expect(store.sessions.get('ignored-because-the-file-has-one')).toBeUndefined()
    } finally {
      store.close()
    }
  })
})
