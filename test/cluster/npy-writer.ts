// A .npy writer by the format spec (numpy.org/doc/stable/reference/generated/numpy.lib.format.html),
// for tests: magic, version, little-endian header length, the dict literal padded with spaces and
// ended by '\n' so that data starts on a multiple of 64 bytes, then the data.
export function writeNpy(rows: number[][], o: { dtype: 'f4' | 'f8'; bigEndian?: boolean; fortran?: boolean; version?: 1 | 2 }): Buffer {
  const r = rows.length
  const c = rows[0]?.length ?? 0
  const version = o.version ?? 1
  const descr = `${o.bigEndian ? '>' : '<'}${o.dtype}`
  const dict = `{'descr': '${descr}', 'fortran_order': ${o.fortran ? 'True' : 'False'}, 'shape': (${r}, ${c}), }`
  const pre = version === 1 ? 10 : 12
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64
  const header = dict.padEnd(total - pre - 1, ' ') + '\n'
  const head = Buffer.alloc(pre)
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head)
  if (version === 1) head.writeUInt16LE(header.length, 8)
  else head.writeUInt32LE(header.length, 8)
  const size = o.dtype === 'f4' ? 4 : 8
  const data = Buffer.alloc(r * c * size)
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  for (let k = 0; k < r * c; k++) {
    const [i, j] = o.fortran ? [k % r, Math.floor(k / r)] : [Math.floor(k / c), k % c]
    if (size === 4) view.setFloat32(k * 4, rows[i]![j]!, !o.bigEndian)
    else view.setFloat64(k * 8, rows[i]![j]!, !o.bigEndian)
  }
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data])
}
