// Every message shape the instrumentations write, into one: OpenAI chat (content string or parts,
// tool_calls, role tool), the PostHog wrapper's `{type:'function'}` parts, Anthropic blocks
// (tool_use / tool_result / thinking), Vercel AI SDK (`tool-call`), OpenAI Responses items
// (function_call, function_call_output, reasoning), OTel GenAI `parts`, ChatML, plain strings.
import type { Message, MessagePart, ToolCall, ToolDef } from '../../../shared/trace-model'

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null)

/** JSON text becomes a value (tool arguments, JSON-string attributes); anything else stays. */
export function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v
  const s = v.trim()
  if (!(s.startsWith('{') || s.startsWith('['))) return v
  try {
    return JSON.parse(s)
  } catch {
    return v
  }
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return ''
  if (Array.isArray(v)) return v.map((x) => (isObj(x) ? (str(x.text) ?? str(x.content) ?? JSON.stringify(x)) : textOf(x))).join('\n')
  return JSON.stringify(v)
}

function mediaRef(v: unknown): string | null {
  const url = isObj(v) ? (str(v.url) ?? str(v.uri) ?? str(v.file_id) ?? null) : str(v)
  if (url === null) return null
  // Inline data would flood the text: keep its kind and size only.
  if (url.startsWith('data:')) return `${url.slice(0, url.indexOf(';') > 0 ? url.indexOf(';') : 30)} (${url.length} chars)`
  return url
}

export function normalizePart(p: unknown): MessagePart | null {
  if (typeof p === 'string') return { type: 'text', text: p }
  if (!isObj(p)) return p === null || p === undefined ? null : { type: 'json', value: p }
  const type = str(p.type)?.toLowerCase() ?? null
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: textOf(p.text ?? p.content) }
    case 'refusal':
      return { type: 'text', text: textOf(p.refusal) }
    case 'thinking':
    case 'reasoning':
    case 'redacted_thinking':
      return { type: 'reasoning', text: textOf(p.thinking ?? p.text ?? p.content ?? p.summary ?? '') }
    case 'function': {
      const f = isObj(p.function) ? p.function : p
      return { type: 'tool_call', id: str(p.id), name: str(f.name) ?? 'unknown', arguments: maybeJson(f.arguments) }
    }
    case 'tool_use':
    case 'server_tool_use':
      return { type: 'tool_call', id: str(p.id), name: str(p.name) ?? 'unknown', arguments: maybeJson(p.input) }
    case 'tool-call':
      return { type: 'tool_call', id: str(p.toolCallId) ?? str(p.id), name: str(p.toolName) ?? str(p.name) ?? 'unknown', arguments: maybeJson(p.input ?? p.args) }
    case 'tool_call':
    case 'function_call':
      return { type: 'tool_call', id: str(p.id) ?? str(p.call_id), name: str(p.name) ?? 'unknown', arguments: maybeJson(p.arguments) }
    case 'tool_result':
      return { type: 'tool_result', id: str(p.tool_use_id) ?? str(p.id), name: str(p.name), content: textOf(p.content) }
    case 'tool-result':
      return { type: 'tool_result', id: str(p.toolCallId), name: str(p.toolName), content: textOf(p.output ?? p.result) }
    case 'tool_call_response':
    case 'function_call_output':
      return { type: 'tool_result', id: str(p.id) ?? str(p.call_id), name: str(p.name), content: textOf(p.response ?? p.result ?? p.output) }
    case 'image_url':
      return { type: 'media', kind: 'image', ref: mediaRef(p.image_url) }
    case 'image':
    case 'input_image':
      return { type: 'media', kind: 'image', ref: mediaRef(p.image_url ?? p.url ?? p.image ?? (isObj(p.source) ? p.source : null)) }
    case 'input_audio':
    case 'audio':
      return { type: 'media', kind: 'audio', ref: null }
    case 'file':
    case 'input_file':
    case 'document':
      return { type: 'media', kind: 'file', ref: isObj(p.file) ? (str(p.file.filename) ?? str(p.file.file_id)) : (str(p.filename) ?? null) }
    case 'blob':
    case 'uri':
      return { type: 'media', kind: str(p.modality) ?? str(p.mime_type) ?? type, ref: str(p.uri) }
    case null:
      if (typeof p.text === 'string') return { type: 'text', text: p.text }
      return { type: 'json', value: p }
    default:
      if (typeof p.text === 'string') return { type: 'text', text: p.text }
      return { type: 'media', kind: type, ref: null }
  }
}

function partsOf(content: unknown): MessagePart[] {
  if (content === null || content === undefined || content === '') return []
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  const list = Array.isArray(content) ? content : [content]
  return list.map(normalizePart).filter((p): p is MessagePart => p !== null)
}

function toolCallPart(tc: unknown): MessagePart | null {
  if (!isObj(tc)) return null
  const f = isObj(tc.function) ? tc.function : tc
  return { type: 'tool_call', id: str(tc.id), name: str(f.name) ?? 'unknown', arguments: maybeJson(f.arguments ?? f.input ?? f.args) }
}

/** One message; `fallbackRole` when the item names none (a bare string output is the assistant's). */
export function normalizeMessage(m: unknown, fallbackRole = 'user'): Message | null {
  if (m === null || m === undefined) return null
  if (typeof m === 'string') return { role: fallbackRole, parts: [{ type: 'text', text: m }] }
  if (!isObj(m)) return { role: fallbackRole, parts: [{ type: 'json', value: m }] }
  // An OpenAI choice wraps its message.
  if (isObj(m.message) && m.role === undefined) return normalizeMessage(m.message, 'assistant')
  const type = str(m.type)
  // Responses API items that are not messages.
  if (type === 'function_call' || type === 'tool_call' || type === 'tool-call') return { role: 'assistant', parts: [normalizePart(m)!] }
  if (type === 'function_call_output') return { role: 'tool', tool_call_id: str(m.call_id) ?? undefined, parts: [{ type: 'text', text: textOf(m.output) }] }
  if (type === 'reasoning') return { role: 'assistant', parts: [normalizePart(m)!] }
  const role = (str(m.role) ?? (type && type !== 'message' ? type : null) ?? fallbackRole).toLowerCase()
  const parts = Array.isArray(m.parts) ? partsOf(m.parts) : partsOf(m.content ?? m.text ?? (typeof m.output === 'string' ? m.output : undefined))
  for (const tc of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
    const p = toolCallPart(tc)
    if (p) parts.push(p)
  }
  if (isObj(m.function_call)) parts.push(toolCallPart(m.function_call)!)
  const out: Message = { role, parts }
  if (str(m.name)) out.name = str(m.name)!
  // OTel parts and Anthropic blocks carry the call id on the result part, not the message.
  const resultPart = parts.find((p) => p.type === 'tool_result')
  const tcid = str(m.tool_call_id) ?? str(m.toolCallId) ?? (role === 'tool' && resultPart?.type === 'tool_result' ? resultPart.id : null)
  if (tcid) out.tool_call_id = tcid
  return out
}

/** Any message container into a list: a list, one message, `{messages}`, `{choices}`, a string. */
export function normalizeMessages(v: unknown, fallbackRole = 'user'): Message[] | null {
  v = maybeJson(v)
  if (v === null || v === undefined) return null
  if (Array.isArray(v)) return v.map((m) => normalizeMessage(m, fallbackRole)).filter((m): m is Message => m !== null)
  if (isObj(v)) {
    if (Array.isArray(v.choices)) return normalizeMessages(v.choices, 'assistant')
    if (Array.isArray(v.messages)) return normalizeMessages(v.messages, fallbackRole)
    if (Array.isArray(v.output) && v.object === 'response') return normalizeMessages(v.output, 'assistant')
  }
  const one = normalizeMessage(v, fallbackRole)
  return one ? [one] : null
}

/** Does this JSON look like chat messages (so a span's state is shown as messages, not JSON)? */
export function looksLikeMessages(v: unknown): boolean {
  const list = Array.isArray(v) ? v : [v]
  return list.length > 0 && list.every((m) => isObj(m) && typeof m.role === 'string' && ('content' in m || 'parts' in m || 'tool_calls' in m))
}

export function toolCallsOf(messages: Message[] | null): ToolCall[] | null {
  const calls: ToolCall[] = []
  for (const m of messages ?? []) for (const p of m.parts) if (p.type === 'tool_call') calls.push({ id: p.id, name: p.name, arguments: p.arguments })
  return calls.length ? calls : null
}

/** Tool definitions: OpenAI `{type:'function', function}`, Anthropic `input_schema`, Google `functionDeclarations`, a name→def map. */
export function normalizeTools(v: unknown): ToolDef[] | null {
  v = maybeJson(v)
  if (v === null || v === undefined) return null
  const out: ToolDef[] = []
  const add = (t: unknown, nameHint?: string) => {
    t = maybeJson(t)
    if (!isObj(t)) return
    if (Array.isArray(t.functionDeclarations)) return t.functionDeclarations.forEach((d) => add(d))
    const f = isObj(t.function) ? t.function : t
    const name = str(f.name) ?? nameHint
    if (!name) return
    out.push({ name, description: str(f.description), parameters: maybeJson(f.parameters ?? f.input_schema ?? f.inputSchema ?? f.json_schema ?? null) })
  }
  if (Array.isArray(v)) v.forEach((t) => add(t))
  else if (isObj(v)) {
    if ('name' in v || 'function' in v || 'functionDeclarations' in v) add(v)
    else for (const [k, t] of Object.entries(v)) add(t, k)
  }
  return out.length ? out : null
}
