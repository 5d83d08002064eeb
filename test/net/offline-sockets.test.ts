// Offline mode at the socket level: the real CLI, in a child process that records every connect
// and DNS lookup, against loopback stand-ins (a model server, a PostHog API) that redirect off
// this machine. Nothing may connect anywhere but loopback, nor ask DNS for any name; each command
// fails with the offline error naming the redirect. Paths: summarize, summarize-traces, embed,
// cluster labels, verify, pull (a recording by link, recordings by query, LLM traces). The preload
// watches the Node process; the headless Chromium that renders verify's clips is a process of its
// own, so verify also runs under strace -f (the whole process tree).
import fs from 'node:fs'
import type http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sphereBlobs } from '../cluster/blobs'
import { writeNpy } from '../cluster/npy-writer'
import { closeLocal, listenLocal } from '../fakes/http'
import { isLoopback } from '../../electron/net'
import { hasStrace, offLoopback, type RecordedRun, runRecorded, runTraced } from './recorded-run'

const SAMPLE = path.resolve(__dirname, '../../resources/samples/demo-shop.rrweb.json')
const TRACES = path.resolve(__dirname, '../../resources/samples/demo-traces.posthog.jsonl')
let dir: string
let env: Record<string, string>
let session: string
/** Vectors in 4 well-separated blobs: clustering finds clusters, so labelling has something to send. */
let vectors: string
/** Answers every request with a redirect off this machine (see the path scheme below). */
let redirector: http.Server
let port = 0
const hits: string[] = []

const OFF = 'http://203.0.113.5'

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-offline-'))
  // No keys from the developer's environment; a PostHog key so that pull gets as far as a request.
  env = { SIGHTLINE_DB: path.join(dir, 'db.sqlite'), OPENAI_API_KEY: '', GEMINI_API_KEY: '', OPENAI_BASE_URL: '', POSTHOG_API_KEY: 'phx_offline_test' }
  ;({ server: redirector } = await listenLocal(
    async (req, res) => {
      for await (const _ of req);
      hits.push(`${req.method} ${req.url}`)
      // /r<status>[@<target origin>]/rest → <target origin>/rest
      const m = /^\/r(30[1278])(?:@([^/]+))?(\/.*)$/.exec(req.url ?? '')
      const status = Number(m?.[1] ?? 307)
      const target = m?.[2] ? decodeURIComponent(m[2]) : OFF
      res.writeHead(status, { location: `${target}${m?.[3] ?? req.url}` })
      res.end()
    },
    (res, message) => res.writeHead(599).end(message),
  ))
  port = (redirector.address() as { port: number }).port
  const imported = await runRecorded(['import', SAMPLE, '--json'], env)
  expect(imported.code, imported.stderr).toBe(0)
  expectClean(imported)
  session = (JSON.parse(imported.stdout) as { session_ids: string[] }[])[0]!.session_ids[0]!
  // Embedding needs trace summaries: the offline (extractive) ones, made under the recorder too.
  for (const args of [['import', TRACES], ['summarize-traces', '--provider', 'none', '--offline']]) {
    const run = await runRecorded(args, env)
    expect(run.code, run.stderr).toBe(0)
    expectClean(run)
  }
  const b = sphereBlobs({ n: 120, d: 16, k: 4, seed: 7, spread: 0.3 })
  vectors = path.join(dir, 'blobs.npy')
  fs.writeFileSync(vectors, writeNpy(Array.from({ length: b.n }, (_, i) => Array.from(b.data.subarray(i * b.d, (i + 1) * b.d))), { dtype: 'f4' }))
}, 180_000)

afterAll(async () => {
  await closeLocal(redirector)
  fs.rmSync(dir, { recursive: true, force: true })
})

function expectClean(run: RecordedRun): void {
  const off = offLoopback(run)
  expect(off.connects, `${run.args.join(' ')} connected off this machine`).toEqual([])
  expect(off.lookups, `${run.args.join(' ')} asked DNS`).toEqual([])
}

const summarize = (provider: 'openai' | 'gemini', baseUrl: string) =>
  runRecorded(['summarize', session, '--provider', provider, '--model', provider === 'openai' ? 'gpt-4.1-mini' : 'gemini-2.5-flash', '--base-url', baseUrl, '--offline'], env)

const embed = (provider: 'openai' | 'gemini', baseUrl: string) =>
  runRecorded(['embed', '--provider', provider, '--model', provider === 'openai' ? 'text-embedding-3-small' : 'gemini-embedding-001', '--base-url', baseUrl, '--offline'], env)

/** Clusters the blobs (offline), then asks the provider to name the clusters: the labelling agent's requests. */
const label = (provider: 'openai' | 'gemini', baseUrl: string) =>
  runRecorded(['cluster', '--embeddings', vectors, '--min-cluster-size', '10', '--provider', provider, '--label-model', provider === 'openai' ? 'gpt-4.1-mini' : 'gemini-2.5-flash', '--base-url', baseUrl, '--offline'], env, 120_000)

describe('offline mode, at the socket', () => {
  it('summarize with openai: a 307 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await summarize('openai', `http://127.0.0.1:${port}/r307/v1`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`Offline mode is on: 127\\.0\\.0\\.1:${port} redirected to 203\\.0\\.113\\.5`))
    expect(hits).toHaveLength(1) // refused, not retried
  }, 60_000)

  it('summarize with gemini (its SDK calls the global fetch): a 302 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await summarize('gemini', `http://127.0.0.1:${port}/r302`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(hits).toHaveLength(1)
  }, 60_000)

  it('a *.localhost base URL is connected to 127.0.0.1 without DNS; its redirect to a name is refused before DNS', async () => {
    hits.length = 0
    const run = await summarize('openai', `http://model.localhost:${port}/r308@${encodeURIComponent('http://example.com')}/v1`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`model\\.localhost:${port} redirected to example\\.com`))
    expect(hits).toHaveLength(1)
  }, 60_000)

  it('pull from a PostHog stand-in that redirects: refused, nothing leaves', async () => {
    hits.length = 0
    const run = await runRecorded(['pull', `http://127.0.0.1:${port}/project/1/replay/0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000`, '--offline'], env)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(hits.length).toBeGreaterThan(0)
  }, 60_000)

  it('embed with openai: a 307 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await embed('openai', `http://127.0.0.1:${port}/r307/v1`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`Offline mode is on: 127\\.0\\.0\\.1:${port} redirected to 203\\.0\\.113\\.5`))
    expect(hits).toEqual([expect.stringMatching(/^POST \/r307\/v1\/embeddings/)])
  }, 60_000)

  it('embed with gemini (through its SDK): a 302 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await embed('gemini', `http://127.0.0.1:${port}/r302`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(hits).toEqual([expect.stringMatching(/^POST \/r302\/.*gemini-embedding-001:batchEmbedContents/)])
  }, 60_000)

  it('embed with a *.localhost base URL: connected to 127.0.0.1 without DNS; its redirect to a name is refused before DNS', async () => {
    hits.length = 0
    const run = await embed('openai', `http://embed.localhost:${port}/r301@${encodeURIComponent('http://example.com')}/v1`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`embed\\.localhost:${port} redirected to example\\.com`))
    expect(hits).toHaveLength(1)
  }, 60_000)

  // Labels are extra: the run is kept with its offline labels and the refusal is reported (exit 0).
  it('cluster labels with openai: a 307 to another host is refused, nothing leaves, the run keeps its offline labels', async () => {
    hits.length = 0
    const run = await label('openai', `http://127.0.0.1:${port}/r307/v1`)
    expectClean(run)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(new RegExp(`Labels: 0 of 4 clusters .*stopped early: Offline mode is on: 127\\.0\\.0\\.1:${port} redirected to 203\\.0\\.113\\.5`))
    expect(hits).toEqual([expect.stringMatching(/^POST \/r307\/v1\/chat\/completions/)])
  }, 150_000)

  it('cluster labels with gemini on a *.localhost base URL: a 308 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await label('gemini', `http://label.localhost:${port}/r308`)
    expectClean(run)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(new RegExp(`Labels: 0 of 4 clusters .*stopped early: Offline mode is on: label\\.localhost:${port} redirected to 203\\.0\\.113\\.5`))
    expect(hits).toEqual([expect.stringMatching(/^POST \/r308\/.*gemini-2\.5-flash:generateContent/)])
  }, 150_000)

  it('summarize-traces with openai: a 307 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await runRecorded(['summarize-traces', '--provider', 'openai', '--model', 'gpt-4.1-mini', '--base-url', `http://127.0.0.1:${port}/r307/v1`, '--offline', '--limit', '1', '--force'], env)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).toMatch(new RegExp(`Offline mode is on: 127\\.0\\.0\\.1:${port} redirected to 203\\.0\\.113\\.5`))
    expect(hits).toEqual([expect.stringMatching(/^POST \/r307\/v1\/chat\/completions/)])
  }, 60_000)

  it('summarize-traces with gemini: a 302 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await runRecorded(['summarize-traces', '--provider', 'gemini', '--model', 'gemini-2.5-flash', '--base-url', `http://127.0.0.1:${port}/r302`, '--offline', '--limit', '1', '--force'], env)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(hits).toEqual([expect.stringMatching(/^POST \/r302\/.*gemini-2\.5-flash:generateContent/)])
  }, 60_000)

  it('pull of recordings by query from a PostHog stand-in that redirects: refused, nothing leaves', async () => {
    hits.length = 0
    const run = await runRecorded(['pull', '--project', `http://127.0.0.1:${port}/project/1`, '--filter', 'did $exception', '--offline'], env)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(hits.length).toBeGreaterThan(0)
  }, 60_000)

  it('pull of LLM traces from a PostHog stand-in that redirects: refused, nothing leaves', async () => {
    hits.length = 0
    const run = await runRecorded(['pull', '--project', `http://127.0.0.1:${port}/project/1`, '--traces', '--offline'], env)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(hits.length).toBeGreaterThan(0)
  }, 60_000)

  // The first flag of the sample session (a TypeError right after a click): its clip is rendered
  // here, then the model is asked, and that request is bounced.
  const verify = (provider: 'openai' | 'gemini', baseUrl: string) =>
    runRecorded(['verify', session, '1', '--provider', provider, '--model', provider === 'openai' ? 'gpt-4.1-mini' : 'gemini-2.5-flash', '--base-url', baseUrl, '--offline'], env, 150_000)

  it('verify with openai (frames as images): a 307 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await verify('openai', `http://127.0.0.1:${port}/r307/v1`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).toMatch(new RegExp(`Offline mode is on: 127\\.0\\.0\\.1:${port} redirected to 203\\.0\\.113\\.5`))
    expect(hits).toEqual([expect.stringMatching(/^POST \/r307\/v1\/chat\/completions/)])
  }, 180_000)

  it('verify with gemini (the video) on a *.localhost base URL: a 302 to another host is refused, nothing leaves', async () => {
    hits.length = 0
    const run = await verify('gemini', `http://verify.localhost:${port}/r302`)
    expectClean(run)
    expect(run.code).toBe(1)
    expect(run.stdout + run.stderr).toMatch(new RegExp(`Offline mode is on: verify\\.localhost:${port} redirected to 203\\.0\\.113\\.5`))
    // A short clip goes inline (larger ones through the Files API's upload).
    expect(hits).toEqual([expect.stringMatching(/^POST \/r302\/.*gemini-2\.5-flash:generateContent/)])
  }, 180_000)

  // Chromium's IPv6 reachability probe: a UDP connect, which sends nothing (it asks the kernel for
  // a route); everything else off loopback, DNS servers included, is a leak.
  const PROBE = '2001:4860:4860::8888'
  it.skipIf(!hasStrace)('verify, whole process tree (strace -f): its clip browser asks no DNS server and connects nowhere off loopback', async () => {
    hits.length = 0
    // Flag 2 (rapid clicks at checkout): a moment no earlier case rendered, so the browser starts.
    const run = await runTraced(['verify', session, '2', '--provider', 'openai', '--model', 'gpt-4.1-mini', '--base-url', `http://127.0.0.1:${port}/r307/v1`, '--offline'], env, 150_000)
    expect(run.stderr).toMatch(/Offline mode is on: .* redirected to 203\.0\.113\.5/)
    expect(run.programs.some((p) => /chrom/.test(path.basename(p)))).toBe(true)
    expect(run.connects.filter((c) => !isLoopback(c.host) && c.host !== PROBE)).toEqual([])
    expect(run.connects.filter((c) => isLoopback(c.host)).length).toBeGreaterThan(0)
  }, 180_000)
})
