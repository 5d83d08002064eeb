// JSON lines: one item per line (PostHog capture events, rrweb events, `[windowId, event]` blob
// lines, `{window_id, data}` API lines, packed rrweb strings). Errors name the line.
import readline from 'node:readline'
import { CancelledError } from '../errors'
import type { Collector } from './collect'
import { depthExceededAt, isStackOverflow, TOO_DEEP } from './depth'
import { ImportError } from './errors'
import type { OpenedSource } from './source'

/** Calls onItem for each non-blank line parsed as JSON, naming the line in any error. */
export async function forEachJsonLine(src: OpenedSource, file: string, onItem: (v: unknown, place: string) => void, signal?: AbortSignal): Promise<number> {
  const rl = readline.createInterface({ input: src.stream, crlfDelay: Infinity })
  let line = 0
  let items = 0
  try {
    for await (const text of rl) {
      line++
      if (signal?.aborted) throw new CancelledError()
      const t = line === 1 ? text.replace(/^\uFEFF/, '') : text
      if (!t.trim()) continue
      let v: unknown
      try {
        v = JSON.parse(t)
      } catch (e) {
        throw new ImportError(file, `line ${line}`, jsonErrorText(e as Error, line, t.length))
      }
      try {
        onItem(v, `line ${line}`)
      } catch (e) {
        if (!isStackOverflow(e)) throw e
        const at = depthExceededAt(t)
        throw new ImportError(file, `line ${line}`, at >= 0 ? `${TOO_DEEP} at column ${at + 1}` : 'nested too deeply to read')
      }
      items++
    }
  } finally {
    rl.close()
  }
  return items
}

export async function readJsonLines(src: OpenedSource, c: Collector, signal?: AbortSignal): Promise<{ format: string }> {
  const items = await forEachJsonLine(src, c.file, (v, place) => c.addItem(v, place), signal)
  c.flush()
  if (items === 0) throw new ImportError(c.file, null, 'no JSON lines to import')
  const format =
    c.firstKind === 'posthog-event' ? 'posthog-events-jsonl' : c.firstKind === 'rrweb' ? 'rrweb-jsonl' : c.firstKind === 'rrweb-packed' ? 'rrweb-packed-jsonl' : 'posthog-snapshots-jsonl'
  return { format }
}

/** JSON.parse messages quote the input (possibly personal data): keep only the position. */
function jsonErrorText(e: Error, line: number, length: number): string {
  const pos = /position (\d+)/.exec(e.message)
  if (/Unexpected end of JSON input|Unterminated/.test(e.message) || (pos && Number(pos[1]) >= length)) {
    return `the line ends in the middle of a JSON value (truncated${line > 1 ? ' file?' : '?'})`
  }
  return pos ? `invalid JSON at column ${Number(pos[1]) + 1}` : 'invalid JSON'
}
