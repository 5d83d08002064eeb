// The capability layer (electron/app): one declaration per capability, used by the router and the
// CLI alike; reads never write; jobs recorded and run again; the layering lint rule bites.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ESLint } from 'eslint'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startFakeOpenAI } from '../fakes/openai-server'
import { createRouter } from '../../electron/api'
import { App, capabilities } from '../../electron/app'
import { openCore, type Core } from '../../electron/core'
import { api } from '../../shared/api'
import { repoRoot, sightlineCli, tempDir } from '../helpers'

const tmp = tempDir()
const bin = path.join(repoRoot, 'bin', 'sightline.mjs')
const demo = path.join(repoRoot, 'resources', 'samples', 'demo-shop.rrweb.json')
const traces = path.join(repoRoot, 'resources', 'samples', 'demo-traces.posthog.jsonl')
let core: Core
let app: App
let sessionId: string

const db = path.join(tmp.dir, 'app.db')
const sightline = sightlineCli(db)

beforeAll(async () => {
  core = openCore({ db, transport: 'cli', secrets: { get: () => undefined } })
  app = new App(core)
  const results = await app.complete('import:files', { files: [{ file: demo, session_id: 'demo-session' }, traces] })
  expect(results.map((r) => r.error)).toEqual([null, null])
  sessionId = results[0]!.session_ids![0]!
}, 120_000)
afterAll(async () => {
  await core.close()
  tmp.cleanup()
})

describe('capabilities', () => {
  it('every capability is reachable from a face: the router (a channel) or the CLI', () => {
    const faceFiles = fs.readdirSync(path.join(repoRoot, 'electron')).filter((f) => f === 'api.ts' || /^cli(-[\w-]+)?\.ts$/.test(f))
    const faces = faceFiles.map((f) => fs.readFileSync(path.join(repoRoot, 'electron', f), 'utf8')).join('\n')
    for (const name of Object.keys(capabilities)) expect(faces.includes(`'${name}'`), name).toBe(true)
    // and every channel of the contract has a handler (the router's type says so; this says it at run time too)
    const router = fs.readFileSync(path.join(repoRoot, 'electron/api.ts'), 'utf8')
    for (const channel of Object.keys(api)) expect(router.includes(`'${channel}':`), channel).toBe(true)
  })

  it('the router and the CLI answer from the same capability', async () => {
    const router = createRouter(core)
    const viaRouter = await router.handle('sessions:list', {})
    const viaCli = await sightline(['sessions', '--json'])
    expect(viaCli.code).toBe(0)
    expect(viaRouter.ok && (viaRouter.result as { rows: { id: string }[] }).rows.map((r) => r.id)).toEqual(JSON.parse(viaCli.stdout).map((r: { id: string }) => r.id))
    const flags = await router.handle('flags:list', { id: sessionId, origin: 'heuristic' })
    const cliFlags = await sightline(['flags', sessionId, '--json'])
    expect(flags.ok && (flags.result as { flags: { id: number }[] }).flags.map((f) => f.id)).toEqual(JSON.parse(cliFlags.stdout).map((f: { id: number }) => f.id))
  })

  it('an import detects the flags of what it touched; listing flags reads them and writes nothing', async () => {
    const listed = await app.run('flags:list', { id: sessionId, origin: 'heuristic' })
    expect(listed.stale).toBe(false)
    expect(listed.flags.length).toBeGreaterThan(0)
    const before = fs.statSync(db + '-wal', { throwIfNoEntry: false })?.size ?? 0
    const writes = core.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }
    await app.run('flags:list', { id: sessionId, origin: 'all' })
    await app.run('summary:dry-run', { id: sessionId, provider: 'none' })
    expect((core.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n).toBe(writes.n)
    expect(fs.statSync(db + '-wal', { throwIfNoEntry: false })?.size ?? 0).toBe(before)
  })

  it('flags from older detectors are stale until detected again', async () => {
    core.store.sessions.setDetectorVersion(sessionId, 1)
    expect((await app.run('flags:list', { id: sessionId })).stale).toBe(true)
    const cli = await sightline(['flags', sessionId, '--json'])
    expect(cli.stderr).toContain(`sightline flags ${sessionId} --detect`)
    const r = await app.complete('flags:detect', {})
    expect(r.sessions).toBe(1)
    expect((await app.run('flags:list', { id: sessionId })).stale).toBe(false)
  })

  it('opening a session and summarizing it loads its events once and runs no detector (they ran at import)', async () => {
    const oa = await startFakeOpenAI(() => ({
      goal: 'Buy', outcome: 'failed', outcome_reason: 'Checkout failed.',
      segments: [{ start_s: 0, end_s: 60, title: 'All', what_happened: 'Tried to pay.' }], key_moments: [],
      flags: [1, 2, 3].map((k) => ({ type: 'checkout_error', label: 'blocking', t_s: 60 + k, event_refs: [k], confidence: 0.8, title: `Flag ${k}`, explanation: 'x' })),
    }))
    const loads = vi.spyOn(core.store.events, 'bySession')
    const detections = vi.spyOn(core.store.flags, 'replaceHeuristic')
    try {
      // What the Session page asks for.
      for (const name of ['sessions:get', 'replay:meta', 'sessions:console', 'sessions:ai-calls', 'summary:get', 'flags:list'] as const) await app.run(name, { id: sessionId })
      const paneLoads = loads.mock.calls.length
      await app.run('sessions:events', { id: sessionId }) // the Events pane: the one read of the events for display
      expect(loads.mock.calls.length).toBe(paneLoads + 1)
      const before = loads.mock.calls.length
      const r = await app.complete('summary:run', { id: sessionId, provider: 'openai', model: 'gpt-4.1-mini', base_url: oa.baseUrl, offline: true })
      expect(r.flags.length).toBeGreaterThan(0)
      // The summary reads the session's events once (its timeline), whatever the number of flags.
      expect(loads.mock.calls.length - before).toBe(1)
      expect(detections).not.toHaveBeenCalled()
    } finally {
      loads.mockRestore()
      detections.mockRestore()
      await oa.close()
    }
  })

  it('invalid input is refused before anything runs; unknown ids are not found', async () => {
    await expect(app.run('sessions:list', { limit: 0 })).rejects.toMatchObject({ code: 'invalid_request' })
    await expect(app.run('flags:detect', { ids: ['nope'] })).rejects.toMatchObject({ code: 'not_found' })
    const jobs = core.jobs.list().length
    await expect(app.run('summary:run', { id: 'nope' })).rejects.toMatchObject({ code: 'not_found' })
    expect(core.jobs.list()).toHaveLength(jobs)
  })

  it('a job keeps what it was asked; an interrupted one can be run again and is cleared', async () => {
    const missing = path.join(tmp.dir, 'later.json')
    const job = await app.run('import:files', { files: [missing] })
    await core.jobs.wait(job.id)
    expect(core.jobs.record(job.id)).toEqual({ capability: 'import:files', input: { files: [missing] } })
    fs.copyFileSync(demo, missing)
    const again = await app.rerun(job.id)
    const done = await core.jobs.wait(again.id)
    expect(done.state).toBe('done')
    expect(core.store.jobs.get(job.id)).toBeUndefined()
  })
})

describe('CLI output a script can trust', () => {
  it('listings return every row unless --limit; piped output is never cut', async () => {
    // 1,200 traces: more than any page, and a document far larger than a pipe's 64 KB buffer.
    const lines = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({ event: '$ai_generation', distinct_id: 'u', timestamp: new Date(1_700_000_000_000 + i * 1000).toISOString(), uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, properties: { $ai_trace_id: `t-${i}`, $ai_model: 'gpt-4.1-mini', $ai_input: [{ role: 'user', content: `question ${i} ${'x'.repeat(200)}` }], $ai_output_choices: [{ role: 'assistant', content: 'answer' }], $ai_input_tokens: 10, $ai_output_tokens: 5 } }),
    )
    const file = path.join(tmp.dir, 'many.jsonl')
    fs.writeFileSync(file, lines.join('\n'))
    expect((await sightline(['import', file])).code).toBe(0)
    const all = await sightline(['traces', '--json'])
    expect(JSON.parse(all.stdout).length).toBe(1200 + 27)
    expect((JSON.parse((await sightline(['traces', '--json', '--limit', '5'])).stdout) as unknown[]).length).toBe(5)
    // Through a real pipe into a slow reader: every byte arrives.
    const piped = await new Promise<string>((resolve) =>
      execFile('sh', ['-c', `node "${bin}" traces --json --db "${db}" | (sleep 1; wc -c)`], (_e, out) => resolve(out.trim())),
    )
    expect(Number(piped)).toBe(Buffer.byteLength(all.stdout))
  }, 180_000)

  it('every command takes the common options and ignores those that do not apply', async () => {
    const r = await sightline(['flags', sessionId, '--json', '--offline', '--provider', 'none', '--model', 'm', '--base-url', 'http://127.0.0.1:9'])
    expect(r.code).toBe(0)
    const s = await sightline(['sessions', '--no-offline', '--provider', 'openai', '--json'])
    expect(s.code).toBe(0)
    const bad = await sightline(['flags', 'no-such-session', '--offline'])
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim().split('\n')).toEqual(['error: No session with id "no-such-session".'])
  }, 180_000)
})

describe('layering', () => {
  it('lint refuses an import that points up or across stages', async () => {
    const eslint = new ESLint({ cwd: repoRoot })
    const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: path.join(repoRoot, file) }))[0]!.messages.map((m) => m.ruleId)
    expect(await lint('electron/store/x.ts', "import { detect } from '../sessions'\nexport const y = detect\n")).toContain('sightline/layers')
    expect(await lint('electron/jobs/x.ts', "import { importFiles } from '../import'\nexport const y = importFiles\n")).toContain('sightline/layers')
    expect(await lint('electron/traces/x.ts', "import { pullRecording } from '../pull'\nexport const y = pullRecording\n")).toContain('sightline/layers')
    expect(await lint('electron/cli.ts', "import { importFiles } from './import'\nexport const y = importFiles\n")).toContain('sightline/layers')
    expect(await lint('electron/app/x.ts', "import { importFiles } from '../import'\nexport const y = importFiles\n")).not.toContain('sightline/layers')
  })
})
