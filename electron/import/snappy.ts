// Snappy as PostHog's blob storage (blob_v2) writes it: a session block is JSON lines
// (`["<windowId>", event]\n`) compressed as ONE raw snappy block (not the framed format); a file or an
// API body is either `[4-byte big-endian length][block]` records or one raw block
// (PostHog/posthog common/replay-shared/src/snapshot-processing/parse-encoded-snapshots.ts).
// Sniffed from content, never the name. snappyjs decodes, but only after a strict walk over the
// block's elements: on a block that ends early or copies from nowhere it hands back zeros, not an error.
import { Transform, type TransformCallback } from 'node:stream'
import { uncompress } from 'snappyjs'
import { utf16Of } from './text-encoding'

export type SnappyShape = 'records' | 'block'

/** How much of the start sniffing looks at (and holds back) before deciding. */
export const SNIFF_BYTES = 64 * 1024

/** A problem at a byte of the snappy data (offsets count snappy bytes, not decoded ones). */
export class SnappyError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`byte ${offset}: ${problem}`)
    this.name = 'SnappyError'
  }
}

const corrupt = (offset: number, why: string) => new SnappyError(offset, `corrupt or truncated snappy data (${why})`)

/** Snappy's own bound on the compressed size of n bytes. */
const maxCompressed = (n: number) => 32 + n + Math.floor(n / 6)

const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0

/** A block's header: its decoded length as a little-endian base-128 varint (at most 5 bytes, < 2^32). */
function blockHeader(buf: Uint8Array, at: number, end: number): { length: number; size: number } | null {
  let length = 0
  for (let i = 0; i < 5 && at + i < end; i++) {
    const b = buf[at + i]!
    length += (b & 0x7f) * 2 ** (7 * i)
    if (b < 0x80) return length < 2 ** 32 ? { length, size: i + 1 } : null
  }
  return null
}

/** Text starts with one of these when it is JSON (PostHog's blocks start with `[`): brackets, whitespace, a BOM. */
const JSON_START = new Set([0x5b, 0x7b, 0x20, 0x09, 0x0a, 0x0d, 0xef])

/**
 * Is this start of some (gunzipped) content snappy, and in which shape? Never for text: a record's
 * length prefix starts with a byte below 0x09 (blocks under 144 MB), which text never does, and the
 * start of a raw block is not text (control bytes, or not UTF-8). Either must also look like a block:
 * a header whose length can explain the bytes seen, then a literal (there is nothing to copy from
 * yet) that starts JSON text.
 */
export function sniffSnappy(head: Uint8Array, complete: boolean): SnappyShape | null {
  // UTF-16 text (FF FE …) can pass for a raw block: detect.ts names it instead.
  if (utf16Of(head)) return null
  if (head.length >= 5 && head[0]! < 0x09) {
    const size = u32be(head, 0)
    if (size > 0 && plausibleBlock(head, 4, Math.min(head.length, 4 + size), size)) return 'records'
  }
  const start = head.subarray(0, SNIFF_BYTES)
  if (!textLike(start, complete && start.length === head.length) && plausibleBlock(head, 0, head.length, head.length)) return 'block'
  return null
}

/** A block at `at` of `size` bytes (or at least that many); the bytes at hand end at `end`. */
function plausibleBlock(buf: Uint8Array, at: number, end: number, size: number): boolean {
  const h = blockHeader(buf, at, end)
  if (!h || size - h.size > maxCompressed(h.length)) return false
  if (h.length === 0) return size === h.size
  let p = at + h.size
  if (p >= end || (buf[p]! & 3) !== 0) return false
  let len = (buf[p]! >>> 2) + 1
  p++
  if (len > 60) {
    const extra = len - 60
    if (p + extra > end) return false
    len = 1
    for (let i = 0; i < extra; i++) len += buf[p + i]! * 2 ** (8 * i)
    p += extra
  }
  return len <= h.length && p < end && JSON_START.has(buf[p]!)
}

/** Could this be the start of text as detect.ts reads it: no control bytes but tab/CR/LF, valid UTF-8. */
function textLike(start: Uint8Array, complete: boolean): boolean {
  for (let i = 0; i < start.length; i++) {
    const b = start[i]!
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: !complete })
    return true
  } catch {
    return false
  }
}

/**
 * Walks a block's elements (from `at`, after the header) without writing anything: every literal and
 * copy must lie inside the block and inside what is decoded so far, and the total must be the
 * header's length. Returns the offset of the first bad element, block.length when it ends early, or -1.
 */
function checkBlock(block: Uint8Array, at: number, length: number): number {
  const n = block.length
  let pos = at
  let out = 0
  while (pos < n) {
    const tag = block[pos]!
    const kind = tag & 3
    let len: number
    let next: number
    if (kind === 0) {
      len = (tag >>> 2) + 1
      next = pos + 1
      if (len > 60) {
        const extra = len - 60
        if (next + extra > n) return n
        len = 1
        for (let i = 0; i < extra; i++) len += block[next + i]! * 2 ** (8 * i)
        next += extra
      }
      next += len
      if (next > n) return n
    } else {
      const size = kind === 1 ? 2 : kind === 2 ? 3 : 5
      if (pos + size > n) return n
      let offset: number
      if (kind === 1) {
        len = ((tag >>> 2) & 7) + 4
        offset = ((tag >>> 5) << 8) + block[pos + 1]!
      } else {
        len = (tag >>> 2) + 1
        offset = block[pos + 1]! + block[pos + 2]! * 0x100
        if (kind === 3) offset += block[pos + 3]! * 0x10000 + block[pos + 4]! * 0x1000000
      }
      if (offset === 0 || offset > out) return pos
      next = pos + size
    }
    out += len
    if (out > length) return pos
    pos = next
  }
  return out === length ? -1 : n
}

const NEWLINE = Buffer.from('\n')

/**
 * Snappy content decoded as it arrives. The first SNIFF_BYTES are held back to decide; content that
 * is not snappy passes through untouched. Records are decoded one at a time (the whole file is never
 * in memory); a raw block at the end, necessarily whole. Every block header's length counts against
 * `maxBytes` before anything is decoded (zip bombs). Decoded blocks are joined by a newline where
 * one does not end with it, as PostHog joins them.
 */
export class SnappyReader {
  /** undefined until decided; null: not snappy. */
  shape: SnappyShape | null | undefined = undefined
  private parts: Buffer[] = []
  private held = 0
  /** Snappy offset of the first held byte. */
  private offset = 0
  private decoded = 0
  private endsLine = true
  /** The header of the record or block being read. */
  private block: { size: number; hdr: number; length: number } | null = null

  constructor(private readonly maxBytes: number) {}

  /** Takes bytes; returns what can be handed on. Throws SnappyError. */
  write(chunk: Buffer): Buffer[] {
    if (this.shape === null) return [chunk]
    this.parts.push(chunk)
    this.held += chunk.length
    if (this.shape === undefined) return this.held < SNIFF_BYTES ? [] : this.decide(false)
    return this.drain(false)
  }

  /** The end of the data: the rest, or an error if it stops inside a record or block. */
  end(): Buffer[] {
    if (this.shape === undefined) return this.decide(true)
    return this.shape === null ? [] : this.drain(true)
  }

  private decide(complete: boolean): Buffer[] {
    const head = this.take(this.held)
    this.shape = sniffSnappy(head, complete)
    if (!this.shape) return head.length ? [head] : []
    this.parts = [head]
    this.held = head.length
    return this.drain(complete)
  }

  private drain(end: boolean): Buffer[] {
    const out: Buffer[] = []
    if (this.shape === 'records') {
      for (;;) {
        if (!this.block) {
          if (this.held === 0) break
          const head = this.peek(Math.min(this.held, 9))
          const size = head.length >= 4 ? u32be(head, 0) : -1
          if (size === 0) throw corrupt(this.offset, 'a record of 0 bytes')
          if (size < 0 || head.length < 4 + Math.min(size, 5)) {
            if (end) throw corrupt(this.offset, 'the data ends inside a record header')
            break
          }
          this.block = this.header(head, 4, size)
        }
        const total = 4 + this.block.size
        if (this.held < total) {
          if (end) throw corrupt(this.offset, `the data ends inside a record: ${this.held - 4} of its ${this.block.size} bytes`)
          break
        }
        out.push(...this.decode(this.take(total), 4))
        this.offset += total
        this.block = null
      }
    } else {
      if (!this.block && (this.held >= 5 || end)) this.block = this.header(this.peek(Math.min(this.held, 5)), 0, Infinity)
      const limit = this.block ? this.block.hdr + maxCompressed(this.block.length) : Infinity
      if (this.held > limit) throw corrupt(this.offset + limit, 'more data than the block header declares')
      if (end) out.push(...this.decode(this.take(this.held), 0))
    }
    return out
  }

  /** Reads and checks a header at `at` of `head` (a record of `size` bytes, or a raw block: Infinity). */
  private header(head: Buffer, at: number, size: number): { size: number; hdr: number; length: number } {
    const h = blockHeader(head, at, head.length)
    if (!h || h.size > size) throw corrupt(this.offset + at, 'invalid block header')
    if (this.decoded + h.length > this.maxBytes) throw new SnappyError(this.offset, `decompresses to more than ${this.maxBytes} bytes; refusing (zip bomb?)`)
    if (size !== Infinity && size - h.size > maxCompressed(h.length)) throw corrupt(this.offset + at, 'a block longer than its header allows')
    return { size, hdr: h.size, length: h.length }
  }

  private decode(bytes: Buffer, at: number): Buffer[] {
    const { hdr, length } = this.block!
    const block = bytes.subarray(at)
    const bad = checkBlock(block, hdr, length)
    if (bad >= 0) throw corrupt(this.offset + at + bad, bad >= block.length ? 'a block ends before its declared length' : 'an invalid element in a block')
    this.decoded += length
    if (length === 0) return []
    const text = uncompress(block, length)
    const out = this.endsLine ? [text] : [NEWLINE, text]
    this.endsLine = text[text.length - 1] === 0x0a
    return out
  }

  private peek(n: number): Buffer {
    if (this.parts[0]!.length >= n) return this.parts[0]!.subarray(0, n)
    const bufs: Buffer[] = []
    let got = 0
    for (const p of this.parts) {
      bufs.push(p)
      got += p.length
      if (got >= n) break
    }
    return Buffer.concat(bufs).subarray(0, n)
  }

  /** The first n held bytes (n ≤ held), removed. */
  private take(n: number): Buffer {
    this.held -= n
    const first = this.parts[0]
    if (!first || first.length >= n) {
      if (!first) return Buffer.alloc(0)
      if (first.length === n) this.parts.shift()
      else this.parts[0] = first.subarray(n)
      return first.subarray(0, n)
    }
    const bufs: Buffer[] = []
    let got = 0
    while (got < n) {
      const p = this.parts.shift()!
      if (got + p.length <= n) {
        bufs.push(p)
        got += p.length
      } else {
        bufs.push(p.subarray(0, n - got))
        this.parts.unshift(p.subarray(n - got))
        got = n
      }
    }
    return Buffer.concat(bufs, n)
  }
}

/** SnappyReader as a stream stage (source.ts): errors are SnappyErrors. */
export class SnappyDecoder extends Transform {
  private readonly reader: SnappyReader

  constructor(maxBytes: number) {
    super()
    this.reader = new SnappyReader(maxBytes)
  }

  /** Known once the first SNIFF_BYTES (or the whole content, if shorter) have passed. */
  get shape(): SnappyShape | null | undefined {
    return this.reader.shape
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.emit_(() => this.reader.write(chunk), cb)
  }

  override _flush(cb: TransformCallback): void {
    this.emit_(() => this.reader.end(), cb)
  }

  private emit_(step: () => Buffer[], cb: TransformCallback): void {
    let out: Buffer[]
    try {
      out = step()
    } catch (e) {
      return cb(e as Error)
    }
    for (const b of out) this.push(b)
    cb()
  }
}

/** A whole body (an API response) decoded if it is snappy; null if it is not. Throws SnappyError. */
export function decodeSnappy(data: Buffer, maxBytes: number): Buffer | null {
  const r = new SnappyReader(maxBytes)
  const out = [...r.write(data), ...r.end()]
  return r.shape ? Buffer.concat(out) : null
}
