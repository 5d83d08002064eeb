// Verifying flags with a model: what is asked (shared by the Session page and `sightline verify`),
// the estimate shown before a cloud call, and what the job answers.
import { z } from 'zod'
import type { FlagStatus } from './summary'

export const VerifyInput = z
  .object({
    id: z.string().min(1).max(500),
    /** These flags; absent: every flag of the session a person has not decided and that is not noise. */
    flag_ids: z.array(z.number().int().min(1)).min(1).max(500).optional(),
    /** none is refused with what to do instead (verify by hand). */
    provider: z.enum(['none', 'openai', 'gemini']).optional(),
    model: z.string().min(1).max(200).optional(),
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    offline: z.boolean().optional(),
    /** Draw every recorded text as asterisks in the clips sent (default: the clip_mask_text setting). */
    mask_text: z.boolean().optional(),
    /** Video or image tokens per flag (default 3,000). */
    budget_tokens: z.number().int().min(258).max(100_000).optional(),
    /** Images per flag for OpenAI-style models (default 10). */
    max_images: z.number().int().min(1).max(50).optional(),
    before_ms: z.number().int().min(0).max(60_000).optional(),
    after_ms: z.number().int().min(0).max(60_000).optional(),
  })
  .strict()

export type VerifyRequest = z.input<typeof VerifyInput>

/** What a verification would send and cost, shown before anything leaves the machine. */
export interface VerifyEstimate {
  provider: 'openai' | 'gemini'
  model: string
  base_url: string
  /** The clips leave this machine (non-loopback host). */
  cloud: boolean
  /** Offline mode is on and the host is not loopback: a run would be refused. */
  offline_refused: boolean
  flags: { id: number; title: string; time_ms: number }[]
  /** How each clip goes: a video sampled at `fps` (Gemini) or `frames` images (OpenAI-style). */
  media: { kind: 'video' | 'frames'; frames: number; fps: number | null; width: number; height: number; seconds: number }
  media_tokens_per_flag: number
  estimated_input_tokens: number
  estimated_output_tokens: number
  /** null when the price table does not know the model. */
  estimated_cost_usd: number | null
  mask_text: boolean
  /** What redaction cannot do, in words for the person about to send. */
  notice: string
}

export interface FlagVerdictResult {
  flag_id: number
  status: FlagStatus
  /** The model's reason (or why its verdict was not applied). */
  explanation: string
  clip: { clip_id: number; file: string; start_ms: number; end_ms: number; frames: number; fps: number } | null
  saw: string | null
  next: string | null
  evidence_ms: number[]
  /** false when a person had already decided: their decision stays. */
  applied: boolean
  tokens: number
  cost_usd: number | null
  error?: string
}

export interface VerifyJobResult {
  session_id: string
  provider: 'openai' | 'gemini'
  model: string
  flags: FlagVerdictResult[]
  /** The summary version made from the verdicts (null: no summary, or nothing changed). */
  summary_version: number | null
  cost_usd: number | null
}
