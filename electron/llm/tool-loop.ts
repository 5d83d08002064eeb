// A conversation with tools, run to its end within a budget: ask the model, run the tools it
// calls (bad arguments and unknown tools are answered as errors for it to correct), ask again —
// until it answers without tools, `done()` says so, or calls / tokens run out.
import type { ChatMessage, Provider, ToolSpec } from './types'

export interface ToolHandler {
  spec: ToolSpec
  run: (args: Record<string, unknown>) => unknown
}

export interface ToolLoopOptions {
  messages: ChatMessage[]
  tools: ToolHandler[]
  /** Model calls at most. */
  maxCalls: number
  /** Input + output tokens at most (checked before each call). */
  maxTokens: number
  maxOutputTokens?: number
  /** Ends the loop once true (e.g. the work is done). */
  done?: () => boolean
  signal?: AbortSignal
}

export interface ToolLoopResult {
  ended: 'answered' | 'done' | 'budget'
  calls: number
  usage: { input_tokens: number; output_tokens: number }
  messages: ChatMessage[]
}

/** Tool results longer than this are cut (a trace's details can be long): the model's context is the limit. */
const MAX_RESULT_CHARS = 20_000

export async function runToolLoop(provider: Provider, o: ToolLoopOptions): Promise<ToolLoopResult> {
  if (!provider.toolsTurn) throw new Error(`${provider.name} cannot call tools`)
  const messages = [...o.messages]
  const usage = { input_tokens: 0, output_tokens: 0 }
  const byName = new Map(o.tools.map((t) => [t.spec.name, t]))
  let calls = 0
  for (;;) {
    if (o.done?.()) return { ended: 'done', calls, usage, messages }
    if (calls >= o.maxCalls || usage.input_tokens + usage.output_tokens >= o.maxTokens) return { ended: 'budget', calls, usage, messages }
    const turn = await provider.toolsTurn({ messages, tools: o.tools.map((t) => t.spec), ...(o.maxOutputTokens ? { maxOutputTokens: o.maxOutputTokens } : {}), ...(o.signal ? { signal: o.signal } : {}) })
    calls++
    usage.input_tokens += turn.usage.input_tokens
    usage.output_tokens += turn.usage.output_tokens
    messages.push({ role: 'assistant', content: turn.content, ...(turn.toolCalls.length ? { tool_calls: turn.toolCalls } : {}) })
    if (!turn.toolCalls.length) return { ended: o.done?.() ? 'done' : 'answered', calls, usage, messages }
    for (const call of turn.toolCalls) {
      let content: string
      const tool = byName.get(call.name)
      try {
        if (!tool) throw new Error(`unknown tool ${call.name}; the tools are ${[...byName.keys()].join(', ')}`)
        let args: unknown
        try {
          args = call.arguments.trim() ? JSON.parse(call.arguments) : {}
        } catch {
          throw new Error(`the arguments are not JSON: ${call.arguments.slice(0, 200)}`)
        }
        if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error('the arguments must be a JSON object')
        content = JSON.stringify(await tool.run(args as Record<string, unknown>) ?? { ok: true })
      } catch (e) {
        content = JSON.stringify({ error: (e as Error).message })
      }
      if (content.length > MAX_RESULT_CHARS) content = `${content.slice(0, MAX_RESULT_CHARS)}… [cut at ${MAX_RESULT_CHARS} characters]`
      messages.push({ role: 'tool', tool_call_id: call.id, name: call.name, content })
    }
  }
}
