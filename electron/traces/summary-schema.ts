// What a model must return for a trace: PostHog's summary shape (products/llm_analytics/backend/
// summarization/llm/schema.py): a short title, an ASCII flow diagram, 3–10 bullets and notes, each
// with ONE line reference into the L001: text. Sent as a JSON schema, validated with zod on return.
import { createHash } from 'node:crypto'
import { z } from 'zod'

const LineRefText = z.object({
  text: z.string().describe('the point itself, without line numbers'),
  line_refs: z.string().describe("the single most relevant line, like 'L045' (no ranges, no lists); '' when none applies"),
})

export const TraceSummarySchema = z.object({
  title: z.string().describe('a concise title, no longer than 10 words, of the main purpose or outcome of the trace'),
  flow_diagram: z.string().describe('an ASCII flow of the main steps, top to bottom: ↓ between steps, ├─→ └─→ for branches, ✓ success, ✗ failure'),
  summary_bullets: z.array(LineRefText).describe('3-10 bullets: what the user wanted, what was done, what came of it'),
  interesting_notes: z.array(LineRefText).describe('what someone responsible for the system would want to know: errors, retries, strong user emotion, odd tool use; [] when nothing'),
})

export type TraceSummaryOut = z.infer<typeof TraceSummarySchema>

export const SYSTEM = `You summarize traces of an LLM application for the people who run it.
You get a trace as line-numbered text: a header, the tools the model was given, then the conversation in order (messages as [n] ROLE, tool calls as name(arg=…), tool results, errors).
Lines such as [SAMPLED VIEW: …] mean lines were left out to fit: gaps in the line numbers are omitted content.

Return JSON with:
- title: at most 10 words, the main purpose or outcome (e.g. "Refund request for a damaged order", "Failed password reset after rate limit").
- flow_diagram: 4-10 main steps, top to bottom, with ↓ between steps, ├─→ and └─→ for branches, ✓ for success, ✗ for errors.
- summary_bullets: 3-10 points on what the user wanted, what the assistant and its tools did, and the outcome.
- interesting_notes: errors, retries, refusals, strong user emotion, surprising tool use; [] when there is nothing notable.
Each bullet and note has line_refs: ONE line of the text, like "L045", that shows it best (no ranges, no lists; "" when none fits). Never put line numbers in the text itself.
Fewer, higher-signal points are better than padding.`

/** Changes whenever the prompt or the schema does: summaries made with another version are made again. */
export const PROMPT_VERSION = `v1-${createHash('sha256').update(SYSTEM).update(JSON.stringify(z.toJSONSchema(TraceSummarySchema))).digest('hex').slice(0, 8)}`

/** The offline summary's own version (extractive.ts). */
export const EXTRACTIVE_VERSION = 'extractive-v1'
