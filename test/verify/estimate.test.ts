import { describe, expect, it } from 'vitest'
import { clipTokens, framesWithin, openaiImageTokens } from '../../electron/verify/estimate'

describe('clip token estimates', () => {
  it('OpenAI images by 512-px tiles after fitting (the published examples)', () => {
    expect(openaiImageTokens(640, 360)).toBe(425) // 2 tiles
    expect(openaiImageTokens(1280, 720)).toBe(1105) // 6 tiles
    expect(openaiImageTokens(1024, 1024)).toBe(765) // 2048² fit, short side 768: 4 tiles
    expect(openaiImageTokens(2048, 4096)).toBe(1105) // 1024×2048 → 768×1536: 6 tiles
    expect(openaiImageTokens(4000, 3000, 'low')).toBe(85)
  })

  it('Gemini video: 258 tokens a frame at 1 fps; a 10 s clip fits the default 3,000-token budget', () => {
    expect(clipTokens('gemini', 10, { width: 768, height: 432 }).media_tokens).toBe(2580)
    expect(framesWithin('gemini', { width: 768, height: 432 })).toBe(11)
    // OpenAI at 640×360: 425 a frame, so 7 frames within 3,000; never more than 10 images.
    expect(framesWithin('openai', { width: 640, height: 360 })).toBe(7)
    expect(framesWithin('openai', { width: 640, height: 360 }, 100_000)).toBe(10)
  })
})
