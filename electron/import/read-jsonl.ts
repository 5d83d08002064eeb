// JSON lines: one item per line (PostHog capture events, rrweb events, `[windowId, event]` blob
// lines, `{window_id, data}` API lines, packed rrweb strings). Errors name the line.
import readline from 'node:readline'
import { CancelledError } from '../errors'
import type { Collector } from './collect'
import { ImportError } from './errors'
import type { OpenedSource } from './source'

export async function readJsonLines(src: OpenedSource, c: Collector, signal?: AbortSignal): Promise<{ format: string }> {
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
        throw new ImportError(c.file, `line ${line}`, jsonErrorText(e as Error, line))
      }
      c.addItem(v, `line ${line}`)
      items++
    }
  } finally {
    rl.close()
  }
  c.flush()
  if (items === 0) throw new ImportError(c.file, null, 'no JSON lines to import')
  const format =
    c.firstKind === 'posthog-event' ? 'posthog-events-jsonl' : c.firstKind === 'rrweb' ? 'rrweb-jsonl' : c.firstKind === 'rrweb-packed' ? 'rrweb-packed-jsonl' : 'posthog-snapshots-jsonl'
  return { format }
}

/** JSON.parse messages quote the input (possibly personal data): keep only the position. */
function jsonErrorText(e: Error, line: number): string {
  if (/Unexpected end of JSON input/.test(e.message)) return `the line ends in the middle of a JSON value (truncated${line > 1 ? ' file?' : '?'})`
  const pos = /position (\d+)/.exec(e.message)
  return pos ? `invalid JSON at column ${Number(pos[1]) + 1}` : 'invalid JSON'
}
