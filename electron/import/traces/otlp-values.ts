// OTLP JSON in every flavour real tools write: OTLP/HTTP JSON (hex ids, enum numbers, int64 as
// numbers or strings), protobuf canonical JSON (base64 ids, enum names, snake_case when field
// names are preserved), protobufjs-decoded objects (Buffer ids, {low, high} times).
import { parseTime, timeInRange } from '../timestamps'
import { isObj, str } from './messages'

/** A field under its camelCase or snake_case name. */
export function field(o: Record<string, unknown>, camel: string): unknown {
  if (camel in o) return o[camel]
  const snake = camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
  return o[snake]
}

function longToBigInt(v: Record<string, unknown>): bigint | null {
  if (typeof v.low !== 'number' || typeof v.high !== 'number') return null
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0)
}

export function anyValue(v: unknown): unknown {
  if (!isObj(v)) return v ?? null
  for (const [k, x] of Object.entries(v)) {
    switch (k) {
      case 'stringValue':
      case 'string_value':
        return x
      case 'boolValue':
      case 'bool_value':
        return x === true || x === 'true'
      case 'intValue':
      case 'int_value': {
        if (isObj(x)) {
          const b = longToBigInt(x)
          return b === null ? null : Number(b)
        }
        const n = Number(x)
        return Number.isFinite(n) ? n : x
      }
      case 'doubleValue':
      case 'double_value':
        return Number(x)
      case 'arrayValue':
      case 'array_value':
        return (isObj(x) && Array.isArray(x.values) ? x.values : []).map(anyValue)
      case 'kvlistValue':
      case 'kvlist_value':
        return attributes(isObj(x) ? x.values : [])
      case 'bytesValue':
      case 'bytes_value':
        return typeof x === 'string' ? x : idToHex(x)
    }
  }
  return null
}

/** `[{key, value: AnyValue}]`, or already a plain object (some exporters). */
export function attributes(list: unknown): Record<string, unknown> {
  if (isObj(list)) return list
  const out: Record<string, unknown> = {}
  if (!Array.isArray(list)) return out
  for (const kv of list) if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value)
  return out
}

const HEX = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/i
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/

/** Trace and span ids as lowercase hex; arbitrary string ids (Phoenix, Langfuse) stay as they are. */
export function idToHex(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null
  if (typeof v === 'string') {
    if (HEX.test(v)) return v.toLowerCase()
    if ((v.length === 12 || v.length === 24) && B64.test(v)) {
      const b = Buffer.from(v, 'base64')
      if (b.length === 8 || b.length === 16) return /^0+$/.test(b.toString('hex')) ? null : b.toString('hex')
    }
    return v
  }
  let bytes: number[] | null = null
  if (Array.isArray(v)) bytes = v as number[]
  else if (isObj(v) && Array.isArray(v.data)) bytes = v.data as number[]
  else if (isObj(v) && '0' in v) bytes = Object.keys(v).filter((k) => /^\d+$/.test(k)).map((k) => Number(v[k]))
  else if (v instanceof Uint8Array) bytes = [...v]
  if (!bytes || bytes.length === 0) return null
  const hex = Buffer.from(bytes).toString('hex')
  return /^0+$/.test(hex) ? null : hex
}

/** Nanoseconds as a decimal string (exact), from a string, number, {low, high}, [s, ns] or ISO time. */
export function nanos(v: unknown): string | null {
  if (v === null || v === undefined || v === '' || v === 0 || v === '0') return null
  if (typeof v === 'string' && /^\d+$/.test(v)) return v
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.round(v)).toString()
  if (Array.isArray(v) && v.length === 2) return (BigInt(Math.trunc(Number(v[0]))) * 1_000_000_000n + BigInt(Math.trunc(Number(v[1])))).toString()
  if (isObj(v)) return longToBigInt(v)?.toString() ?? null
  const ms = parseTime(v)
  return ms === null ? null : (BigInt(ms) * 1_000_000n).toString()
}

/** Milliseconds; null for none, and for a time no reader could show (past MAX_TIME_MS). */
export const nanosToMs = (n: string | null): number | null => {
  if (n === null) return null
  const ms = Number(BigInt(n) / 1_000_000n)
  return timeInRange(ms) ? ms : null
}

const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']
export function spanKind(v: unknown): string {
  if (typeof v === 'number') return KIND_NAMES[v] ?? 'UNSPECIFIED'
  return (str(v) ?? 'UNSPECIFIED').replace(/^SPAN_KIND_/, '').toUpperCase()
}

/** Status code 2 / STATUS_CODE_ERROR / ERROR. */
export function isErrorStatus(status: unknown): boolean {
  if (!isObj(status)) return false
  const c = status.code
  return c === 2 || c === '2' || (typeof c === 'string' && /ERROR$/i.test(c))
}

/**
 * Dotted attributes with numeric indexes (`llm.input_messages.0.message.role`,
 * `gen_ai.prompt.1.content`) back into a list of nested objects.
 */
export function indexed(attrs: Record<string, unknown>, prefix: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const head = prefix + '.'
  for (const [k, v] of Object.entries(attrs)) {
    if (!k.startsWith(head)) continue
    const path = k.slice(head.length).split('.')
    const i = Number(path[0])
    if (!Number.isInteger(i) || i < 0 || i > 100_000) continue
    let cur: Record<string, unknown> = (out[i] ??= {})
    for (let j = 1; j < path.length; j++) {
      const key = path[j]!
      if (j === path.length - 1) cur[key] = v
      else {
        const next = cur[key]
        cur = isObj(next) || Array.isArray(next) ? (next as Record<string, unknown>) : (cur[key] = /^\d+$/.test(path[j + 1]!) ? [] : {}) as Record<string, unknown>
      }
    }
  }
  return out.filter((x) => x !== undefined)
}

/** Nested attribute objects (Phoenix's span download) flattened to dotted keys. */
export function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out)
  } else if (Array.isArray(v) && v.some((x) => isObj(x))) {
    v.forEach((x, i) => flatten(x, `${prefix}.${i}`, out))
  } else if (prefix) out[prefix] = v
  return out
}
