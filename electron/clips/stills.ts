// Frames of a rendered clip as JPEG stills (for models that take images, not video): one ffmpeg
// run selects the frames by index and writes them as an MJPEG stream, split at the JPEG markers
// (0xFFD9 0xFFD8 cannot occur inside a JPEG's data: 0xFF there is always stuffed).
import { spawn } from 'node:child_process'
import { resolveFfmpeg } from './ffmpeg'

export async function clipStills(file: string, indices: number[], opts: { signal?: AbortSignal; quality?: number } = {}): Promise<Buffer[]> {
  const ffmpeg = resolveFfmpeg()
  if (!ffmpeg) throw new Error('ffmpeg not found: install it (apt-get install ffmpeg), or set FFMPEG_PATH')
  if (!indices.length) return []
  const select = indices.map((i) => `eq(n\\,${i})`).join('+')
  const args = ['-hide_banner', '-loglevel', 'error', '-i', file, '-vf', `select='${select}'`, '-fps_mode', 'passthrough', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', String(opts.quality ?? 3), '-']
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal })
  const out: Buffer[] = []
  let err = ''
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  if (code !== 0) throw new Error(`ffmpeg could not read frames of ${file} (exit ${code}): ${err.trim()}`)
  const stills = splitJpegs(Buffer.concat(out))
  if (stills.length !== indices.length) throw new Error(`${file} gave ${stills.length} of the ${indices.length} frames asked for (${indices.join(', ')})`)
  return stills
}

export function splitJpegs(b: Buffer): Buffer[] {
  const out: Buffer[] = []
  let start = 0
  for (let i = 2; i < b.length - 3; i++) {
    if (b[i] === 0xff && b[i + 1] === 0xd9 && b[i + 2] === 0xff && b[i + 3] === 0xd8) {
      out.push(b.subarray(start, i + 2))
      start = i + 2
    }
  }
  if (b.length > start) out.push(b.subarray(start))
  return out
}
