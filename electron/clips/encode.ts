// JPEG frames in, .webm out: ffmpeg reads an MJPEG stream on stdin (image2pipe) and encodes as it
// goes, so encoding overlaps capturing. Realtime VP8/VP9 settings: at clip sizes both encode in
// about the same wall time (bench/clip.ts measures it).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { resolveFfmpeg } from './ffmpeg'

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
  vp8: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-row-mt', '1', '-cpu-used', '8'],
}

export function startEncoder(o: { file: string; fps: number; codec: Codec; bitrate?: string }): Encoder {
  const ffmpeg = resolveFfmpeg()
  if (!ffmpeg) throw new Error('ffmpeg not found: install it (apt-get install ffmpeg), or set FFMPEG_PATH')
  const args = ['-hide_banner', '-loglevel', 'info', '-nostats', '-benchmark', '-f', 'image2pipe', '-c:v', 'mjpeg', '-framerate', String(o.fps), '-i', '-']
  args.push(...CODEC_ARGS[o.codec], '-b:v', o.bitrate ?? '1M', '-pix_fmt', 'yuv420p', '-an', '-f', 'webm', '-y', o.file)
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  child.stdout.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`ffmpeg (${ffmpeg}) could not start: ${e.message}`)))
    child.on('close', (code) => resolve(code))
  })
  let broken: Error | null = null
  child.stdin.on('error', (e) => (broken = e))
  return {
    write(jpeg) {
      if (broken) return Promise.reject(new Error(`ffmpeg stopped taking frames for ${o.file}: ${stderr.trim() || (broken as Error).message}`))
      return new Promise((resolve) => (child.stdin.write(jpeg) ? resolve() : child.stdin.once('drain', () => resolve())))
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
      void exited.finally(() => fs.rmSync(o.file, { force: true }))
    },
  }
}
