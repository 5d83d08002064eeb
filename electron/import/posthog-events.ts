// PostHog events (from the capture JSON, an events API page, or a CSV row rebuilt into an object):
// `$snapshot` batches become rrweb events of one session+window; everything else is a product
// event with its hot columns pulled out of the properties.
import type { EventRecord } from '../store/staging'
import { parseElementsChain, selectorOf } from './elements-chain'
import { BadEvent, describe, hash64 } from './rrweb'
import { OUT_OF_RANGE, parseTime, timeOf } from './timestamps'

export interface SnapshotBatch {
  sessionId: string
  windowId: string
  items: unknown[]
}

export type PosthogItem = { kind: 'product'; event: EventRecord } | { kind: 'snapshots'; batch: SnapshotBatch } | { kind: 'skip'; reason: string }

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null)

export function isPosthogEventLike(v: unknown): boolean {
  if (!isObj(v)) return false
  const event = v.event ?? v['*.event']
  return typeof event === 'string' && ('properties' in v || 'uuid' in v || 'timestamp' in v || '*.timestamp' in v)
}

/**
 * A row of PostHog's client-side "copy as JSON" (keys are column labels: `event`, `timestamp`,
 * `properties.$current_url`, `Url / Screen`, or `*.`-prefixed server names) back to event shape.
 */
function unflattenRow(row: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(row)
  if (!keys.some((k) => k.startsWith('*.') || k.startsWith('properties.') || k === 'Url / Screen')) return row
  const props: Record<string, unknown> = isObj(row.properties) ? { ...row.properties } : {}
  const out: Record<string, unknown> = {}
  for (const k of keys) {
    const bare = k.startsWith('*.') ? k.slice(2) : k
    if (bare.startsWith('properties.')) props[bare.slice('properties.'.length)] = row[k]
    else if (k === 'Url / Screen') props.$current_url ??= row[k]
    else if (bare !== 'properties') out[bare] ??= row[k]
  }
  out.properties = props
  return out
}

export function readPosthogEvent(row: Record<string, unknown>): PosthogItem {
  const ev = unflattenRow(row)
  const name = ev.event
  if (typeof name !== 'string' || name === '') throw new BadEvent(`"event" must be a non-empty string, got ${describe(name)}`)
  const props = ev.properties ?? {}
  if (!isObj(props)) throw new BadEvent(`"properties" must be an object, got ${describe(props)}`)

  if (name === '$snapshot' || name === '$snapshot_items') {
    const sid = str(props.$session_id)
    if (!sid) return { kind: 'skip', reason: '$snapshot without $session_id' }
    const data = props.$snapshot_items ?? props.$snapshot_data
    const items = Array.isArray(data) ? data : data === undefined || data === null ? [] : [data]
    return { kind: 'snapshots', batch: { sessionId: sid, windowId: str(props.$window_id) ?? '', items } }
  }

  const given = timeOf(ev.timestamp)
  const time = typeof given === 'number' ? given : parseTime(props.$time)
  if (time === null && (given === 'out of range' || timeOf(props.$time) === 'out of range')) return { kind: 'skip', reason: OUT_OF_RANGE }
  if (time === null) throw new BadEvent(`event ${JSON.stringify(name.slice(0, 60))} has no valid "timestamp" (got ${describe(ev.timestamp)})`)
  const sessionId = str(props.$session_id)
  const windowId = str(props.$window_id)
  const distinctId = str(ev.distinct_id) ?? str(props.distinct_id)
  const chain = typeof props.$elements_chain === 'string' ? props.$elements_chain : typeof ev.elements_chain === 'string' ? ev.elements_chain : ''
  const target = chain ? parseElementsChain(chain)[0] : undefined
  const exc = exceptionOf(props)
  const uuid =
    str(ev.uuid) ??
    // No uuid (a client-side table copy): a stable one, so importing the file again dedupes.
    'nouuid:' + hash64(JSON.stringify([name, time, distinctId, sessionId, props])).toString(16)
  const status = Number(props.$http_status ?? props.status_code)
  return {
    kind: 'product',
    event: {
      uuid,
      origin: 'product',
      session_id: sessionId,
      window_id: windowId,
      time_ms: time,
      type: name,
      distinct_id: distinctId,
      url: str(props.$current_url) ?? str(props.$screen_name),
      el_text: str(props.$el_text) ?? (target?.attrs.text ?? null),
      el_selector: target ? selectorOf(target) : null,
      exc_type: exc.type,
      exc_message: exc.message,
      http_status: Number.isInteger(status) && status > 0 ? status : null,
      http_method: str(props.$http_method),
      http_url: str(props.$http_url),
      properties: JSON.stringify(chain && !props.$elements_chain ? { ...props, $elements_chain: chain } : props),
    },
  }
}

/** PostHog's UI reads the flat fields first, then the first entry of `$exception_list`. */
function exceptionOf(props: Record<string, unknown>): { type: string | null; message: string | null } {
  const list = Array.isArray(props.$exception_list) ? props.$exception_list : []
  const first = isObj(list[0]) ? list[0] : {}
  return {
    type: str(props.$exception_type) ?? str(first.type),
    message: str(props.$exception_message) ?? str(first.value),
  }
}
