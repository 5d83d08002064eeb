// `sightline pull URL` through the binary, against the fake PostHog API on 127.0.0.1.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePosthogApi, recordingFromCaptureFile, type FakeRecording } from '../fakes/posthog-api'
import { sharedSamples, sightlineCli, tempDir } from '../helpers'

const tmp = tempDir('sightline-pull-cli-')
let api: FakePosthogApi
let rec: FakeRecording
// Each run names its database with --db; a run's env (the API key or none) goes over this one.
const sightline = sightlineCli(null, { env: { SIGHTLINE_DB: path.join(tmp.dir, 'env.db') }, timeout: 60_000 })

beforeAll(async () => {
  rec = recordingFromCaptureFile(path.join(sharedSamples, 'sessions', 'S3-search-500-spa.posthog-events.jsonl'), '12', 2)
  api = await new FakePosthogApi().add(rec).start()
})
afterAll(async () => {
  await api.close()
  tmp.cleanup()
})

describe('sightline pull', () => {
  it('--json prints the import shape; a second pull is already imported; sessions lists it', async () => {
    const db = path.join(tmp.dir, 'pull.db')
    const env = { POSTHOG_API_KEY: api.apiKey }
    const r = await sightline(['pull', api.replayUrl(rec), '--json', '--db', db], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const [result] = JSON.parse(r.stdout) as { file: string; error: string | null; sessions: number; already_imported: boolean; format: string }[]
    expect(result).toMatchObject({ file: api.replayUrl(rec), error: null, sessions: 1, already_imported: false, format: 'posthog-events-jsonl' })
    const again = await sightline(['pull', api.replayUrl(rec), '--db', db], env)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already imported')
    const list = JSON.parse((await sightline(['sessions', '--json', '--db', db], {})).stdout) as { id: string }[]
    expect(list.map((s) => s.id)).toEqual([rec.sessionId])
  }, 120_000)

  it('--sync-points lists what pulls by query keep; --reset-sync forgets a project’s, and the next pull starts over', async () => {
    const db = path.join(tmp.dir, 'sync.db')
    const env = { POSTHOG_API_KEY: api.apiKey }
    const project = `${api.url}/project/12`
    const since = new Date(Date.parse(rec.start_time) - 86_400_000).toISOString()
    const pulled = await sightline(['pull', '--project', project, '--since', since, '--json', '--db', db], env)
    expect(pulled.stderr).toBe('')
    expect(JSON.parse(pulled.stdout)).toMatchObject({ pulled: 1 })
    expect((await sightline(['pull', '--project', project, '--traces', '--since', since, '--json', '--db', db], env)).code).toBe(0)
    const list = await sightline(['pull', '--sync-points', '--json', '--db', db], {})
    expect(list.code).toBe(0)
    const points = JSON.parse(list.stdout) as { key: string; kind: string; project: string; query: Record<string, string>; position: string | null; pulled: number }[]
    expect(points.map((p) => [p.kind, p.project, p.query.since, p.pulled]).sort()).toEqual([
      ['recordings', project, since, 1],
      ['traces', project, since, 0],
    ])
    expect(points.find((p) => p.kind === 'recordings')!.position).toBe(new Date(rec.start_time).toISOString())
    expect(points.find((p) => p.kind === 'traces')!.position).toBeNull()
    const text = await sightline(['pull', '--sync-points', '--db', db], {})
    expect(text.stdout).toContain(`recordings ${project} since="${since}"`)
    expect(text.stdout).toContain('1 pulled, up to ')
    // a key nobody has
    const unknown = await sightline(['pull', '--reset-sync', 'no such key', '--db', db], {})
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/No sync point "no such key"/)
    // any page of the project names it
    const reset = await sightline(['pull', '--reset-sync', `${project}/replay/home`, '--json', '--db', db], {})
    expect((JSON.parse(reset.stdout) as { reset: string[] }).reset.sort()).toEqual(points.map((p) => p.key).sort())
    expect(JSON.parse((await sightline(['pull', '--sync-points', '--json', '--db', db], {})).stdout)).toEqual([])
    // the next pull lists from --since again: the recording is there, already imported
    const again = JSON.parse((await sightline(['pull', '--project', project, '--since', since, '--json', '--db', db], env)).stdout) as { listed: number; results: { already_imported: boolean }[] }
    expect(again.listed).toBe(1)
    expect(again.results.map((r) => r.already_imported)).toEqual([true])
  }, 120_000)

  it('no key, a bad key and offline mode each exit 1 with one clear line', async () => {
    const db = path.join(tmp.dir, 'errors.db')
    const none = await sightline(['pull', api.replayUrl(rec), '--db', db], { POSTHOG_API_KEY: '' })
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/POSTHOG_API_KEY/)
    const bad = await sightline(['pull', api.replayUrl(rec), '--db', db], { POSTHOG_API_KEY: 'phx_not_the_right_one' })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/HTTP 401.*POSTHOG_API_KEY/)
    expect(bad.stderr).not.toContain('phx_not_the_right_one')
    const cloud = await sightline(['pull', `https://us.posthog.com/project/12/replay/${rec.sessionId}`, '--db', db], { POSTHOG_API_KEY: api.apiKey })
    expect(cloud.code).toBe(1)
    expect(cloud.stderr).toMatch(/Offline mode is on.*--no-offline/)
    const usage = await sightline(['pull', '--db', db], {})
    expect(usage.code).toBe(2)
  }, 120_000)
})
