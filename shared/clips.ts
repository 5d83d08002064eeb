// What a clip job answers (`sightline clip --json`, the renderer's clips:render job result).
import { z } from 'zod'

/** Model clips: 1 fps, 768 px wide (Gemini gains nothing above ~768 px). People: 10 fps at 960×540. */
export const MODEL_CLIP = { fps: 1, width: 768 } as const
export const PERSON_CLIP = { fps: 10, width: 960, height: 540 } as const
export interface ClipJobResult {
  clip_id: number
  file: string
  start_ms: number
  end_ms: number
  frames: number
  fps: number
  bytes: number
  wall_ms: number
  width: number
  height: number
  window_ids: string[]
}

/** A clip request: the session, the moment (epoch ms, or "+SECONDS" from its start) and how to draw it. */
export const ClipRenderInput = z
  .object({
    id: z.string().min(1).max(500),
    at: z.union([z.number().finite(), z.string().regex(/^\+\d+(\.\d+)?$/, 'at is epoch ms or +SECONDS from the session start')]),
    before_ms: z.number().int().min(0).max(600_000).optional(),
    after_ms: z.number().int().min(0).max(600_000).optional(),
    fps: z.number().positive().max(30).optional(),
    width: z.number().int().min(64).max(1920).optional(),
    height: z.number().int().min(64).max(1080).optional(),
    window_id: z.string().max(500).optional(),
    skip_inactive: z.boolean().optional(),
    mask_text: z.boolean().optional(),
    codec: z.enum(['vp8', 'vp9']).optional(),
    /** Where to write; default: the clips folder beside the database. */
    out: z.string().min(1).max(4000).optional(),
    /** The flag this clip shows: recorded with it, and an existing clip of it with the same settings is reused. */
    flag_id: z.number().int().min(1).optional(),
  })
  .strict()
