// What the model must return for a session: sent as a JSON schema (structured output) and
// validated with zod on return. Times are seconds from the session start and evidence is cited by
// row number (`e` in the event table): both cheaper for the model than epoch ms and event ids.
import { z } from 'zod'

export const ModelFlag = z.object({
  type: z.string().describe('short snake_case kind, e.g. checkout_error, dead_button, slow_search, third_party_errors'),
  label: z.enum(['blocking', 'friction', 'noise']).describe('blocking: stopped the user reaching their goal; friction: slowed or annoyed them; noise: errors or oddities the user did not notice'),
  t_s: z.number().describe('seconds from session start'),
  event_refs: z.array(z.number().int()).describe('row numbers (e) that show it'),
  confidence: z.number().min(0).max(1),
  title: z.string(),
  explanation: z.string(),
})

export const SessionSummarySchema = z.object({
  goal: z.string().describe("the user's goal, inferred from what they did"),
  outcome: z.enum(['succeeded', 'partly', 'failed', 'unclear']),
  outcome_reason: z.string(),
  segments: z
    .array(z.object({ start_s: z.number(), end_s: z.number(), title: z.string(), what_happened: z.string() }))
    .describe('the session cut into consecutive phases'),
  key_moments: z.array(z.object({ t_s: z.number(), description: z.string(), event_refs: z.array(z.number().int()) })),
  flags: z.array(ModelFlag),
})

export type SessionSummaryOut = z.infer<typeof SessionSummarySchema>
