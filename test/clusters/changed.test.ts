// A stored cluster run tells the open windows: cluster:run fires 'changed' with 'clusters', which
// the Clusters page's queries (runs, groups) and the trace page's place refresh on. A refused run
// (no such file) stores nothing and says nothing.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { App, type Changed } from '../../electron/app'
import { openCore } from '../../electron/core'
import { sphereBlobs } from '../cluster/blobs'
import { writeNpy } from '../cluster/npy-writer'
import { tempDir } from '../helpers'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe("'changed' after a cluster run", () => {
  it('fires clusters once the run is stored', async () => {
    const core = openCore({ db: path.join(tmp.dir, 'c.db'), transport: 'cli', secrets: { get: () => undefined } })
    const seen: Changed[] = []
    const app = new App(core, (what) => seen.push(what))
    const b = sphereBlobs({ n: 60, d: 8, k: 3, seed: 2, spread: 0.3 })
    const file = path.join(tmp.dir, 'x.npy')
    fs.writeFileSync(file, writeNpy(Array.from({ length: b.n }, (_, i) => Array.from(b.data.subarray(i * b.d, (i + 1) * b.d))), { dtype: 'f4' }))
    await expect(app.run('cluster:run', { embeddings: path.join(tmp.dir, 'missing.npy') })).rejects.toThrow(/No such file/)
    expect(seen).toEqual([])
    const out = await app.complete('cluster:run', { embeddings: file, epochs: 50 })
    expect(core.store.clusters.info(out.run_id)).not.toBeNull()
    expect(seen).toEqual(['clusters'])
    await core.close()
  }, 120_000)
})
