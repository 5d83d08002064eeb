// One overall deadline per model request (headers and body together), a budget for all retries,
// cancel at once, and bodies cut off vs not JSON told apart. Real SDKs, fake servers on 127.0.0.1
// that stall after the headers or send a byte a second; short configured deadlines, and no timing
// assert beyond "ended before the deadline(s) + slack".
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CancelledError } from '../../electron/errors'
import { createProvider, ModelRequestError, type Provider } from '../../electron/llm'
import { type Clock, realClock } from '../../electron/llm/clock'
import type { Fault } from '../fakes/http'
import { fakeModelServers } from '../fakes/model-servers'
import type { FakeOpenAI } from '../fakes/openai-server'
import { until } from '../fakes/until'

const Answer = z.object({ verdict: z.enum(['yes', 'no']) })
const secrets = { get: () => undefined }
/** Scheduling on a shared 2-core machine; the deadlines below are far shorter than any SDK or undici timeout. */
const SLACK = 1500

const fakes = fakeModelServers(() => ({ verdict: 'yes' }), () => ({ verdict: 'no' }))

type Over = { timeoutMs?: number; retry?: Record<string, number | Clock> }
const providers: [string, (o: Over) => Provider, () => FakeOpenAI['server']][] = [
  ['openai', (o) => createProvider({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: fakes.oa.baseUrl, offline: true, ...o }, secrets), () => fakes.oa.server],
  ['gemini', (o) => createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: fakes.gm.baseUrl, offline: true, ...o }, secrets), () => fakes.gm.server],
]
const ask = (p: Provider, signal?: AbortSignal) =>
  p.structured({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'ok?' }] }], schema: Answer, schemaName: 'a', maxOutputTokens: 100, ...(signal ? { signal } : {}) })
const timed = async <T>(p: Promise<T>) => {
  const t0 = Date.now()
  const out = await p.catch((e: unknown) => e)
  return { out, ms: Date.now() - t0 }
}

describe.each(providers)('%s: deadlines', (_name, make, server) => {
  const push = (...f: Fault[]) => server().faults.push(...f)

  it('a server that sends the headers and then stalls: each attempt ends at the deadline', async () => {
    push({ kind: 'stall_after_headers' }, { kind: 'stall_after_headers' })
    const { out, ms } = await timed(ask(make({ timeoutMs: 1000, retry: { retries: 1, baseMs: 1, maxMs: 1 } })))
    expect(out).toBeInstanceOf(ModelRequestError)
    expect((out as Error).message).toMatch(/failed after 2 attempts: no complete answer within 1\.0 s/)
    expect(server().requests.length).toBeLessThanOrEqual(2) // (on a loaded machine an attempt may end before its request lands)
    expect(ms).toBeLessThan(2 * 1000 + SLACK)
  })

  it('a body sent at 1 byte/s never outlives the deadline, then the retry succeeds', async () => {
    push({ kind: 'trickle', everyMs: 1000 })
    const { out, ms } = await timed(ask(make({ timeoutMs: 1500, retry: { retries: 2, baseMs: 1, maxMs: 1 } })))
    expect(out).toMatchObject({ value: { verdict: expect.any(String) } })
    expect(server().requests.length).toBeGreaterThanOrEqual(2)
    expect(ms).toBeLessThan(3 * 1500 + SLACK)
  })

  it('all retries together stop at the retry budget', async () => {
    push(...Array.from({ length: 10 }, () => ({ kind: 'stall' as const })))
    const { out, ms } = await timed(ask(make({ timeoutMs: 500, retry: { retries: 9, baseMs: 1, maxMs: 1, totalMs: 1200 } })))
    expect((out as Error).message).toMatch(/failed after \d attempts in \d+\.\d s \(retries may take 1\.2 s in all\): no complete answer within 0\.\d s/)
    expect(server().requests.length).toBeLessThanOrEqual(3)
    expect(ms).toBeLessThan(1200 + SLACK)
  })

  it('cancel ends a stalled request at once', async () => {
    push({ kind: 'stall_after_headers' })
    const ctl = new AbortController()
    const run = timed(ask(make({}), ctl.signal)) // default deadline: 120 s
    await until('the request to arrive', () => server().requests.length === 1)
    const t0 = Date.now()
    ctl.abort()
    const { out } = await run
    expect(out).toBeInstanceOf(CancelledError)
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('cancel ends a wait between retries at once', async () => {
    push({ kind: 'status', status: 503 })
    const ctl = new AbortController()
    let waiting = false
    const clock: Clock = { ...realClock, sleep: (ms, signal) => ((waiting = true), realClock.sleep(ms, signal)) }
    const run = timed(ask(make({ retry: { baseMs: 60_000, maxMs: 60_000, clock } }), ctl.signal))
    await until('the wait before the second attempt', () => waiting)
    const t0 = Date.now()
    ctl.abort()
    expect((await run).out).toBeInstanceOf(CancelledError)
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('a body cut off and a body that is not JSON are both retried, and the error says which', async () => {
    push(...Array.from({ length: 2 }, () => ({ kind: 'truncated_body' as const })))
    const cut = (await ask(make({ retry: { retries: 1, baseMs: 1, maxMs: 1 } })).catch((e: unknown) => e)) as Error
    expect(cut.message).toMatch(/failed after 2 attempts: the answer was cut off after \d+ bytes of \d+ \(the connection closed mid-body\)/)
    push(...Array.from({ length: 2 }, () => ({ kind: 'invalid_json' as const })))
    const bad = (await ask(make({ retry: { retries: 1, baseMs: 1, maxMs: 1 } })).catch((e: unknown) => e)) as Error
    expect(bad.message).toMatch(/failed after 2 attempts: the answer was not valid JSON \(it begins "\{\\"choices\\": \[ this is not json"\)/)
    expect(server().requests).toHaveLength(4)
    push({ kind: 'invalid_json' }, { kind: 'truncated_body' })
    expect(await ask(make({ retry: { retries: 2, baseMs: 1, maxMs: 1 } }))).toMatchObject({ value: { verdict: expect.any(String) } })
  })
})
