// The second thread (electron/import/parallel.ts) must not change what an import stores or
// reports: same rows, same results, same errors at the same places; a worker that dies leaves the
// file to the import thread; cancel still cancels.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { Compressor } from '../../electron/import/compressor'
import { RemoteStage } from '../../electron/import/parallel'
import type { ImportResult } from '../../shared/model'
import { importOne, samplesDir, storedRows, tempTables, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())


const strip = ({ duration_ms: _d, ...r }: ImportResult) => r

/** Imports `files` one by one into a fresh store; the results and every stored row. */
async function importAll(name: string, files: string[], parallelMinBytes: number) {
  const store = withStore(t.dir, `${name}.sqlite`)
  try {
    const results = []
    for (const f of files) results.push(strip(await importOne(store, f, { parallelMinBytes })))
    expect(tempTables(store)).toEqual([])
    return { results, rows: storedRows(store) }
  } finally {
    store.close()
  }
}

const sample = (n: string) => path.join(samplesDir, n)
const exportFile = sample('S1-happy-browse-and-buy.posthog-export.json')
const exp = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as { version: string; data: { id: string; person: unknown; snapshots: Record<string, unknown>[] } }

function write(name: string, value: unknown): string {
  const f = t.file(name)
  fs.writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value))
  return f
}

describe('import on two threads', () => {
  it('stores and reports exactly what one thread does', async () => {
    const snaps = exp.data.snapshots
    const bad = [...snaps]
    bad[40] = { type: 'x', timestamp: 1 }
    const text = JSON.stringify(exp)
    const files = [
      exportFile,
      sample('S4-two-tabs.posthog-export.json.gz'),
      sample('S3-search-500-spa.rrweb.json'),
      sample('S2-checkout-typeerror-rage-leave.posthog-events.jsonl'),
      sample('S4-two-tabs.rrweb.json'),
      write('id-after.json', { version: exp.version, data: { snapshots: snaps, person: exp.data.person, id: 'after' } }),
      write('tuples.json', snaps.map((e) => [e.windowId ?? 'w', e])),
      write('response.json', { window_id: 'wX', data: snaps.map(({ windowId: _w, ...e }) => e) }),
      write('batch.json', [{ window_id: 'wB', data: snaps.slice(0, 50) }, ...snaps.slice(50).map(({ windowId: _w, ...e }) => ({ ...e, timestamp: (e.timestamp as number) + 1 }))]),
      write('bad-type.json', { version: exp.version, data: { id: 'bad', snapshots: bad } }),
      write('truncated.json', text.slice(0, Math.floor(text.length * 0.7))),
      write('reversed.json', { version: exp.version, data: { id: 'reversed', snapshots: [...snaps].reverse() } }),
      sample('S6-thirdparty-widget-errors-purchase-ok.posthog-export.json'),
    ]
    const one = await importAll('one', files, Infinity)
    const two = await importAll('two', files, 0)
    expect(two.results).toEqual(one.results)
    expect(two.rows).toBe(one.rows)
    expect(one.results.filter((r) => r.error !== null).length).toBe(2)
  })

  it('a worker that dies leaves the file to the import thread', async () => {
    const add = RemoteStage.prototype.add
    let n = 0
    RemoteStage.prototype.add = function (...a) {
      if (++n === 20) void (this as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
      return add.apply(this, a)
    }
    try {
      const two = await importAll('dies', [exportFile], 0)
      expect(n).toBeGreaterThan(20)
      const one = await importAll('dies-one', [exportFile], Infinity)
      expect(two).toEqual(one)
    } finally {
      RemoteStage.prototype.add = add
    }
  })

  it('a chunk compressor that dies leaves the file to the import thread', async () => {
    const gzip = Compressor.prototype.gzip
    let n = 0
    Compressor.prototype.gzip = function (raw) {
      if (++n === 3) void (this as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
      return gzip.call(this, raw)
    }
    try {
      const two = await importAll('gzip-dies', [exportFile], 0)
      expect(n).toBeGreaterThan(3)
      const one = await importAll('gzip-dies-one', [exportFile], Infinity)
      expect(two).toEqual(one)
    } finally {
      Compressor.prototype.gzip = gzip
    }
  })

  it('cancel stops the import and its worker', async () => {
    const store = withStore(t.dir, 'cancel.sqlite')
    const ac = new AbortController()
    const close = RemoteStage.prototype.close
    let closed = 0
    RemoteStage.prototype.close = function () {
      closed++
      close.call(this)
    }
    try {
      const p = importFiles(store, [exportFile], { signal: ac.signal, parallelMinBytes: 0, onProgress: () => ac.abort() })
      await expect(p).rejects.toThrow(/cancel/i)
      expect(closed).toBeGreaterThan(0)
      expect(tempTables(store)).toEqual([])
      expect(store.db.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(0)
    } finally {
      RemoteStage.prototype.close = close
      store.close()
    }
  })
})
