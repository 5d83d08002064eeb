// NumPy .npy files (format versions 1–3, numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
// magic "\x93NUMPY", version, header length, a Python dict literal {'descr', 'fortran_order',
// 'shape'} padded to a multiple of 64 bytes, then the data. Read here: 2-D float32 or float64 in
// either byte order, C or Fortran order, as row-major float32 rows.
import { UserError } from '../errors'

export interface Matrix {
  rows: number
  cols: number
  /** rows × cols, row-major. */
  data: Float32Array
  /** The file's own dtype, e.g. '<f4'. */
  descr: string
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])

const bad = (file: string, why: string) => new UserError(`${file} is not a usable .npy file: ${why}.`)

export function readNpy(buf: Buffer, file = 'the file'): Matrix {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw bad(file, 'it does not start with the NumPy magic string')
  const major = buf[6]!
  if (major < 1 || major > 3) throw bad(file, `format version ${major}.${buf[7]} is not one NumPy writes`)
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8)
  const start = major === 1 ? 10 : 12
  if (start + headerLen > buf.length) throw bad(file, 'its header is cut off')
  const header = buf.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1')
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header)?.[1]
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1]
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1]
  if (!descr || !fortran || shapeText === undefined) throw bad(file, `its header is not a NumPy header (${JSON.stringify(header.trim().slice(0, 120))})`)
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number)
  if (shape.length !== 2 || shape.some((n) => !Number.isInteger(n) || n < 0)) throw bad(file, `its shape is (${shapeText.trim()}); embeddings need a 2-D array (rows × dimensions)`)
  const m = /^([<>|=])f([48])$/.exec(descr)
  if (!m) throw bad(file, `its dtype is ${descr}; float32 ('<f4') or float64 ('<f8') is needed`)
  const size = Number(m[2])
  const little = m[1] !== '>'
  const [rows, cols] = shape as [number, number]
  const offset = start + headerLen
  const need = rows * cols * size
  if (buf.length - offset < need) throw bad(file, `it holds ${buf.length - offset} bytes of data; a ${rows}×${cols} ${descr} array needs ${need}`)
  const view = new DataView(buf.buffer, buf.byteOffset + offset, need)
  const data = new Float32Array(rows * cols)
  for (let k = 0; k < rows * cols; k++) {
    // Fortran order stores column by column.
    const [r, c] = fortran === 'True' ? [k % rows, Math.floor(k / rows)] : [Math.floor(k / cols), k % cols]
    data[r * cols + c] = size === 4 ? view.getFloat32(k * 4, little) : view.getFloat64(k * 8, little)
  }
  return { rows, cols, data, descr }
}
