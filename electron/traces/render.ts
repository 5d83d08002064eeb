// A trace as readable text, the same for every source format: a header (name, models, totals),
// the tools the model was given, then the conversation in order: every message once (each
// model call repeats the history; only what is new is printed), tool calls as name(arg=…),
// tool results, errors where they happened, feedback at the end.
import type { Message, MessagePart, Span, ToolCall, ToolDef, TraceDetail } from '../../shared/trace-model'
import { spanTree } from './tree'

export interface RenderedTrace {
  lines: string[]
  /** The first lines that downsampling always keeps. */
  headerLines: number
  /** Indexes of the `[n] ROLE` lines. */
  messageLines: number[]
}

const RULE = '='.repeat(80)
const SEP = '-'.repeat(80)
const CALLS = new Set(['llm', 'embedding'])

const iso = (ms: number | null) => (ms === null ? 'unknown time' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC')
const secs = (ms: number) => `${(ms / 1000).toFixed(2)}s`

/** `name(a="x", n=3)`: arguments as JSON values, like the model wrote them. */
export function callSignature(c: Pick<ToolCall, 'name' | 'arguments'>): string {
  const a = c.arguments
  if (a === null || a === undefined || a === '') return `${c.name}()`
  if (typeof a === 'object' && !Array.isArray(a)) return `${c.name}(${Object.entries(a).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})`
  return `${c.name}(${typeof a === 'string' ? a : JSON.stringify(a)})`
}

function typeOf(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'any'
  const s = schema as Record<string, unknown>
  if (Array.isArray(s.enum)) return s.enum.map((e) => JSON.stringify(e)).join(' | ')
  if (typeof s.type === 'string') return s.type === 'array' && s.items ? `${typeOf(s.items)}[]` : s.type
  if (Array.isArray(s.type)) return s.type.join(' | ')
  return 'any'
}

/** `lookup_order(order_id: string, email?: string)` from the JSON schema of its arguments. */
export function toolSignature(t: ToolDef): string {
  const p = (typeof t.parameters === 'object' && t.parameters !== null ? t.parameters : {}) as Record<string, unknown>
  const props = (typeof p.properties === 'object' && p.properties !== null ? p.properties : {}) as Record<string, unknown>
  const required = new Set(Array.isArray(p.required) ? p.required : [])
  return `${t.name}(${Object.entries(props).map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeOf(v)}`).join(', ')})`
}

const firstSentence = (s: string) => (/^(.+?[.!?])(\s|$)/s.exec(s.trim())?.[1] ?? s.trim()).split('\n')[0]!

function partLines(p: MessagePart, toolName: (id: string | null) => string | undefined, only: boolean): string[] {
  switch (p.type) {
    case 'text':
      return p.text.split('\n')
    case 'reasoning':
      return [`(reasoning) ${p.text}`.split('\n')].flat()
    case 'tool_call':
      return [] // listed under "Tool calls"
    case 'tool_result': {
      // A tool message that is only its result needs no label: the heading names the tool.
      const name = p.name ?? toolName(p.id)
      return only ? p.content.split('\n') : [`[Tool result${name ? `: ${name}` : ''}]`, ...p.content.split('\n')]
    }
    case 'media':
      return [`[${p.kind.toUpperCase()}${p.ref ? `: ${p.ref}` : ''}]`]
    case 'json':
      return [JSON.stringify(p.value)]
  }
}

/** Comparable identity of a message: the history repeated by the next call matches it. */
function keyOf(m: Message): string {
  const role = m.role === 'agent' ? 'assistant' : m.role
  return JSON.stringify([role, m.parts, m.tool_call_id ?? null])
}

class Writer {
  lines: string[] = []
  messageLines: number[] = []
  private n = 0
  private toolNames = new Map<string, string>()

  message(m: Message): void {
    for (const p of m.parts) if (p.type === 'tool_call' && p.id) this.toolNames.set(p.id, p.name)
    const tool = m.tool_call_id ? this.toolNames.get(m.tool_call_id) : undefined
    const label = m.role.toUpperCase() + (tool ? ` (${tool})` : m.name ? ` (${m.name})` : '')
    this.gap()
    this.messageLines.push(this.lines.length)
    this.lines.push(`[${++this.n}] ${label}`)
    const only = m.role === 'tool' && m.parts.length === 1
    const body = m.parts.flatMap((p) => partLines(p, (id) => (id ? this.toolNames.get(id) : undefined), only))
    const calls = m.parts.filter((p): p is Extract<MessagePart, { type: 'tool_call' }> => p.type === 'tool_call')
    if (body.length === 0 && calls.length === 0) body.push('(empty)')
    this.lines.push(...body)
    if (calls.length) {
      this.lines.push(`Tool calls: ${calls.length}`)
      for (const c of calls) this.lines.push(`  - ${callSignature(c)}`)
    }
  }

  note(text: string): void {
    this.gap()
    this.lines.push(...text.split('\n'))
  }

  /** One blank line between entries; none right after a section rule. */
  private gap(): void {
    const last = this.lines.at(-1)
    if (last !== undefined && last !== '' && last !== SEP) this.lines.push('')
  }
}

function header(t: TraceDetail, orphans: number): string[] {
  const calls = t.spans.filter((s) => s.kind === 'llm').length
  const embeds = t.spans.filter((s) => s.kind === 'embedding').length
  const tools = t.spans.filter((s) => s.kind === 'tool').length
  const providers = new Map<string, string | null>()
  for (const s of t.spans) if (CALLS.has(s.kind) && s.model) providers.set(s.model, providers.get(s.model) ?? s.provider)
  const models = [...providers].map(([m, p]) => `${m}${p ? ` (${p})` : ''}`)
  const duration = t.start_ms !== null && t.end_ms !== null ? ` · ${secs(t.end_ms - t.start_ms)}` : ''
  const counts = [`${calls} LLM call${calls === 1 ? '' : 's'}`, embeds && `${embeds} embedding${embeds === 1 ? '' : 's'}`, tools && `${tools} tool span${tools === 1 ? '' : 's'}`].filter(Boolean)
  const totals = [`tokens ${t.input_tokens} in / ${t.output_tokens} out`, t.cost_usd !== null && `cost $${t.cost_usd.toFixed(4)}`].filter(Boolean)
  const out = [
    (t.name ?? 'TRACE').toUpperCase(),
    RULE,
    `Trace ${t.id}${t.format ? ` · ${t.format}` : ''} · ${iso(t.start_ms)}${duration} · ${t.spans.length} spans`,
    `Models: ${models.length ? models.join(', ') : 'none recorded'} · ${counts.join(', ')} · ${totals.join(' · ')}`,
  ]
  const who = [t.session_id && `Session: ${t.session_id}`, t.conversation_id && t.conversation_id !== t.session_id && `Conversation: ${t.conversation_id}`, t.distinct_id && `User: ${t.distinct_id}`].filter(Boolean)
  if (who.length) out.push(who.join(' · '))
  const errors = t.spans.filter((s) => s.error)
  if (errors.length) out.push(`Errors: ${errors.length} span${errors.length === 1 ? '' : 's'} failed (first: ${errors[0]!.error_message ?? 'no details'})`)
  if (orphans) out.push(`Note: ${orphans} ${orphans === 1 ? 'span names a parent' : 'spans name parents'} not in this trace; shown ${t.root_span_id ? 'under the root' : 'at the top'}.`)
  out.push(SEP)
  return out
}

function toolsSection(spans: Span[]): string[] {
  const defs = new Map<string, ToolDef>()
  for (const s of spans) for (const t of s.tools ?? []) if (!defs.has(t.name)) defs.set(t.name, t)
  if (defs.size) {
    const out = [`AVAILABLE TOOLS: ${defs.size}`]
    for (const t of defs.values()) {
      out.push(`  ${toolSignature(t)}`)
      if (t.description) out.push(`    ${firstSentence(t.description)}`)
    }
    return [...out, SEP]
  }
  // No definitions recorded (OTel GenAI): the tools seen in calls, with the argument names used.
  const used = new Map<string, Set<string>>()
  for (const s of spans) {
    const calls = [...(s.tool_calls ?? []), ...(s.output ?? []).flatMap((m) => m.parts.filter((p) => p.type === 'tool_call'))] as ToolCall[]
    for (const c of calls) {
      const args = used.get(c.name) ?? used.set(c.name, new Set()).get(c.name)!
      if (c.arguments && typeof c.arguments === 'object' && !Array.isArray(c.arguments)) for (const k of Object.keys(c.arguments)) args.add(k)
    }
  }
  if (!used.size) return []
  return [`TOOLS USED: ${used.size} (no definitions recorded)`, ...[...used].map(([name, args]) => `  ${name}(${[...args].join(', ')})`), SEP]
}

/** Spans with a model call that recorded messages at or below them (tree given in pre-order). */
function conversationCover(tree: { span: Span; depth: number }[]): Set<string> {
  const covered = new Set<string>()
  const stack: Span[] = []
  for (const { span, depth } of tree) {
    stack.length = depth
    stack.push(span)
    if (span.kind === 'llm' && (span.input || span.output)) for (const s of stack) covered.add(s.span_id)
  }
  return covered
}

export function renderTrace(t: TraceDetail): RenderedTrace {
  const tree = spanTree(t)
  const head = header(t, t.spans.filter((s) => s.orphan).length)
  const w = new Writer()
  w.lines.push(...toolsSection(t.spans))
  const bodyStart = w.lines.length
  const coveredBy = conversationCover(tree)
  // Tool results the conversation itself shows (role tool messages); tool spans add the rest.
  const shownResults = new Set<string>()
  for (const s of t.spans) for (const m of s.input ?? []) if (m.tool_call_id) shownResults.add(m.tool_call_id)
  const errorsShown = new Set<string>()
  let shown: string[] = []

  // A call's error always shows; a parent that only repeats what a call below it said does not.
  const error = (s: Span, parent = false) => {
    const msg = s.error_message ?? 'An error occurred (no details available)'
    if (parent && errorsShown.has(msg)) return
    errorsShown.add(msg)
    w.note(`ERROR in ${s.kind} ${s.name ?? ''}`.trimEnd() + `: ${msg}`)
  }

  // A parent's error is told after what happened inside it (a failed turn ends with its error).
  const pending: { span: Span; depth: number }[] = []
  const flush = (depth: number) => {
    while (pending.length && pending.at(-1)!.depth >= depth) error(pending.pop()!.span, true)
  }
  for (const { span: s, depth } of tree) {
    flush(depth)
    if (s.kind === 'llm') {
      const input = s.input ?? []
      const keys = input.map(keyOf)
      let k = 0
      while (k < keys.length && k < shown.length && keys[k] === shown[k]) k++
      for (const m of input.slice(k)) w.message(m)
      shown = [...keys]
      if (s.error) error(s)
      for (const m of s.output ?? []) {
        w.message(m)
        shown.push(keyOf(m))
      }
    } else if (s.kind === 'embedding') {
      const text = (s.input ?? []).flatMap((m) => m.parts).map((p) => (p.type === 'text' ? p.text : '')).join(' ')
      w.note(`EMBEDDING ${s.model ?? ''}`.trimEnd() + (text ? `: ${text.replace(/\s+/g, ' ')}` : ''))
      if (s.error) error(s)
    } else if (s.kind === 'tool') {
      const call = s.tool_calls?.[0]
      if (!(call?.id && shownResults.has(call.id))) {
        const tool: Message = { role: 'tool', name: call?.name ?? s.name ?? undefined, parts: [] }
        if (call) tool.parts.push({ type: 'text', text: `Called: ${callSignature(call)}` })
        for (const m of s.output ?? []) tool.parts.push(...m.parts)
        w.message(tool)
      }
      if (s.error) error(s)
    } else {
      // Agent, chain, trace and custom spans: their input/output only where no model call below
      // them recorded the conversation (a turn whose call failed without a span, OTel without logs).
      if (!coveredBy.has(s.span_id)) for (const m of [...(s.input ?? []), ...(s.output ?? [])]) w.message(m)
      if (s.error) pending.push({ span: s, depth })
    }
  }
  flush(0)
  if (w.lines.length === bodyStart) w.note('(no messages recorded)')
  for (const f of t.feedback) w.note(`${f.kind === 'metric' ? 'METRIC' : 'FEEDBACK'}: ${f.name} = ${f.value}`)
  return { lines: [...head, ...w.lines], headerLines: head.length, messageLines: w.messageLines.map((i) => i + head.length) }
}
