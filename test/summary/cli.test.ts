// `sightline flags` and `sightline summarize` through the real binary: the --json shapes scripts
// rely on, --dry-run, provider none, a fake OpenAI-compatible server, offline refusal, exit codes.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sightlineCli } from '../helpers'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { importSample, S5_SECRETS, tempDir } from './helpers'

const tmp = tempDir()
const db = path.join(tmp.dir, 'cli.db')
let sid = ''
let oa: FakeOpenAI
// No provider key or base URL from the developer's environment unless a run sets one.
const sightline = sightlineCli(db, { env: { OPENAI_API_KEY: '', GEMINI_API_KEY: '', OPENAI_BASE_URL: '' }, timeout: 60_000 })

beforeAll(async () => {
  const s = await importSample(tmp.dir, 'S5-pii-order-refund-chat.posthog-events.jsonl', 'cli.db')
  sid = s.sessionId
  s.store.close()
  oa = await startFakeOpenAI(() => ({
    goal: 'Ask for a refund',
    outcome: 'partly',
    outcome_reason: 'Refund failed, chat worked.',
    segments: [{ start_s: 0, end_s: 115, title: 'All', what_happened: 'Ordered, refund failed, chatted.' }],
    key_moments: [],
    flags: [{ type: 'refund_error', label: 'blocking', t_s: 52.7, event_refs: [37, 38], confidence: 0.8, title: 'Refund 500', explanation: 'POST /api/refund → 500' }],
  }))
})
afterAll(async () => {
  await oa.close()
  tmp.cleanup()
})

describe('sightline flags / summarize', () => {
  it('flags --json prints [{id, type, time_ms, severity, blocking, evidence}]', async () => {
    const r = await sightline(['flags', sid, '--json', '--detect'])
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('--detect')
    const flags = JSON.parse(r.stdout) as Record<string, unknown>[]
    expect(flags.length).toBeGreaterThan(0)
    for (const f of flags) expect(f).toMatchObject({ id: expect.any(Number), type: expect.any(String), time_ms: expect.any(Number), severity: expect.any(String), blocking: expect.any(Boolean), evidence: expect.any(Array) })
    expect(flags.find((f) => f.type === 'http_error_after_action')).toMatchObject({ blocking: true, severity: 'high' })
    expect((await sightline(['flags', 'no-such-session'])).code).toBe(1)
  })

  it('summarize --dry-run prints what would be sent, redacted, with tokens and cost, and sends nothing', async () => {
    const r = await sightline(['summarize', sid, '--provider', 'openai', '--model', 'gpt-4.1-mini', '--base-url', oa.baseUrl, '--dry-run'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('[user]')
    expect(r.stdout).toContain('e,t,event,target,el,url,detail')
    expect(r.stdout).toMatch(/Estimated tokens: \d+ in/)
    for (const s of S5_SECRETS) expect(r.stdout).not.toContain(s)
    expect(oa.server.requests).toHaveLength(0)
    const cloud = await sightline(['summarize', sid, '--provider', 'openai', '--model', 'gpt-4.1-mini', '--dry-run', '--json'])
    expect(JSON.parse(cloud.stdout)).toMatchObject({ cloud: true, offline_refused: true, base_url: 'https://api.openai.com/v1' })
    expect(JSON.parse(cloud.stdout).estimated_cost_usd).toBeGreaterThan(0)
  })

  it('summarize --json against an OpenAI-compatible server prints {session_id, version, outcome, flags, usage}', async () => {
    const r = await sightline(['summarize', sid, '--provider', 'openai', '--model', 'llama3.1', '--base-url', oa.baseUrl, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { flags: Record<string, unknown>[] }
    expect(out).toMatchObject({ session_id: sid, version: 1, outcome: 'partly', kind: 'model', usage: { calls: 1 } })
    expect(out.flags[0]).toMatchObject({ id: expect.any(Number), type: 'refund_error', time_ms: expect.any(Number), blocking: true, status: 'unverified' })
    for (const s of S5_SECRETS) expect(oa.server.requests[0]!.text).not.toContain(s)
  })

  it('summarize --provider none makes a heuristic version; offline refuses a cloud host (exit 1, one clear line)', async () => {
    const none = await sightline(['summarize', sid, '--provider', 'none', '--json'])
    expect(JSON.parse(none.stdout)).toMatchObject({ version: 2, kind: 'heuristic' })
    const refused = await sightline(['summarize', sid, '--provider', 'openai', '--base-url', 'https://api.openai.com/v1', '--offline'], { OPENAI_API_KEY: 'sk-test-xxxxxxxxxxxxxxxxxxxx' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/Offline mode is on: refusing to send anything to api\.openai\.com/)
    expect(refused.stderr).not.toContain('sk-test-xxxx')
    expect((await sightline(['summarize', sid, '--provider', 'claude'])).code).toBe(2)
    expect((await sightline(['summarize', sid, '--redact-off', 'names'])).code).toBe(2)
  })
})
