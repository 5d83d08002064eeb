// Byte-scanning splitter for one JSON document: finds where the elements of the big arrays begin
// and end (tracking strings, escapes and bracket nesting on the bytes, never per-char strings) and
// JSON.parses each element's slice on its own. Only the small skeleton around those arrays (an
// export's `version`, `data.id`, `data.person`, …) is assembled into an object.
import { locateJsonError } from './json-locate'

export type Path = string[]

/** What to do with a container that opens outside any streamed array. */
export type Descend = 'object' | 'stream' | 'capture'

export interface SplitterHooks {
  /** `isArray`: the value at `path` is an array. 'object' only for objects, 'stream' only for arrays. */
  mode(path: Path, isArray: boolean): Descend
  /**
   * One element of a streamed array, parsed; `start`–`end`: its bytes in the document. `text`: its
   * JSON text when it may already be what JSON.stringify makes of `value` (see `plain`), else undefined.
   */
  item(value: unknown, path: Path, index: number, start: number, end: number, text: string | undefined): void
  /** A value set on a skeleton object (after the fact: `data.id` before the snapshots). */
  value?(path: Path, key: string, value: unknown): void
  /**
   * Set: elements of streamed arrays are not parsed here but handed over as bytes
   * (`buf[from, to)`; parse them with parseElement) and item() is not called for them.
   */
  rawItem?(buf: Buffer, from: number, to: number, path: Path, index: number, start: number, end: number, plain: boolean): void
}

/** Invalid JSON or a document that ends early, at an exact byte offset (of the content). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
    message: string,
    readonly truncated = false,
    /** What was expected there, when known. */
    readonly why = '',
  ) {
    super(message)
  }
}

const OBJ_START = 0 // after `{`: a key or `}`
const OBJ_KEY = 1 // after `,`: a key
const OBJ_COLON = 2
const OBJ_VALUE = 3
const OBJ_AFTER = 4 // `,` or `}`
const ARR_START = 5 // after `[`: a value or `]`
const ARR_VALUE = 6 // after `,`: a value
const ARR_AFTER = 7 // `,` or `]`
const ROOT_VALUE = 8
const ROOT_DONE = 9

interface Frame {
  /** null: a streamed array (its elements go to hooks.item). */
  obj: Record<string, unknown> | null
  path: Path
  key: string
  index: number
  state: number
}

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
/** Bytes that end a number or literal. */
const isDelim = (b: number) => b === 0x2c || b === 0x5d || b === 0x7d || isWs(b)

export class JsonSplitter {
  /** Content bytes consumed before the current chunk. */
  private base = 0
  private readonly frames: Frame[] = [{ obj: null, path: [], key: '', index: 0, state: ROOT_VALUE }]
  root: unknown = undefined
  rootIsArray = false
  items = 0

  // The value being captured (a key, an element, a skeleton value): its pieces from earlier chunks.
  private capturing = false
  /** 0 scalar, 1 string, 2 container. */
  private capKind = 0
  private capStart = 0
  private pieces: Buffer[] = []
  private inStr = false
  private esc = false
  /** Open brackets of the captured container (their opening bytes), so a mismatch is caught at once. */
  private brackets = new Uint8Array(64)
  private depth = 0
  private capIsKey = false
  /** Where the captured value starts in the current chunk (-1: in an earlier one). */
  private pendingStart = -1
  /**
   * The captured container has something JSON.stringify would write differently: whitespace between
   * tokens, a `\u` or `\/` escape, a fraction, an exponent, `-0`. Without any of these, a compact
   * text (as JS producers write it) usually equals JSON.stringify of its value, and the importer
   * can keep it instead of writing it again (see rrweb.ts, canonicalText).
   */
  private odd = false

  constructor(private readonly hooks: SplitterHooks) {}

  /** Offset of the next byte to be fed. */
  get offset(): number {
    return this.base
  }

  feed(buf: Buffer): void {
    let i = 0
    const len = buf.length
    while (i < len) {
      if (this.capturing) {
        const from = this.pendingStart >= 0 ? this.pendingStart : i
        const end = this.scan(buf, i, len)
        if (end < 0) {
          this.pieces.push(buf.subarray(from, len))
          this.pendingStart = -1
          break
        }
        this.finishCapture(buf, from, end)
        i = end
        continue
      }
      i = this.structural(buf, i, len)
    }
    // A value that opened on this chunk's last byte.
    if (this.capturing && this.pendingStart >= 0) {
      this.pieces.push(buf.subarray(this.pendingStart, len))
      this.pendingStart = -1
    }
    this.base += len
  }

  /** The input ended: complete a root scalar, or report a truncated document. */
  end(): void {
    const f = this.frames.at(-1)!
    if (this.capturing && this.capKind === 0 && this.frames.length === 1) {
      this.finishCapture(Buffer.alloc(0), 0, 0)
      return
    }
    if (this.frames.length > 1 || this.capturing || f.state !== ROOT_DONE) {
      if (f.state === ROOT_VALUE && !this.capturing) throw new JsonSyntaxError(this.base, this.base, 'no JSON value', true)
      throw new JsonSyntaxError(this.base, this.base, 'the document ends inside a value', true)
    }
  }

  /** Whitespace, commas, colons, brackets outside captured values. Returns where it stopped. */
  private structural(buf: Buffer, i: number, len: number): number {
    const frames = this.frames
    let f = frames.at(-1)!
    for (; i < len; i++) {
      const b = buf[i]!
      if (isWs(b)) continue
      // A UTF-8 BOM (as detect.ts allows it; JSON.parse would refuse it).
      if (this.base + i < 3 && f.state === ROOT_VALUE && (b === 0xef || b === 0xbb || b === 0xbf)) continue
      switch (f.state) {
        case OBJ_START:
        case OBJ_KEY:
          if (b === 0x22) {
            this.startCapture(i, 1, true)
            return i + 1
          }
          if (b === 0x7d && f.state === OBJ_START) {
            this.closeFrame()
            f = frames.at(-1)!
            continue
          }
          return this.fail(i, 'expected a property name')
        case OBJ_COLON:
          if (b !== 0x3a) return this.fail(i, "expected ':'")
          f.state = OBJ_VALUE
          continue
        case OBJ_AFTER:
        case ARR_AFTER:
          if (b === 0x2c) f.state = f.state === OBJ_AFTER ? OBJ_KEY : ARR_VALUE
          else if (b === (f.state === OBJ_AFTER ? 0x7d : 0x5d)) {
            this.closeFrame()
            f = frames.at(-1)!
          } else return this.fail(i, f.state === OBJ_AFTER ? "expected ',' or '}'" : "expected ',' or ']'")
          continue
        case ROOT_DONE:
          return this.fail(i, 'more data after the JSON document')
        default: {
          // OBJ_VALUE, ARR_VALUE, ARR_START, ROOT_VALUE: a value starts here (or `[]` ends).
          if (b === 0x5d && f.state === ARR_START) {
            this.closeFrame()
            f = frames.at(-1)!
            continue
          }
          if ((b === 0x7b || b === 0x5b) && (f.obj !== null || f.state === ROOT_VALUE)) {
            const path = f.state === ROOT_VALUE ? [] : [...f.path, f.key]
            const isArray = b === 0x5b
            if (f.state === ROOT_VALUE) this.rootIsArray = isArray
            const m = this.hooks.mode(path, isArray)
            if (m === 'object' && !isArray) {
              const obj: Record<string, unknown> = {}
              if (f.state === ROOT_VALUE) this.root = obj
              frames.push({ obj, path, key: '', index: 0, state: OBJ_START })
              f = frames.at(-1)!
              continue
            }
            if (m === 'stream' && isArray) {
              frames.push({ obj: null, path, key: '', index: 0, state: ARR_START })
              f = frames.at(-1)!
              continue
            }
          }
          if (b === 0x7d || b === 0x5d || b === 0x2c || b === 0x3a) return this.fail(i, 'expected a value')
          this.startCapture(i, b === 0x22 ? 1 : b === 0x7b || b === 0x5b ? 2 : 0, false)
          if (this.capKind === 2) {
            this.brackets[0] = b
            this.depth = 1
            return i + 1
          }
          return this.capKind === 1 ? i + 1 : i
        }
      }
    }
    return i
  }

  private startCapture(i: number, kind: number, isKey: boolean): void {
    this.capturing = true
    this.capKind = kind
    this.capStart = this.base + i
    this.capIsKey = isKey
    this.inStr = kind === 1
    this.esc = false
    this.depth = 0
    this.odd = false
    // The opening byte belongs to the value: scanning resumes after it, the slice starts at it.
    if (this.pieces.length) this.pieces = []
    this.pendingStart = i
  }

  /** Scans a captured value from i; returns the index just past its end, or -1 if it goes on. */
  private scan(buf: Buffer, i: number, len: number): number {
    if (this.capKind === 0) {
      for (; i < len; i++) if (isDelim(buf[i]!)) return i
      return -1
    }
    let inStr = this.inStr
    let esc = this.esc
    if (this.capKind === 1) {
      for (; i < len; i++) {
        const b = buf[i]!
        if (esc) esc = false
        else if (b === 0x5c) esc = true
        else if (b === 0x22) {
          this.esc = false
          this.inStr = false
          return i + 1
        }
      }
      this.esc = esc
      return -1
    }
    let depth = this.depth
    let br = this.brackets
    let odd = this.odd
    for (; i < len; i++) {
      const b = buf[i]!
      if (inStr) {
        if (esc) {
          esc = false
          if (b === 0x75 || b === 0x2f) odd = true // \u…, \/
        } else if (b === 0x5c) esc = true
        else if (b === 0x22) inStr = false
        continue
      }
      if (b === 0x22) inStr = true
      // Up to '.': whitespace, '+', '.' are odd; ',' and '-' are not (a '-0' is caught at its '0').
      else if (b <= 0x2e) odd ||= b !== 0x2c && b !== 0x2d
      else if (b === 0x30) odd ||= i === 0 || buf[i - 1] === 0x2d
      else if (b === 0x45 || b === 0x65) odd ||= b === 0x45 || i === 0 || (buf[i - 1]! >= 0x30 && buf[i - 1]! <= 0x39)
      else if (b === 0x7b || b === 0x5b) {
        if (depth === br.length) {
          const grown = new Uint8Array(br.length * 2)
          grown.set(br)
          this.brackets = br = grown
        }
        br[depth++] = b
      } else if (b === 0x7d || b === 0x5d) {
        if (br[depth - 1] !== b - 2) {
          this.depth = depth
          return this.fail(i, b === 0x7d ? "'}' closes an array" : "']' closes an object")
        }
        if (--depth === 0) {
          this.depth = 0
          this.inStr = false
          this.odd = odd
          return i + 1
        }
      }
    }
    this.depth = depth
    this.inStr = inStr
    this.esc = esc
    this.odd = odd
    return -1
  }

  /** The captured value is complete: its last bytes are buf[from, end). */
  private finishCapture(buf: Buffer, from: number, end: number): void {
    const raw = this.hooks.rawItem
    if (raw && !this.capIsKey) {
      const f = this.frames.at(-1)!
      if (f.obj === null && f.state !== ROOT_VALUE) {
        let bytes = buf
        let a = from
        let b = end
        if (this.pieces.length) {
          bytes = Buffer.concat([...this.pieces, buf.subarray(from, end)])
          a = 0
          b = bytes.length
          this.pieces = []
        }
        this.pendingStart = -1
        this.capturing = false
        const start = this.capStart
        raw(bytes, a, b, f.path, f.index++, start, start + (b - a), this.capKind === 2 && !this.odd)
        this.items++
        f.state = ARR_AFTER
        return
      }
    }
    let text: string
    let size: number
    if (this.pieces.length) {
      const bytes = Buffer.concat([...this.pieces, buf.subarray(from, end)])
      text = bytes.toString('utf8')
      size = bytes.length
    } else {
      text = buf.toString('utf8', from, end) // no subarray object per element
      size = end - from
    }
    if (this.pieces.length) this.pieces = []
    this.pendingStart = -1
    this.capturing = false
    const start = this.capStart
    const stop = start + size
    const value = parseElement(text, start, stop)
    const f = this.frames.at(-1)!
    if (this.capIsKey) {
      f.key = value as string
      f.state = OBJ_COLON
      return
    }
    this.deliver(f, value, start, stop, this.capKind === 2 && !this.odd ? text : undefined)
  }

  private deliver(f: Frame, value: unknown, start: number, stop: number, text: string | undefined): void {
    switch (f.state) {
      case ROOT_VALUE:
        this.root = value
        f.state = ROOT_DONE
        return
      case OBJ_VALUE:
        f.obj![f.key] = value
        this.hooks.value?.(f.path, f.key, value)
        f.state = OBJ_AFTER
        return
      default: // a streamed array's element
        this.hooks.item(value, f.path, f.index++, start, stop, text)
        this.items++
        f.state = ARR_AFTER
    }
  }

  /** `}` or `]` of a skeleton object or a streamed array. */
  private closeFrame(): void {
    const done = this.frames.pop()!
    const parent = this.frames.at(-1)!
    if (parent.state === ROOT_VALUE) {
      // A streamed root array is represented by an empty one; a root object is already `root`.
      if (done.obj === null) this.root = []
      parent.state = ROOT_DONE
      return
    }
    // A streamed array stands in the skeleton as an empty one.
    parent.obj![parent.key] = done.obj ?? []
    if (done.obj !== null) this.hooks.value?.(parent.path, parent.key, done.obj)
    parent.state = OBJ_AFTER
  }

  private fail(i: number, why: string): never {
    throw new JsonSyntaxError(this.base + i, this.base + i + 1, 'invalid JSON', false, why)
  }
}

/** JSON.parse of one value whose bytes are [start, stop) of the document; errors at their byte. */
export function parseElement(text: string, start: number, stop: number): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const at = locateJsonError(text)
    const off = at >= 0 ? start + Buffer.byteLength(text.slice(0, at)) : -1
    throw off >= 0 ? new JsonSyntaxError(off, off + 1, 'invalid JSON') : new JsonSyntaxError(start, stop, 'invalid JSON')
  }
}
