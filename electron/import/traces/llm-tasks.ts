// PostHog-LLM `llm-task` events ($llm_input string or ChatML history, $llm_output) and their
// feedback events. A conversation is the tasks sharing a $session_id; without one, a task whose
// history is an earlier task's input + output continues that task's conversation. The link is
// made by content hash after the whole file is read, so file order does not matter.
import type { Message } from '../../../shared/trace-model'
import { parseTime } from '../timestamps'
import { isObj, normalizeMessages, str } from './messages'
import { propsOf } from './posthog'
import { hashOf, type TraceSink } from './sink'

export const TASK_EVENT = 'llm-task'
/** PostHog-LLM names no feedback event; these are the names we accept (see the field notes). */
export const TASK_FEEDBACK_EVENTS = new Set(['llm-feedback', 'llm-task-feedback', 'llm_feedback'])

const PENDING = '\u0000task:'

/** Role and text only, with `agent` = `assistant` (PostHog-LLM's demo data says agent). */
function stateKey(messages: Message[]): string {
  return hashOf(
    JSON.stringify(
      messages.map((m) => [m.role === 'agent' ? 'assistant' : m.role, m.parts.map((p) => (p.type === 'text' ? p.text : JSON.stringify(p))).join('\n')]),
    ),
  )
}

/** The exchange a feedback event quotes: the last input message and the reply, for one person. */
function exchangeKey(distinct: string | null, input: Message[], output: Message[] | null): string {
  return stateKey([{ role: 'person', parts: [{ type: 'text', text: distinct ?? '' }] }, ...input.slice(-1), ...(output ?? [])])
}

interface TaskNode {
  pending: string
  exchange: string
  uuid: string
  time: number
  /** Hash of the conversation after this task (input + output). */
  after: string
  /** Hash of the conversation this task continues (its history without the last message). */
  before: string | null
}

export class TaskLinker {
  private nodes: TaskNode[] = []
  private feedbackLinks: { pending: string; state: string }[] = []

  constructor(private readonly sink: TraceSink) {}

  read(ev: Record<string, unknown>): void {
    const p = propsOf(ev)
    const time = parseTime(ev.timestamp) ?? parseTime(p.$time)
    const uuid = str(ev.uuid) ?? hashOf(JSON.stringify(ev))
    const session = str(p.$session_id)
    const input = normalizeMessages(p.$llm_input, 'user') ?? []
    // The seed article's own example misspells the property.
    const outputText = p.$llm_output ?? p.$llm_ouput
    const output = normalizeMessages(outputText, 'assistant')
    const history = [...input, ...(output ?? [])]
    const distinct = str(ev.distinct_id) ?? (isObj(p) ? str(p.distinct_id) : null)

    if (TASK_FEEDBACK_EVENTS.has(String(ev.event))) {
      const value = p.feedback ?? p.$llm_feedback ?? p.rating ?? p.value
      const fb = { uuid, kind: 'feedback', name: 'feedback', value: typeof value === 'string' ? value : JSON.stringify(value ?? null), time_ms: time }
      if (session) return this.sink.feedback({ ...fb, trace_id: session })
      const pending = `${PENDING}fb:${uuid}`
      this.feedbackLinks.push({ pending, state: exchangeKey(distinct, input, output) })
      return this.sink.feedback({ ...fb, trace_id: pending })
    }

    const traceId = session ?? `${PENDING}${uuid}`
    if (!session) {
      this.nodes.push({ pending: traceId, exchange: exchangeKey(distinct, input, output), uuid, time: time ?? 0, after: stateKey(history), before: input.length > 1 ? stateKey(input.slice(0, -1)) : null })
    }
    const attributes: Record<string, unknown> = { event: String(ev.event), uuid }
    for (const [k, v] of Object.entries(p)) if (k !== '$llm_input' && k !== '$llm_output' && k !== '$llm_ouput') attributes[k] = v
    this.sink.span({
      trace_id: traceId,
      span_id: uuid,
      parent_id: null,
      kind: 'llm',
      name: TASK_EVENT,
      model: str(p.$llm_model) ?? str(p.model),
      provider: str(p.$llm_provider) ?? null,
      input,
      output,
      tools: null,
      tool_calls: null,
      input_tokens: null,
      output_tokens: null,
      cost_usd: null,
      latency_ms: null,
      start_ms: time,
      end_ms: time,
      error: false,
      error_message: null,
      content: 'span',
      session_id: session,
      conversation_id: session,
      distinct_id: distinct,
      format: 'llm-task',
      attributes,
    })
  }

  /**
   * Final trace ids for the tasks without a session: union the chains, name each conversation
   * after its earliest task's uuid. Feedback finds its task by the exchange it quotes.
   */
  resolve(): Map<string, string> {
    const parent = new Map<string, string>()
    const find = (x: string): string => {
      let r = x
      while (parent.get(r) !== r && parent.has(r)) r = parent.get(r)!
      parent.set(x, r)
      return r
    }
    const byAfter = new Map<string, TaskNode>()
    const sorted = [...this.nodes].sort((a, b) => a.time - b.time || (a.uuid < b.uuid ? -1 : 1))
    const order = new Map(sorted.map((n, i) => [n.pending, i]))
    for (const n of sorted) {
      parent.set(n.pending, n.pending)
      if (!byAfter.has(n.after)) byAfter.set(n.after, n)
    }
    for (const n of sorted) {
      const prev = n.before ? byAfter.get(n.before) : undefined
      if (prev && prev !== n) {
        const a = find(prev.pending)
        const b = find(n.pending)
        if (a !== b) {
          // The earlier conversation's root wins, so the id is the first task's uuid.
          const [keep, drop] = order.get(a)! <= order.get(b)! ? [a, b] : [b, a]
          parent.set(drop, keep)
        }
      }
    }
    const out = new Map<string, string>()
    const uuidOf = new Map(sorted.map((n) => [n.pending, n.uuid]))
    for (const n of sorted) out.set(n.pending, uuidOf.get(find(n.pending))!)
    const byExchange = new Map<string, TaskNode>()
    for (const n of sorted) if (!byExchange.has(n.exchange)) byExchange.set(n.exchange, n)
    for (const f of this.feedbackLinks) {
      const task = byExchange.get(f.state)
      if (task) out.set(f.pending, out.get(task.pending)!)
    }
    return out
  }

  /** Ids that resolve() could not place start with this (feedback on a task not in the file). */
  static readonly pendingPrefix = PENDING
}
