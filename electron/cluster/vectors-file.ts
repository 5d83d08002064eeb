// Bring your own vectors: a file of embeddings made elsewhere, matched to traces by id.
// - .npy: a 2-D float32/float64 array; row i belongs to line i of the ids file (--ids), else to
//   the i-th summarized trace in id order (what `sightline embed` and load() use).
// - .csv: one row per trace, `id,v1,v2,…` (a header row is recognised and skipped).
// - .jsonl / .ndjson / .json lines: `{"id": …, "vector"|"embedding": [...]}` per line.
// Every row must have the same dimension; errors name the file and the line.
import fs from 'node:fs'
import path from 'node:path'
import { UserError } from '../errors'
import { readNpy } from './npy'

export interface VectorRows {
  ids: (string | null)[]
  dim: number
  vectors: Float32Array[]
  format: 'npy' | 'csv' | 'jsonl'
}

const fail = (file: string, where: string, why: string) => new UserError(`${path.basename(file)}${where ? ` ${where}` : ''}: ${why}`)

export function readVectorsFile(file: string): VectorRows {
  if (!fs.existsSync(file)) throw new UserError(`No such file: ${file}`)
  const ext = path.extname(file).toLowerCase()
  if (ext === '.npy') {
    const m = readNpy(fs.readFileSync(file), path.basename(file))
    const vectors = Array.from({ length: m.rows }, (_, r) => m.data.subarray(r * m.cols, (r + 1) * m.cols))
    return { ids: vectors.map(() => null), dim: m.cols, vectors, format: 'npy' }
  }
  const text = fs.readFileSync(file, 'utf8')
  const lines = text.split(/\r?\n/)
  const ids: string[] = []
  const vectors: Float32Array[] = []
  let dim = -1
  const add = (id: string, v: number[], where: string) => {
    if (!id) throw fail(file, where, 'the row has no id')
    if (!v.length) throw fail(file, where, 'the row has no numbers')
    const badAt = v.findIndex((x) => !Number.isFinite(x))
    if (badAt >= 0) throw fail(file, where, `value ${badAt + 1} is not a finite number`)
    if (dim >= 0 && v.length !== dim) throw fail(file, where, `${v.length} dimensions; the rows before have ${dim}`)
    dim = v.length
    ids.push(id)
    vectors.push(Float32Array.from(v))
  }
  if (ext === '.csv') {
    lines.forEach((line, i) => {
      if (!line.trim()) return
      const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
      const nums = cells.slice(1).map(Number)
      if (i === 0 && nums.some((x) => Number.isNaN(x))) return // header
      add(cells[0]!, nums, `line ${i + 1}`)
    })
    if (dim < 0) throw fail(file, '', 'no rows')
    return { ids, dim, vectors, format: 'csv' }
  }
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
    lines.forEach((line, i) => {
      if (!line.trim()) return
      let o: unknown
      try {
        o = JSON.parse(line)
      } catch (e) {
        throw fail(file, `line ${i + 1}`, `not JSON (${(e as Error).message.slice(0, 80)})`)
      }
      const r = o as { id?: unknown; trace_id?: unknown; vector?: unknown; embedding?: unknown }
      const v = r.vector ?? r.embedding
      if (!Array.isArray(v)) throw fail(file, `line ${i + 1}`, 'no "vector" or "embedding" array')
      add(String(r.id ?? r.trace_id ?? ''), v.map(Number), `line ${i + 1}`)
    })
    if (dim < 0) throw fail(file, '', 'no rows')
    return { ids, dim, vectors, format: 'jsonl' }
  }
  throw new UserError(`${path.basename(file)}: vectors are read from .npy, .csv or .jsonl files, not ${ext || 'a file without an extension'}.`)
}

/** The ids file for an .npy: one id per line. */
export function readIdsFile(file: string): string[] {
  if (!fs.existsSync(file)) throw new UserError(`No such file: ${file}`)
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}
