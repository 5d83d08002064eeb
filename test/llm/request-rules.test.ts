// Requests the real services accept, chosen by model family (not by host: a proxy or Azure serves
// the same models), against fakes that refuse what OpenAI and Gemini refuse; and a clear error
// when reasoning or thinking spends the whole output budget.
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createProvider, ReasoningBudgetError, type Provider } from '../../electron/llm'
import { openaiOutputParams, REASONING_ROOM, THINKING_BUDGET } from '../../electron/llm/request-rules'
import { fakeModelServers } from '../fakes/model-servers'

const Answer = z.object({ verdict: z.enum(['yes', 'no']) })
const secrets = { get: () => undefined }
const fast = { retries: 0, baseMs: 1, maxMs: 1 }
const fakes = fakeModelServers(() => ({ verdict: 'yes' }), () => ({ verdict: 'no' }))
afterEach(() => {
  fakes.oa.reasoning.low = 300
  fakes.gm.overBudget = 0
})

const ask = (p: Provider, temperature?: number) =>
  p.structured({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'ok?' }] }], schema: Answer, schemaName: 'a', maxOutputTokens: 100, ...(temperature !== undefined ? { temperature } : {}) })
const openai = (model: string) => createProvider({ provider: 'openai', model, baseUrl: fakes.oa.baseUrl, offline: true, retry: fast }, secrets)
const gemini = (model: string) => createProvider({ provider: 'gemini', model, baseUrl: fakes.gm.baseUrl, offline: true, retry: fast }, secrets)
const lastChat = () => fakes.oa.chatRequests().at(-1)!.body as Record<string, unknown>
const lastGen = () => (fakes.gm.generateRequests().at(-1)!.body as { generationConfig: Record<string, unknown> }).generationConfig

describe('OpenAI request fields by model family, whatever the host', () => {
  it.each(['gpt-5', 'gpt-5-mini', 'o3', 'o4-mini', 'openai/gpt-5-nano'])('%s (reasoning): max_completion_tokens with room, low effort, no temperature', async (model) => {
    expect((await ask(openai(model), 0.2)).value).toEqual({ verdict: 'yes' })
    const b = lastChat()
    expect(b).toMatchObject({ max_completion_tokens: 100 + REASONING_ROOM, reasoning_effort: 'low' })
    expect(b).not.toHaveProperty('max_tokens')
    expect(b).not.toHaveProperty('temperature')
  })

  it.each(['gpt-4.1-mini', 'gpt-5-chat-latest', 'llama3.1:8b'])('%s (not reasoning) on a compatible server: max_tokens, temperature, no effort', async (model) => {
    await ask(openai(model), 0.2)
    expect(lastChat()).toMatchObject({ max_tokens: 100, temperature: 0.2 })
    expect(lastChat()).not.toHaveProperty('reasoning_effort')
  })

  it('api.openai.com gets max_completion_tokens for every model; o1-mini gets no reasoning_effort', () => {
    expect(openaiOutputParams('gpt-4.1-mini', true, 100, undefined)).toEqual({ max_completion_tokens: 100 })
    expect(openaiOutputParams('o1-mini', false, 100, undefined)).toEqual({ max_completion_tokens: 100 + REASONING_ROOM })
  })

  it('the fake refuses what OpenAI refuses (so the tests above mean something)', async () => {
    const post = (body: object) => fetch(`${fakes.oa.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [], ...body }) })
    expect(((await (await post({ model: 'gpt-5', max_tokens: 10 })).json()) as { error: { code: string } }).error.code).toBe('unsupported_parameter')
    expect((await post({ model: 'o3', temperature: 0.2 })).status).toBe(400)
    expect((await post({ model: 'gpt-4.1', reasoning_effort: 'low' })).status).toBe(400)
  })

  it('reasoning that spends the whole cap is a clear error, not a parse failure of an empty answer', async () => {
    fakes.oa.reasoning.low = 50_000
    const e = (await ask(openai('gpt-5-mini')).catch((x: unknown) => x)) as Error
    expect(e).toBeInstanceOf(ReasoningBudgetError)
    expect(e.message).toMatch(/gpt-5-mini spent its output budget on reasoning and wrote no answer \(8292 of 8292 output tokens/)
  })
})

describe('Gemini thinking', () => {
  it.each(['gemini-2.5-flash', 'gemini-2.5-pro'])('%s: a thinking budget, and room for it in maxOutputTokens', async (model) => {
    expect((await ask(gemini(model))).value).toEqual({ verdict: 'no' })
    expect(lastGen()).toMatchObject({ maxOutputTokens: 100 + 2 * THINKING_BUDGET, thinkingConfig: { thinkingBudget: THINKING_BUDGET } })
  })

  it.each(['gemini-2.0-flash', 'gemini-2.5-flash-lite'])('%s: no thinkingConfig (2.0 refuses one; Flash-Lite thinks only when asked)', async (model) => {
    await ask(gemini(model))
    expect(lastGen()).not.toHaveProperty('thinkingConfig')
    expect(lastGen().maxOutputTokens).toBe(100)
  })

  it('gemini-3: a low thinking level', async () => {
    await ask(gemini('gemini-3-pro-preview'))
    expect(lastGen()).toMatchObject({ thinkingConfig: { thinkingLevel: 'LOW' } })
  })

  it('the fake refuses what Gemini refuses', async () => {
    const post = (model: string, generationConfig: object) =>
      fetch(`${fakes.gm.baseUrl}/v1beta/models/${model}:generateContent`, { method: 'POST', body: JSON.stringify({ contents: [], generationConfig }) })
    expect((await post('gemini-2.5-pro', { thinkingConfig: { thinkingBudget: 0 } })).status).toBe(400)
    expect((await post('gemini-2.0-flash', { thinkingConfig: { thinkingBudget: 512 } })).status).toBe(400)
    expect((await post('gemini-2.5-flash', { thinkingConfig: { thinkingLevel: 'LOW' } })).status).toBe(400)
    expect((await post('gemini-2.5-flash', { thinkingConfig: { thinkingBudget: 30_000 } })).status).toBe(400)
  })

  it('thinking that overruns the whole cap is a clear error', async () => {
    fakes.gm.overBudget = 10_000
    const e = (await ask(gemini('gemini-2.5-flash')).catch((x: unknown) => x)) as Error
    expect(e).toBeInstanceOf(ReasoningBudgetError)
    expect(e.message).toMatch(/gemini-2.5-flash spent its output budget on reasoning and wrote no answer \(2148 of 2148 output tokens/)
  })
})
