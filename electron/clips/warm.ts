// One warm browser per process: a first clip pays the launch and the page load (~1.4 s measured),
// later ones reuse both. It closes itself after a while unused so an idle app holds no Chromium.
import os from 'node:os'
import { ChromiumFrames } from './frames-chromium'
import type { FrameSource } from './frames'

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

/** Runs fn with the warm frame source, at most maxParallelClips() at a time. */
export async function withFrameSource<T>(fn: (s: FrameSource) => Promise<T>): Promise<T> {
  if (active >= maxParallelClips()) await new Promise<void>((go) => waiting.push(go))
  active++
  users++
  clearTimeout(timer)
  try {
    if (!source) source = factory()
    let s: Source
    try {
      s = await source
    } catch (e) {
      source = null
      throw e
    }
    if (s.connected === false) {
      source = factory()
      s = await source
    }
    return await fn(s)
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

/** Which frame source later clips use (the app: offscreen BrowserWindows). */
export function useFrameSource(make: () => Promise<Source>): void {
  factory = make
}

/** Closes the warm browser (the CLI at exit, tests). */
export async function closeFrameSource(): Promise<void> {
  clearTimeout(timer)
  const s = source
  source = null
  if (s) await (await s.catch(() => null))?.close()
}
