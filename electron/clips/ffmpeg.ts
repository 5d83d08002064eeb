// Which ffmpeg to run: $FFMPEG_PATH, else the optional ffmpeg-static binary, else `ffmpeg` on PATH.
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
