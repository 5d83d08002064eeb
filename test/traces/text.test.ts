// The text representation, line by line, of one small fixture per source format and per shape
// users copy out of their tools: tool calls, tool results, errors, images, missing fields,
// orphans, feedback. Fixtures are in ./fixtures (hand-written in the shapes the libraries emit).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { traceText } from '../../electron/traces'
import { tempDir } from '../helpers'
import { importOne, withStore } from './helpers'

const tmp = tempDir('sightline-trace-text-')
afterAll(() => tmp.cleanup())
const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures')
const RULE = '='.repeat(80)
const SEP = '-'.repeat(80)

const expected: Record<string, string[]> = {
  "lf-trace-1": [
    "RAG-ANSWER",
    RULE,
    "Trace lf-trace-1 · langfuse · 2026-11-20 04:00:00 UTC · 3.00s · 4 spans",
    "Models: gpt-4o · 2 LLM calls, 1 tool span · tokens 70 in / 6 out · cost $0.0003",
    "Session: lf-session · User: lee",
    "Errors: 1 span failed (first: upstream 503)",
    "Note: 1 span names a parent not in this trace; shown under the root.",
    SEP,
    "TOOLS USED: 1 (no definitions recorded)",
    "  search_docs(q)",
    SEP,
    "[1] SYSTEM",
    "Use the tools.",
    "",
    "[2] USER",
    "how do I rotate keys?",
    "",
    "[3] ASSISTANT",
    "Tool calls: 1",
    "  - search_docs(q=\"rotate keys\")",
    "",
    "[4] TOOL (search_docs)",
    "Called: search_docs(q=\"rotate keys\")",
    "Settings > API keys > Rotate",
    "",
    "ERROR in llm answer: upstream 503",
    "",
    "METRIC: helpful = 0",
  ],
  "ph-1": [
    "SUPPORT-BOT",
    RULE,
    "Trace ph-1 · posthog · 2026-11-20 10:00:00 UTC · 5.00s · 5 spans",
    "Models: gpt-4.1-mini (openai) · 3 LLM calls, 1 tool span · tokens 220 in / 18 out · cost $0.0010",
    "Session: sess-1 · User: p1",
    "Errors: 1 span failed (first: 429 Rate limit reached)",
    SEP,
    "AVAILABLE TOOLS: 1",
    "  lookup_order(order_id: string, verbose?: boolean)",
    "    Look up an order.",
    SEP,
    "[1] SYSTEM",
    "You are a support bot.",
    "",
    "[2] USER",
    "where is my order A1?",
    "[IMAGE: https://example.com/receipt.png]",
    "",
    "[3] ASSISTANT",
    "Tool calls: 1",
    "  - lookup_order(order_id=\"A1\")",
    "",
    "[4] TOOL (lookup_order)",
    "{\"status\":\"shipped\"}",
    "",
    "[5] ASSISTANT",
    "Your order A1 has shipped.",
    "",
    "[6] USER",
    "and when will it arrive?",
    "",
    "ERROR in llm gpt-4.1-mini: 429 Rate limit reached",
    "",
    "METRIC: quality = bad",
  ],
  "t1": [
    "LLM-TASK",
    RULE,
    "Trace t1 · llm-task · 2026-11-20 09:00:00 UTC · 60.00s · 2 spans",
    "Models: none recorded · 2 LLM calls · tokens 0 in / 0 out",
    "User: u7",
    SEP,
    "[1] USER",
    "hi",
    "",
    "[2] ASSISTANT",
    "hello, how can I help?",
    "",
    "[3] USER",
    "reset my password",
    "",
    "[4] ASSISTANT",
    "I just sent you a reset link.",
    "",
    "FEEDBACK: feedback = thumbs_up",
  ],
  "chat-8": [
    "LLM-TASK",
    RULE,
    "Trace chat-8 · llm-task · 2026-11-20 09:05:00 UTC · 60.00s · 2 spans",
    "Models: none recorded · 2 LLM calls · tokens 0 in / 0 out",
    "Session: chat-8 · User: u8",
    SEP,
    "[1] USER",
    "what is 2+2?",
    "",
    "[2] ASSISTANT",
    "4",
    "",
    "[3] USER",
    "and 3+3?",
  ],
  "000102030405060708090a0b0c0d0e0f": [
    "INVOKE_AGENT HELPER",
    RULE,
    "Trace 000102030405060708090a0b0c0d0e0f · otel-genai · 2026-11-22 17:53:20 UTC · 3.00s · 4 spans",
    "Models: gpt-4o (openai) · 2 LLM calls, 1 tool span · tokens 120 in / 7 out",
    "Session: conv-9",
    "Errors: 1 span failed (first: Request timed out.)",
    "Note: 1 span names a parent not in this trace; shown under the root.",
    SEP,
    "TOOLS USED: 1 (no definitions recorded)",
    "  get_weather(city)",
    SEP,
    "[1] SYSTEM",
    "Be terse.",
    "",
    "[2] USER",
    "weather in Paris?",
    "",
    "[3] ASSISTANT",
    "Tool calls: 1",
    "  - get_weather(city=\"Paris\")",
    "",
    "[4] TOOL (get_weather)",
    "{\"temp_c\":21}",
    "",
    "ERROR in llm chat gpt-4o: Request timed out.",
  ],
  "aa000000000000000000000000000001": [
    "PHOTO-HELPER",
    RULE,
    "Trace aa000000000000000000000000000001 · openinference · 2026-11-22 17:53:20 UTC · 2.00s · 3 spans",
    "Models: gpt-4o (openai) · 1 LLM call, 1 tool span · tokens 300 in / 12 out",
    "Session: s-42 · User: ann",
    "Errors: 1 span failed (first: classifier unavailable)",
    SEP,
    "AVAILABLE TOOLS: 1",
    "  classify(labels: string[])",
    "    Pick labels",
    SEP,
    "[1] USER",
    "what is in this photo?",
    "[IMAGE: https://example.com/cat.jpg]",
    "",
    "[2] ASSISTANT",
    "Tool calls: 1",
    "  - classify(labels=[\"cat\",\"dog\"])",
    "",
    "[3] TOOL (classify)",
    "Called: classify(labels=[\"cat\",\"dog\"])",
    "classifier unavailable",
    "",
    "ERROR in tool classify: classifier unavailable",
  ],
  "px-trace-1": [
    "QA-CHAIN",
    RULE,
    "Trace px-trace-1 · openinference · 2026-11-20 08:00:00 UTC · 2.00s · 2 spans",
    "Models: gpt-4o-mini · 1 LLM call · tokens 20 in / 0 out",
    "Session: px-session",
    "Errors: 1 span failed (first: context length exceeded)",
    SEP,
    "[1] SYSTEM",
    "Answer briefly.",
    "",
    "[2] USER",
    "What is OTLP?",
    "",
    "ERROR in llm ChatCompletion: context length exceeded",
  ],
  "ui-trace-1": [
    "COPIED-FROM-UI",
    RULE,
    "Trace ui-trace-1 · posthog · 2026-11-20 07:00:00 UTC · 2.00s · 3 spans",
    "Models: claude-sonnet-4 (anthropic) · 2 LLM calls · tokens 100 in / 14 out · cost $0.0003",
    "User: dana",
    SEP,
    "AVAILABLE TOOLS: 1",
    "  search(q: string)",
    "    Search the web",
    SEP,
    "[1] USER",
    "find sightline docs",
    "",
    "[2] ASSISTANT",
    "Searching.",
    "Tool calls: 1",
    "  - search(q=\"sightline docs\")",
    "",
    "[3] USER",
    "[Tool result: search]",
    "docs.example.com",
    "",
    "[4] ASSISTANT",
    "They are at docs.example.com.",
  ],
  "csv-1": [
    "PING-PONG",
    RULE,
    "Trace csv-1 · posthog · 2026-11-20 06:00:00 UTC · 1.00s · 2 spans",
    "Models: gpt-4.1-nano · 1 LLM call · tokens 3 in / 1 out",
    "User: zed",
    SEP,
    "[1] USER",
    "ping",
    "",
    "[2] ASSISTANT",
    "pong",
  ],
}

const cases: [file: string, format: string, traces: string[]][] = [
  ['posthog-small.json', 'posthog-events-json', ['ph-1']],
  ['llm-tasks-small.jsonl', 'posthog-events-jsonl', ['t1', 'chat-8']],
  ['otel-canonical.json', 'otlp-json', ['000102030405060708090a0b0c0d0e0f']],
  ['openinference-small.json', 'otlp-json', ['aa000000000000000000000000000001']],
  ['phoenix-spans.json', 'phoenix-spans-json', ['px-trace-1']],
  ['posthog-trace-object.json', 'posthog-trace-json', ['ui-trace-1']],
  ['posthog-export.csv', 'posthog-events-csv', ['csv-1']],
  // The same events exported with one column per property.
  ['posthog-export-flat.csv', 'posthog-events-csv', ['csv-1']],
  ['langfuse-trace.json', 'langfuse-trace-json', ['lf-trace-1']],
]

describe('trace text, one fixture per format', () => {
  it.each(cases)('%s renders line by line', async (file, format, ids) => {
    const store = withStore(tmp.dir, `${file}.db`)
    try {
      const r = await importOne(store, path.join(fixtures, file))
      expect(r).toMatchObject({ error: null, format, traces: ids.length })
      for (const id of ids) {
        const text = traceText(store, id)!
        const want = expected[id]!.map((l, i) => `L${String(i + 1).padStart(3, '0')}: ${l}`)
        expect(text.text.split('\n')).toEqual(want)
        expect(text).toMatchObject({ sampled: false, total_lines: want.length, shown_lines: want.length })
      }
    } finally {
      store.close()
    }
  })

  it('reads batch-export rows (properties as a JSON string) and survey feedback', async () => {
    const store = withStore(tmp.dir, 'batch-export.db')
    try {
      const rows = [
        { uuid: 'b1', event: '$ai_generation', timestamp: '2026-11-20 05:00:00', distinct_id: 'kim', properties: JSON.stringify({ $ai_trace_id: 'bx-1', $ai_model: 'gpt-4.1', $ai_input: 'hello', $ai_output: 'hi!', $ai_input_tokens: '5', $ai_output_tokens: '2', $session_id: 'web-1' }) },
        { uuid: 'b2', event: 'survey sent', timestamp: '2026-11-20 05:00:09', distinct_id: 'kim', properties: JSON.stringify({ $ai_trace_id: 'bx-1', $survey_id: 'sv', $survey_response_q1: 2 }) },
      ]
      const file = path.join(tmp.dir, 'batch-export.jsonl')
      fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'))
      expect(await importOne(store, file)).toMatchObject({ error: null, traces: 1, spans: 1 })
      expect(store.spans.feedbackOf('bx-1')).toEqual([{ kind: 'feedback', name: 'survey', value: '2', time_ms: Date.parse('2026-11-20T05:00:09Z') }])
      const lines = traceText(store, 'bx-1')!.text.split('\n').slice(5)
      expect(lines).toEqual(['L006: ' + SEP, 'L007: [1] USER', 'L008: hello', 'L009: ', 'L010: [2] ASSISTANT', 'L011: hi!', 'L012: ', 'L013: FEEDBACK: survey = 2'])
      expect(store.traces.list({ session: 'web-1', sort: 'start_ms', dir: 'asc', limit: 5, offset: 0 }).rows[0]).toMatchObject({ id: 'bx-1', input_tokens: 5, output_tokens: 2 })
    } finally {
      store.close()
    }
  })

  it('shows every failed call, and a parent error only when it adds something', async () => {
    const store = withStore(tmp.dir, 'errors.db')
    try {
      const gen = (id: string, at: string) => ({ event: '$ai_generation', uuid: id, timestamp: at, properties: { $ai_trace_id: 'e-1', $ai_span_id: id, $ai_model: 'm', $ai_input: 'hi', $ai_is_error: true, $ai_error: '429 Rate limit' } })
      const rows = [
        gen('a', '2026-11-20T05:00:01Z'),
        gen('b', '2026-11-20T05:00:02Z'),
        { event: '$ai_trace', uuid: 't', timestamp: '2026-11-20T05:00:03Z', properties: { $ai_trace_id: 'e-1', $ai_span_name: 'retrying', $ai_is_error: true, $ai_error: '429 Rate limit' } },
      ]
      const file = path.join(tmp.dir, 'errors.jsonl')
      fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'))
      await importOne(store, file)
      const errors = traceText(store, 'e-1')!.text.split('\n').filter((l) => l.includes('ERROR in'))
      expect(errors).toEqual(['L010: ERROR in llm m: 429 Rate limit', 'L012: ERROR in llm m: 429 Rate limit'])
    } finally {
      store.close()
    }
  })

  it('keeps what the importer read: ids in hex, kinds, tokens from strings, orphans, tool calls', async () => {
    const store = withStore(tmp.dir, 'details.db')
    try {
      await importOne(store, path.join(fixtures, 'otel-canonical.json'))
      const t = store.spans.detail('000102030405060708090a0b0c0d0e0f')!
      expect(t.root_span_id).toBe('0102030405060708')
      expect(t.spans.map((s) => [s.span_id, s.kind, s.orphan])).toEqual([
        ['0102030405060708', 'agent', false],
        ['0202030405060708', 'llm', false],
        ['0302030405060708', 'tool', false],
        ['0402030405060708', 'llm', true],
      ])
      expect(t.spans[1]!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls'])
      expect(t.spans[1]!.tool_calls).toEqual([{ id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }])
      expect(t.spans[3]!).toMatchObject({ input_tokens: 70, error: true, error_message: 'Request timed out.', latency_ms: 700 })
      expect(t).toMatchObject({ input_tokens: 120, output_tokens: 7, session_id: 'conv-9', conversation_id: 'conv-9', error: true })
    } finally {
      store.close()
    }
  })
})
