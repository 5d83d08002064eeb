// One warm browser per process: a first clip pays the launch and the page load (~0.25 s with the
// headless shell, ~0.6–1 s with the browser: docs/clips.md), later ones reuse both (and an ffmpeg
// started ahead, encode.ts). It closes itself after a while unused so an idle app holds no Chromium.
import os from 'node:os'
import { closeEncoders, warmEncoder } from './encode'
import { ChromiumFrames } from './frames-chromium'
import type { FrameSource } from './frames'
import { CLIP_PAGES, encoderSetup } from './render'

const IDLE_MS = 120_000

type Source = FrameSource & { readonly connected?: boolean }
/** Headless Chromium by default; the desktop app sets its offscreen windows (frames-electron.ts). */
let factory: () => Promise<Source> = () => ChromiumFrames.launch()
let source: Promise<Source> | null = null
let users = 0
let timer: NodeJS.Timeout | undefined
/** Clips rendered at once: bounded by the cores (each clip keeps one or two pages busy). */
let active = 0
const waiting: (() => void)[] = []

export const maxParallelClips = (): number => Math.max(1, Math.floor(os.availableParallelism() / 2))

/** Runs fn with the warm frame source, at most maxParallelClips() at a time. fn gets it as a
 * promise: a first clip starts its ffmpeg while the browser launches. */
export async function withFrameSource<T>(fn: (s: Promise<FrameSource>) => Promise<T>): Promise<T> {
  if (active >= maxParallelClips()) await new Promise<void>((go) => waiting.push(go))
  active++
  users++
  clearTimeout(timer)
  try {
    const source = current()
    source.catch(() => {}) // fn's to handle; unawaited if it failed before it needed the source
    return await fn(source)
  } finally {
    active--
    users--
    waiting.shift()?.()
    if (users === 0) {
      timer = setTimeout(() => void closeFrameSource(), IDLE_MS)
      timer.unref()
    }
  }
}

/** The warm source, launched if there is none (or again if it went away: a browser that crashed). */
function current(): Promise<Source> {
  const s = (source ??= factory())
  return s.then(
    (x) => {
      if (x.connected !== false) return x
      if (source === s) {
        void x.close()
        source = factory()
      }
      return source!
    },
    (e) => {
      if (source === s) source = null
      throw e
    },
  )
}

/** A reader for pages opened ahead of a clip: the clip that takes the page gives it its own. */
const NO_READER = {
  meta(): never {
    throw new Error('no clip is loading')
  },
  chunks: () => [],
}

/**
 * Gets clips of these sizes and rates ready before a first one is asked for (the app, when it shows
 * flags that can be verified): opens the frame source and the pages each clip draws with (a new
 * page costs ~1 s and 1–2 s of CPU here) and starts its ffmpeg (~0.2 s). The pages go back to the
 * source, warm; the ffmpegs wait for their clips.
 */
export async function warmFrameSource(clips: { width: number; height: number; fps: number }[]): Promise<void> {
  for (const c of clips) warmEncoder(encoderSetup(c))
  await withFrameSource(async (source) => {
    const s = await source
    const sizes = clips.flatMap((c) => Array.from({ length: CLIP_PAGES }, () => c))
    const pages = await Promise.allSettled(sizes.map((c) => s.page({ width: c.width, height: c.height }, NO_READER)))
    for (const p of pages) if (p.status === 'fulfilled') p.value.release()
  })
}

/** Which frame source later clips use (the app: offscreen BrowserWindows). */
export function useFrameSource(make: () => Promise<Source>): void {
  factory = make
}

/** Closes the warm browser and the ffmpegs started ahead (the CLI at exit, tests, after a while unused). */
export async function closeFrameSource(): Promise<void> {
  clearTimeout(timer)
  const encoders = closeEncoders()
  const s = source
  source = null
  if (s) await (await s.catch(() => null))?.close()
  await encoders
}
