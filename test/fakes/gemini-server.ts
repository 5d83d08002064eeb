// A fake Gemini API (generateContent with a JSON schema, batchEmbedContents) for the real
// @google/genai SDK. `answer` decides the model's JSON; faults come from FakeHttpServer.
import { FakeHttpServer, type Recorded } from './http'

export interface FakeGemini {
  server: FakeHttpServer
  baseUrl: string
  answer: (req: Recorded) => unknown
  generateRequests(): Recorded[]
  close(): Promise<void>
}

export async function startFakeGemini(answer: (req: Recorded) => unknown = () => ({})): Promise<FakeGemini> {
  const fake: Partial<FakeGemini> = { answer }
  const server = await new FakeHttpServer((req, modelText, finish) => {
    const gen = /^\/v1beta\/models\/([^/:]+):generateContent/.exec(req.path)
    if (req.method === 'POST' && gen) {
      const text = modelText ?? JSON.stringify(fake.answer!(req))
      return {
        body: {
          candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: finish === 'length' ? 'MAX_TOKENS' : 'STOP', index: 0 }],
          usageMetadata: { promptTokenCount: Math.ceil(req.text.length / 4), candidatesTokenCount: Math.ceil(text.length / 4), totalTokenCount: 0 },
          modelVersion: gen[1],
        },
      }
    }
    if (req.method === 'POST' && /^\/v1beta\/models\/[^/:]+:batchEmbedContents/.test(req.path)) {
      const b = req.body as { requests: { content: { parts: { text: string }[] } }[] }
      return { body: { embeddings: b.requests.map((r, i) => ({ values: [r.content.parts[0]!.text.length, i, 2] })) } }
    }
    return null
  }).start()
  return Object.assign(fake, {
    server,
    baseUrl: server.url,
    generateRequests: () => server.requests.filter((r) => r.path.includes(':generateContent')),
    close: () => server.close(),
  }) as FakeGemini
}
