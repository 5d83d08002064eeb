// How a clip goes to a model within its token budget: Gemini gets the video and samples it at a
// rate that fits the budget (1 fps at most, its default); OpenAI-style models get evenly spaced
// frames as images (≤ 10 by default). The same plan makes the estimate shown before a cloud call.
import { openaiImageRule } from '../llm/prices'
import { clipTokens, DEFAULT_MAX_IMAGES, DEFAULT_VIDEO_TOKEN_BUDGET, framesWithin } from './estimate'

export type MediaPlan = { kind: 'video'; fps: number; frames: number; media_tokens: number } | { kind: 'frames'; frames: number; media_tokens: number }

export interface MediaLimits {
  /** Video (or image) tokens per flag (default 3,000). */
  budget?: number
  /** Images per flag for OpenAI-style providers (default 10). */
  max_images?: number
}

/** `model`: an OpenAI model's image pricing decides how many frames fit (tiles or patches, prices.ts). */
export function planMedia(provider: 'gemini' | 'openai', model: string, durationMs: number, size: { width: number; height: number }, limits: MediaLimits = {}): MediaPlan {
  const budget = limits.budget ?? DEFAULT_VIDEO_TOKEN_BUDGET
  const seconds = Math.max(1, Math.ceil(durationMs / 1000))
  if (provider === 'gemini') {
    const allowed = framesWithin('gemini', size, budget)
    // Gemini samples `fps` frames a second (0 < fps ≤ 24; default 1): fewer when the clip is long.
    const fps = Math.min(1, Math.floor((allowed / seconds) * 100) / 100) || 0.01
    const frames = Math.max(1, Math.floor(seconds * fps))
    return { kind: 'video', fps, frames, media_tokens: clipTokens('gemini', frames, size).media_tokens }
  }
  const rule = openaiImageRule(model)
  const frames = Math.min(seconds, framesWithin('openai', size, budget, limits.max_images ?? DEFAULT_MAX_IMAGES, rule))
  return { kind: 'frames', frames, media_tokens: clipTokens('openai', frames, size, rule).media_tokens }
}

/** `n` frame indices spread evenly over a clip of `total` frames (first and last included when n ≥ 2). */
export function spreadFrames(total: number, n: number): number[] {
  if (n >= total) return Array.from({ length: total }, (_, i) => i)
  if (n <= 1) return [Math.floor((total - 1) / 2)]
  return Array.from({ length: n }, (_, i) => Math.round((i * (total - 1)) / (n - 1)))
}
