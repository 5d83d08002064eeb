// The same OTLP span written in every JSON flavour real tools produce imports to the same
// stored span: OTLP/HTTP JSON (hex ids, enum numbers), protobuf canonical JSON (base64 ids, enum
// names, int64 as strings), snake_case field names, protobufjs-decoded objects (Buffer ids,
// {low, high} times) as a bare ResourceSpans, and the older content places (OpenLLMetry's
// indexed attributes, span events).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { renderTrace } from '../../electron/traces'
import { tempDir } from '../helpers'
import { importOne, withStore } from './helpers'

const tmp = tempDir('sightline-otlp-flavours-')
afterAll(() => tmp.cleanup())

const TRACE = '5b8efff798038103d269b633813fc60c'
const SPAN = 'eee19b7ec3c1b174'
const startNs = 1795370000123000000n
const endNs = 1795370000623000000n
const kv = (key: string, value: Record<string, unknown>) => ({ key, value })
const attrs = (ints: (n: number) => unknown) => [
  kv('gen_ai.operation.name', { stringValue: 'chat' }),
  kv('gen_ai.request.model', { stringValue: 'gpt-4.1' }),
  kv('gen_ai.system', { stringValue: 'openai' }),
  kv('gen_ai.usage.input_tokens', { intValue: ints(11) }),
  kv('gen_ai.usage.output_tokens', { intValue: ints(3) }),
  kv('gen_ai.prompt.0.role', { stringValue: 'user' }),
  kv('gen_ai.prompt.0.content', { stringValue: 'hello there' }),
  kv('gen_ai.completion.0.role', { stringValue: 'assistant' }),
  kv('gen_ai.completion.0.content', { stringValue: 'general kenobi' }),
]
const snake = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()), v]))
const hex = (h: string) => Buffer.from(h, 'hex')
const long = (n: bigint) => ({ low: Number(n & 0xffffffffn) | 0, high: Number(n >> 32n) | 0, unsigned: true })

const flavours: Record<string, unknown> = {
  // What the JS exporters send (intValue as a JSON number).
  'otlp-http.json': { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: TRACE, spanId: SPAN, name: 'chat gpt-4.1', kind: 3, startTimeUnixNano: startNs.toString(), endTimeUnixNano: endNs.toString(), attributes: attrs((n) => n), status: { code: 2, message: 'boom' } }] }] }] },
  // Python MessageToJson: base64 ids, enum names, int64 as strings.
  'canonical.json': { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: hex(TRACE).toString('base64'), spanId: hex(SPAN).toString('base64'), name: 'chat gpt-4.1', kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: startNs.toString(), endTimeUnixNano: endNs.toString(), attributes: attrs((n) => String(n)), status: { code: 'STATUS_CODE_ERROR', message: 'boom' } }] }] }] },
  // preserving_proto_field_name=True: snake_case everywhere.
  'snake.json': { resource_spans: [{ scope_spans: [{ spans: [{ trace_id: hex(TRACE).toString('base64'), span_id: hex(SPAN).toString('base64'), name: 'chat gpt-4.1', kind: 'SPAN_KIND_CLIENT', start_time_unix_nano: startNs.toString(), end_time_unix_nano: endNs.toString(), attributes: attrs((n) => String(n)).map((a) => ({ key: a.key, value: snake(a.value) })), status: { code: 'STATUS_CODE_ERROR', message: 'boom' } }] }] }] },
  // protobufjs toObject without options, one bare ResourceSpans: Buffer ids, Long times and ints.
  'protobufjs.json': { resource: { attributes: [] }, scopeSpans: [{ spans: [{ traceId: { type: 'Buffer', data: [...hex(TRACE)] }, spanId: { type: 'Buffer', data: [...hex(SPAN)] }, name: 'chat gpt-4.1', kind: 3, startTimeUnixNano: long(startNs), endTimeUnixNano: long(endNs), attributes: attrs((n) => long(BigInt(n))), status: { code: 2, message: 'boom' } }] }] },
}

describe('OTLP JSON flavours', () => {
  it.each(Object.keys(flavours))('%s imports to the same span', async (name) => {
    const store = withStore(tmp.dir, `${name}.db`)
    try {
      const file = path.join(tmp.dir, name)
      fs.writeFileSync(file, JSON.stringify(flavours[name]))
      const r = await importOne(store, file)
      expect(r).toMatchObject({ error: null, format: 'otlp-json', traces: 1, spans: 1 })
      const t = store.spans.detail(TRACE)!
      expect(t).toMatchObject({ start_ms: 1795370000123, end_ms: 1795370000623, input_tokens: 11, output_tokens: 3, error: true, root_span_id: SPAN })
      expect(t.spans[0]).toMatchObject({ span_id: SPAN, kind: 'llm', model: 'gpt-4.1', provider: 'openai', latency_ms: 500, error_message: 'boom' })
      const lines = renderTrace(t).lines
      expect(lines.slice(lines.indexOf('[1] USER'))).toEqual(['[1] USER', 'hello there', '', 'ERROR in llm chat gpt-4.1: boom', '', '[2] ASSISTANT', 'general kenobi'])
    } finally {
      store.close()
    }
  })

  it('reads messages from span events (older Python instrumentations)', async () => {
    const store = withStore(tmp.dir, 'events.db')
    try {
      const span = {
        traceId: TRACE,
        spanId: SPAN,
        name: 'chat gpt-4o',
        kind: 3,
        startTimeUnixNano: startNs.toString(),
        endTimeUnixNano: endNs.toString(),
        attributes: [kv('gen_ai.operation.name', { stringValue: 'chat' }), kv('gen_ai.request.model', { stringValue: 'gpt-4o' })],
        events: [
          { name: 'gen_ai.content.prompt', attributes: [kv('gen_ai.prompt', { stringValue: JSON.stringify([{ role: 'user', content: 'ping' }]) })] },
          { name: 'gen_ai.content.completion', attributes: [kv('gen_ai.completion', { stringValue: JSON.stringify([{ role: 'assistant', content: 'pong' }]) })] },
        ],
      }
      const file = path.join(tmp.dir, 'events.jsonl')
      fs.writeFileSync(file, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }) + '\n')
      expect(await importOne(store, file)).toMatchObject({ error: null, format: 'otlp-json-lines', spans: 1 })
      const lines = renderTrace(store.spans.detail(TRACE)!).lines
      expect(lines.slice(lines.indexOf('[1] USER'))).toEqual(['[1] USER', 'ping', '', '[2] ASSISTANT', 'pong'])
    } finally {
      store.close()
    }
  })
})
