// Runs the scripted conversations through the real `openai` SDK, traced by real SDKs:
// PostHog LLM analytics (`@posthog/ai` wrapper + `posthog-node`) or OpenTelemetry
// (`@opentelemetry/instrumentation-openai` + sdk-trace-node + the OTLP/HTTP JSON exporters).
import { createRequire } from 'node:module'
import { randomUUID } from 'node:crypto'
import type OpenAIType from 'openai'
import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions'
import { PostHog } from 'posthog-node'
import { OpenAI as PostHogOpenAI } from '@posthog/ai/openai'
import { context, trace, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api'
import { logs } from '@opentelemetry/api-logs'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai'
import { DEV_SYSTEM, DEV_TOOLS, SHOP_SYSTEM, SHOP_TOOLS, type Conversation, type ToolStep, type Turn } from './conversations'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export type Outcome = { output: string } | { error: string; status?: number }

export interface TraceMeta {
  /** web session of the demo recording, when the conversation happened inside it */
  sessionId?: string
  /** the chat thread (PostHog `$ai_session_id`, OTel `gen_ai.conversation.id`) */
  threadId: string
}

/** What a tracing backend must provide; the conversation driver below is backend-agnostic. */
interface Scope {
  turn(turn: Turn, body: () => Promise<Outcome>): Promise<Outcome>
  tool(step: ToolStep, callId: string): Promise<unknown>
  chat(req: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion>
}
export interface Traced {
  outcome: Outcome
  /** the trace id as the SDK writes it (PostHog `$ai_trace_id`, OTLP `traceId`) */
  traceId: string
}
export interface Backend {
  trace(conv: Conversation, meta: TraceMeta, body: (scope: Scope) => Promise<Outcome>): Promise<Traced>
  shutdown(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// The app logic: a small tool-using chat loop, as a real support bot would have.

export function runConversation(backend: Backend, conv: Conversation, meta: TraceMeta): Promise<Traced> {
  return backend.trace(conv, meta, async (scope) => {
    const shop = conv.app === 'lumen-shop-assistant'
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: shop ? SHOP_SYSTEM : DEV_SYSTEM }]
    let last: Outcome = { output: '' }
    for (const turn of conv.turns) {
      messages.push({ role: 'user', content: turn.user })
      last = await scope.turn(turn, () => answerTurn(scope, conv, turn, messages))
      if ('error' in last) break // the app gives up on this conversation
    }
    return last
  })
}

async function answerTurn(scope: Scope, conv: Conversation, turn: Turn, messages: ChatCompletionMessageParam[]): Promise<Outcome> {
  const tools = conv.app === 'lumen-shop-assistant' ? SHOP_TOOLS : DEV_TOOLS
  for (let round = 0; round < 3; round++) {
    const res = await callWithRetry(scope, turn, { model: conv.model, messages: [...messages], tools, temperature: 0.3 })
    if ('error' in res) return res
    const msg = res.choices[0]!.message
    if (msg.tool_calls?.length) {
      messages.push({ role: 'assistant', content: null, tool_calls: msg.tool_calls })
      for (const call of msg.tool_calls) {
        const result = await scope.tool(turn.tool!, call.id)
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) })
      }
      continue
    }
    messages.push({ role: 'assistant', content: msg.content ?? '' })
    return { output: msg.content ?? '' }
  }
  return { error: 'too many tool rounds' }
}

/** One retry when the script says the app retries (clients run with maxRetries 0, so every HTTP call is one event). */
async function callWithRetry(scope: Scope, turn: Turn, req: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion | { error: string; status?: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await scope.chat(req)
    } catch (err) {
      const status = (err as { status?: number }).status
      if (attempt === 0 && turn.fail?.retry) {
        await sleep(450)
        continue
      }
      return { error: err instanceof Error ? err.message : String(err), status }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PostHog: generations come from the `@posthog/ai` wrapper; spans and the trace are captured
// by hand with posthog.capture, as PostHog's manual-capture docs describe.

export function posthogBackend(modelUrl: string, captureUrl: string): Backend {
  const posthog = new PostHog('phc_lumen_demo_project_key', { host: captureUrl, flushAt: 20, flushInterval: 500 })
  const client = new PostHogOpenAI({ apiKey: 'sk-demo-not-a-real-key', baseURL: `${modelUrl}/v1`, maxRetries: 0, posthog })

  return {
    async trace(conv, meta, body) {
      const traceId = randomUUID()
      const started = Date.now()
      const linked = meta.sessionId ? { $session_id: meta.sessionId } : {}
      const common = { $ai_trace_id: traceId, $ai_session_id: meta.threadId, ...linked }
      let turnSpanId = traceId
      const capture = (event: string, properties: Record<string, unknown>) =>
        posthog.capture({ distinctId: conv.distinctId, event, properties: { ...common, ...properties } })

      const outcome = await body({
        async turn(turn, run) {
          const spanId = randomUUID()
          const t0 = Date.now()
          turnSpanId = spanId
          const out = await run()
          capture('$ai_span', {
            $ai_span_id: spanId,
            $ai_parent_id: traceId,
            $ai_span_name: 'handle_user_message',
            $ai_input_state: [{ role: 'user', content: turn.user }],
            $ai_output_state: 'output' in out ? [{ role: 'assistant', content: out.output }] : null,
            $ai_latency: (Date.now() - t0) / 1000,
            ...errorProps(out),
          })
          return out
        },
        async tool(step) {
          const t0 = Date.now()
          await sleep(60 + (step.name.length % 5) * 25) // the "tool" does some work
          capture('$ai_span', {
            $ai_span_id: randomUUID(),
            $ai_parent_id: turnSpanId,
            $ai_span_name: step.name,
            $ai_input_state: step.args,
            $ai_output_state: step.result,
            $ai_latency: (Date.now() - t0) / 1000,
          })
          return step.result
        },
        chat: (req) =>
          client.chat.completions.create({
            ...req,
            posthogDistinctId: conv.distinctId,
            posthogTraceId: traceId,
            posthogProperties: { $ai_parent_id: turnSpanId, $ai_session_id: meta.threadId, ...linked },
          }),
      })

      capture('$ai_trace', {
        $ai_span_name: conv.app,
        $ai_input_state: [{ role: 'user', content: conv.turns[0]!.user }],
        $ai_output_state: 'output' in outcome ? [{ role: 'assistant', content: outcome.output }] : null,
        $ai_latency: (Date.now() - started) / 1000,
        ...errorProps(outcome),
      })
      return { outcome, traceId }
    },
    shutdown: () => posthog.shutdown(),
  }
}

function errorProps(out: Outcome): Record<string, unknown> {
  return 'error' in out ? { $ai_is_error: true, $ai_error: out.error } : {}
}

// ---------------------------------------------------------------------------------------------
// OpenTelemetry: `chat <model>` spans and gen_ai.* log records come from the real OpenAI
// instrumentation; the agent, turn and tool spans are ours, with GenAI semantic-convention names.

export function otelBackend(modelUrl: string, collectorUrl: string): Backend {
  const resource = resourceFromAttributes({ 'service.name': 'lumen-ai-backend', 'service.version': '1.4.2', 'deployment.environment.name': 'demo' })
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` }))],
  })
  tracerProvider.register()
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor(new OTLPLogExporter({ url: `${collectorUrl}/v1/logs` }))],
  })
  logs.setGlobalLoggerProvider(loggerProvider)
  registerInstrumentations({ instrumentations: [new OpenAIInstrumentation({ captureMessageContent: true })] })
  // The instrumentation patches `require('openai')` (CommonJS); load the SDK that way, after registering.
  const require = createRequire(import.meta.url)
  const OpenAI = require('openai') as typeof OpenAIType
  const client = new OpenAI({ apiKey: 'sk-demo-not-a-real-key', baseURL: `${modelUrl}/v1`, maxRetries: 0 })
  const tracer: Tracer = trace.getTracer('lumen-ai-backend', '1.4.2')

  /** run `fn` inside a new active span and end it with the outcome */
  function inSpan(name: string, attributes: Record<string, string>, fn: () => Promise<Outcome>): Promise<Traced> {
    return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
      const outcome = await fn()
      if ('error' in outcome) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error })
        span.setAttribute('error.type', outcome.status ? String(outcome.status) : 'Error')
      }
      span.end()
      return { outcome, traceId: span.spanContext().traceId }
    })
  }

  return {
    trace(conv, meta, body) {
      const attributes: Record<string, string> = {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': conv.app,
        'gen_ai.provider.name': 'openai',
        'gen_ai.conversation.id': meta.threadId,
        'user.id': conv.distinctId,
        ...(meta.sessionId ? { 'session.id': meta.sessionId } : {}),
      }
      return inSpan(`invoke_agent ${conv.app}`, attributes, () =>
        body({
          turn: async (_turn, run) => (await inSpan('handle_user_message', { 'gen_ai.conversation.id': meta.threadId }, run)).outcome,
          async tool(step, callId) {
            const span = tracer.startSpan(`execute_tool ${step.name}`, {
              kind: SpanKind.INTERNAL,
              attributes: {
                'gen_ai.operation.name': 'execute_tool',
                'gen_ai.tool.name': step.name,
                'gen_ai.tool.type': 'function',
                'gen_ai.tool.call.id': callId,
                'gen_ai.tool.call.arguments': JSON.stringify(step.args),
                'gen_ai.tool.call.result': JSON.stringify(step.result),
              },
            }, context.active())
            await sleep(60 + (step.name.length % 5) * 25)
            span.end()
            return step.result
          },
          chat: (req) => client.chat.completions.create(req),
        }),
      )
    },
    async shutdown() {
      await tracerProvider.shutdown()
      await loggerProvider.shutdown()
    },
  }
}
