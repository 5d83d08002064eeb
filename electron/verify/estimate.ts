// What a clip costs a model before it is sent: Gemini bills video per sampled frame (1 fps, 258
// tokens a frame on 1.5/2.x), OpenAI takes no video, so frames go as images billed by 512-px tiles
// (detail high: fit in 2048², short side down to 768; 85 base + 170 a tile; detail low: 85).
// A verification stays within a token budget for the video (default 3,000 per flag).

import { GEMINI_MEDIA, openaiImageTokens, type OpenAIImageRule } from '../llm/prices'

// The media token numbers live in the price table (llm/prices.ts); re-exported for the callers here.
export { openaiImageTokens }
export const GEMINI_TOKENS_PER_FRAME = GEMINI_MEDIA.tokens_per_frame
export const DEFAULT_VIDEO_TOKEN_BUDGET = 3_000
/** OpenAI-style providers get at most this many frames as images by default. */
export const DEFAULT_MAX_IMAGES = 10

export interface ClipEstimate {
  provider: 'gemini' | 'openai'
  frames: number
  /** Input tokens of the frames or video (the prompt's text comes on top). */
  media_tokens: number
}

/** Tokens of a clip of `frames` frames (at 1 fps for Gemini, whose sampling rate that is). */
export function clipTokens(provider: 'gemini' | 'openai', frames: number, size: { width: number; height: number }, rule?: OpenAIImageRule): ClipEstimate {
  return provider === 'gemini'
    ? { provider, frames, media_tokens: frames * GEMINI_TOKENS_PER_FRAME }
    : { provider, frames, media_tokens: frames * openaiImageTokens(size.width, size.height, 'high', rule) }
}

/** The most frames a clip may have within the budget (and, for images, the image cap). */
export function framesWithin(provider: 'gemini' | 'openai', size: { width: number; height: number }, budget = DEFAULT_VIDEO_TOKEN_BUDGET, maxImages = DEFAULT_MAX_IMAGES, rule?: OpenAIImageRule): number {
  const per = provider === 'gemini' ? GEMINI_TOKENS_PER_FRAME : openaiImageTokens(size.width, size.height, 'high', rule)
  const n = Math.max(1, Math.floor(budget / per))
  return provider === 'gemini' ? n : Math.min(n, maxImages)
}
