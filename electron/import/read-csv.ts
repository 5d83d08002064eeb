// PostHog's events export as CSV. Columns are found by NAME (their order follows the rows'
// first-seen keys and changes between exports): `*.properties.<key>` (server export of `*`),
// `properties.<key>` (chosen columns), `event`, `*.uuid`, `timestamp`, ... Cells are Python str():
// empty = absent, True/False, numbers as text.
import { parse } from 'csv-parse'
import { CancelledError, shortName } from '../errors'
import type { Collector } from './collect'
import { ImportError } from './errors'
import type { OpenedSource } from './source'

interface ColumnMap {
  event: string
  uuid?: string
  timestamp: string
  distinctId?: string
  elementsChain?: string
  url?: string
  props: [column: string, path: string[]][]
}

const first = (cols: string[], names: string[]) => names.find((n) => cols.includes(n))

function mapColumns(file: string, cols: string[]): ColumnMap {
  if (cols.length === 1 && cols[0] === 'error') throw new ImportError(file, 'line 2', 'the export contains no data (PostHog wrote an "error" column only)')
  const event = first(cols, ['*.event', 'event'])
  const timestamp = first(cols, ['*.timestamp', 'timestamp'])
  if (!event || !timestamp) {
    throw new ImportError(
      file,
      'line 1',
      `not a recording, and not a PostHog events CSV: the header needs an "event" and a "timestamp" column (found ${cols.length} columns: ${cols.slice(0, 5).map((c) => shortName(c)).join(', ')}${cols.length > 5 ? ', …' : ''})`,
    )
  }
  const props: [string, string[]][] = []
  for (const c of cols) {
    const m = /^\*?\.?properties\.(.+)$/.exec(c)
    if (m) props.push([c, m[1]!.split('.')])
  }
  return {
    event,
    timestamp,
    uuid: first(cols, ['*.uuid', 'uuid']),
    distinctId: first(cols, ['*.distinct_id', 'distinct_id', 'person.distinct_id']),
    elementsChain: first(cols, ['*.elements_chain', 'elements_chain']),
    url: first(cols, ['Url / Screen', 'url']),
    props,
  }
}

/** Python str() back to JSON values; leading-zero numbers (zip codes, ids) stay strings. */
function cell(s: string): unknown {
  if (s === 'True') return true
  if (s === 'False') return false
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(s) && s.length < 17) return Number(s)
  return s
}

/** `$exception_list.0.type` → nested objects and arrays again, as the event had them. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: Record<string, unknown> | unknown[] = target
  for (let i = 0; i < path.length; i++) {
    const k = path[i]!
    const last = i === path.length - 1
    const key = Array.isArray(cur) ? Number(k) : k
    if (last) {
      ;(cur as Record<string | number, unknown>)[key] = value
      return
    }
    let next = (cur as Record<string | number, unknown>)[key]
    if (typeof next !== 'object' || next === null) {
      next = /^\d+$/.test(path[i + 1]!) ? [] : {}
      ;(cur as Record<string | number, unknown>)[key] = next
    }
    cur = next as Record<string, unknown> | unknown[]
  }
}

export async function readCsv(src: OpenedSource, c: Collector, signal?: AbortSignal): Promise<{ format: string }> {
  // Line ends named, not discovered: csv-parse's discovery rescans a record from its start with
  // every chunk, so a 30 MB line without one took minutes.
  const parser = parse({ bom: true, columns: false, skip_empty_lines: true, relax_column_count: false, record_delimiter: ['\r\n', '\n', '\r'] })
  src.stream.on('error', (e) => parser.destroy(e))
  src.stream.pipe(parser)
  let map: ColumnMap | null = null
  let header: string[] = []
  let line = 0
  let rows = 0
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      line = parser.info.lines
      if (signal?.aborted) throw new CancelledError()
      if (!map) {
        header = rec
        map = mapColumns(c.file, rec)
        continue
      }
      const o: Record<string, string> = {}
      rec.forEach((v, i) => (o[header[i]!] = v))
      const props: Record<string, unknown> = {}
      for (const [col, path] of map.props) if (o[col] !== '' && o[col] !== undefined) setPath(props, path, cell(o[col]!))
      if (map.url && o[map.url] && props.$current_url === undefined) props.$current_url = o[map.url]
      if (map.elementsChain && o[map.elementsChain]) props.$elements_chain = o[map.elementsChain]
      const ev: Record<string, unknown> = { event: o[map.event], timestamp: o[map.timestamp], properties: props }
      if (map.uuid && o[map.uuid]) ev.uuid = o[map.uuid]
      if (map.distinctId && o[map.distinctId]) ev.distinct_id = o[map.distinctId]
      c.addPosthog(ev, `line ${line}`)
      if (c.busy()) await c.drain()
      rows++
    }
  } catch (e) {
    if (e instanceof ImportError || e instanceof CancelledError) throw e
    const err = e as Error & { lines?: number; code?: string }
    throw new ImportError(c.file, `line ${err.lines ?? line + 1}`, `invalid CSV (${(err.code ?? err.message).toString().slice(0, 120)})`)
  }
  c.flush()
  if (!map) throw new ImportError(c.file, null, 'no CSV header found')
  if (rows === 0) throw new ImportError(c.file, 'line 2', 'the CSV has a header but no rows')
  return { format: 'events-csv' }
}
