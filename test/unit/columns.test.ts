import { describe, expect, it } from 'vitest'
import { packColumns, unpackColumns } from '../../shared/columns'

describe('packed columns', () => {
  it('round-trip typed columns of any length and their JSON part, each column aligned for a view', () => {
    for (const n of [0, 1, 3, 1000, 100_003]) {
      const x = Float32Array.from({ length: n }, (_, i) => i * 0.5)
      const cluster = Int32Array.from({ length: n }, (_, i) => (i % 7) - 1)
      const flag = Uint8Array.from({ length: n }, (_, i) => i % 2)
      const buf = packColumns({ x, cluster, flag }, { run: 'r1', labels: ['a', 'b'] })
      const { columns, meta } = unpackColumns<{ x: Float32Array; cluster: Int32Array; flag: Uint8Array }, { run: string }>(buf)
      expect(meta).toEqual({ run: 'r1', labels: ['a', 'b'] })
      expect(columns.x).toBeInstanceOf(Float32Array)
      expect(Array.from(columns.x)).toEqual(Array.from(x))
      expect(Array.from(columns.cluster)).toEqual(Array.from(cluster))
      expect(Array.from(columns.flag)).toEqual(Array.from(flag))
      expect(columns.x.buffer).toBe(buf) // a view, not a copy
    }
  })

  it('refuses a buffer that is not packed columns', () => {
    expect(() => unpackColumns(new ArrayBuffer(2))).toThrow(/too short/)
    const bad = new ArrayBuffer(16)
    new DataView(bad).setUint32(0, 1000, true)
    expect(() => unpackColumns(bad)).toThrow(/past the buffer/)
    const buf = packColumns({ x: new Float32Array(4) }, null)
    expect(() => unpackColumns(buf.slice(0, buf.byteLength - 8))).toThrow(/out of bounds/)
  })
})
