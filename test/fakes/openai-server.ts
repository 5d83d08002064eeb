// A fake OpenAI-compatible server (chat completions with structured output, embeddings) for the
// real `openai` SDK. `answer` decides the model's JSON; faults come from FakeHttpServer.
import { FakeHttpServer, type Recorded } from './http'

export interface FakeOpenAI {
  server: FakeHttpServer
  /** Base URL to give the SDK (ends in /v1). */
  baseUrl: string
  answer: (req: Recorded) => unknown
  chatRequests(): Recorded[]
  close(): Promise<void>
}

export async function startFakeOpenAI(answer: (req: Recorded) => unknown = () => ({})): Promise<FakeOpenAI> {
  const fake: Partial<FakeOpenAI> = { answer }
  const server = await new FakeHttpServer((req, modelText, finish) => {
    if (req.method === 'POST' && req.path === '/v1/chat/completions') {
      const b = req.body as { model: string }
      const content = modelText ?? JSON.stringify(fake.answer!(req))
      return {
        body: {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: b.model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null }],
          usage: { prompt_tokens: Math.ceil(req.text.length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 },
        },
      }
    }
    if (req.method === 'POST' && req.path === '/v1/embeddings') {
      const b = req.body as { model: string; input: string[] }
      return {
        body: {
          object: 'list',
          model: b.model,
          data: b.input.map((t, index) => ({ object: 'embedding', index, embedding: [t.length, index, 1] })),
          usage: { prompt_tokens: b.input.join(' ').length, total_tokens: 0 },
        },
      }
    }
    return null
  }).start()
  return Object.assign(fake, {
    server,
    baseUrl: `${server.url}/v1`,
    chatRequests: () => server.requests.filter((r) => r.path === '/v1/chat/completions'),
    close: () => server.close(),
  }) as FakeOpenAI
}
