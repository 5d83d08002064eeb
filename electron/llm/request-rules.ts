// What the real APIs accept, by model family rather than by host (a proxy or Azure serves the same
// models as api.openai.com):
// - OpenAI reasoning models (o1, o3, o4-mini, gpt-5 but not gpt-5-chat) refuse `max_tokens` and any
//   `temperature` but 1; they take `max_completion_tokens`, which counts their hidden reasoning
//   tokens too, and `reasoning_effort` (not o1-mini / o1-preview). Other models take `max_tokens`
//   everywhere (the compatible servers: Ollama, llama.cpp, LM Studio, vLLM), and api.openai.com
//   takes `max_completion_tokens` for every model.
// - Gemini 2.5 and later think by default, and thoughts count against `maxOutputTokens`. 2.5 takes
//   `thinkingConfig.thinkingBudget` (Pro: 128–32768, cannot be off; Flash: 0–24576; Flash-Lite:
//   off unless asked); 3 takes `thinkingLevel`. Earlier models refuse a thinkingConfig.
// So a reasoning model gets a low effort or a bounded budget, and the cap is raised by the room
// reasoning may take, so that the answer keeps the whole budget the caller asked for.
import { ThinkingLevel, type ThinkingConfig } from '@google/genai'

/** Room added to the output cap for a low-effort reasoning pass (OpenAI's guide suggests reserving ~25k for full effort). */
export const REASONING_ROOM = 8192
export const THINKING_BUDGET = 1024

/** The model's own name: proxies often prefix a vendor (`openai/gpt-5`). */
const bare = (model: string) => model.toLowerCase().replace(/^.*\//, '')

export function isOpenAIReasoning(model: string): boolean {
  const m = bare(model)
  return /^o\d+(?:-|$)/.test(m) || (/^gpt-5/.test(m) && !/-chat/.test(m))
}

/** Output-length, reasoning and sampling fields of a chat completion request. */
export function openaiOutputParams(model: string, officialHost: boolean, maxOut: number | undefined, temperature: number | undefined): Record<string, unknown> {
  const reasoning = isOpenAIReasoning(model)
  const out: Record<string, unknown> = {}
  if (reasoning && !/^o1-(?:mini|preview)/.test(bare(model))) out.reasoning_effort = 'low'
  if (maxOut) out[reasoning || officialHost ? 'max_completion_tokens' : 'max_tokens'] = reasoning ? maxOut + REASONING_ROOM : maxOut
  if (temperature !== undefined && !reasoning) out.temperature = temperature
  return out
}

/** Gemini's thinking settings and the room to add to maxOutputTokens for them. */
export function geminiThinking(model: string): { thinkingConfig?: ThinkingConfig; room: number } {
  const m = bare(model).replace(/^models\//, '')
  if (/^gemini-2\.5-flash-lite/.test(m)) return { room: 0 } // thinks only when asked
  if (/^gemini-2\.5/.test(m)) return { thinkingConfig: { thinkingBudget: THINKING_BUDGET }, room: 2 * THINKING_BUDGET } // a budget is a target, not a hard cap
  if (/^gemini-(?:[3-9]|\d{2,})/.test(m)) return { thinkingConfig: { thinkingLevel: ThinkingLevel.LOW }, room: REASONING_ROOM }
  return { room: 0 }
}
