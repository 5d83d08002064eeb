// `sightline pull URL` through the binary, against the fake PostHog API on 127.0.0.1.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePosthogApi, recordingFromCaptureFile, type FakeRecording } from '../fakes/posthog-api'
import { repoRoot, sharedSamples, tempDir } from '../helpers'

const tmp = tempDir('sightline-pull-cli-')
const bin = path.join(repoRoot, 'bin', 'sightline.mjs')
let api: FakePosthogApi
let rec: FakeRecording

function sightline(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, SIGHTLINE_DB: path.join(tmp.dir, 'env.db'), ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

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
  })

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
  })
})
