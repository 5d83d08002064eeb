// JPEG frames in, .webm out: ffmpeg reads the frames on stdin, each with its length and time (IVF),
// and encodes as it goes, so encoding overlaps capturing. A frame that repeats the one before is
// not sent again. Realtime VP8/VP9 settings: at clip sizes both encode in about the same wall time
// (bench/clip.ts measures it). With decorations, ffmpeg draws the cursor, click ripples and session
// clock onto the frames, moved frame by frame by a sendcmd script.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FrameDecor } from './decor'
import { RIPPLE_STAGES } from './decor'
import { ffmpegText, resolveFfmpeg, type FfmpegText } from './ffmpeg'
import { removeAtExit, removeDir } from './leftovers'
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

// VP8 on one thread: its second thread spin-waits on the first's rows, and beside two capturing
// pages on two cores that burnt ~40 ms of a 10-frame 960×540 clip's ~100 ms (wall 213 → 178 ms).
const CODEC_ARGS: Record<Codec, string[]> = {
  vp8: ['-c:v', 'libvpx', '-threads', '1', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-row-mt', '1', '-cpu-used', '8', '-lag-in-frames', '0'],
}

/** What an ffmpeg is started with: a clip of the same setup can take one started ahead (warmEncoder). */
export interface EncoderSetup {
  fps: number
  codec: Codec
  bitrate: string
  /** Frame size the cursor, ripple and clock are drawn for; null: nothing drawn. */
  decor: { width: number; height: number } | null
}

/** An ffmpeg waiting for its first frame in a folder of its own (sprites, script, output). */
interface Started {
  child: ChildProcessWithoutNullStreams
  dir: string
  out: string
  /** Whether its graph draws the clock. */
  clock: boolean
  exited: Promise<number | null>
  /** Resolves with the frame count of ffmpeg's closing report (-benchmark's totals follow it),
   * printed once the file is written. */
  reported: Promise<number>
  log: () => string
}

// ffmpeg takes ~0.18 s to start here (Debian's build loads 215 shared libraries), as long as the
// captures of a 1 fps clip. It reads its input before its sprites, filter script and output, so
// one started ahead blocks on stdin until a clip gives it its script and first frame.
const warm = new Map<string, Promise<Started>>()
const keyOf = (s: EncoderSetup) => `${s.fps}/${s.codec}/${s.bitrate}/${s.decor ? `${s.decor.width}x${s.decor.height}` : '-'}`

/** Starts an ffmpeg for clips of this setup ahead of them (kept until closeEncoders); resolves
 * with its pid once started (undefined if it could not start: the clip that needs it says why). */
export function warmEncoder(setup: EncoderSetup): Promise<number | undefined> {
  const key = keyOf(setup)
  let s = warm.get(key)
  if (!s) {
    s = spawnEncoder(setup).then((x) => (holdOpen(x, false), x))
    s.catch(() => warm.get(key) === s && warm.delete(key))
    warm.set(key, s)
  }
  return s.then((x) => x.child.pid, () => undefined)
}

/** Bumped by closeEncoders: a replacement due after a clip is not started once they are closed. */
let generation = 0

/** Stops the ffmpegs started ahead (with the warm browser, and at exit); resolves once they are
 * gone with their folders, those still starting included. */
export async function closeEncoders(): Promise<void> {
  generation++
  const all = [...warm.values()].map((s) => s.then(kill, () => {}))
  warm.clear()
  await Promise.all(all)
}

/** An idle ffmpeg waiting ahead must not keep the process alive (a CLI run ends when its work
 * does); one drawing a clip does. */
function holdOpen(s: Started, on: boolean): void {
  // The pipes are sockets at run time (typed as plain streams).
  for (const h of [s.child, s.child.stdin, s.child.stdout, s.child.stderr] as unknown as { ref(): void; unref(): void }[]) {
    if (on) h.ref()
    else h.unref()
  }
}

const kill = (s: Started) => {
  s.child.kill('SIGKILL')
  removeDir(s.dir)
}
/** An encoder of this setup writing `file`, taking one started ahead when there is one; with
 * decor, `frames` says what to draw on each frame (one per frame, in order). */
export async function startEncoder(setup: EncoderSetup, file: string, frames: FrameDecor[] = []): Promise<Encoder> {
  const key = keyOf(setup)
  const ahead = warm.get(key)
  warm.delete(key)
  let s = ahead ? await ahead.catch(() => null) : null
  if (s && (s.child.exitCode !== null || s.child.signalCode !== null)) s = null
  if (s) holdOpen(s, true)
  s ??= await spawnEncoder(setup)
  const { child, dir, out, clock, exited, reported, log } = s
  try {
    if (setup.decor) fs.writeFileSync(path.join(dir, 'decor.cmd'), decorScript(frames, setup.fps, spritesFor(setup.decor.height), clock))
  } catch (e) {
    kill(s)
    throw e
  }
  const done = (): void => {
    removeDir(dir)
    // The next clip of this setup finds one waiting too (started now, not while this one drew;
    // after this clip's result is out: a spawn blocks the event loop ~20 ms).
    const g = generation
    if (ahead) setImmediate(() => g === generation && void warmEncoder(setup))
  }
  let broken: Error | null = null
  let written = 0
  /** The last frame sent, and whether the frames since repeat it (not sent). */
  let last: Buffer | null = null
  let owed = false
  child.stdin.on('error', (e) => (broken = e))
  const send = (jpeg: Buffer, index: number): Promise<void> => {
    if (broken) return Promise.reject(new Error(`ffmpeg stopped taking frames for ${file}: ${log() || (broken as Error).message}`))
    // Waiting for room in the pipe ends too when ffmpeg does (an error there, not a hang here).
    return new Promise((resolve, reject) => {
      if (child.stdin.write(ivfFrame(jpeg, index, setup.fps))) return resolve()
      const gone = () => reject(new Error(`ffmpeg stopped taking frames for ${file}: ${log()}`))
      child.stdin.once('drain', () => {
        child.stdin.off('close', gone)
        resolve()
      })
      child.stdin.once('close', gone)
    })
  }
  return {
    write(jpeg) {
      const index = written++
      // A repeat of the frame before is not sent: ffmpeg's fps filter shows that frame until the
      // next one's time, decoded and converted once.
      if (jpeg === last) {
        owed = true
        return Promise.resolve()
      }
      last = jpeg
      owed = false
      return send(jpeg, index)
    },
    async finish() {
      try {
        // The last frame is sent at its own time: the fps filter shows a frame until the next.
        if (owed) await send(last!, written - 1)
        child.stdin.end()
        // The file is written and flushed when ffmpeg prints its closing report; exiting takes it
        // ~14 ms more (it unloads ~200 libraries). A report of every frame given is a success
        // (960×540 1 fps, 14 interleaved clips: 155 → 149 ms, 191 → 169; 768×432 118 → 109).
        const code = await Promise.race([exited, reported.then((n) => (n === written ? 0 : exited))])
        if (code !== 0) throw new Error(`ffmpeg failed (exit ${code}) writing ${file}: ${log()}`)
        // The file appears whole or not at all.
        await moveFile(out, file)
        // -benchmark prints "utime=0.123s" for the whole run: ffmpeg's CPU, apart from the browser's.
        const utime = /utime=([\d.]+)s/.exec(log())
        return { bytes: fs.statSync(file).size, cpu_ms: utime ? Number(utime[1]) * 1000 : NaN }
      } finally {
        done()
      }
    },
    abort() {
      child.kill('SIGKILL')
      void exited.finally(done).catch(() => {})
    },
  }
}

async function spawnEncoder(setup: EncoderSetup): Promise<Started> {
  const ffmpeg = resolveFfmpeg()
  if (!ffmpeg) throw new Error('ffmpeg not found: install it (apt-get install ffmpeg), or set FFMPEG_PATH')
  // No probing beyond the first frame: at 1 fps ffmpeg otherwise reads ~5 s of stream (5 frames)
  // before it draws any, and a clip's last frames, which come at once, waited on all of it (a
  // 4-frame tail: 111–149 ms to exit, 52–77 ms without). Frames come with their length (a bare
  // JPEG stream, image2pipe, is split where the next frame starts, so each frame waited for the
  // next) and their time (IVF), so a repeat is not sent, decoded and converted again (960×540,
  // 10 fps, 91 of 100 frames repeats, 8 interleaved clips: 649 → 399 ms; 1 fps 143 → 132 ms,
  // 640×360 92 → 83 ms; mpjpeg parts before, which have no time). The decoder and the filter
  // graph on ffmpeg's own thread: their thread pools cost ~10 ms of set-up at the first frame and
  // gain nothing at clip sizes (960×540 1 fps, 14 interleaved clips twice: 151 → 139 ms, 153 → 140).
  const args = ['-hide_banner', '-loglevel', 'info', '-nostats', '-benchmark', '-filter_complex_threads', '1', '-threads', '1', '-probesize', '32', '-analyzeduration', '0', '-fpsprobesize', '0', '-f', 'ivf', '-i', '-']
  // The overlay's script and sprites live in a folder of their own, ffmpeg's working directory (so
  // the filter graph names them without escaping a path); the clip is written there and moved.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-clip-'))
  removeAtExit(dir, null)
  let clock = false
  // Each frame decoded and converted once, then shown until the next one's time (repeats are not
  // sent, and the last frame comes at its own time).
  const timed = `[0:v]format=yuv420p,fps=${setup.fps}`
  try {
    if (setup.decor) {
      const d = decorArgs(setup.decor, await ffmpegText(ffmpeg), dir, timed)
      args.push(...d.args)
      clock = d.clock
    } else args.push('-filter_complex', `${timed}[out]`, '-map', '[out]')
  } catch (e) {
    removeDir(dir)
    throw e
  }
  args.push(...CODEC_ARGS[setup.codec], '-b:v', setup.bitrate, '-pix_fmt', 'yuv420p', '-an', '-f', 'webm', '-y', 'clip.webm')
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: dir })
  removeAtExit(dir, child)
  let log = ''
  let report: (frames: number) => void = () => {}
  const reported = new Promise<number>((resolve) => (report = resolve))
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-4000)
    // The closing report ("frame=   10 … Lsize=…"), then -benchmark's lines, the last one maxrss.
    if (/bench: maxrss/.test(log)) report(Number([...log.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1] ?? -1))
  }
  child.stderr.on('data', keep)
  child.stdout.on('data', keep)
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`ffmpeg (${ffmpeg}) could not start: ${e.message}`)))
    child.on('close', (code) => resolve(code))
  })
  exited.catch(() => {}) // reported by finish()
  return { child, dir, out: path.join(dir, 'clip.webm'), clock, exited, reported, log: () => log.trim() }
}

/**
 * A frame of the stream ffmpeg reads: IVF carrying JPEG ('MJPG'), the stream's header first (its
 * size left 0: the first frame says it), then each frame after its length and its time in frames
 * (the time base is 1/fps, as n/1000 over fps·1000 for rates like 2.5).
 */
function ivfFrame(jpeg: Buffer, index: number, fps: number): Buffer {
  const first = index === 0
  const head = Buffer.alloc(first ? 44 : 12)
  let o = 0
  if (first) {
    head.write('DKIF', 0, 'latin1')
    head.writeUInt16LE(32, 6)
    head.write('MJPG', 8, 'latin1')
    head.writeUInt32LE(Math.round(fps * 1000), 16)
    head.writeUInt32LE(1000, 20)
    o = 32
  }
  head.writeUInt32LE(jpeg.length, o)
  head.writeBigUInt64LE(BigInt(index), o + 4)
  return Buffer.concat([head, jpeg])
}

/** Renames, or copies where the clip goes to another file system. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.promises.rename(from, to)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e
    await fs.promises.copyFile(from, to)
  }
}

/** The ripple stages and the cursor, at a scale that follows the output's height (the arrow is 22 px at 540).
 * Drawn once per height: drawing them took ~9 ms of each clip's start. */
const spriteCache = new Map<number, Sprite[]>()
function spritesFor(height: number): Sprite[] {
  const scale = Math.min(2, Math.max(0.75, height / 540))
  let s = spriteCache.get(height)
  if (!s) spriteCache.set(height, (s = [...Array.from({ length: RIPPLE_STAGES }, (_, k) => rippleSprite(scale, k)), cursorSprite(scale)]))
  return s
}

/** Overlay inputs and filter graph: ripple stages under the cursor, the clock at the top right,
 * moved by the script decor.cmd (written per clip). No clock where ffmpeg cannot draw text. */
function decorArgs(size: { height: number }, text: FfmpegText, dir: string, timed: string): { args: string[]; clock: boolean } {
  const scale = Math.min(2, Math.max(0.75, size.height / 540))
  const sprites = spritesFor(size.height)
  const args: string[] = []
  sprites.forEach((sp, k) => {
    fs.writeFileSync(path.join(dir, `sprite${k}.rgba`), sp.rgba)
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', `${sp.width}x${sp.height}`, '-i', `sprite${k}.rgba`)
  })
  const clock = text.drawtext && text.fontfile !== null
  const off = 'x=-10000:y=-10000'
  const fontsize = Math.round(19 * scale)
  const graph = [`${timed},sendcmd=f=decor.cmd${clock ? `,drawtext@clock=fontfile=${filterValue(text.fontfile!)}:fontsize=${fontsize}:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=${Math.round(5 * scale)}:x=w-tw-${Math.round(10 * scale)}:y=${Math.round(10 * scale)}:text=' '` : ''}[d0]`]
  sprites.forEach((_, k) => graph.push(`[d${k}][${k + 1}:v]overlay@${k < RIPPLE_STAGES ? `ripple${k}` : 'cursor'}=${off}[d${k + 1}]`))
  return { args: [...args, '-filter_complex', graph.join(';'), '-map', `[d${sprites.length}]`], clock }
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
