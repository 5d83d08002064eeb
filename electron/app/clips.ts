// Clips: a recording drawn around a moment as .webm (for a person to watch, or a model to judge).
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { ClipRenderInput, MODEL_CLIP, PERSON_CLIP, type ClipJobResult } from '../../shared/clips'
import { NotFoundError, UserError } from '../errors'
import type { Store } from '../store'
import { job, query, type Deps, type RunContext } from './capability'
import { sessionOrThrow } from './sessions'

export const ClipInput = ClipRenderInput

/** A clip request with its moment, size and file resolved. */
export type Planned = Omit<z.output<typeof ClipInput>, 'at' | 'out' | 'fps' | 'width'> & { at: number; fps: number; width: number; out: string; out_given: boolean }

/** Clips live beside the database (the app's data folder, or the folder of --db), named by session and time. */
export function clipFile(store: Store, sessionId: string, at: number, look: { fps: number; width: number; mask_text: boolean }): string {
  const safe = sessionId.replace(/[^\w.-]+/g, '_').slice(0, 80)
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-')
  // Every look of a moment is a file of its own: a masked clip never overwrites the plain one.
  return path.join(path.dirname(path.resolve(store.file)), 'clips', `${safe}-${stamp}-${look.fps}fps-${look.width}w${look.mask_text ? '-masked' : ''}.webm`)
}

export function planClipRun({ store }: { store: Store }, r: z.output<typeof ClipInput>): Planned {
  const s = sessionOrThrow(store, r.id)
  const at = typeof r.at === 'number' ? r.at : s.start_ms + Math.round(Number(r.at.slice(1)) * 1000)
  if (at < s.start_ms - 60_000 || at > s.end_ms + 60_000) {
    throw new UserError(`--at ${r.at} (${new Date(at).toISOString()}) is outside session ${r.id}, which runs from ${new Date(s.start_ms).toISOString()} to ${new Date(s.end_ms).toISOString()}.`)
  }
  if (r.flag_id !== undefined && store.flags.get(r.flag_id)?.session_id !== r.id) throw new UserError(`Session ${r.id} has no flag ${r.flag_id}.`, 'not_found')
  const look = { fps: r.fps ?? MODEL_CLIP.fps, width: r.width ?? MODEL_CLIP.width, mask_text: !!r.mask_text }
  return { ...r, at, fps: look.fps, width: look.width, out: path.resolve(r.out ?? clipFile(store, r.id, at, look)), out_given: r.out !== undefined }
}

export const clips = {
  /** A recorded clip's bytes (the renderer plays them as a video/webm blob; web mode sends them as they are). */
  'clips:data': query({
    input: z.object({ clip_id: z.number().int().min(1) }).strict(),
    run: ({ store }, r): ArrayBuffer => {
      const c = store.clips.get(r.clip_id)
      if (!c) throw new NotFoundError('clip', String(r.clip_id))
      if (!fs.existsSync(c.file)) throw new UserError(`The file of clip ${r.clip_id} is gone: ${c.file}. Render it again.`, 'not_found')
      const b = fs.readFileSync(c.file)
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
    },
  }),

  /**
   * Gets clips ready (the browser, two pages and an ffmpeg of a person's clip, a page and an ffmpeg of a model's) while
   * the user reads flags, so Verify starts on warm pages. Answers at once; warming goes on behind.
   */
  'clips:warm': query({
    input: z.object({}).strict(),
    run: async ({ transport }): Promise<{ warming: boolean }> => {
      if (transport === 'cli') return { warming: false } // a command's browser closes with it
      const { clipSize, warmFrameSource } = await frameSource(transport)
      const person = { ...clipSize(PERSON_CLIP.width, PERSON_CLIP.height), fps: PERSON_CLIP.fps }
      const model = { ...clipSize(MODEL_CLIP.width), fps: MODEL_CLIP.fps }
      void warmFrameSource([person, model]).catch(() => {}) // the clip that needs a page says what failed
      return { warming: true }
    },
  }),

  /** Renders a clip, records it (with its flag, if given) and answers the `sightline clip --json` shape. */
  'clips:render': job({
    input: ClipInput,
    prepare: planClipRun,
    job: { kind: 'clip', title: (p) => `Clip of ${p.id.slice(0, 13)} at ${new Date(p.at).toISOString().slice(11, 19)}` },
    // A command's browser goes when the process exits (killed with its profile folder:
    // clips/leftovers.ts), after the answer is out; the app and web mode keep theirs warm.
    run: (deps, p, ctx) => recordClip(deps, p, ctx),
  }),
}

/**
 * Renders a planned clip and records it (with its flag, if given); a recorded clip of the same flag
 * with the same settings is reused. The clip job and verification both make clips through here;
 * the caller closes a command's browser when it is done with it.
 */
export async function recordClip({ store, transport }: Deps, p: Planned, { signal, progress }: RunContext): Promise<ClipJobResult> {
  const [{ makeClip }, { replayChunks, replayMeta }] = await Promise.all([frameSource(transport), import('../replay')])
  const reader = { meta: (id: string) => replayMeta(store, id), chunks: (id: string, w: string, seqs: number[]) => replayChunks(store, id, w, seqs) }
  if (p.flag_id !== undefined && !p.out_given) {
    const same = store.clips.forFlag(p.flag_id).find((c) => c.fps === p.fps && c.width === p.width && c.mask_text === !!p.mask_text && fs.existsSync(c.file))
    if (same) return { clip_id: same.id, file: same.file, start_ms: same.start_ms, end_ms: same.end_ms, frames: same.frames, fps: same.fps, bytes: same.bytes, wall_ms: 0, width: same.width, height: same.height, window_ids: [] }
  }
  const r = await makeClip(
    reader,
    { session_id: p.id, at: p.at, before_ms: p.before_ms, after_ms: p.after_ms, fps: p.fps, width: p.width, height: p.height, window_id: p.window_id, skip_inactive: p.skip_inactive, mask_text: p.mask_text, codec: p.codec, out: p.out },
    { signal, progress: (done, total) => progress({ fraction: done / total, message: `Frame ${done} of ${total}` }) },
  )
  const row = store.clips.insert({ session_id: p.id, flag_id: p.flag_id ?? null, file: r.file, start_ms: r.start_ms, end_ms: r.end_ms, fps: r.fps, width: r.width, height: r.height, frames: r.frames, bytes: r.bytes, mask_text: !!p.mask_text, created_ms: Date.now() })
  const { stats: _stats, ...result } = r
  return { clip_id: row.id, ...result }
}

/** The clip code, with the frame source this process draws with: the desktop app its own offscreen
 * windows, the CLI and web mode headless Chromium. */
async function frameSource(transport: Deps['transport']): Promise<typeof import('../clips')> {
  const clips = await import('../clips')
  if (transport === 'ipc' && process.versions.electron) clips.useFrameSource(async () => new (await import('../clips/frames-electron')).ElectronFrames())
  return clips
}
