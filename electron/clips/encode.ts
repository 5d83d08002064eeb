// JPEG frames in, .webm out: ffmpeg reads an MJPEG stream on stdin (image2pipe) and encodes as it
// goes, so encoding overlaps capturing. Realtime VP8/VP9 settings: at clip sizes both encode in
// about the same wall time (bench/clip.ts measures it). With decorations, ffmpeg draws the cursor,
// click ripples and session clock onto the frames, moved frame by frame by a sendcmd script.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FrameDecor } from './decor'
import { RIPPLE_STAGES } from './decor'
import { ffmpegText, resolveFfmpeg, type FfmpegText } from './ffmpeg'
import { cursorSprite, rippleSprite, type Sprite } from './sprites'

export type Codec = 'vp8' | 'vp9'

export interface Encoder {
  /** Queues one JPEG frame; resolves when ffmpeg has taken it (backpressure). */
  write(jpeg: Buffer): Promise<void>
  /** Ends the stream; resolves with the file's size once ffmpeg has written it. */
  finish(): Promise<{ bytes: number; cpu_ms: number }>
  /** Stops ffmpeg and removes the partial file. */
  abort(): void
}

const CODEC_ARGS: Record<Codec, string[]> = {
  vp8: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-row-mt', '1', '-cpu-used', '8', '-lag-in-frames', '0'],
}

export interface EncoderOptions {
  file: string
  fps: number
  codec: Codec
  bitrate?: string
  /** What to draw on each frame (one per frame, in order), on frames of this size; none: nothing. */
  decor?: { frames: FrameDecor[]; width: number; height: number }
}

export async function startEncoder(o: EncoderOptions): Promise<Encoder> {
  const ffmpeg = resolveFfmpeg()
  if (!ffmpeg) throw new Error('ffmpeg not found: install it (apt-get install ffmpeg), or set FFMPEG_PATH')
  const args = ['-hide_banner', '-loglevel', 'info', '-nostats', '-benchmark', '-f', 'image2pipe', '-c:v', 'mjpeg', '-framerate', String(o.fps), '-i', '-']
  // The overlay's script and sprites live in a folder of their own, ffmpeg's working directory (so
  // the filter graph names them without escaping a path).
  const dir = o.decor ? fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-clip-')) : null
  const cleanup = () => dir && fs.rmSync(dir, { recursive: true, force: true })
  try {
    if (o.decor && dir) args.push(...decorArgs(o.decor, o.fps, await ffmpegText(ffmpeg), dir))
  } catch (e) {
    cleanup()
    throw e
  }
  args.push(...CODEC_ARGS[o.codec], '-b:v', o.bitrate ?? '1M', '-pix_fmt', 'yuv420p', '-an', '-f', 'webm', '-y', o.file)
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: dir ?? undefined })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  child.stdout.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`ffmpeg (${ffmpeg}) could not start: ${e.message}`)))
    child.on('close', (code) => resolve(code))
  }).finally(cleanup)
  exited.catch(() => {}) // reported by finish()
  let broken: Error | null = null
  child.stdin.on('error', (e) => (broken = e))
  return {
    write(jpeg) {
      if (broken) return Promise.reject(new Error(`ffmpeg stopped taking frames for ${o.file}: ${stderr.trim() || (broken as Error).message}`))
      // Waiting for room in the pipe ends too when ffmpeg does (an error there, not a hang here).
      return new Promise((resolve, reject) => {
        if (child.stdin.write(jpeg)) return resolve()
        const gone = () => reject(new Error(`ffmpeg stopped taking frames for ${o.file}: ${stderr.trim()}`))
        child.stdin.once('drain', () => {
          child.stdin.off('close', gone)
          resolve()
        })
        child.stdin.once('close', gone)
      })
    },
    async finish() {
      child.stdin.end()
      const code = await exited
      if (code !== 0) throw new Error(`ffmpeg failed (exit ${code}) writing ${o.file}: ${stderr.trim()}`)
      // -benchmark prints "utime=0.123s" for the whole run: ffmpeg's CPU, apart from the browser's.
      const utime = /utime=([\d.]+)s/.exec(stderr)
      return { bytes: fs.statSync(o.file).size, cpu_ms: utime ? Number(utime[1]) * 1000 : NaN }
    },
    abort() {
      child.kill('SIGKILL')
      void exited.finally(() => fs.rmSync(o.file, { force: true })).catch(() => {})
    },
  }
}

/** Overlay inputs and filter graph: ripple stages under the cursor, the clock at the top right.
 * Sprites are drawn at a scale that follows the output's height (the arrow is 22 px at 540). */
function decorArgs(d: NonNullable<EncoderOptions['decor']>, fps: number, text: FfmpegText, dir: string): string[] {
  const scale = Math.min(2, Math.max(0.75, d.height / 540))
  const sprites: Sprite[] = [...Array.from({ length: RIPPLE_STAGES }, (_, k) => rippleSprite(scale, k)), cursorSprite(scale)]
  const args: string[] = []
  sprites.forEach((sp, k) => {
    fs.writeFileSync(path.join(dir, `sprite${k}.rgba`), sp.rgba)
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', `${sp.width}x${sp.height}`, '-i', `sprite${k}.rgba`)
  })
  const clock = text.drawtext && text.fontfile !== null
  fs.writeFileSync(path.join(dir, 'decor.cmd'), decorScript(d.frames, fps, sprites, clock))
  const off = 'x=-10000:y=-10000'
  const fontsize = Math.round(19 * scale)
  const graph = [`[0:v]sendcmd=f=decor.cmd${clock ? `,drawtext@clock=fontfile=${filterValue(text.fontfile!)}:fontsize=${fontsize}:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=${Math.round(5 * scale)}:x=w-tw-${Math.round(10 * scale)}:y=${Math.round(10 * scale)}:text=' '` : ''}[d0]`]
  sprites.forEach((_, k) => graph.push(`[d${k}][${k + 1}:v]overlay@${k < RIPPLE_STAGES ? `ripple${k}` : 'cursor'}=${off}[d${k + 1}]`))
  return [...args, '-filter_complex', graph.join(';'), '-map', `[d${sprites.length}]`]
}

/** The sendcmd script: at each frame's time, where each sprite goes (off-frame when not shown) and
 * the clock's text; only what changed since the frame before. */
function decorScript(frames: FrameDecor[], fps: number, sprites: Sprite[], clock: boolean): string {
  const cursor = sprites.at(-1)!
  const lines: string[] = []
  let prev: string[] = []
  frames.forEach((f, i) => {
    const place = (name: string, sp: Sprite, at: [number, number] | null) => [`overlay@${name} x ${at ? at[0] - sp.hot[0] : -10000}`, `overlay@${name} y ${at ? at[1] - sp.hot[1] : -10000}`]
    const cmds = [
      ...sprites.slice(0, RIPPLE_STAGES).flatMap((sp, k) => place(`ripple${k}`, sp, f.ripple && f.ripple[2] === k ? [f.ripple[0], f.ripple[1]] : null)),
      ...place('cursor', cursor, f.cursor),
      ...(clock ? [`drawtext@clock reinit 'text=${f.clock.replace(/:/g, '\\:')}'`] : []),
    ]
    const changed = cmds.filter((c, k) => c !== prev[k])
    prev = cmds
    // Floored: a command due at a frame must not be scheduled after that frame's timestamp.
    if (changed.length) lines.push(`${(Math.floor((i / fps) * 1e6) / 1e6).toFixed(6)} ${changed.join(', ')};`)
  })
  return lines.join('\n') + '\n'
}

/** A path as a filter option value (the graph and the option parser each take one escape level). */
const filterValue = (p: string) => p.replace(/\\/g, '/').replace(/[:',;[\]]/g, (c) => `\\\\${c}`)
