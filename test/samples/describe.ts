// Writes resources/samples/index.json and README.md: counts read back from what was written,
// plus the scripted timeline of the recorded visit (the ground truth later tests rely on).
import fs from 'node:fs'
import path from 'node:path'
import type { Collected } from './servers'
import type { Recording } from './record-demo'
import type { Topic } from './conversations'

export interface TraceInfo {
  format: 'posthog' | 'otlp'
  traceId: string
  threadId: string
  sessionId: string | null
  topic: Topic
  app: string
  firstMessage: string
  turns: number
  error: string | null
  retried: boolean
}

interface Inputs {
  rrwebName: string
  recording: Recording
  sessionId: string
  traces: TraceInfo[]
  collected: Collected
  versions: Record<string, string>
}

type Ev = Record<string, unknown> & { type: number; timestamp: number; data: Record<string, unknown> }
const RRWEB_TYPES = ['DomContentLoaded', 'Load', 'FullSnapshot', 'IncrementalSnapshot', 'Meta', 'Custom', 'Plugin']
const SOURCES = ['Mutation', 'MouseMove', 'MouseInteraction', 'Scroll', 'ViewportResize', 'Input', 'TouchMove', 'MediaInteraction', 'StyleSheetRule', 'CanvasMutation', 'Font', 'Log', 'Drag', 'StyleDeclaration', 'Selection', 'AdoptedStyleSheet', 'CustomElement']

const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {})

export function writeDocs(out: string, inp: Inputs): void {
  const session = describeSession(inp)
  const posthog = describePosthog(inp)
  const otlp = describeOtlp(inp)
  const bytes = (name: string) => fs.statSync(path.join(out, name)).size
  const manifest = [
    { name: inp.rrwebName, title: 'Demo shop visit (rrweb, 1 min)', kind: 'session', format: 'rrweb', bytes: bytes(inp.rrwebName), ...session },
    { name: 'demo-traces.posthog.jsonl', title: `Demo LLM traces (PostHog, ${posthog.traces} traces)`, kind: 'traces', format: 'posthog-events-jsonl', bytes: bytes('demo-traces.posthog.jsonl'), ...posthog },
    { name: 'demo-traces.otlp.jsonl', title: `Demo LLM traces (OpenTelemetry, ${otlp.traces} traces)`, kind: 'traces', format: 'otlp-json-lines', bytes: bytes('demo-traces.otlp.jsonl'), ...otlp },
  ]
  fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(manifest, null, 2) + '\n')
  fs.writeFileSync(path.join(out, 'README.md'), readme(inp, session, posthog, otlp, manifest.map((m) => [m.name, m.bytes] as const)))
}

// ---------------------------------------------------------------------------------------------

function describeSession({ recording, sessionId }: Inputs) {
  const events = recording.events as Ev[]
  const start = events[0]!.timestamp
  const end = events[events.length - 1]!.timestamp
  const incremental = events.filter((e) => e.type === 3)
  const clicks = incremental.filter((e) => e.data.source === 2 && e.data.type === 2)
  const consoleEvents = events.filter((e) => e.type === 6 && e.data.plugin === 'rrweb/console@1')
  return {
    session_id: sessionId,
    session_id_note: 'a plain rrweb array carries no session id; this is the id the demo traces use as $session_id',
    start_ms: start,
    end_ms: end,
    duration_ms: end - start,
    viewport: '1280x800',
    pages: events.filter((e) => e.type === 4).map((e) => String(e.data.href)),
    rrweb_events: events.length,
    rrweb_events_by_type: countBy(events, (e) => RRWEB_TYPES[e.type] ?? String(e.type)),
    incremental_by_source: countBy(incremental, (e) => SOURCES[Number(e.data.source)] ?? String(e.data.source)),
    clicks: clicks.length,
    console_events_by_level: countBy(consoleEvents, (e) => String((e.data.payload as { level: string }).level)),
    timeline: recording.moments.map((m) => ({ key: m.key, offset_ms: Math.max(0, m.at - start), what: m.what })),
    evidence: evidence(events, start),
  }
}

/** Where the file itself shows the scripted issues (offsets from the first event). */
function evidence(events: Ev[], start: number) {
  const consoleLines = events
    .filter((e) => e.type === 6 && e.data.plugin === 'rrweb/console@1')
    .map((e) => ({ at: e.timestamp - start, ...(e.data.payload as { level: string; payload: string[] }) }))
  const firstError = (needle: string) => consoleLines.find((c) => c.level === 'error' && c.payload.join(' ').includes(needle))?.at ?? null
  const clicks = events.filter((e) => e.type === 3 && e.data.source === 2 && e.data.type === 2)
  // rage click: the first run of 4+ clicks on one node within 1 s
  let rage: { offset_ms: number; clicks: number; node_id: number } | null = null
  for (let i = 0; i < clicks.length && !rage; i++) {
    const run = clicks.slice(i).filter((c) => c.data.id === clicks[i]!.data.id && c.timestamp - clicks[i]!.timestamp <= 1000)
    if (run.length >= 4) rage = { offset_ms: clicks[i]!.timestamp - start, clicks: run.length, node_id: Number(clicks[i]!.data.id) }
  }
  return {
    js_error_ms: firstError('Uncaught TypeError'),
    checkout_500_ms: firstError('/api/checkout failed: HTTP 500'),
    checkout_500_errors: consoleLines.filter((c) => c.payload.join(' ').includes('/api/checkout failed: HTTP 500')).length,
    rage_click: rage,
    page_loads_ms: events.filter((e) => e.type === 4).map((e) => e.timestamp - start),
  }
}

interface PhEvent {
  event: string
  properties: Record<string, unknown>
  timestamp: string
}

function describePosthog({ collected, traces, sessionId }: Inputs) {
  const events = collected.posthog as unknown as PhEvent[]
  const mine = traces.filter((t) => t.format === 'posthog')
  return {
    session_id: sessionId,
    traces: new Set(events.map((e) => String(e.properties.$ai_trace_id))).size,
    events: events.length,
    events_by_name: countBy(events, (e) => e.event),
    error_generations: events.filter((e) => e.event === '$ai_generation' && e.properties.$ai_is_error === true).length,
    ...traceFacts(mine),
    linked_traces: {
      session_id: sessionId,
      note: 'these traces carry $session_id = the demo recording\'s session id; they are the "Ask AI" questions typed during the visit',
      trace_ids: mine.filter((t) => t.sessionId).map((t) => t.traceId),
    },
  }
}

interface OtlpSpan {
  traceId: string
  name: string
  attributes: { key: string; value: Record<string, unknown> }[]
  status?: { code?: number }
}

function describeOtlp({ collected, traces }: Inputs) {
  const requests = collected.otlp.map((line) => JSON.parse(line) as Record<string, unknown>)
  type RS = { scopeSpans: { spans: OtlpSpan[] }[] }
  type RL = { scopeLogs: { logRecords: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }
  const spans = requests.flatMap((r) => ((r.resourceSpans ?? []) as RS[]).flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)))
  const logRecords = requests.flatMap((r) => ((r.resourceLogs ?? []) as RL[]).flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)))
  return {
    traces: new Set(spans.map((s) => s.traceId)).size,
    export_requests: { traces: requests.filter((r) => r.resourceSpans).length, logs: requests.filter((r) => r.resourceLogs).length },
    spans: spans.length,
    spans_by_name: countBy(spans, (s) => s.name),
    error_spans: spans.filter((s) => s.status?.code === 2).length,
    log_records: logRecords.length,
    log_records_by_event: countBy(logRecords, (l) => l.attributes.find((a) => a.key === 'event.name')?.value.stringValue ?? '?'),
    ...traceFacts(traces.filter((t) => t.format === 'otlp')),
  }
}

/** Ground truth per trace, from the generator's own bookkeeping. */
function traceFacts(mine: TraceInfo[]) {
  return {
    failed_traces: mine.filter((t) => t.error).map((t) => t.traceId),
    retried_traces: mine.filter((t) => t.retried).map((t) => t.traceId),
    topics: Object.fromEntries(mine.map((t) => [t.traceId, t.topic])),
  }
}

// ---------------------------------------------------------------------------------------------

function readme(
  inp: Inputs,
  session: ReturnType<typeof describeSession>,
  posthog: ReturnType<typeof describePosthog>,
  otlp: ReturnType<typeof describeOtlp>,
  files: (readonly [string, number])[],
): string {
  const s = (ms: number) => `+${(ms / 1000).toFixed(1)} s`
  const v = inp.versions
  const topicCounts = (topics: Record<string, string>) =>
    Object.entries(countBy(Object.values(topics), (t) => t)).map(([t, n]) => `${t} ${n}`).join(', ')
  const json = (o: unknown) => '`' + JSON.stringify(o) + '`'
  return `# Bundled samples

Demo data the app offers on first run, so every page can be tried before bringing data. **Generated,
not hand-written**: \`npx tsx test/samples/make-samples.ts\` (takes about 2 minutes; needs
\`/usr/bin/chromium\` or \`CHROMIUM_PATH\`), then commit the outputs. \`test/samples.test.ts\` checks that
the files match \`index.json\`. Everything ran on 127.0.0.1: the demo shop (\`test/samples/demo-site/\`),
a fake OpenAI-compatible model answering from scripted conversations (\`test/samples/conversations.ts\`)
and a fake collector that stored what the SDKs sent, un-gzipped but otherwise untouched.

| file | bytes | what |
|---|---|---|
${files.map(([n, b]) => `| \`${n}\` | ${b} | ${n.includes('rrweb') ? 'one visit to the demo shop, plain rrweb events array' : n.includes('posthog') ? 'PostHog LLM analytics events, one batch item per line' : n.includes('otlp') ? 'OpenTelemetry OTLP/HTTP JSON export requests, one per line (spans and logs)' : ''} |`).join('\n')}
| \`index.json\` | | manifest: what each file holds, counts, session id, trace topics (read by the app and by the tests) |

## \`${inp.rrwebName}\` — "Lumen Lamps" shop visit

Recorded with **rrweb ${v['rrweb']}** (\`record({ emit, maskAllInputs: true, plugins: [getRecordConsolePlugin()] })\`,
**@rrweb/rrweb-plugin-console-record ${v['@rrweb/rrweb-plugin-console-record']}**; browser bundles injected with
\`addInitScript\`) in headless Chromium driven by playwright-core ${v['playwright-core']}, viewport 1280×800.
Events are exactly as \`emit\` gave them, concatenated over the page loads of the visit, so each page load
starts with its own Meta + FullSnapshot. No network plugin: the HTTP 500 is visible through the page's
\`console.error\` and the error banner it shows.

- session id (for linking; not inside the file): \`${session.session_id}\`
- start ${new Date(session.start_ms).toISOString()}, duration ${(session.duration_ms / 1000).toFixed(1)} s, ${session.rrweb_events} events
- by type: ${json(session.rrweb_events_by_type)}
- incremental by source: ${json(session.incremental_by_source)}; clicks: ${session.clicks}
- console plugin events by level: ${json(session.console_events_by_level)}
- pages: ${session.pages.map((p) => '`' + new URL(p).pathname + '`').join(' → ')} (the host is a random 127.0.0.1 port)
- typed personal data (masked as \`*\` by rrweb, never in the file): the name "Jonas Weber", an email, a street address, a card number

### Timeline (offsets from the first event, from the generator's clock)

| at | key | what happens |
|---|---|---|
${session.timeline.map((m) => `| ${s(m.offset_ms)} | \`${m.key}\` | ${m.what} |`).join('\n')}

A scripted moment is when the action starts (the pointer starts moving); the click itself lands up to
~0.7 s later. What the file itself shows (\`evidence\` in \`index.json\`):

- JS error: console plugin \`error\` "Uncaught TypeError: Cannot read properties of undefined (reading 'rating')" at ${s(session.evidence.js_error_ms ?? NaN)}
- HTTP 500: console \`error\` "POST /api/checkout failed: HTTP 500 Internal Server Error" first at ${s(session.evidence.checkout_500_ms ?? NaN)}, ${session.evidence.checkout_500_errors} times in all (1 + one per rage click)
- rage click: ${session.evidence.rage_click?.clicks} MouseInteraction clicks on node ${session.evidence.rage_click?.node_id} ("Place order") within 1 s, from ${s(session.evidence.rage_click?.offset_ms ?? NaN)}
- page loads (Meta + FullSnapshot): ${session.evidence.page_loads_ms.map(s).join(', ')}

Issues a summary should find: the **JS error** (TypeError thrown by the "Reviews" button, \`js_error\`),
the **failed checkout** (HTTP 500 on POST /api/checkout, \`checkout_500\`), the **rage click** on
"Place order" (\`rage_click\`, 5 clicks within about a second, each failing again), and the abandoned
checkout (the visitor goes back to the shop without an order). The three "Ask AI" questions
(\`ask_ai_*\`) are the linked traces below.

## \`demo-traces.posthog.jsonl\` — PostHog LLM analytics

What **posthog-node ${v['posthog-node']}** POSTed to \`/batch/\`, one batch item per line
(\`{event, properties, timestamp, uuid, distinct_id, …}\`). \`$ai_generation\` events come from the
**@posthog/ai ${v['@posthog/ai']}** \`OpenAI\` wrapper around **openai ${v['openai']}** (\`maxRetries: 0\`, so
each HTTP call is one event); \`$ai_span\` (one \`handle_user_message\` per user turn with the trace as parent,
one per tool call with the turn as parent) and \`$ai_trace\` (one per conversation) are captured with
\`posthog.capture\` as PostHog's manual-capture docs describe. No cost properties (PostHog adds them at ingestion).

- ${posthog.traces} traces, ${posthog.events} events: ${json(posthog.events_by_name)}
- topics: ${topicCounts(posthog.topics)} (per trace id in \`index.json\`)
- apps: \`lumen-shop-assistant\` (gpt-4.1-mini, tools \`lookup_order\`, \`track_shipment\`, \`search_products\`, \`check_payment_status\`) and \`lumen-dev-helper\` (gpt-4.1, tool \`search_docs\`)
- errors: ${posthog.error_generations} failed generations; retried and recovered: ${posthog.retried_traces.map((t) => '`' + t + '`').join(', ') || 'none'}; gave up: ${posthog.failed_traces.map((t) => '`' + t + '`').join(', ') || 'none'}
- **linked to the recording** (\`$session_id\` = \`${inp.sessionId}\`, also \`$ai_session_id\` = one chat thread):
  ${posthog.linked_traces.trace_ids.map((t) => '`' + t + '`').join(', ')} — the "Ask AI" questions of the visit, timestamped inside it

## \`demo-traces.otlp.jsonl\` — OpenTelemetry GenAI

OTLP/HTTP JSON export requests as the exporters sent them, one request per line (the layout of the
Collector's file exporter): ${otlp.export_requests.traces} \`{"resourceSpans": …}\` lines from
**@opentelemetry/exporter-trace-otlp-http ${v['@opentelemetry/exporter-trace-otlp-http']}** (sdk-trace-node ${v['@opentelemetry/sdk-trace-node']}) and
${otlp.export_requests.logs} \`{"resourceLogs": …}\` lines from **@opentelemetry/exporter-logs-otlp-http ${v['@opentelemetry/exporter-logs-otlp-http']}** (sdk-logs ${v['@opentelemetry/sdk-logs']}).
\`chat <model>\` spans and the message content (log records \`gen_ai.system.message\`, \`gen_ai.user.message\`,
\`gen_ai.assistant.message\`, \`gen_ai.tool.message\`, \`gen_ai.choice\`, linked by traceId/spanId) come from
**@opentelemetry/instrumentation-openai ${v['@opentelemetry/instrumentation-openai']}** (\`captureMessageContent: true\`) around the same openai SDK;
the \`invoke_agent <app>\` root, \`handle_user_message\` and \`execute_tool <name>\` spans are ours, written
with the OTel API using GenAI semantic-convention attributes (\`gen_ai.conversation.id\`, \`gen_ai.tool.*\`).

- ${otlp.traces} traces, ${otlp.spans} spans: ${json(otlp.spans_by_name)}; ${otlp.error_spans} spans with error status
- ${otlp.log_records} log records: ${json(otlp.log_records_by_event)}
- topics: ${topicCounts(otlp.topics)}; different conversations from the PostHog file (no duplicates when both are imported)
- none of these traces is linked to the recording
`
}
