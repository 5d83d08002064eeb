// The items of a trace file, streamed, whatever the container: JSON lines (one item per line),
// one JSON document (the elements of its big arrays streamed one by one: a root array,
// resourceSpans, resourceLogs, results, batch, data, events), or PostHog's CSV export.
import { parse } from 'csv-parse'
import parser from 'stream-json/parser.js'
import { CancelledError } from '../../errors'
import type { Container } from '../detect'
import { deeperThan, isStackOverflow, TOO_DEEP } from '../depth'
import { ImportError } from '../errors'
import { forEachJsonLine } from '../read-jsonl'
import type { OpenedSource } from '../source'
import { maybeJson } from './messages'

export type OnItem = (v: unknown, place: string) => void

const STREAMED_KEYS = new Set(['resourceSpans', 'resource_spans', 'resourceLogs', 'resource_logs', 'results', 'batch', 'data'])

export async function readItems(src: OpenedSource, container: Container, file: string, onItem: OnItem, signal?: AbortSignal): Promise<{ items: number; root: unknown }> {
  if (container === 'jsonl') return { items: await forEachJsonLine(src, file, onItem, signal), root: null }
  if (container === 'csv') return { items: await readCsvRows(src, file, onItem, signal), root: null }
  return readDocument(src, file, onItem, signal)
}

interface Frame {
  container: Record<string, unknown> | unknown[] | null
  key: string | null
  index: number
  stream: boolean
  name: string
}

async function readDocument(src: OpenedSource, file: string, onItem: OnItem, signal?: AbortSignal): Promise<{ items: number; root: unknown }> {
  const tok = parser.asStream({ packValues: true, streamValues: false })
  let ended = false
  src.stream.on('end', () => (ended = true))
  src.stream.on('error', (e) => tok.destroy(e))
  src.stream.pipe(tok)
  const stack: Frame[] = []
  let root: unknown = undefined
  let items = 0
  let tokens = 0

  const put = (value: unknown) => {
    const top = stack.at(-1)
    if (!top) return void (root = value)
    if (top.stream) {
      const place = `${top.name}[${top.index++}] (near byte ${src.contentBytesRead()})`
      items++
      try {
        return onItem(value, place)
      } catch (e) {
        if (isStackOverflow(e) && deeperThan(value)) throw new ImportError(file, place, TOO_DEEP)
        throw e
      }
    }
    if (Array.isArray(top.container)) {
      top.container.push(value)
      top.index++
    } else if (top.container) top.container[top.key ?? ''] = value
  }
  const open = (isArray: boolean) => {
    const top = stack.at(-1)
    const inItem = stack.some((f) => f.stream)
    // Stream the root array, and the big arrays directly under the root object.
    const key = top && !Array.isArray(top.container) ? (top.key ?? '') : ''
    const stream = isArray && !inItem && (!top || (stack.length === 1 && STREAMED_KEYS.has(key)))
    stack.push({ container: stream ? null : isArray ? [] : {}, key: null, index: 0, stream, name: top ? key : 'item' })
  }
  const close = () => {
    const f = stack.pop()!
    put(f.stream ? [] : f.container)
  }
  const onToken = (t: { name: string; value?: unknown }) => {
    if ((++tokens & 0xfff) === 0 && signal?.aborted) throw new CancelledError()
    switch (t.name) {
      case 'startObject':
        return open(false)
      case 'startArray':
        return open(true)
      case 'endObject':
      case 'endArray':
        return close()
      case 'keyValue':
        stack.at(-1)!.key = t.value as string
        return
      case 'stringValue':
        return put(t.value)
      case 'numberValue':
        return put(Number(t.value))
      case 'nullValue':
        return put(null)
      case 'trueValue':
        return put(true)
      case 'falseValue':
        return put(false)
    }
  }
  try {
    await new Promise<void>((resolve, reject) => {
      tok.on('data', (t: { name: string; value?: unknown }) => {
        try {
          onToken(t)
        } catch (e) {
          tok.destroy()
          src.stream.destroy()
          reject(e)
        }
      })
      tok.on('error', reject)
      tok.on('end', resolve)
    })
  } catch (e) {
    if (e instanceof ImportError || e instanceof CancelledError) throw e
    const msg = (e as Error).message.replace(/^Parser /, '')
    if (ended || /has expected/.test(msg)) {
      throw new ImportError(file, `byte ${src.contentBytesRead()} (end of file)`, `JSON ends unexpectedly: the file is truncated or incomplete (${msg})`)
    }
    throw new ImportError(file, `near byte ${src.contentBytesRead()}`, `invalid JSON (${msg})`)
  }
  return { items, root }
}

/**
 * PostHog's CSV export: `event`, `timestamp`, `uuid`, `distinct_id` and either one `properties`
 * column holding JSON or one column per property (`properties.$ai_input`, `*.properties.…`).
 * Cells holding JSON (messages, tools) are parsed back.
 */
async function readCsvRows(src: OpenedSource, file: string, onItem: OnItem, signal?: AbortSignal): Promise<number> {
  const p = parse({ bom: true, columns: false, skip_empty_lines: true, relax_column_count: false })
  src.stream.on('error', (e) => p.destroy(e))
  src.stream.pipe(p)
  let header: string[] | null = null
  let rows = 0
  let line = 0
  const col = (names: string[]) => names.map((n) => header!.indexOf(n)).find((i) => i >= 0) ?? -1
  let ix = { event: -1, ts: -1, uuid: -1, distinct: -1, props: -1 }
  try {
    for await (const rec of p as AsyncIterable<string[]>) {
      line = p.info.lines
      if (signal?.aborted) throw new CancelledError()
      if (!header) {
        header = rec
        ix = {
          event: col(['event', '*.event']),
          ts: col(['timestamp', '*.timestamp', 'created_at']),
          uuid: col(['uuid', '*.uuid']),
          distinct: col(['distinct_id', '*.distinct_id', 'person.distinct_id']),
          props: col(['properties', '*.properties']),
        }
        if (ix.event < 0) throw new ImportError(file, 'line 1', 'CSV without an "event" column: not a PostHog events export')
        continue
      }
      const props: Record<string, unknown> = ix.props >= 0 ? ((maybeJson(rec[ix.props]) as Record<string, unknown>) ?? {}) : {}
      header.forEach((h, i) => {
        const m = /^\*?\.?properties\.(.+)$/.exec(h)
        if (m && rec[i] !== '' && rec[i] !== undefined) props[m[1]!] = cell(rec[i]!)
      })
      onItem(
        { event: rec[ix.event], timestamp: ix.ts >= 0 ? rec[ix.ts] : undefined, uuid: ix.uuid >= 0 ? rec[ix.uuid] || undefined : undefined, distinct_id: ix.distinct >= 0 ? rec[ix.distinct] || undefined : undefined, properties: props },
        `line ${line}`,
      )
      rows++
    }
  } catch (e) {
    if (e instanceof ImportError || e instanceof CancelledError) throw e
    const err = e as Error & { lines?: number; code?: string }
    throw new ImportError(file, `line ${err.lines ?? line + 1}`, `invalid CSV (${(err.code ?? err.message).toString().slice(0, 120)})`)
  }
  return rows
}

/** Python str() cells back to values: True/False, numbers, JSON objects and lists. */
function cell(s: string): unknown {
  if (s === 'True' || s === 'true') return true
  if (s === 'False' || s === 'false') return false
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(s) && s.length < 17) return Number(s)
  return maybeJson(s)
}
