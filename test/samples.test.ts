// The bundled samples (resources/samples/) are what index.json says they are: made by the real
// recorders/SDKs (see test/samples/make-samples.ts), with the scripted issues really in them.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'

const DIR = path.resolve(import.meta.dirname, '../resources/samples')

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed sample files
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'index.json'), 'utf8')) as Json[]
const entry = (pred: (e: Json) => boolean): Json => {
  const found = manifest.find(pred)
  if (!found) throw new Error('manifest entry missing')
  return found
}
const sessionEntry = entry((e) => e.kind === 'session')
const posthogEntry = entry((e) => e.format === 'posthog-events-jsonl')
const otlpEntry = entry((e) => e.format === 'otlp-json-lines')

function read(name: string): string {
  const raw = fs.readFileSync(path.join(DIR, name))
  return (name.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8')
}
const lines = (name: string) => read(name).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json)

describe('manifest', () => {
  it('lists every shipped file with its real size, under the size limits', () => {
    expect(manifest.map((e) => e.kind).sort()).toEqual(['session', 'traces', 'traces'])
    for (const e of manifest) {
      expect(typeof e.title).toBe('string')
      expect(e.title.length).toBeGreaterThan(5)
      const file = path.join(DIR, e.name)
      expect(fs.existsSync(file), e.name).toBe(true)
      expect(fs.statSync(file).size).toBe(e.bytes)
      expect(e.bytes).toBeLessThan(e.kind === 'session' ? 300 * 1024 : 1024 * 1024)
    }
    const shipped = fs.readdirSync(DIR).filter((f) => f !== 'index.json' && f !== 'README.md')
    expect(shipped.sort()).toEqual(manifest.map((e) => e.name).sort())
  })

  it('has a README naming each file and the linked session', () => {
    const readme = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8')
    for (const e of manifest) expect(readme).toContain(e.name)
    expect(readme).toContain(sessionEntry.session_id)
    expect(readme).toContain('make-samples.ts')
  })
})

// ---------------------------------------------------------------------------------------------

describe('demo recording (rrweb)', () => {
  const events = JSON.parse(read(sessionEntry.name)) as Json[]
  const start = events[0]!.timestamp as number
  const clicks = events.filter((e) => e.type === 3 && e.data.source === 2 && e.data.type === 2)
  const consoleLogs = events.filter((e) => e.type === 6 && e.data.plugin === 'rrweb/console@1')
  const consoleText = (e: Json) => (e.data.payload.payload as string[]).join(' ')
  const moment = (key: string) => {
    const m = (sessionEntry.timeline as Json[]).find((t) => t.key === key)
    if (!m) throw new Error('no timeline entry ' + key)
    return m.offset_ms as number
  }

  it('is a plain rrweb array starting with Meta + FullSnapshot, timestamps non-decreasing', () => {
    expect(Array.isArray(events)).toBe(true)
    expect(events.length).toBe(sessionEntry.rrweb_events)
    for (const e of events) {
      expect([0, 1, 2, 3, 4, 5, 6]).toContain(e.type)
      expect(Number.isInteger(e.timestamp)).toBe(true)
      expect(typeof e.data).toBe('object')
    }
    // rrweb may emit DomContentLoaded/Load first; the first Meta must come before any snapshot.
    const firstMeta = events.findIndex((e) => e.type === 4)
    expect(events.slice(0, firstMeta).every((e) => e.type === 0 || e.type === 1)).toBe(true)
    expect(events[firstMeta + 1]!.type).toBe(2)
    expect(events[firstMeta + 1]!.data.node.type).toBe(0) // a Document node
    for (let i = 1; i < events.length; i++) expect(events[i]!.timestamp).toBeGreaterThanOrEqual(events[i - 1]!.timestamp)
  })

  it('has one Meta + FullSnapshot per page load, for the pages the manifest lists', () => {
    const metas = events.map((e, i) => [e, i] as const).filter(([e]) => e.type === 4)
    expect(metas.length).toBe(3)
    for (const [meta, i] of metas) {
      expect(meta.data).toMatchObject({ width: 1280, height: 800 })
      expect(events[i + 1]!.type).toBe(2)
    }
    expect(metas.map(([m]) => new URL(m.data.href).pathname)).toEqual(['/', '/checkout.html', '/'])
    expect(metas.map(([m]) => m.data.href)).toEqual(sessionEntry.pages)
  })

  it('lasts about a minute and has the counts the manifest states', () => {
    const duration = events[events.length - 1]!.timestamp - start
    expect(duration).toBe(sessionEntry.duration_ms)
    expect(duration).toBeGreaterThan(60_000)
    expect(duration).toBeLessThan(95_000)
    expect(start).toBe(sessionEntry.start_ms)
    expect(clicks.length).toBe(sessionEntry.clicks)
    const byType: Record<string, number> = {}
    const names = ['DomContentLoaded', 'Load', 'FullSnapshot', 'IncrementalSnapshot', 'Meta', 'Custom', 'Plugin']
    for (const e of events) byType[names[e.type]!] = (byType[names[e.type]!] ?? 0) + 1
    expect(byType).toEqual(sessionEntry.rrweb_events_by_type)
  })

  it('holds console plugin events: the uncaught TypeError and the HTTP 500s', () => {
    expect(consoleLogs.length).toBeGreaterThanOrEqual(8)
    const typeErrors = consoleLogs.filter((e) => e.data.payload.level === 'error' && consoleText(e).includes('Uncaught TypeError'))
    expect(typeErrors.length).toBe(1)
    expect(consoleText(typeErrors[0]!)).toContain("reading 'rating'")
    const failures = consoleLogs.filter((e) => e.data.payload.level === 'error' && consoleText(e).includes('POST /api/checkout failed: HTTP 500'))
    expect(failures.length).toBe(sessionEntry.evidence.checkout_500_errors)
    expect(failures.length).toBeGreaterThanOrEqual(5) // the first attempt + one per rage click
    // the errors happen at the scripted moments (the action starts, the click lands < 3 s later)
    const jsErrorAt = typeErrors[0]!.timestamp - start
    expect(jsErrorAt).toBe(sessionEntry.evidence.js_error_ms)
    expect(jsErrorAt - moment('js_error')).toBeGreaterThanOrEqual(0)
    expect(jsErrorAt - moment('js_error')).toBeLessThan(3000)
    const failedAt = failures[0]!.timestamp - start
    expect(failedAt - moment('checkout_500')).toBeGreaterThanOrEqual(0)
    expect(failedAt - moment('checkout_500')).toBeLessThan(3000)
  })

  it('holds the rage click: 4+ MouseInteraction clicks on one node within 1 s', () => {
    let best: Json[] = []
    for (let i = 0; i < clicks.length; i++) {
      const run = clicks.slice(i).filter((c) => c.data.id === clicks[i]!.data.id && c.timestamp - clicks[i]!.timestamp <= 1000)
      if (run.length > best.length) best = run
    }
    expect(best.length).toBeGreaterThanOrEqual(4)
    const at = best[0]!.timestamp - start
    expect(at).toBe(sessionEntry.evidence.rage_click.offset_ms)
    expect(at - moment('rage_click')).toBeGreaterThanOrEqual(0)
    expect(at - moment('rage_click')).toBeLessThan(3000)
    // the node clicked is the "Place order" button of the checkout page's snapshot
    const checkoutSnapshot = events.filter((e) => e.type === 2)[1]!
    expect(findNode(checkoutSnapshot.data.node, best[0]!.data.id)?.attributes?.id).toBe('place-order')
  })

  it('masks what was typed into inputs', () => {
    const inputs = events.filter((e) => e.type === 3 && e.data.source === 5)
    expect(inputs.length).toBeGreaterThan(20)
    for (const e of inputs) expect(e.data.text).toMatch(/^\**$/)
    const text = read(sessionEntry.name)
    for (const pii of ['Jonas', 'jonas.weber@example.com', 'Oranienstrasse', '4242 4242']) expect(text).not.toContain(pii)
  })

  it('shows the three "Ask AI" questions in the page', () => {
    const text = read(sessionEntry.name)
    for (const q of ['Which lamp is best for reading in bed?', 'How long does shipping to Berlin take?', 'My order failed with an error. Was I charged?']) {
      expect(text).toContain(q)
    }
  })
})

function findNode(node: Json, id: number): Json | undefined {
  if (node.id === id) return node
  for (const child of (node.childNodes ?? []) as Json[]) {
    const hit = findNode(child, id)
    if (hit) return hit
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------

describe('demo traces (PostHog)', () => {
  const events = lines(posthogEntry.name)
  const byTrace = new Map<string, Json[]>()
  for (const e of events) byTrace.set(e.properties.$ai_trace_id, [...(byTrace.get(e.properties.$ai_trace_id) ?? []), e])
  const gens = events.filter((e) => e.event === '$ai_generation')

  it('is posthog-node batch items, with the counts the manifest states', () => {
    for (const e of events) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['event', 'properties', 'timestamp', 'uuid', 'distinct_id']))
      expect(e.properties.$lib).toBe('posthog-node')
      expect(typeof e.properties.$ai_trace_id).toBe('string')
    }
    expect(events.length).toBe(posthogEntry.events)
    const byName: Record<string, number> = {}
    for (const e of events) byName[e.event] = (byName[e.event] ?? 0) + 1
    expect(byName).toEqual(posthogEntry.events_by_name)
    expect(Object.keys(byName).sort()).toEqual(['$ai_generation', '$ai_span', '$ai_trace'])
    expect(byTrace.size).toBe(posthogEntry.traces)
    expect(byTrace.size).toBeGreaterThanOrEqual(20)
  })

  it('has generations as the @posthog/ai wrapper writes them', () => {
    for (const g of gens) {
      const p = g.properties
      expect(p).toMatchObject({ $ai_lib: 'posthog-ai', $ai_provider: 'openai' })
      expect(p.$ai_model).toMatch(/^gpt-4\.1/)
      expect(Array.isArray(p.$ai_input)).toBe(true)
      expect(p.$ai_input[0].role).toBe('system')
      if (p.$ai_is_error) continue
      expect(p.$ai_http_status).toBe(200)
      expect(p.$ai_input_tokens).toBeGreaterThan(0)
      expect(p.$ai_output_tokens).toBeGreaterThan(0)
      expect(p.$ai_output_choices.length).toBe(1)
      expect(p.$ai_latency).toBeGreaterThan(0)
    }
    // tool calls: wrapper content parts in the output, OpenAI tool messages in the next input
    const toolOut = gens.filter((g) => g.properties.$ai_output_choices?.[0]?.content?.[0]?.type === 'function')
    expect(toolOut.length).toBeGreaterThanOrEqual(10)
    expect(gens.some((g) => g.properties.$ai_input.some((m: Json) => m.role === 'tool'))).toBe(true)
  })

  it('has the scripted errors: one 429 retried, one 500 that ended its trace', () => {
    const errors = gens.filter((g) => g.properties.$ai_is_error === true)
    expect(errors.length).toBe(posthogEntry.error_generations)
    expect(errors.map((g) => g.properties.$ai_http_status).sort()).toEqual([429, 500])
    expect(posthogEntry.failed_traces.length).toBe(1)
    const failed = byTrace.get(posthogEntry.failed_traces[0])!
    expect(failed.find((e) => e.event === '$ai_trace')!.properties.$ai_is_error).toBe(true)
    const retried = byTrace.get(posthogEntry.retried_traces[0])!
    expect(retried.filter((e) => e.event === '$ai_generation' && !e.properties.$ai_is_error).length).toBeGreaterThan(0)
    expect(retried.find((e) => e.event === '$ai_trace')!.properties.$ai_is_error).toBeUndefined()
  })

  it('builds a proper tree per trace: one $ai_trace, parents that exist', () => {
    for (const [traceId, evs] of byTrace) {
      expect(evs.filter((e) => e.event === '$ai_trace').length).toBe(1)
      const spanIds = new Set(evs.map((e) => e.properties.$ai_span_id).filter(Boolean))
      for (const e of evs) {
        if (e.event === '$ai_trace') continue
        const parent = e.properties.$ai_parent_id
        expect(parent === traceId || spanIds.has(parent), `${e.event} in ${traceId}`).toBe(true)
      }
    }
  })

  it('links the "Ask AI" traces to the recording by $session_id, inside its time range', () => {
    const linked = events.filter((e) => e.properties.$session_id !== undefined)
    expect(new Set(linked.map((e) => e.properties.$session_id))).toEqual(new Set([sessionEntry.session_id]))
    expect(posthogEntry.session_id).toBe(sessionEntry.session_id)
    const ids = [...new Set(linked.map((e) => e.properties.$ai_trace_id))].sort()
    expect(ids).toEqual([...posthogEntry.linked_traces.trace_ids].sort())
    expect(ids.length).toBe(3)
    for (const e of linked) {
      const t = Date.parse(e.timestamp)
      expect(t).toBeGreaterThanOrEqual(sessionEntry.start_ms)
      expect(t).toBeLessThanOrEqual(sessionEntry.end_ms)
    }
    // the session id is a UUIDv7 whose time is the start of the visit
    expect(sessionEntry.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const ms = parseInt(sessionEntry.session_id.replace(/-/g, '').slice(0, 12), 16)
    expect(Math.abs(ms - sessionEntry.start_ms)).toBeLessThan(10_000)
  })

  it('gives every trace a topic, enough of each to form clusters', () => {
    expect(Object.keys(posthogEntry.topics).sort()).toEqual([...byTrace.keys()].sort())
    const counts: Record<string, number> = {}
    for (const t of Object.values(posthogEntry.topics) as string[]) counts[t] = (counts[t] ?? 0) + 1
    expect(Object.keys(counts).sort()).toEqual(['code_help', 'product_search', 'refund', 'shipping'])
    for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(5)
  })

  it('contains no paths of the machine that made it', () => {
    expect(read(posthogEntry.name)).not.toMatch(/\/(work|home|root|Users)\/[^"]*node_modules/)
  })
})

// ---------------------------------------------------------------------------------------------

describe('demo traces (OpenTelemetry)', () => {
  const requests = lines(otlpEntry.name)
  const spans = requests.flatMap((r) => (r.resourceSpans ?? []).flatMap((rs: Json) => rs.scopeSpans.flatMap((ss: Json) => ss.spans.map((s: Json) => ({ ...s, scope: ss.scope.name })))))
  const logRecords = requests.flatMap((r) => (r.resourceLogs ?? []).flatMap((rl: Json) => rl.scopeLogs.flatMap((sl: Json) => sl.logRecords))) as Json[]
  const attr = (o: Json, key: string) => {
    const v = (o.attributes as Json[]).find((a) => a.key === key)?.value
    return v ? (v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? v.arrayValue) : undefined
  }

  it('is OTLP/HTTP JSON export requests, spans and logs, with the counts the manifest states', () => {
    for (const r of requests) expect(Boolean(r.resourceSpans) !== Boolean(r.resourceLogs)).toBe(true)
    expect(requests.filter((r) => r.resourceSpans).length).toBe(otlpEntry.export_requests.traces)
    expect(requests.filter((r) => r.resourceLogs).length).toBe(otlpEntry.export_requests.logs)
    expect(spans.length).toBe(otlpEntry.spans)
    expect(logRecords.length).toBe(otlpEntry.log_records)
    const byName: Record<string, number> = {}
    for (const s of spans) byName[s.name] = (byName[s.name] ?? 0) + 1
    expect(byName).toEqual(otlpEntry.spans_by_name)
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/)
      expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano))
    }
  })

  it('has chat spans from the OpenAI instrumentation inside our agent/turn/tool spans', () => {
    const traces = new Map<string, Json[]>()
    for (const s of spans) traces.set(s.traceId, [...(traces.get(s.traceId) ?? []), s])
    expect(traces.size).toBe(otlpEntry.traces)
    expect(Object.keys(otlpEntry.topics).sort()).toEqual([...traces.keys()].sort())
    for (const ss of traces.values()) {
      const roots = ss.filter((s) => !s.parentSpanId)
      expect(roots.length).toBe(1)
      expect(roots[0]!.name).toMatch(/^invoke_agent /)
      const ids = new Set(ss.map((s) => s.spanId))
      for (const s of ss) if (s.parentSpanId) expect(ids.has(s.parentSpanId)).toBe(true)
    }
    const chats = spans.filter((s) => s.name.startsWith('chat '))
    expect(chats.length).toBeGreaterThanOrEqual(10)
    for (const c of chats) {
      expect(c.scope).toBe('@opentelemetry/instrumentation-openai')
      expect(c.kind).toBe(3)
      expect(attr(c, 'gen_ai.system')).toBe('openai')
      expect(attr(c, 'gen_ai.operation.name')).toBe('chat')
      if (c.status.code === 2) continue
      expect(Number(attr(c, 'gen_ai.usage.input_tokens'))).toBeGreaterThan(0)
      expect(String(attr(c, 'gen_ai.response.model'))).toMatch(/^gpt-4\.1/)
    }
    expect(chats.filter((c) => c.status.code === 2).length).toBe(otlpEntry.error_spans)
    expect(spans.some((s) => s.name.startsWith('execute_tool ') && attr(s, 'gen_ai.tool.call.id'))).toBe(true)
  })

  it('carries message content as gen_ai.* log records tied to chat spans', () => {
    const chatIds = new Set(spans.filter((s) => s.name.startsWith('chat ')).map((s) => `${s.traceId}/${s.spanId}`))
    const kinds = new Set(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message', 'gen_ai.choice'])
    for (const l of logRecords) {
      expect(kinds.has(String(attr(l, 'event.name')))).toBe(true)
      expect(chatIds.has(`${l.traceId}/${l.spanId}`)).toBe(true)
    }
    const userTexts = logRecords
      .filter((l) => attr(l, 'event.name') === 'gen_ai.user.message')
      .map((l) => (l.body.kvlistValue.values as Json[]).find((v) => v.key === 'content')?.value.stringValue)
    expect(userTexts.every((t) => typeof t === 'string' && t.length > 10)).toBe(true)
  })

  it('holds different conversations from the PostHog file', () => {
    const posthogText = read(posthogEntry.name)
    const otlpUsers = logRecords
      .filter((l) => attr(l, 'event.name') === 'gen_ai.user.message')
      .map((l) => (l.body.kvlistValue.values as Json[]).find((v) => v.key === 'content')?.value.stringValue as string)
    for (const u of otlpUsers) expect(posthogText).not.toContain(JSON.stringify(u).slice(1, -1))
  })
})
