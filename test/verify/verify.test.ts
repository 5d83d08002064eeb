// Verification end to end through the real @google/genai and openai SDKs against fake servers on
// 127.0.0.1: a flag's clip is drawn (headless Chromium + ffmpeg), Gemini gets it as a video part
// (the very bytes of the stored clip), OpenAI-style models get evenly spaced frames as JPEG images
// within the token budget; the verdict is stored with the flag, the summary gets a version from it,
// and a person's decision stays over a model's. Needs the built frame page, Chromium and ffmpeg.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { App } from '../../electron/app'
import { closeFrameSource } from '../../electron/clips'
import { openCore, type Core } from '../../electron/core'
import { summarizeSession } from '../../electron/summarize'
import type { FlagRow } from '../../shared/summary'
import type { Recorded } from '../fakes/http'
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { importSample, tempDir } from '../summary/helpers'

const tmp = tempDir()
let gm: FakeGemini
let oa: FakeOpenAI
let core: Core
let app: App
let sessionId = ''
let flag: FlagRow

/** The verdict the fake model gives, by the flag's title in the prompt. */
let verdicts: Record<string, 'confirmed' | 'denied' | 'inconclusive'> = {}
function verdict(text: string) {
  const title = /Flagged issue \([^)]*\): (.*)/.exec(text)?.[1] ?? ''
  const v = Object.entries(verdicts).find(([k]) => title.includes(k))?.[1] ?? 'inconclusive'
  return { verdict: v, what_user_saw: `The page for "${title}"`, what_user_did_next: 'Clicked again, then left', evidence_s: [2, 4.5], explanation: `Seen in the clip: ${v}` }
}
const geminiText = (r: Recorded) => (r.body as { contents: { parts: { text?: string }[] }[] }).contents.flatMap((c) => c.parts.map((p) => p.text ?? '')).join('\n')
const openaiUser = (r: Recorded) => (r.body as { messages: { role: string; content: unknown }[] }).messages.find((m) => m.role === 'user')!.content as { type: string; text?: string; image_url?: { url: string; detail?: string } }[]

beforeAll(async () => {
  gm = await startFakeGemini((r) => verdict(geminiText(r)))
  oa = await startFakeOpenAI((r) => verdict(openaiUser(r).map((p) => p.text ?? '').join('\n')))
  const seed = await importSample(tmp.dir, 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl', 'verify.db')
  sessionId = seed.sessionId
  // A summary to update (offline, from the detected flags).
  await summarizeSession(seed.store, { get: () => undefined }, sessionId, { llm: { provider: 'none', model: 'heuristics', baseUrl: '', offline: true } })
  seed.store.close()
  core = openCore({ db: path.join(tmp.dir, 'verify.db'), transport: 'http', secrets: { get: () => 'test-key' } })
  app = new App(core)
  flag = core.store.flags.list(sessionId, { origin: 'heuristic' }).find((f) => f.blocking)!
  expect(flag).toBeDefined()
}, 120_000)
afterAll(async () => {
  await closeFrameSource()
  await core?.close()
  await gm?.close()
  await oa?.close()
  tmp.cleanup()
})

const gemini = () => ({ id: sessionId, provider: 'gemini' as const, model: 'gemini-2.5-flash', base_url: gm.baseUrl, offline: true })
const openai = () => ({ id: sessionId, provider: 'openai' as const, model: 'gpt-4.1-mini', base_url: oa.baseUrl, offline: true })

describe('verify with a model', () => {
  it('Gemini: the stored clip goes as a webm video part; the verdict is stored with the flag and a summary version made', async () => {
    verdicts = { [flag.title]: 'confirmed' }
    const before = core.store.summaries.latest(sessionId)!
    const r = await app.complete('flags:verify', { ...gemini(), flag_ids: [flag.id] })
    expect(r.flags).toHaveLength(1)
    const v = r.flags[0]!
    expect(v).toMatchObject({ flag_id: flag.id, status: 'confirmed', applied: true, explanation: 'Seen in the clip: confirmed' })
    // The request: the system instruction, the claim, and the clip file's own bytes as video/webm.
    const req = gm.generateRequests().at(-1)!
    const parts = (req.body as { contents: { parts: { text?: string; inlineData?: { mimeType: string; data: string }; videoMetadata?: { fps?: number } }[] }[] }).contents[0]!.parts
    const video = parts.find((p) => p.inlineData)!
    expect(video.inlineData!.mimeType).toBe('video/webm')
    expect(Buffer.from(video.inlineData!.data, 'base64').equals(fs.readFileSync(v.clip!.file))).toBe(true)
    expect(parts.find((p) => p.text)!.text).toContain(flag.title)
    const schema = (req.body as { generationConfig: { responseJsonSchema: { properties: Record<string, unknown> } } }).generationConfig.responseJsonSchema
    expect(Object.keys(schema.properties).sort()).toEqual(['evidence_s', 'explanation', 'verdict', 'what_user_did_next', 'what_user_saw'])
    // A 1 fps clip of t − 2 s … t + 8 s (10 frames; cut at the session's end), ffprobe agrees.
    expect(v.clip!.fps).toBe(1)
    expect(v.clip!.frames).toBe(Math.ceil((v.clip!.end_ms - v.clip!.start_ms) / 1000 - 1e-6))
    const probed = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'json', v.clip!.file], { encoding: 'utf8' })
    expect(JSON.parse(probed).streams[0]).toMatchObject({ nb_read_frames: String(v.clip!.frames) })

    const stored = core.store.flags.get(flag.id)!
    expect(stored).toMatchObject({ status: 'confirmed', status_by: 'model', status_note: 'Seen in the clip: confirmed' })
    expect(stored.verdict).toMatchObject({ saw: `The page for "${flag.title}"`, next: 'Clicked again, then left', clip_id: v.clip!.clip_id, provider: 'gemini', model: 'gemini-2.5-flash' })
    // Evidence times: seconds into the clip → epoch ms.
    expect(stored.verdict!.evidence_ms).toEqual([v.clip!.start_ms + 2000, v.clip!.start_ms + 4500])
    expect(stored.verdict!.tokens).toBeGreaterThan(0)
    expect(stored.verdict!.cost_usd).toBe(0) // a loopback server: this machine
    // The summary: a new version made from the verdicts; the old one stays.
    const after = core.store.summaries.latest(sessionId)!
    expect(r.summary_version).toBe(after.version)
    expect(after).toMatchObject({ version: before.version + 1, verified_from: before.version })
    expect(after.outcome_reason).toContain(`"${flag.title}" confirmed`)
    expect(core.store.summaries.byVersion(sessionId, before.version)!.outcome_reason).toBe(before.outcome_reason)
  }, 180_000)

  it('OpenAI-style: evenly spaced frames as JPEG images within the budget, each with its time; denied → no longer blocking', async () => {
    verdicts = { [flag.title]: 'denied' }
    const est = await app.run('verify:estimate', { ...openai(), flag_ids: [flag.id] })
    // gpt-4.1-mini bills images by 32-px patches × 1.62: 768×432 = 24 × 14 patches = 545 tokens; 5 fit the default 3,000.
    expect(est.media).toMatchObject({ kind: 'frames', frames: 5, width: 768 })
    expect(est).toMatchObject({ cloud: false, offline_refused: false, estimated_cost_usd: 0, media_tokens_per_flag: 5 * 545 })
    const r = await app.complete('flags:verify', { ...openai(), flag_ids: [flag.id] })
    expect(r.flags[0]).toMatchObject({ status: 'denied', applied: true })
    const content = openaiUser(oa.chatRequests().at(-1)!)
    const images = content.filter((p) => p.type === 'image_url')
    expect(images).toHaveLength(5)
    const jpegs = images.map((p) => Buffer.from(p.image_url!.url.replace(/^data:image\/jpeg;base64,/, ''), 'base64'))
    for (const j of jpegs) expect(j.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true)
    // Each image follows a line with its time; the first and the last frame of the clip are sent.
    const times = content.filter((p) => p.type === 'text' && /^Frame at/.test(p.text!)).map((p) => Number(/Frame at ([\d.]+) s/.exec(p.text!)![1]))
    expect(times).toHaveLength(5)
    expect(times[0]).toBe(0)
    expect(times.at(-1)).toBeCloseTo(r.flags[0]!.clip!.frames - 1, 5)
    // The frames are not all the same picture.
    expect(new Set(jpegs.map((j) => j.toString('base64'))).size).toBeGreaterThan(1)

    const latest = core.store.summaries.latest(sessionId)!
    const f = latest.flags.find((x) => x.id === flag.id)!
    expect(f).toMatchObject({ status: 'denied', status_by: 'model', blocking: false })
  }, 180_000)

  it('mask text: the clip sent is drawn with every recorded text masked (a clip of its own, not the plain one)', async () => {
    verdicts = { [flag.title]: 'inconclusive' }
    const plain = core.store.clips.forFlag(flag.id).find((c) => c.fps === 1 && !c.mask_text)!
    const r = await app.complete('flags:verify', { ...gemini(), flag_ids: [flag.id], mask_text: true })
    const masked = core.store.clips.get(r.flags[0]!.clip!.clip_id)!
    expect(masked).toMatchObject({ mask_text: true, fps: 1 })
    expect(masked.id).not.toBe(plain.id)
    // Same moment, other pixels: the text is gone.
    const sent = (gm.generateRequests().at(-1)!.body as { contents: { parts: { inlineData?: { data: string } }[] }[] }).contents[0]!.parts.find((p) => p.inlineData)!.inlineData!.data
    expect(Buffer.from(sent, 'base64').equals(fs.readFileSync(masked.file))).toBe(true)
    expect(fs.readFileSync(masked.file).equals(fs.readFileSync(plain.file))).toBe(false)
  }, 180_000)

  it('a person’s decision stays over a later model verdict', async () => {
    await app.run('flags:set-status', { flag_id: flag.id, status: 'confirmed', note: 'I saw the error banner' })
    verdicts = { [flag.title]: 'denied' }
    const r = await app.complete('flags:verify', { ...gemini(), flag_ids: [flag.id] })
    expect(r.flags[0]).toMatchObject({ status: 'confirmed', applied: false })
    expect(r.flags[0]!.explanation).toMatch(/a person had decided confirmed, which stays/)
    expect(core.store.flags.get(flag.id)).toMatchObject({ status: 'confirmed', status_by: 'user', status_note: 'I saw the error banner' })
  }, 180_000)

  it('a failing call: one flag of several is reported with its error and the others go on; alone, the job fails saying why', async () => {
    const two = core.store.flags.list(sessionId, { origin: 'heuristic' }).filter((f) => f.id !== flag.id && f.label !== 'noise').slice(0, 2)
    expect(two).toHaveLength(2)
    verdicts = { [two[1]!.title]: 'confirmed' }
    oa.server.faults.push({ kind: 'status', status: 400, body: { error: { message: 'Invalid image in message 1.', type: 'invalid_request_error', param: null, code: null } } })
    const r = await app.complete('flags:verify', { ...openai(), flag_ids: two.map((f) => f.id) })
    expect(r.flags[0]).toMatchObject({ flag_id: two[0]!.id, applied: false, status: 'unverified' })
    expect(r.flags[0]!.error).toMatch(/Invalid image in message 1/)
    expect(r.flags[1]).toMatchObject({ flag_id: two[1]!.id, status: 'confirmed', applied: true })
    expect(core.store.flags.get(two[0]!.id)!.status).toBe('unverified')
    // Alone: the job fails with the service's reason; nothing is stored for the flag.
    oa.server.faults.push({ kind: 'status', status: 400, body: { error: { message: 'Invalid image in message 1.', type: 'invalid_request_error', param: null, code: null } } })
    await expect(app.complete('flags:verify', { ...openai(), flag_ids: [two[0]!.id] })).rejects.toThrow(/Invalid image in message 1/)
    expect(core.store.flags.get(two[0]!.id)).toMatchObject({ status: 'unverified', verdict: null })
  }, 240_000)

  it('cancel while the model is asked ends the job at once; nothing is stored', async () => {
    const other = core.store.flags.list(sessionId, { origin: 'heuristic' }).find((f) => f.status === 'unverified' && f.label !== 'noise')!
    gm.server.faults.push({ kind: 'stall' })
    const asked = gm.generateRequests().length
    const job = (await app.run('flags:verify', { ...gemini(), flag_ids: [other.id] })) as { id: string }
    // Wait until the request is at the (stalled) server, then cancel.
    await expect.poll(() => gm.generateRequests().length, { timeout: 120_000, interval: 50 }).toBe(asked + 1)
    const t0 = performance.now()
    core.jobs.cancel(job.id)
    const done = await core.jobs.wait(job.id)
    expect(done.state).toBe('cancelled')
    expect(performance.now() - t0).toBeLessThan(1_000)
    expect(core.store.flags.get(other.id)).toMatchObject({ status: 'unverified' })
  }, 180_000)

  it('refuses clearly: provider none (verify by hand), offline mode and a cloud host, a flag of another session', async () => {
    await expect(app.run('verify:estimate', { id: sessionId, provider: 'none' })).rejects.toThrow(/needs one that takes video or images/)
    await expect(app.run('flags:verify', { ...gemini(), base_url: 'https://generativelanguage.googleapis.com' })).rejects.toThrow(/[Oo]ffline/)
    await expect(app.run('flags:verify', { ...gemini(), flag_ids: [999_999] })).rejects.toThrow(/has no flag 999999/)
    const cloud = await app.run('verify:estimate', { ...gemini(), base_url: 'https://generativelanguage.googleapis.com', offline: false, flag_ids: [flag.id] }).catch((e: Error) => e)
    // Without a key a cloud estimate is refused too (MissingKeyError) — here the test key is set.
    expect(cloud).toMatchObject({ cloud: true, offline_refused: false, media: { kind: 'video', fps: 1 } })
    expect((cloud as { notice: string }).notice).toMatch(/Redaction applies to text, not to pixels/)
    // The estimate says offline mode would refuse it (a run is refused before any clip is drawn).
    expect(await app.run('verify:estimate', { ...gemini(), base_url: 'https://generativelanguage.googleapis.com', flag_ids: [flag.id] })).toMatchObject({ cloud: true, offline_refused: true })
  }, 60_000)
})
