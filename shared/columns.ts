// Large numeric payloads (a million scatter points) cross from the core to the renderer as one
// binary buffer of typed columns, never as a JSON object per row: an ArrayBuffer over IPC,
// `application/octet-stream` in web mode. Layout: a 4-byte little-endian length, a JSON header
// (column names, types, lengths, plus any small fields), padding to 8 bytes, then each column's
// bytes at an 8-byte-aligned offset, so the renderer views them without copying.

export type ColumnArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Uint16Array | Int16Array

const TYPES = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array } as const
type TypeName = keyof typeof TYPES

const nameOf = (a: ColumnArray): TypeName => (Object.keys(TYPES) as TypeName[]).find((k) => a instanceof TYPES[k])!

interface Header {
  columns: { name: string; type: TypeName; length: number; offset: number }[]
  meta: unknown
}

/** Marks a channel's answer as packed columns (see packColumns); `M` is the small JSON part. */
export interface Packed<C extends Record<string, ColumnArray>, M = unknown> extends ArrayBuffer {
  readonly __columns?: C
  readonly __meta?: M
}

const align = (n: number) => (n + 7) & ~7

export function packColumns<C extends Record<string, ColumnArray>, M>(columns: C, meta: M): Packed<C, M> {
  const entries = Object.entries(columns)
  const layout: Header['columns'] = []
  // The header's size depends on the offsets it lists: lay the columns out after a first guess,
  // then once more if the header grew past it.
  let headerBytes: Uint8Array
  let start = 0
  for (;;) {
    let at = start
    layout.length = 0
    for (const [name, a] of entries) {
      layout.push({ name, type: nameOf(a), length: a.length, offset: at })
      at = align(at + a.byteLength)
    }
    headerBytes = new TextEncoder().encode(JSON.stringify({ columns: layout, meta } satisfies Header))
    const need = align(4 + headerBytes.length)
    if (need <= start) break
    start = need
  }
  const total = entries.length ? align(layout.at(-1)!.offset + entries.at(-1)![1].byteLength) : start
  const buf = new ArrayBuffer(total)
  new DataView(buf).setUint32(0, headerBytes.length, true)
  new Uint8Array(buf, 4, headerBytes.length).set(headerBytes)
  entries.forEach(([, a], i) => new Uint8Array(buf, layout[i]!.offset, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)))
  return buf as Packed<C, M>
}

/** Views of the columns (no copy) and the JSON part. Throws on a buffer that is not packed columns. */
export function unpackColumns<C extends Record<string, ColumnArray>, M>(buf: Packed<C, M> | ArrayBuffer): { columns: C; meta: M } {
  if (buf.byteLength < 4) throw new Error('packed columns: buffer too short')
  const n = new DataView(buf).getUint32(0, true)
  if (4 + n > buf.byteLength) throw new Error('packed columns: header runs past the buffer')
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, n))) as Header
  const columns: Record<string, ColumnArray> = {}
  for (const c of header.columns) {
    const T = TYPES[c.type]
    if (!T || c.offset % 8 !== 0 || c.offset + c.length * T.BYTES_PER_ELEMENT > buf.byteLength) throw new Error(`packed columns: column ${c.name} is out of bounds`)
    columns[c.name] = new T(buf, c.offset, c.length)
  }
  return { columns: columns as C, meta: header.meta as M }
}

export const isBinary = (v: unknown): v is ArrayBuffer => v instanceof ArrayBuffer
