// An API key never lands in the database, its WAL, or anything the CLI prints — not whole, and not
// as any 8-character piece of it: a server that echoes the key in a 200 body (stored as the raw
// model output of a failed summary) or in an error message long enough to be cut mid-key.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { SECRET_PIECE, scrubSecrets } from '../../electron/secrets'
import { openStore } from '../../electron/store'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { sharedSamples, sightlineCli, tempDir, type CliResult } from '../helpers'

const KEY = 'sk-T3stK3yQ9vLx2Rw8Np4Zm6Yb1Hc5Jd7Gf0Ks'
const tmp = tempDir('sightline-secrets-')
const db = path.join(tmp.dir, 'secrets.db')
const printed: string[] = []
let sid = ''
let oa: FakeOpenAI

const run = sightlineCli(db, { env: { OPENAI_API_KEY: KEY, GEMINI_API_KEY: '', OPENAI_BASE_URL: '' }, timeout: 60_000 })

/** Runs sightline, keeping what it printed for the leak check. */
async function sightline(args: string[]): Promise<CliResult> {
  const r = await run(args)
  printed.push(r.stdout, r.stderr)
  return r
}

/** Every 8-character piece of the key found in a text (the whole key included). */
function leaks(text: string): string[] {
  const found: string[] = []
  for (let i = 0; i + SECRET_PIECE <= KEY.length; i++) if (text.includes(KEY.slice(i, i + SECRET_PIECE))) found.push(KEY.slice(i, i + SECRET_PIECE))
  return found
}

beforeAll(async () => {
  const store = openStore(db)
  const [r] = await importFiles(store, [path.join(sharedSamples, 'sessions/S3-search-500-spa.posthog-events.jsonl')])
  sid = r!.session_ids![0]!
  store.close()
  oa = await startFakeOpenAI(() => ({}))
})
afterAll(async () => {
  await oa.close()
  tmp.cleanup()
})

describe('API keys are never stored or printed', () => {
  it('scrubSecrets takes out the key and any piece of it left by a cut', () => {
    const src = { get: (n: string) => (n === 'openai' ? KEY : undefined) }
    expect(scrubSecrets(`a ${KEY} b`, src)).toBe('a [openai key] b')
    expect(scrubSecrets(`cut at 160: …${KEY.slice(0, 12)}`, src)).toBe('cut at 160: …[openai key]')
    expect(scrubSecrets(`${KEY.slice(20)} and the rest`, src)).toBe('[openai key] and the rest')
    expect(scrubSecrets('nothing here, sk-', src)).toBe('nothing here, sk-')
  })

  it('a server echoing the key (200 body, long error cut mid-key) leaves no piece of it in the DB, WAL or output', async () => {
    // 1. A 200 whose model text is not the summary JSON: stored as a summary failure with its raw text.
    oa.server.faults.push({ kind: 'model_text', text: `I cannot comply. Your key is ${KEY}, by the way.` })
    const echoed = await sightline(['summarize', sid, '--provider', 'openai', '--model', 'llama3.1', '--base-url', oa.baseUrl, '--json'])
    expect(echoed.code).toBe(1)
    // 2. Errors whose text is cut at 160 characters somewhere inside the key.
    for (const pad of [120, 140, 150]) {
      oa.server.faults.push({ kind: 'status', status: 400, body: { error: { message: `${'x'.repeat(pad)} ${KEY} is not allowed here`, type: 'invalid_request_error' } } })
      const r = await sightline(['summarize', sid, '--provider', 'openai', '--model', 'llama3.1', '--base-url', oa.baseUrl])
      expect(r.code).toBe(1)
    }
    expect(oa.chatRequests().length).toBeGreaterThanOrEqual(4)

    const store = openStore(db)
    const failures = store.summaries.failures(sid)
    const jobs = store.db.prepare('SELECT error, message FROM jobs').all() as { error: string | null; message: string | null }[]
    store.close()
    expect(failures.length).toBeGreaterThan(0)
    expect(failures[0]!.raw).toContain('[openai key]')
    expect(jobs.some((j) => j.error?.includes('[openai key]'))).toBe(true)

    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      if (!fs.existsSync(f)) continue
      expect(leaks(fs.readFileSync(f).toString('latin1')), path.basename(f)).toEqual([])
    }
    expect(leaks(printed.join('\n'))).toEqual([])
  }, 120_000)
})
