// Makes the bundled samples in resources/samples/ (run by hand, outputs are committed):
//   npx tsx test/samples/make-samples.ts
// 1. demo-shop.rrweb.json      one visit to a small demo shop, recorded by rrweb in headless Chromium
// 2. demo-traces.posthog.jsonl LLM traces as posthog-node sent them (@posthog/ai wrapper + manual spans)
// 3. demo-traces.otlp.jsonl    LLM traces as the OpenTelemetry JS SDK exported them (OTLP/HTTP JSON)
// 4. index.json + README.md    what is in them, with the scripted timeline as ground truth
// Everything runs on 127.0.0.1: the shop, a fake OpenAI-compatible model and a fake collector.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { randomBytes, randomUUID } from 'node:crypto'
import { BANK, DEMO_QUESTIONS, type Conversation, type Topic, type Turn } from './conversations'
import { startCollector, startDemoShop, startFakeOpenAI } from './servers'
import { otelBackend, posthogBackend, runConversation, type Backend } from './llm'
import { packageDir, recordDemo, type Recording } from './record-demo'
import { writeDocs, type TraceInfo } from './describe'

const REPO = path.resolve(import.meta.dirname, '../..')
const OUT = path.join(REPO, 'resources/samples')
const TOPICS: Topic[] = ['refund', 'shipping', 'product_search', 'code_help']
/** rrweb files above this are shipped gzipped */
const RRWEB_GZIP_ABOVE = 300 * 1024

async function main() {
  const t0 = Date.now()
  const model = await startFakeOpenAI(scriptedTurns())
  const collector = await startCollector()
  const posthog = posthogBackend(model.url, collector.url)
  const otel = otelBackend(model.url, collector.url)
  const traces: TraceInfo[] = []

  // 1. The recorded visit. Its "Ask AI" questions go through the PostHog-instrumented client with
  //    the visit's session id, so these traces link to the replay.
  const sessionId = uuidv7()
  const threadId = randomUUID()
  const shop = await startDemoShop(async (question) => {
    const q = Object.values(DEMO_QUESTIONS).find((d) => d.user === question)
    if (!q) return 'Sorry, I can only answer the demo questions.'
    const conv: Conversation = { topic: q.topic, app: 'lumen-shop-assistant', model: 'gpt-4.1-mini', distinctId: 'visitor_jonas', turns: [q] }
    const { outcome, info } = await traced(posthog, 'posthog', conv, { sessionId, threadId })
    traces.push(info)
    return 'output' in outcome ? outcome.output : 'Sorry, something went wrong.'
  })
  console.log('recording the demo visit (about 80 s)…')
  const recording = await recordDemo(shop.url)
  await shop.close()
  console.log(`  ${recording.events.length} rrweb events in ${((Date.now() - t0) / 1000).toFixed(0)} s`)

  // 2. The other conversations, topics interleaved so the file reads like real traffic.
  //    The first six of each topic go through PostHog, the last two through OpenTelemetry.
  for (let i = 0; i < 8; i++) {
    for (const topic of TOPICS) {
      const conv = BANK[topic][i]!
      const [backend, format] = i < 6 ? [posthog, 'posthog' as const] : [otel, 'otlp' as const]
      const { info } = await traced(backend, format, conv, { threadId: randomUUID() })
      traces.push(info)
    }
  }
  await posthog.shutdown()
  await otel.shutdown()
  await model.close()
  await collector.close()
  console.log(`  ${traces.length} conversations traced in ${((Date.now() - t0) / 1000).toFixed(0)} s`)

  // 3. Files, exactly as recorded / as the SDKs sent them.
  fs.mkdirSync(OUT, { recursive: true })
  const rrwebName = writeRrweb(recording)
  const posthogLines = collector.collected.posthog.map((e) => stripPaths(JSON.stringify(e)))
  const otlpLines = collector.collected.otlp.map((body) => stripPaths(JSON.stringify(JSON.parse(body))))
  fs.writeFileSync(path.join(OUT, 'demo-traces.posthog.jsonl'), posthogLines.join('\n') + '\n')
  fs.writeFileSync(path.join(OUT, 'demo-traces.otlp.jsonl'), otlpLines.join('\n') + '\n')
  writeDocs(OUT, { rrwebName, recording, sessionId, traces, collected: collector.collected, versions: versions() })
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${OUT}`)
}

/** Runs one conversation and remembers which trace id the SDK gave it (read back from the output later). */
async function traced(backend: Backend, format: 'posthog' | 'otlp', conv: Conversation, meta: { sessionId?: string; threadId: string }) {
  const { outcome, traceId } = await runConversation(backend, conv, meta)
  const info: TraceInfo = {
    format,
    traceId,
    threadId: meta.threadId,
    sessionId: meta.sessionId ?? null,
    topic: conv.topic,
    app: conv.app,
    firstMessage: conv.turns[0]!.user,
    turns: conv.turns.length,
    error: 'error' in outcome ? outcome.error : null,
    retried: conv.turns.some((t) => t.fail?.retry === true),
  }
  return { outcome, info }
}

/** Error stacks name files on this machine; keep them relative to the repository. */
function stripPaths(json: string): string {
  return json.split(REPO + path.sep).join('')
}

function writeRrweb(recording: Recording): string {
  const json = JSON.stringify(recording.events)
  for (const stale of ['demo-shop.rrweb.json', 'demo-shop.rrweb.json.gz']) fs.rmSync(path.join(OUT, stale), { force: true })
  if (json.length <= RRWEB_GZIP_ABOVE) {
    fs.writeFileSync(path.join(OUT, 'demo-shop.rrweb.json'), json)
    return 'demo-shop.rrweb.json'
  }
  fs.writeFileSync(path.join(OUT, 'demo-shop.rrweb.json.gz'), zlib.gzipSync(json, { level: 9 }))
  return 'demo-shop.rrweb.json.gz'
}

/** The fake model answers by the user's words; they must be unique across all scripts. */
function scriptedTurns(): Map<string, Turn> {
  const turns = new Map<string, Turn>()
  const all = [...Object.values(BANK).flat().flatMap((c) => c.turns), ...Object.values(DEMO_QUESTIONS)]
  for (const t of all) {
    if (turns.has(t.user)) throw new Error('duplicate scripted message: ' + t.user)
    turns.set(t.user, t)
  }
  return turns
}

/** UUIDv7 (what posthog-js uses for session ids): 48-bit ms timestamp, version 7, variant 10. */
function uuidv7(): string {
  const b = randomBytes(16)
  b.writeUIntBE(Date.now(), 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function versions(): Record<string, string> {
  const names = [
    'rrweb', '@rrweb/rrweb-plugin-console-record', 'playwright-core', 'openai', '@posthog/ai', 'posthog-node',
    '@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-logs', '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/exporter-logs-otlp-http', '@opentelemetry/instrumentation-openai',
  ]
  const out: Record<string, string> = {}
  for (const name of names) {
    out[name] = (JSON.parse(fs.readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version
  }
  return out
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
