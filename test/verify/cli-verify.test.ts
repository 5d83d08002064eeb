// `sightline verify` end to end: the real command in a child process, against a fake Gemini on
// 127.0.0.1 through the real SDK: --dry-run says what would be sent and costs, sends nothing;
// --json prints DESIGN.md's [{flag_id, status, explanation, clip}] with the flag ids `flags --json`
// prints; --status decides by hand; `flags --json` then shows the verdict; misuse exits 2.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Recorded } from '../fakes/http'
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server'
import { sharedSamples, sightlineCli, tempDir } from '../helpers'

const tmp = tempDir('sightline-cli-verify-')
const db = path.join(tmp.dir, 'verify.db')
let gm: FakeGemini
const sightline = sightlineCli(db, { env: { GEMINI_API_KEY: 'test-key' }, timeout: 150_000 })

const textOf = (r: Recorded) => (r.body as { contents: { parts: { text?: string }[] }[] }).contents.flatMap((c) => c.parts.map((p) => p.text ?? '')).join('\n')

beforeAll(async () => {
  gm = await startFakeGemini((r) => ({
    verdict: /Flagged issue \(blocking/.test(textOf(r)) ? 'confirmed' : 'denied',
    what_user_saw: 'An error message under the button',
    what_user_did_next: 'Clicked again and left',
    evidence_s: [3],
    explanation: 'The error is on screen.',
  }))
})
afterAll(async () => {
  await gm.close()
  tmp.cleanup()
})

describe('sightline verify', () => {
  it('dry run, a verdict per flag with the ids flags --json prints, a decision by hand, and usage errors', async () => {
    expect((await sightline(['import', path.join(sharedSamples, 'sessions/S2-checkout-typeerror-rage-leave.posthog-events.jsonl'), '--json'])).code).toBe(0)
    const [s] = JSON.parse((await sightline(['sessions', '--json'])).stdout) as { id: string }[]
    const flags = JSON.parse((await sightline(['flags', s!.id, '--json'])).stdout) as { id: number; blocking: boolean; status: string }[]
    const target = flags.find((f) => f.blocking)!
    const model = ['--provider', 'gemini', '--model', 'gemini-2.5-flash', '--base-url', gm.baseUrl]

    const dry = await sightline(['verify', s!.id, String(target.id), ...model, '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({ provider: 'gemini', cloud: false, flags: [{ id: target.id }], media: { kind: 'video', fps: 1 } })
    expect(gm.generateRequests()).toHaveLength(0)

    const r = await sightline(['verify', s!.id, String(target.id), ...model, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { flag_id: number; status: string; explanation: string; clip: string }[]
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ flag_id: target.id, status: 'confirmed', explanation: 'The error is on screen.' })
    expect(fs.statSync(out[0]!.clip).size).toBeGreaterThan(1000)
    expect(gm.generateRequests()).toHaveLength(1)

    // flags --json: the same id, now with its verdict.
    const after = JSON.parse((await sightline(['flags', s!.id, '--json'])).stdout) as { id: number; status: string; verdict: Record<string, unknown> | null }[]
    expect(after.find((f) => f.id === target.id)).toMatchObject({ status: 'confirmed', verdict: { status: 'confirmed', by: 'model', saw: 'An error message under the button', model: 'gemini-2.5-flash' } })

    // By hand: no model needed; the person's decision is kept over a later --all run.
    const hand = await sightline(['verify', s!.id, String(target.id), '--status', 'denied', '--note', 'Order went through', '--json'])
    expect(hand.code, hand.stderr).toBe(0)
    expect(JSON.parse(hand.stdout)).toEqual([{ flag_id: target.id, status: 'denied', explanation: 'Order went through', clip: null, by: 'user' }])
    const all = await sightline(['verify', s!.id, '--all', ...model, '--json'])
    expect(all.code, all.stderr).toBe(0)
    const verdicts = JSON.parse(all.stdout) as { flag_id: number; status: string }[]
    // --all leaves out noise and what a person decided.
    expect(verdicts.map((v) => v.flag_id)).not.toContain(target.id)
    expect(verdicts.length).toBe(flags.filter((f) => f.id !== target.id && (f as unknown as { label: string }).label !== 'noise').length)

    expect((await sightline(['verify', s!.id])).code).toBe(2)
    expect((await sightline(['verify', s!.id, String(target.id), '--all'])).code).toBe(2)
    const none = await sightline(['verify', s!.id, String(target.id), '--provider', 'none'])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/needs one that takes video or images/)
    const missing = await sightline(['verify', s!.id, '999999', ...model])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('has no flag 999999')
  }, 600_000)
})
