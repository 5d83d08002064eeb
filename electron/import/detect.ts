// Format detection from content, never from the file name. Only decides the container
// (one JSON document, JSON lines, or CSV); each item inside is classified as it is read. gzip and
// snappy (PostHog blob storage) are undone by openSource before the scanner sees the content.
import { ImportError } from './errors'
import { invalidUtf8At, utf16Of } from './text-encoding'
import type { SnappyShape } from './snappy'
import { type OpenedSource, openSource } from './source'

export type Container = 'json' | 'jsonl' | 'csv'

export interface Detected {
  container: Container
  gzip: boolean
  /** Snappy records or one raw block (PostHog blob storage), under the gzip if any. */
  snappy: SnappyShape | null
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d])

export async function detectContainer(file: string, maxDecompressedBytes?: number): Promise<Detected> {
  const src = await openSource(file, { hash: false, maxDecompressedBytes })
  const scan = new Scanner()
  try {
    for await (const chunk of src.stream as AsyncIterable<Buffer>) {
      const verdict = scan.feed(chunk)
      if (verdict) return finish(file, verdict, src)
    }
    return finish(file, scan.end(), src)
  } finally {
    src.stream.destroy()
  }
}

function finish(file: string, v: Verdict, src: OpenedSource): Detected {
  const { gzip, snappy } = src
  const what = snappy ? 'snappy content' : gzip ? 'gzip content' : 'file'
  if (v.kind === 'empty') throw new ImportError(file, null, v.bytes === 0 ? `empty ${what} (0 bytes)` : `${what} contains only whitespace`)
  const inner = snappy ? 'the decoded snappy content is not' : gzip ? 'the gunzipped content is not' : 'not gzip or snappy, and not'
  if (v.kind === 'utf16') {
    throw new ImportError(file, 'byte 0', `${v.encoding} text${v.bom ? ' (with a byte-order mark)' : ''}, not UTF-8: save it as UTF-8 and import it again`)
  }
  if (v.kind === 'binary') throw new ImportError(file, `byte ${v.offset}`, `binary data (${v.why}; ${inner} text): not a recording or an events export`)
  return { container: v.kind, gzip, snappy }
}

type Verdict =
  | { kind: Container }
  | { kind: 'empty'; bytes: number }
  | { kind: 'binary'; offset: number; why: string }
  | { kind: 'utf16'; encoding: 'UTF-16LE' | 'UTF-16BE'; bom: boolean }

/**
 * Byte scanner: skips a BOM and whitespace, then for JSON follows strings and nesting far enough
 * to see whether a newline ends a complete first value (JSON lines) or falls inside it (one
 * pretty-printed document). Text files are also checked for NUL bytes and invalid UTF-8.
 */
class Scanner {
  private offset = 0
  private first = -1
  private depth = 0
  private inString = false
  private escape = false
  private valueDone = false
  private utf8 = new TextDecoder('utf-8', { fatal: true })
  private textChecked = 0

  feed(chunk: Buffer): Verdict | null {
    if (this.offset === 0) {
      const encoding = utf16Of(chunk)
      if (encoding) return { kind: 'utf16', encoding, bom: chunk[0] === 0xff || chunk[0] === 0xfe }
    }
    const bad = this.checkText(chunk)
    if (bad) return bad
    // No newline in the first 32 MB: one compact document (JSON lines split long before that).
    if (this.first >= 0 && this.offset > 32 * 2 ** 20) return { kind: 'json' }
    for (let i = 0; i < chunk.length; i++, this.offset++) {
      const b = chunk[i]!
      if (this.first < 0) {
        if (this.offset < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) continue
        if (WS.has(b)) continue
        this.first = b
        if (b === 0x7b || b === 0x5b) this.depth = 1
        else if (b === 0x22) this.inString = true
        else if (b === 0) return { kind: 'binary', offset: this.offset, why: 'a NUL byte' }
        else return this.csvOrBinary(chunk, i)
        continue
      }
      if (this.valueDone) {
        if (b === 0x0a) return { kind: 'jsonl' }
        // `"col a",col b`: a quoted CSV header cell, not a JSON string.
        if (this.first === 0x22 && (b === 0x2c || b === 0x3b || b === 0x09)) return { kind: 'csv' }
        if (!WS.has(b)) return { kind: 'json' } // another value on the same line: let the parser complain
        continue
      }
      if (this.inString) {
        if (this.escape) this.escape = false
        else if (b === 0x5c) this.escape = true
        else if (b === 0x22) {
          this.inString = false
          if (this.depth === 0) this.valueDone = true
        } else if (b === 0x0a) return { kind: 'json' }
        continue
      }
      if (b === 0x0a) return { kind: 'json' } // a newline inside the first value: one document
      if (b === 0x22) this.inString = true
      else if (b === 0x7b || b === 0x5b) this.depth++
      else if (b === 0x7d || b === 0x5d) {
        this.depth--
        if (this.depth === 0) this.valueDone = true
      }
    }
    return null
  }

  end(): Verdict {
    if (this.first < 0) return { kind: 'empty', bytes: this.offset }
    return { kind: 'json' }
  }

  /** Not JSON: CSV if the start is text. Checked on the first 64 KB. */
  private csvOrBinary(chunk: Buffer, i: number): Verdict {
    const head = chunk.subarray(i, i + 65536)
    if (head.includes(0)) return { kind: 'binary', offset: this.offset + head.indexOf(0), why: 'a NUL byte' }
    // Control characters other than tab/CR/LF do not occur in CSV exports.
    for (let k = 0; k < head.length; k++) {
      const c = head[k]!
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return { kind: 'binary', offset: this.offset + k, why: 'a control character' }
    }
    return { kind: 'csv' }
  }

  /** Streaming UTF-8 validation of the first 1 MB; NUL bytes anywhere there mean binary. Says where. */
  private checkText(chunk: Buffer): Verdict | null {
    if (this.textChecked > 1 << 20) return null
    const first = this.textChecked === 0
    this.textChecked += chunk.length
    const nul = chunk.indexOf(0)
    try {
      this.utf8.decode(nul >= 0 ? chunk.subarray(0, nul) : chunk, { stream: true })
    } catch {
      const at = invalidUtf8At(nul >= 0 ? chunk.subarray(0, nul) : chunk, !first)
      return { kind: 'binary', offset: this.offset + Math.max(0, at), why: 'invalid UTF-8' }
    }
    return nul >= 0 ? { kind: 'binary', offset: this.offset + nul, why: 'a NUL byte' } : null
  }
}
