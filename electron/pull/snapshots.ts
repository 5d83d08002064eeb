// A snapshot body as PostHog serves it, whichever its version: JSON lines of `["windowId", event]`
// (blob_v2) or `{window_id, data: [events]}` (older blob files, the realtime buffer); as plain text,
// snappy (length-prefixed blocks or one raw block, detected from content as PostHog's own player
// does, import/snappy.ts), or gzip (older blob files are passed through as S3 stores them); and the
// realtime buffer of servers before 2024-04 as one document `{snapshots: [...]}`.
// Blocks asked for with decompress=false come one `[4-byte length][snappy block]` record per block
// that PostHog could load: it leaves out blocks it failed to fetch and still answers 200
// (session_recording_api.py _fetch_blocks_parallel, _length_prefix_blocks), so the records are
// counted, and a body with fewer than were asked for is incomplete, never imported as it is.
import zlib from 'node:zlib'
import { UserError } from '../errors'
import { decodeSnappy, SNIFF_BYTES, SnappyError, sniffSnappy } from '../import/snappy'
import { defaultMaxDecompressed } from '../import/source'
import { IncompleteBodyError } from './http'

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

/** Length-prefixed records in a body of that shape (its structure was checked by the decoder). */
function recordCount(body: Buffer): number {
  let n = 0
  for (let at = 0; at + 4 <= body.length; at += 4 + body.readUInt32BE(at)) n++
  return n
}

/**
 * The body's events as [window id, event JSON] pairs, in order. `what` names the request in errors.
 * `blocks`: how many blob_v2 blocks were asked for; a length-prefixed body with fewer is incomplete.
 */
export async function snapshotEventsOf(res: Response, touch: () => void, what: string, blocks?: number): Promise<[string, string][]> {
  const bytes = await bodyBytes(res, touch)
  const text = plainText(bytes, what)
  if (blocks !== undefined && sniffSnappy(bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES) === 'records') {
    const got = recordCount(bytes)
    if (got < blocks) throw new IncompleteBodyError(`${got} of the ${blocks} blocks came back (PostHog could not load the others)`)
  }
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
