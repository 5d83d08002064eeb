// What the fake model servers need to know about the media they are sent, found the way the real
// services would: image dimensions from the PNG / JPEG headers, video duration from ffprobe.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'

/** Width and height of a PNG (IHDR) or JPEG (first SOFn marker); null for anything else. */
export function imageSize(b: Uint8Array): { width: number; height: number } | null {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString('latin1', 12, 16) === 'IHDR') return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null
      const marker = buf[i + 1]!
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2
        continue
      }
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame's size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { width: buf.readUInt16BE(i + 7), height: buf.readUInt16BE(i + 5) }
      i += 2 + buf.readUInt16BE(i + 2)
    }
  }
  return null
}

const durations = new Map<string, number | null>()

/** Seconds of a video (ffprobe reading it from stdin), or null when it is not one. Cached by content. */
export function videoSeconds(b: Uint8Array): number | null {
  const key = createHash('sha256').update(b).digest('hex')
  if (durations.has(key)) return durations.get(key)!
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: b, maxBuffer: 1 << 20 })
  const s = Number(r.stdout?.toString().trim())
  const out = r.status === 0 && Number.isFinite(s) && s > 0 ? s : null
  durations.set(key, out)
  return out
}
