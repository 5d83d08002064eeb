// `sightline pull` against the ways PostHog versions serve snapshots (fake API, real HTTP on
// 127.0.0.1): blob_v2 bodies as snappy (length-prefixed blocks, one raw block), and the older
// sources `blob` (gzipped `{window_id, data}` files) and `realtime`. Each lands exactly as the
// capture file imports, and as the same file: a second pull in another shape is already imported.
import { compress } from 'snappyjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import type { Store } from '../../electron/store'
import type { FakePosthogApi, FakeRecording, SnapshotStyle } from '../fakes/posthog-api'
import { fingerprint } from '../import/helpers'
import { pullFixture, S1, S4, sample, view } from './fixture'

const fx = pullFixture('pull-sources', '815', { http: { timeoutMs: 2_000, retries: 2, baseDelayMs: 10 }, eventsPageSize: 50, blobKeysPerRequest: 2 })
const { fresh, input, pull } = fx
let api: FakePosthogApi
let s1: FakeRecording
let s4: FakeRecording
const snapshotPaths = () => api.requests.filter((q) => q.path.includes('/snapshots')).map((q) => q.path.split('?')[1] ?? '')
const lineCount = (blob: string) => blob.split('\n').filter((l) => l.trim()).length

const byFile = new Map<string, Store>()
beforeAll(async () => {
  ;({ api, s1, s4 } = await fx.start())
  for (const f of [S1, S4]) {
    const store = fresh()
    await importFiles(store, [sample(f)])
    byFile.set(f, store)
  }
})
afterEach(() => {
  api.faults.length = 0
  api.requests.length = 0
  api.resetRateLimits()
  api.realtimeVersioned = true
  s1.snapshots = s4.snapshots = undefined
})
afterAll(() => fx.stop())

describe('snapshot shapes PostHog serves', () => {
  it.each([
    ['blob_v2 as length-prefixed snappy blocks', 'blob_v2-snappy'],
    ['blob_v2 as one raw snappy block per response', 'blob_v2-snappy-block'],
    ['older server: gzipped blob files of {window_id, data} lines', 'blob'],
    ['older server: blob files, the rest in the realtime buffer', 'blob+realtime'],
    ['older server: everything still in the realtime buffer', 'realtime'],
  ] as [string, SnapshotStyle][])('%s: lands exactly as the capture file, and as the same pull', async (_name, style) => {
    for (const [rec, file] of [
      [s1, S1],
      [s4, S4],
    ] as const) {
      const store = fresh()
      rec.snapshots = style
      const r = await pull(store, input(api.replayUrl(rec)))
      expect(r).toMatchObject({ error: null, already_imported: false, sessions: 1 })
      expect(view(store, rec.sessionId)).toEqual(view(byFile.get(file)!, rec.sessionId))
      // The temp file is the one a plain blob_v2 pull writes: pulling it that way adds nothing.
      const before = fingerprint(store)
      rec.snapshots = undefined
      expect(await pull(store, input(api.replayUrl(rec)))).toMatchObject({ already_imported: true, error: null })
      expect(fingerprint(store)).toBe(before)
    }
  })

  it('asks for blob_v2 in the listing; older sources by key in the listed order, realtime last', async () => {
    s1.snapshots = 'blob+realtime'
    await pull(fresh(), input(api.replayUrl(s1)))
    const paths = snapshotPaths()
    expect(paths[0]).toBe('blob_v2=true&blob_v2_lts=true')
    expect(paths.slice(1)).toEqual([...s1.blobs.slice(0, -1).map(() => expect.stringMatching(/^source=blob&blob_key=\d+-\d+$/)), 'source=realtime&version=2024-04-30'])
    const keys = paths.slice(1, -1).map((p) => Number(/blob_key=(\d+)-/.exec(p)![1]))
    expect(keys).toEqual([...keys].sort((a, b) => a - b))

    api.requests.length = 0
    s1.snapshots = 'blob_v2-snappy'
    await pull(fresh(), input(api.replayUrl(s1)))
    expect(snapshotPaths().slice(1)).toEqual(['source=blob_v2&start_blob_key=0&end_blob_key=1&decompress=false', 'source=blob_v2&start_blob_key=2&end_blob_key=2&decompress=false'])
  })

  it('a realtime buffer from before 2024-04 ({snapshots: [...]}) reads the same', async () => {
    api.realtimeVersioned = false
    s4.snapshots = 'blob+realtime'
    const store = fresh()
    expect((await pull(store, input(api.replayUrl(s4)))).error).toBeNull()
    expect(view(store, s4.sessionId)).toEqual(view(byFile.get(S4)!, s4.sessionId))
  })

  it('a realtime buffer that is gone (404) is no error, as in PostHog’s player', async () => {
    s1.snapshots = 'blob+realtime'
    api.faults.push({ kind: 'status', status: 404, path: /source=realtime/, body: { detail: 'Not found.' } })
    const r = await pull(fresh(), input(api.replayUrl(s1)))
    expect(r).toMatchObject({ error: null, sessions: 1, events: 26 })
    expect(r.snapshot_events).toBe(s1.blobs.slice(0, -1).reduce((n, b) => n + lineCount(b), 0))
    expect(api.requests.filter((q) => q.path.includes('source=realtime'))).toHaveLength(1)
  })
})

describe('snapshot bodies that cannot be read', () => {
  it('damaged snappy: one clear error naming the block and the byte, not retried, nothing stored', async () => {
    s1.snapshots = 'blob_v2-snappy'
    const block = compress(Buffer.from(s1.blobs[0]!))
    const len = Buffer.alloc(4)
    len.writeUInt32BE(block.length)
    const cut = Buffer.concat([len, block]).subarray(0, 4 + Math.floor(block.length / 2))
    api.faults.push({ kind: 'bytes', data: cut, path: /source=blob_v2&/ })
    const store = fresh()
    const p = pull(store, input(api.replayUrl(s1)))
    await expect(p).rejects.toThrow(/^PostHog sent snapshot blocks 0–1 of recording [\w-]+ in project 815 at 127\.0\.0\.1:\d+ as snappy data that cannot be read \(byte 0: corrupt or truncated snappy data \(the data ends inside a record: \d+ of its \d+ bytes\)\); try again, or export/)
    expect(api.requests.filter((q) => q.path.includes('source=blob_v2&'))).toHaveLength(1)
    expect(store.sessions.get(s1.sessionId)).toBeUndefined()
  })

  it('a snappy block claiming more than the cap is refused before it is decoded', async () => {
    const bomb = Buffer.concat([Buffer.from([0, 0, 0, 30, 0xff, 0xff, 0xff, 0xff, 0x0f, (19 - 1) << 2]), Buffer.from('["w",{"type":3}]\n[[['), Buffer.alloc(2)])
    api.faults.push({ kind: 'bytes', data: bomb, path: /source=blob_v2&/ })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/snappy data that cannot be read \(byte 0: decompresses to more than \d+ bytes; refusing \(zip bomb\?\)\)/)
  })

  it('a listing with only sources Sightline does not know says so', async () => {
    api.faults.push({ kind: 'status', status: 200, path: /snapshots\?blob_v2=true/, body: { sources: [{ source: 'blob_v3', blob_key: 'x' }] } })
    await expect(pull(fresh(), input(api.replayUrl(s1)))).rejects.toThrow(/only as blob_v3 snapshots, which Sightline cannot read/)
  })

  it('shared links stay refused, before any request', async () => {
    await expect(pull(fresh(), input(`${api.url}/shared/AbCdEf123456`))).rejects.toThrow(/shared replay link .*gives access to the recording but not to its events/)
    expect(api.requests).toHaveLength(0)
  })
})
