// Every trace sample in ../shared/samples/traces imported into a fresh database and checked
// against its ground truth: counts, ids, sessions, errors, and the shape of each tree.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Span, TraceDetail } from '../../shared/trace-model'
import type { Store } from '../../electron/store'
import { renderTrace, spanTree } from '../../electron/traces'
import { tempDir } from '../helpers'
import { executedTurns, fingerprint, importOne, readJson, type TaskTruth, tempTables, tracesDir, truthOf, withStore } from './helpers'

const tmp = tempDir('sightline-traces-')
afterAll(() => tmp.cleanup())

const file = (n: string) => path.join(tracesDir, n)
const count = (spans: Span[], pred: (s: Span) => boolean) => spans.filter(pred).length

/** One tree: exactly one root, every span reachable, depth-first order covers all. */
function expectOneTree(t: TraceDetail) {
  const order = spanTree(t)
  expect(order).toHaveLength(t.spans.length)
  expect(order.filter((n) => n.depth === 0)).toHaveLength(1)
  expect(order[0]!.span.span_id).toBe(t.root_span_id)
  expect(t.spans.filter((s) => s.orphan)).toEqual([])
}

describe('posthog-events.jsonl ($ai_* events from @posthog/ai + posthog-node)', () => {
  const truth = truthOf('posthog')
  let store: Store
  beforeAll(async () => {
    store = withStore(tmp.dir, 'posthog.db')
    const r = await importOne(store, file('posthog-events.jsonl'))
    expect(r).toMatchObject({ error: null, format: 'posthog-events-jsonl', traces: 300, sessions: 0, events: 0 })
    // 1,182 generations + 83 embeddings + 1,206 spans + 300 traces; metrics and feedback are not spans.
    expect(r.spans).toBe(1182 + 83 + 1206 + 300)
    expect(r.skipped).toEqual([])
  })
  afterAll(() => store.close())

  it('has every truth trace with its session ids, person, model and error', () => {
    expect(store.traces.list({ sort: 'start_ms', dir: 'asc', limit: 1000, offset: 0 }).total).toBe(truth.count)
    for (const tt of truth.traces) {
      const t = store.spans.detail(tt.trace_id)!
      expect(t, tt.trace_id).not.toBeNull()
      expect(t.session_id).toBe(tt.web_session_id)
      expect(t.conversation_id).toBe(tt.ai_session_id)
      expect(t.distinct_id).toBe(tt.distinct_id)
      expect(t.name).toBe(tt.app)
      expect(t.error).toBe(tt.error !== null)
      expect(t.spans.filter((s) => s.kind === 'llm').map((s) => s.model)).toContain(tt.model)
      // Tokens are summed from the calls (no call succeeded when it gave up on the first turn).
      if (!(tt.error?.gave_up && tt.error.turn === 0)) expect(t.input_tokens).toBeGreaterThan(0)
    }
  })

  it('builds one tree per trace: $ai_trace root, a turn span per user turn, tool spans under turns', () => {
    for (const tt of truth.traces) {
      const t = store.spans.detail(tt.trace_id)!
      expect(t.root_span_id).toBe(tt.trace_id)
      expectOneTree(t)
      const turns = t.spans.filter((s) => s.name === 'handle_user_message')
      expect(turns, tt.trace_id).toHaveLength(executedTurns(tt))
      for (const s of turns) expect(s.parent_id).toBe(tt.trace_id)
      const ids = new Set(turns.map((s) => s.span_id))
      for (const s of t.spans.filter((s) => s.kind === 'tool')) expect(ids.has(s.parent_id!)).toBe(true)
      // Tool calls in the wrapper's output are content parts; they become tool calls all the same.
      const calls = t.spans.flatMap((s) => (s.kind === 'llm' ? (s.tool_calls ?? []) : []))
      expect(calls.length).toBeGreaterThanOrEqual(count(t.spans, (s) => s.kind === 'tool'))
    }
  })

  it('keeps the metrics and feedback on their traces', () => {
    const all = truth.traces.flatMap((tt) => store.spans.feedbackOf(tt.trace_id))
    expect(all.filter((f) => f.kind === 'metric')).toHaveLength(49)
    expect(all.filter((f) => f.kind === 'feedback')).toHaveLength(49)
    expect(new Set(all.filter((f) => f.kind === 'metric').map((f) => f.value))).toEqual(new Set(['good', 'bad']))
  })

  it('marks failed calls with the error text, not the stack', () => {
    for (const tt of truth.traces.filter((x) => x.error)) {
      const failed = store.spans.detail(tt.trace_id)!.spans.filter((s) => s.kind === 'llm' && s.error)
      expect(failed.length, tt.trace_id).toBeGreaterThan(0)
      const want = { '429': /^429 Rate limit/, '500': /^500 /, timeout: /timed out/i }[tt.error!.kind]!
      expect(failed[0]!.error_message).toMatch(want)
      expect(failed[0]!.error_message).not.toMatch(/\n\s+at /)
    }
  })

  it('a second import of the same file is a no-op', async () => {
    const before = fingerprint(store)
    const r = await importOne(store, file('posthog-events.jsonl'))
    expect(r).toMatchObject({ error: null, already_imported: true, traces: 0, spans: 0 })
    expect(fingerprint(store)).toBe(before)
    expect(tempTables(store)).toEqual([])
  })
})

describe('llm-tasks.jsonl (PostHog-LLM llm-task events)', () => {
  const truth = readJson<TaskTruth[]>(file('llm-tasks-truth.json'))
  let store: Store
  beforeAll(async () => {
    store = withStore(tmp.dir, 'tasks.db')
    const r = await importOne(store, file('llm-tasks.jsonl'))
    expect(r).toMatchObject({ error: null, traces: truth.length, spans: truth.reduce((a, t) => a + t.turns, 0) })
  })
  afterAll(() => store.close())

  it('one trace per conversation: linked by $session_id, or by the ChatML history', () => {
    const rows = store.traces.list({ sort: 'start_ms', dir: 'asc', limit: 1000, offset: 0 }).rows
    expect(rows).toHaveLength(40)
    const details = rows.map((r) => store.spans.detail(r.id)!)
    for (const tt of truth) {
      const t = tt.session_id
        ? details.find((d) => d.id === tt.session_id)
        : details.find((d) => d.distinct_id === tt.distinct_id && d.spans[0]!.input![0]!.parts[0]!.type === 'text' && (d.spans[0]!.input![0]!.parts[0] as { text: string }).text === tt.first_input)
      expect(t, tt.first_input).toBeDefined()
      expect(t!.session_id).toBe(tt.session_id)
      expect(t!.spans).toHaveLength(tt.turns)
      expect(t!.spans.every((s) => s.kind === 'llm' && s.output?.length === 1)).toBe(true)
      expect(store.spans.feedbackOf(t!.id).map((f) => f.value)).toEqual(tt.feedback ? [tt.feedback] : [])
      // The conversation reads in order: every user turn once.
      const text = renderTrace(t!).lines.join('\n')
      expect(text.split(tt.first_input).length - 1).toBe(1)
    }
  })
})

describe('otel-genai.traces.otlp.jsonl + otel-genai.logs.otlp.jsonl.gz (OpenTelemetry GenAI)', () => {
  const truth = truthOf('otel-genai')
  let store: Store
  beforeAll(async () => {
    store = withStore(tmp.dir, 'otel.db')
    const r = await importOne(store, file('otel-genai.traces.otlp.jsonl'))
    expect(r).toMatchObject({ error: null, format: 'otlp-json-lines', traces: 300, spans: 2771 })
    const logs = await importOne(store, file('otel-genai.logs.otlp.jsonl.gz'))
    // Log records add content to stored spans; they create no trace or span.
    expect(logs).toMatchObject({ error: null, format: 'otlp-json-lines', traces: 0, spans: 0, log_records: 13505, skipped: [] })
  })
  afterAll(() => store.close())

  it('has every truth trace with its root span, conversation, person and error', () => {
    for (const tt of truth.traces) {
      const t = store.spans.detail(tt.trace_id)!
      expect(t, tt.trace_id).not.toBeNull()
      expect(t.root_span_id).toBe(tt.root_span_id)
      expect(t.session_id).toBe(tt.session_id)
      expect(t.distinct_id).toBe(tt.distinct_id)
      expect(t.error).toBe(tt.error !== null)
      expect(t.spans.filter((s) => s.kind === 'llm').map((s) => s.model)).toContain(tt.model)
      expectOneTree(t)
      expect(count(t.spans, (s) => s.name === 'handle_user_message')).toBe(executedTurns(tt))
    }
  })

  it('joins the log records to their spans: every chat span has its messages', () => {
    for (const tt of truth.traces) {
      const chats = store.spans.detail(tt.trace_id)!.spans.filter((s) => s.kind === 'llm')
      for (const s of chats) {
        expect(s.input?.[0]?.role, `${tt.trace_id} ${s.span_id}`).toBe('system')
        if (!s.error) expect(s.output?.length).toBe(1)
      }
    }
  })

  it('logs imported before their spans give the same result', async () => {
    const other = withStore(tmp.dir, 'otel-reversed.db')
    try {
      await importOne(other, file('otel-genai.logs.otlp.jsonl.gz'))
      await importOne(other, file('otel-genai.traces.otlp.jsonl'))
      for (const tt of truth.traces.slice(0, 40)) {
        expect(renderTrace(other.spans.detail(tt.trace_id)!).lines).toEqual(renderTrace(store.spans.detail(tt.trace_id)!).lines)
      }
    } finally {
      other.close()
    }
  })
})

describe('openinference.otlp.json.gz (OpenInference / Arize Phoenix)', () => {
  const truth = truthOf('openinference')
  let store: Store
  beforeAll(async () => {
    store = withStore(tmp.dir, 'oi.db')
    const r = await importOne(store, file('openinference.otlp.json.gz'))
    expect(r).toMatchObject({ error: null, format: 'otlp-json', traces: 300, spans: 2751 })
  })
  afterAll(() => store.close())

  it('has every truth trace with its root span, session, person, model and kinds', () => {
    for (const tt of truth.traces) {
      const t = store.spans.detail(tt.trace_id)!
      expect(t, tt.trace_id).not.toBeNull()
      expect(t.root_span_id).toBe(tt.root_span_id)
      expect(t.session_id).toBe(tt.session_id)
      expect(t.distinct_id).toBe(tt.distinct_id)
      expect(t.name).toBe(tt.app)
      expectOneTree(t)
      expect(t.spans[0] && spanTree(t)[0]!.span.kind).toBe('agent')
      expect(count(t.spans, (s) => s.kind === 'chain')).toBe(executedTurns(tt))
      const models = t.spans.filter((s) => s.kind === 'llm').map((s) => s.model)
      if (models.length) expect(models).toContain(tt.model)
      // The OpenAI instrumentation records no span for a failed call: only a conversation that
      // gave up shows its error (on the turn and the agent span).
      expect(t.error).toBe(tt.error?.gave_up === true)
    }
  })
})

describe('the same conversations in three formats', () => {
  it('render the same messages from PostHog, OTel GenAI and OpenInference', async () => {
    const stores = { posthog: withStore(tmp.dir, 'x-ph.db'), otel: withStore(tmp.dir, 'x-otel.db'), oi: withStore(tmp.dir, 'x-oi.db') }
    try {
      await importOne(stores.posthog, file('posthog-events.jsonl'))
      await importOne(stores.otel, file('otel-genai.traces.otlp.jsonl'))
      await importOne(stores.otel, file('otel-genai.logs.otlp.jsonl.gz'))
      await importOne(stores.oi, file('openinference.otlp.json.gz'))
      const ids = (n: string) => new Map(truthOf(n).traces.map((t) => [t.conversation_id, t]))
      const ph = ids('posthog')
      const ot = ids('otel-genai')
      const oi = ids('openinference')
      const messages = (s: Store, id: string) => {
        const r = renderTrace(s.spans.detail(id)!)
        return r.lines.slice(r.messageLines[0]).filter((l) => l !== '' && !/^(ERROR|EMBEDDING|METRIC|FEEDBACK)/.test(l))
      }
      let same = 0
      for (const [conv, t] of ph) {
        const a = messages(stores.posthog, t.trace_id)
        expect(messages(stores.otel, ot.get(conv)!.trace_id), conv).toEqual(a)
        // OpenInference lacks failed calls and, in the huge traces, messages over the SDK's
        // attribute limit: those differ by design.
        if (!t.huge && !t.error?.gave_up) expect(messages(stores.oi, oi.get(conv)!.trace_id), conv).toEqual(a)
        same++
      }
      expect(same).toBe(300)
    } finally {
      Object.values(stores).forEach((s) => s.close())
    }
  })
})
