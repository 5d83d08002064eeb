// Verification stage: a flag and the clip of its moment go to a multimodal model, which says
// whether the user saw the problem (confirmed / denied / inconclusive), what they saw and did
// next, and when. Clips are made by the clips stage; the app wires the two (electron/app/verify.ts).
import { estimateCost, Redactor, type Provider, type RedactCategory } from '../llm'
import { verifyMessages, type ClipToSend, type FlagToVerify } from './prompt'
import { VerdictSchema } from './schema'

export { planMedia, spreadFrames, type MediaPlan, type MediaLimits } from './media'
export { clipTokens, framesWithin, openaiImageTokens, DEFAULT_VIDEO_TOKEN_BUDGET, DEFAULT_MAX_IMAGES } from './estimate'
export { verifyMessages, sessionTime, SYSTEM, type ClipToSend, type FlagToVerify } from './prompt'
export { VerdictSchema, type VerdictOut } from './schema'

export interface ModelVerdict {
  status: 'confirmed' | 'denied' | 'inconclusive'
  saw: string
  next: string
  /** Epoch ms, within the clip. */
  evidence_ms: number[]
  explanation: string
  model: string
  tokens: { input: number; output: number }
  /** null when the price table does not know the model; 0 on this machine. */
  cost_usd: number | null
}

const MAX_OUTPUT_TOKENS = 1_000

export async function askModel(provider: Provider, flag: FlagToVerify, clip: ClipToSend, opts: { redactOff?: RedactCategory[]; signal?: AbortSignal } = {}): Promise<ModelVerdict> {
  const messages = verifyMessages(flag, clip, new Redactor(opts.redactOff ?? []))
  const r = await provider.structured({ messages, schema: VerdictSchema, schemaName: 'clip_verdict', maxOutputTokens: MAX_OUTPUT_TOKENS, temperature: 0, signal: opts.signal })
  const v = r.value
  return {
    status: v.verdict,
    saw: v.what_user_saw,
    next: v.what_user_did_next,
    evidence_ms: v.evidence_s.map((s) => Math.round(Math.min(clip.end_ms, clip.start_ms + s * 1000))),
    explanation: v.explanation,
    model: r.model,
    tokens: { input: r.usage.input_tokens, output: r.usage.output_tokens },
    cost_usd: estimateCost(provider.model, r.usage.input_tokens, r.usage.output_tokens, !provider.cloud),
  }
}
