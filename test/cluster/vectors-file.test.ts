// Bring your own vectors: .npy read from files written by the format spec and, where NumPy is
// installed, by NumPy itself (float32 and float64, C and Fortran order, both byte orders); CSV and
// JSON lines; matched to traces by id with the dimension checked; `sightline embed --from`.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importVectors } from '../../electron/cluster/embed'
import { readNpy } from '../../electron/cluster/npy'
import { readVectorsFile } from '../../electron/cluster/vectors-file'
import { UserError } from '../../electron/errors'
import type { Store } from '../../electron/store'
import { sightlineCli, tempDir } from '../helpers'
import { withSmallTraces, withStore } from '../traces/helpers'
import { writeNpy } from './npy-writer'

const tmp = tempDir('sightline-vectors-')
afterAll(() => tmp.cleanup())
const file = (name: string, data: string | Buffer) => {
  const p = path.join(tmp.dir, name)
  fs.writeFileSync(p, data)
  return p
}
const M = [
  [1.5, -2, 0.25],
  [3, 4.125, -1e-3],
]

describe('.npy', () => {
  for (const dtype of ['f4', 'f8'] as const)
    for (const fortran of [false, true])
      for (const bigEndian of [false, true])
        it(`reads ${bigEndian ? '>' : '<'}${dtype}${fortran ? ', Fortran order' : ''} written by the spec`, () => {
          const m = readNpy(writeNpy(M, { dtype, fortran, bigEndian }))
          expect([m.rows, m.cols, m.descr]).toEqual([2, 3, `${bigEndian ? '>' : '<'}${dtype}`])
          expect(Array.from(m.data)).toEqual(M.flat().map(Math.fround))
        })

  it('reads format version 2 headers', () => {
    expect(Array.from(readNpy(writeNpy(M, { dtype: 'f8', version: 2 })).data)).toEqual(M.flat().map(Math.fround))
  })

  const numpy = (() => {
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  it.skipIf(!numpy)('reads what NumPy itself writes (float32 and float64, C and Fortran order)', () => {
    const out = path.join(tmp.dir, 'np')
    execFileSync('python3', [
      '-c',
      `import numpy as np; m = np.array(${JSON.stringify(M)}); np.save('${out}-f4.npy', m.astype(np.float32)); np.save('${out}-f8.npy', m); np.save('${out}-f8F.npy', np.asfortranarray(m)); np.save('${out}-3d.npy', np.zeros((2,2,2))); np.save('${out}-i8.npy', np.zeros((2,2), dtype=np.int64))`,
    ])
    for (const name of ['f4', 'f8', 'f8F']) expect(Array.from(readNpy(fs.readFileSync(`${out}-${name}.npy`)).data)).toEqual(M.flat().map(Math.fround))
    expect(() => readNpy(fs.readFileSync(`${out}-3d.npy`), 'np-3d.npy')).toThrow(/np-3d.npy .*shape is \(2, 2, 2\); embeddings need a 2-D array/)
    expect(() => readNpy(fs.readFileSync(`${out}-i8.npy`), 'np-i8.npy')).toThrow(/dtype is <i8; float32/)
  })

  it('refuses what is not a 2-D float array, naming the file and the problem', () => {
    expect(() => readNpy(Buffer.from('not numpy at all'), 'x.npy')).toThrow(/x.npy is not a usable .npy file: it does not start with the NumPy magic/)
    const cut = writeNpy(M, { dtype: 'f8' })
    expect(() => readNpy(cut.subarray(0, cut.length - 8), 'cut.npy')).toThrow(/cut.npy .*holds 40 bytes of data; a 2×3 <f8 array needs 48/)
  })
})

describe('CSV and JSON lines', () => {
  it('reads id,v1,v2,… with or without a header, and {"id","vector"} lines', () => {
    expect(readVectorsFile(file('a.csv', 'id,a,b\nt1,1,2\nt2,3,4\n'))).toMatchObject({ ids: ['t1', 't2'], dim: 2, format: 'csv' })
    expect(readVectorsFile(file('b.csv', 't1,1,2\n')).ids).toEqual(['t1'])
    const j = readVectorsFile(file('c.jsonl', '{"id":"t1","vector":[1,2]}\n{"id":"t2","embedding":[3,4]}\n'))
    expect(j.vectors.map((v) => Array.from(v))).toEqual([
      [1, 2],
      [3, 4],
    ])
  })

  it('says which line has the wrong dimension or no number', () => {
    expect(() => readVectorsFile(file('d.csv', 't1,1,2\nt2,3\n'))).toThrow(/d.csv line 2: 1 dimensions; the rows before have 2/)
    expect(() => readVectorsFile(file('e.jsonl', '{"id":"t1","vector":[1,"x"]}\n'))).toThrow(/e.jsonl line 1: value 2 is not a finite number/)
    expect(() => readVectorsFile(file('f.txt', '1'))).toThrow(/\.npy, \.csv or \.jsonl/)
  })
})

describe('vectors matched to traces', () => {
  let store: Store
  const db = path.join(tmp.dir, 'byo.db')
  beforeAll(async () => {
    store = await withSmallTraces(tmp.dir, 'byo.db')
  })
  afterAll(() => store.close())

  it('by id: unknown ids are reported, the dimension is checked against what the name holds', () => {
    const r = importVectors(store, { file: file('v.csv', 'ph-1,1,0,0\nt1,0,1,0\nnope,0,0,1\n'), model: 'mine' })
    expect(r).toMatchObject({ model: 'mine', dim: 3, embedded: 2, total: 3, unmatched: ['nope'] })
    expect(store.embeddings.load('mine')).toMatchObject({ ids: ['ph-1', 't1'], dim: 3 })
    expect(() => importVectors(store, { file: file('w.csv', 'ph-1,1,0\n'), model: 'mine' })).toThrow(/2-dimensional vectors, but the vectors stored as mine have 3/)
    expect(() => importVectors(store, { file: file('x.csv', 'a,1\nb,2\n') })).toThrow(UserError)
  })

  it('an .npy by row order with an ids file; another model’s vectors stay beside', () => {
    const npy = file('v.npy', writeNpy([[1, 2], [3, 4], [5, 6]], { dtype: 'f4' }))
    const ids = file('v.ids', 'chat-8\nph-1\nt1\n')
    expect(importVectors(store, { file: npy, idsFile: ids })).toMatchObject({ model: 'file:v.npy', dim: 2, embedded: 3 })
    expect(() => importVectors(store, { file: npy, idsFile: file('short.ids', 'ph-1\n') })).toThrow(/v.npy has 3 rows but short.ids names 1 ids/)
    expect(store.embeddings.models().map((m) => [m.model, m.dim, m.count]).sort()).toEqual([
      ['file:v.npy', 2, 3],
      ['mine', 3, 2],
    ])
    const { data } = store.embeddings.load('file:v.npy')
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('sightline embed --from FILE --json', async () => {
    store.close()
    const csv = file('cli.csv', 'ph-1,0.5,0.5\n')
    const out = await sightlineCli(db)(['embed', '--from', csv, '--name', 'cli', '--json'])
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout)).toMatchObject({ model: 'cli', dim: 2, embedded: 1, total: 1, unmatched: [] })
    store = withStore(tmp.dir, 'byo.db')
  }, 130_000)
})
