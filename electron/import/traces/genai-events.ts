// OTel GenAI content carried as events, either OTLP log records (linked to their span by trace
// and span id, often in another file) or span events: gen_ai.system|user|assistant|tool.message,
// gen_ai.choice, gen_ai.content.prompt|completion, gen_ai.client.inference.operation.details.
import type { Message } from '../../../shared/trace-model'
import { isObj, maybeJson, normalizeMessage, normalizeMessages, str } from './messages'

export interface GenAiEvent {
  event: string
  body: unknown
}

/** Is this log record or span event message content we understand? */
export function isGenAiContentEvent(name: string): boolean {
  return /^gen_ai\.(system|user|assistant|tool)\.message$|^gen_ai\.choice$|^gen_ai\.content\.(prompt|completion)$|^gen_ai\.client\.inference\.operation\.details$/.test(name)
}

export function messagesFromEvents(events: GenAiEvent[]): { input: Message[] | null; output: Message[] | null } {
  const input: Message[] = []
  const choices: { index: number; m: Message }[] = []
  const output: Message[] = []
  for (const { event, body: raw } of events) {
    const body = maybeJson(raw)
    const b = isObj(body) ? body : { content: body }
    switch (event) {
      case 'gen_ai.system.message':
      case 'gen_ai.user.message':
      case 'gen_ai.assistant.message':
      case 'gen_ai.tool.message': {
        const role = str(b.role) ?? event.split('.')[1]!
        const m = normalizeMessage({ ...b, role, content: b.content ?? null, tool_call_id: b.tool_call_id ?? (role === 'tool' ? b.id : undefined) }, role)
        if (m) input.push(m)
        break
      }
      case 'gen_ai.choice': {
        const msg = isObj(b.message) ? b.message : b
        const m = normalizeMessage({ role: 'assistant', ...msg, content: msg.content ?? null }, 'assistant')
        if (m) choices.push({ index: Number(b.index ?? choices.length) || 0, m })
        break
      }
      case 'gen_ai.content.prompt':
        input.push(...(normalizeMessages(b['gen_ai.prompt'] ?? b.content, 'user') ?? []))
        break
      case 'gen_ai.content.completion':
        output.push(...(normalizeMessages(b['gen_ai.completion'] ?? b.content, 'assistant') ?? []))
        break
      case 'gen_ai.client.inference.operation.details': {
        const sys = normalizeMessages(b['gen_ai.system_instructions'], 'system')
        if (sys) input.push(...sys.map((m) => ({ ...m, role: 'system' })))
        input.push(...(normalizeMessages(b['gen_ai.input.messages'], 'user') ?? []))
        output.push(...(normalizeMessages(b['gen_ai.output.messages'], 'assistant') ?? []))
        break
      }
    }
  }
  choices.sort((a, b) => a.index - b.index)
  output.push(...choices.map((c) => c.m))
  return { input: input.length ? input : null, output: output.length ? output : null }
}
