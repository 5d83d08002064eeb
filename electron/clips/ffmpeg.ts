// Which ffmpeg to run: $FFMPEG_PATH, else the optional ffmpeg-static binary, else `ffmpeg` on PATH.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    for (const ext of process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']) {
      const candidate = path.join(dir, name + ext)
      try {
        fs.accessSync(candidate, fs.constants.X_OK)
        return candidate
      } catch {
        // not here; keep looking
      }
    }
  }
  return null
}

function fromFfmpegStatic(): string | null {
  try {
    // Optional dependency: absent where its install script could not download the binary.
    const p = createRequire(import.meta.url)('ffmpeg-static') as string | null
    return p && fs.existsSync(p) ? p : null
  } catch {
    return null
  }
}

export function resolveFfmpeg(): string | null {
  const env = process.env.FFMPEG_PATH
  if (env) return fs.existsSync(env) ? env : null
  return fromFfmpegStatic() ?? onPath('ffmpeg')
}

/** What the clip overlay needs of this ffmpeg: drawtext (for the clock) and a monospace font file.
 * The file is found once (fontconfig's fc-match, else the usual system fonts): leaving the search
 * to ffmpeg's fontconfig costs ~0.5 s per clip. Without either, clips have no clock. */
export interface FfmpegText {
  drawtext: boolean
  fontfile: string | null
}

const FONTS = ['/System/Library/Fonts/Menlo.ttc', '/System/Library/Fonts/Monaco.ttf', 'C:/Windows/Fonts/consolab.ttf', 'C:/Windows/Fonts/consola.ttf']
const texts = new Map<string, Promise<FfmpegText>>()

export function ffmpegText(ffmpeg: string): Promise<FfmpegText> {
  let t = texts.get(ffmpeg)
  if (!t) {
    const run = (cmd: string, args: string[]) =>
      new Promise<string>((resolve) => execFile(cmd, args, { timeout: 10_000, maxBuffer: 1 << 22 }, (err, stdout) => resolve(err ? '' : stdout)))
    t = Promise.all([run(ffmpeg, ['-hide_banner', '-filters']), run('fc-match', ['-f', '%{file}', 'monospace:bold'])]).then(([filters, font]) => ({
      drawtext: /\sdrawtext\s/.test(filters),
      fontfile: [font, ...FONTS].find((f) => f && fs.existsSync(f)) ?? null,
    }))
    texts.set(ffmpeg, t)
  }
  return t
}
