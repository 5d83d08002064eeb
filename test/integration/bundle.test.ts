// The desktop build (electron-vite, run by `npm test` first) as the packaged app will load it:
// main.js cannot run outside Electron, but the worker it starts is plain Node, so run that one.
import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import type { FromWorker } from '../../electron/jobs/messages'
import type { StageIn, StageOut } from '../../electron/import/parallel'
import { contentHashReady, normalizeRrweb, Skip } from '../../electron/import/rrweb'
import { openStore } from '../../electron/store'
import { repoRoot, sharedSamples, tempDir } from '../helpers'

const out = path.join(repoRoot, 'out')
const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('desktop build', () => {
  it('has main, worker, sandboxed preload and renderer where main.ts looks for them', () => {
    for (const f of ['main/main.js', 'main/worker.js', 'main/stage-worker.js', 'preload/preload.cjs', 'renderer/index.html']) expect(fs.existsSync(path.join(out, f)), f).toBe(true)
    // run-in-worker looks for worker.js next to its own chunk or one folder up (main.js, cli.js).
    const chunks = fs.readdirSync(path.join(out, 'main/chunks')).map((f) => fs.readFileSync(path.join(out, 'main/chunks', f), 'utf8'))
    expect(chunks.some((c) => c.includes('built: "worker.js"'))).toBe(true)
    expect(fs.existsSync(path.join(out, 'main/cli.js'))).toBe(true)
    // A sandboxed preload must be CommonJS and may only require electron.
    const preload = fs.readFileSync(path.join(out, 'preload/preload.cjs'), 'utf8')
    expect(preload).toMatch(/require\("electron"\)/)
    expect(preload).not.toMatch(/^import /m)
  })

  it('the bundled worker imports a recording into the database and detects its flags', async () => {
    const db = path.join(tmp.dir, 'bundle.db')
    openStore(db).close()
    const worker = new Worker(path.join(out, 'main/worker.js'))
    const done = new Promise<FromWorker>((resolve) => worker.on('message', (m: FromWorker) => m.type !== 'progress' && resolve(m)))
    worker.postMessage({ type: 'start', task: 'import:files', input: { db, input: [path.join(sharedSamples, 'sessions', 'S1-happy-browse-and-buy.rrweb.json')] } })
    const m = await done
    await worker.terminate()
    expect(m.type).toBe('done')
    const [result] = (m as { result: { error: string | null; sessions: number }[] }).result
    expect(result).toMatchObject({ error: null, sessions: 1 })
    const store = openStore(db)
    const { rows } = store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 5, offset: 0 })
    expect(rows).toHaveLength(1)
    expect(store.sessions.detectorVersion(rows[0]!.id)).not.toBeNull()
    store.close()
  })

  it('the bundled stage worker parses, normalises and hashes events as the import thread would', async () => {
    await contentHashReady
    const events = [
      { type: 4, data: { href: 'https://x.test/', width: 800, height: 600 }, timestamp: 1767225600000, windowId: 'w1' },
      { timestamp: 1767225600001, data: { source: 1, positions: [] }, type: 3 },
    ]
    const bytes = Buffer.concat(events.map((e) => Buffer.from(JSON.stringify(e))))
    const ends = Float64Array.from(events.map((_, i) => Buffer.byteLength(events.slice(0, i + 1).map((e) => JSON.stringify(e)).join(''))))
    const worker = new Worker(path.join(out, 'main/stage-worker.js'))
    const reply = new Promise<StageOut>((resolve) => worker.once('message', resolve))
    const msg: StageIn = { buf: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer, n: 2, ends, plain: Uint8Array.from([1, 1]), hintOf: Uint32Array.from([0, 0]), hints: ['hint'] }
    worker.postMessage(msg)
    const o = await reply
    await worker.terminate()
    expect([...o.kind]).toEqual([1, 1])
    expect([...o.widOf].map((k) => o.wids[k])).toEqual(['w1', 'hint'])
    const json = Buffer.from(o.json)
    for (let i = 0; i < 2; i++) {
      const n = normalizeRrweb(events[i])
      if (n instanceof Skip) throw new Error('skipped')
      expect(json.toString('utf8', i ? o.jsonEnd[i - 1] : 0, o.jsonEnd[i])).toBe(n.json)
      expect(o.hash[i]).toBe(n.hash)
    }
  })
})
