// What a model must answer about a clip: sent as a JSON schema (structured output) and checked
// with zod on return. Times are seconds from the clip's start: what a model can read off a video.
import { z } from 'zod'

export const VerdictSchema = z.object({
  verdict: z
    .enum(['confirmed', 'denied', 'inconclusive'])
    .describe('confirmed: the clip shows the problem hurting the user; denied: the clip shows it did not (nothing visible, or the user went on unhindered); inconclusive: the clip cannot tell'),
  what_user_saw: z.string().describe('what the screen showed the user around the flagged moment, plainly'),
  what_user_did_next: z.string().describe('what the user did after it (retried, left, went on, waited)'),
  evidence_s: z.array(z.number().min(0)).describe('seconds from the start of the clip where the evidence is seen'),
  explanation: z.string().describe('why this verdict, in one or two sentences'),
})

export type VerdictOut = z.infer<typeof VerdictSchema>
