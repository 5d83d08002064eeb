// A snapshot body as PostHog serves it, whichever its version: JSON lines of `["windowId", event]`
// (blob_v2) or `{window_id, data: [events]}` (older blob files, the realtime buffer); as plain text,
// snappy (length-prefixed blocks or one raw block, detected from content as PostHog's own player
// does, import/snappy.ts), or gzip (older blob files are passed through as S3 stores them); and the
// realtime buffer of servers before 2024-04 as one document `{snapshots: [...]}`.
import zlib from 'node:zlib'
import { UserError } from '../errors'
import { decodeSnappy, SnappyError } from '../import/snappy'
import { defaultMaxDecompressed } from '../import/source'

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The whole body, touching the timeout per chunk (snappy and gzip bodies are decoded whole). */
async function bodyBytes(res: Response, touch: () => void): Promise<Buffer> {
  const parts: Buffer[] = []
  if (!res.body) return Buffer.alloc(0)
  const reader = res.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    touch()
    parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
  }
  return Buffer.concat(parts)
}

/** The body undone to text: gunzipped and snappy-decoded when its bytes say so, both capped (bombs). */
function plainText(body: Buffer, what: string): string {
  const cap = defaultMaxDecompressed(body.length)
  const again = 'try again, or export the recording to a file in PostHog and import that.'
  if (body[0] === 0x1f && body[1] === 0x8b) {
    try {
      body = zlib.gunzipSync(body, { maxOutputLength: cap })
    } catch (e) {
      throw new UserError(`PostHog sent ${what} as gzip data that cannot be read (${(e as NodeJS.ErrnoException).code ?? 'corrupt'}); ${again}`)
    }
  }
  try {
    body = decodeSnappy(body, cap) ?? body
  } catch (e) {
    if (e instanceof SnappyError) throw new UserError(`PostHog sent ${what} as snappy data that cannot be read (byte ${e.offset}: ${e.problem}); ${again}`)
    throw e
  }
  return new TextDecoder().decode(body)
}

/** The body's events as [window id, event JSON] pairs, in order. `what` names the request in errors. */
export async function snapshotEventsOf(res: Response, touch: () => void, what: string): Promise<[string, string][]> {
  const text = plainText(await bodyBytes(res, touch), what)
  const out: [string, string][] = []
  const add = (v: unknown, where: string) => {
    if (Array.isArray(v) && v.length === 2) out.push([String(v[0] ?? ''), JSON.stringify(v[1])])
    else if (isObj(v) && Array.isArray(v.data)) for (const ev of v.data) out.push([String(v.window_id ?? v.windowId ?? ''), JSON.stringify(ev)])
    else throw new UserError(`PostHog sent ${what} with ${where} that is neither [window id, event] nor {window_id, data}.`)
  }
  const parse = (s: string, where: string) => {
    try {
      return JSON.parse(s) as unknown
    } catch {
      throw new UserError(`PostHog sent ${what} with ${where} that is not JSON; try again, or export the recording to a file in PostHog.`)
    }
  }
  let n = 0
  for (const raw of text.split('\n')) {
    n++
    const line = raw.trim()
    if (!line) continue
    const v = parse(line, `a line (line ${n})`)
    // The realtime buffer of older servers: one document, its items lines or their strings.
    if (isObj(v) && Array.isArray(v.snapshots)) v.snapshots.forEach((s, i) => add(typeof s === 'string' ? parse(s, `snapshots[${i}]`) : s, `snapshots[${i}]`))
    else add(v, `a line (line ${n})`)
  }
  return out
}
