// A hostile-file generator: truncations at every structural point of small real files, type
// swaps anywhere in them, random bytes. The rule: never a crash, never a partial import — each
// file either lands whole or leaves the database exactly as it was, with one error string.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { fingerprint, importOne, samplesDir, storedRows, tempTables, tmp, withStore } from './helpers'

const t = tmp()
let store: Store
afterAll(() => {
  store?.close()
  t.cleanup()
})
beforeAll(async () => {
  store = withStore(t.dir)
  await importOne(store, path.join(samplesDir, 'S1-happy-browse-and-buy.events.csv'))
})

/** Deterministic PRNG (mulberry32) so a failure can be reproduced. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const counts = () => store.db.prepare('SELECT (SELECT count(*) FROM sources) s, (SELECT count(*) FROM events) e, (SELECT count(*) FROM snapshot_chunks) c').get() as { s: number; e: number; c: number }

let n = 0
const stats = { files: 0, errors: 0, landed: 0 }
/** Imports bytes as a file; checks whole-or-nothing. */
async function attempt(data: Buffer | string, ext: string) {
  const f = t.file(`h${++n}${ext}`)
  fs.writeFileSync(f, data)
  const before = fingerprint(store)
  const c0 = counts()
  const r = await importOne(store, f)
  stats.files++
  fs.rmSync(f)
  expect(tempTables(store)).toEqual([])
  if (r.error !== null) {
    stats.errors++
    expect(r.error).toMatch(new RegExp(`^h${n}\\${ext}: `)) // names the file
    expect(r.error.length).toBeLessThan(400) // one line, not a dump
    expect(r.error).not.toMatch(/\n/)
    expect(fingerprint(store)).toBe(before)
    return r
  }
  if (r.already_imported) {
    expect(fingerprint(store)).toBe(before)
    return r
  }
  stats.landed++
  const c1 = counts()
  expect(c1.s).toBe(c0.s + 1)
  expect(c1.e - c0.e).toBeGreaterThanOrEqual(r.events) // product events plus derived ones
  return r
}

/** Offsets just before and just after each structural character, spread over the file. */
function cutPoints(text: string, max: number): number[] {
  const pts: number[] = []
  for (let i = 0; i < text.length; i++) if ('{}[],:"\n'.includes(text[i]!)) pts.push(i, i + 1)
  const step = Math.max(1, Math.ceil(pts.length / max))
  return [0, 1, ...pts.filter((_, k) => k % step === 0), text.length - 1]
}

const tab2 = fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.tab2.rrweb.json'), 'utf8')
const jsonlSmall = fs
  .readFileSync(path.join(samplesDir, 'S4-two-tabs.posthog-events.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 5)
  .join('\n')
const exportSmall = JSON.stringify(
  { version: '2023-04-28', data: { id: 'hostile-export', person: null, snapshots: JSON.parse(tab2).map((e: object) => ({ ...e, windowId: 1 })) } },
  null,
  2,
)
const csvSmall = fs.readFileSync(path.join(samplesDir, 'S1-happy-browse-and-buy.events.csv'), 'utf8').split('\r\n').slice(0, 4).join('\r\n')

// A tiny but complete recording: every one of its structural points is tried.
const tiny = JSON.stringify([
  { type: 4, data: { href: 'http://shop.test/', width: 800, height: 600 }, timestamp: 1700000000000 },
  {
    type: 2,
    data: {
      node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'button', attributes: { id: 'go' }, childNodes: [{ type: 3, id: 3, textContent: 'Go' }] }] },
      initialOffset: { top: 0, left: 0 },
    },
    timestamp: 1700000000001,
  },
  { type: 3, data: { source: 2, type: 2, id: 3, x: 1, y: 2 }, timestamp: 1700000000500 },
  { type: 6, data: { plugin: 'rrweb/console@1', payload: { level: 'error', payload: ['"Boom"'], trace: [] } }, timestamp: 1700000000600 },
])
const tinyLines = [
  JSON.stringify({ uuid: 'u1', event: '$pageview', properties: { $session_id: 's1', $window_id: 'w1', $current_url: 'http://shop.test/' }, timestamp: '2023-11-14T22:13:20.000Z' }),
  JSON.stringify({ uuid: 'u2', event: '$snapshot', properties: { $session_id: 's1', $window_id: 'w1', $snapshot_data: JSON.parse(tiny) } }),
].join('\n')

describe('every structural point of a tiny file', () => {
  it.each([
    ['rrweb array', tiny, '.json'],
    ['capture JSON lines', tinyLines, '.jsonl'],
  ])('%s', async (_name, text, ext) => {
    const whole = await attempt(text, ext)
    expect(whole.error).toBeNull()
    for (const at of cutPoints(text, Number.MAX_SAFE_INTEGER)) if (at < text.length) await attempt(text.slice(0, at), ext)
  })
})

const bases: [string, string, string][] = [
  ['rrweb array', tab2, '.json'],
  ['capture JSON lines', jsonlSmall, '.jsonl'],
  ['PostHog export', exportSmall, '.json'],
  ['events CSV', csvSmall, '.csv'],
]

const swaps: unknown[] = ['x', 7, -1, 1e300, null, true, [], {}, '\u0000', 'ÿ\u00ff', undefined]

/** The documents with one random node somewhere replaced by a value of another type (or removed). */
function typeSwapped(docs: unknown[], rand: () => number, ext: string): string {
  const copy = structuredClone(docs)
  // Walk to a random node and replace it.
  let parent: Record<string | number, unknown> = copy as unknown as Record<number, unknown>
  let key: string | number = Math.floor(rand() * copy.length)
  for (let depth = 0; depth < 12; depth++) {
    const v = parent[key]
    if (typeof v !== 'object' || v === null) break
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
    if (keys.length === 0 || rand() < 0.25) break
    parent = v as Record<string | number, unknown>
    key = keys[Math.floor(rand() * keys.length)]!
  }
  const swap = swaps[Math.floor(rand() * swaps.length)]
  if (swap === undefined) delete parent[key]
  else parent[key] = swap
  return ext === '.jsonl' ? (copy as unknown[]).map((d) => JSON.stringify(d) ?? 'null').join('\n') : (JSON.stringify(copy[0]) ?? '')
}

describe('hostile files', () => {
  it.each(bases)('%s: truncated at structural points', async (_name, text, ext) => {
    for (const at of cutPoints(text, 150)) await attempt(text.slice(0, at), ext)
  })

  it.each(bases)('%s: truncated gzip', async (_name, text, ext) => {
    const gz = zlib.gzipSync(text)
    for (let at = 0; at < gz.length; at += Math.max(1, Math.floor(gz.length / 40))) await attempt(gz.subarray(0, at), ext + '.gz')
  })

  it.each(bases.filter((b) => b[2] !== '.csv'))('%s: type swaps anywhere', async (_name, text, ext) => {
    const rand = rng(text.length)
    const docs: unknown[] = ext === '.jsonl' ? text.split('\n').map((l) => JSON.parse(l)) : [JSON.parse(text)]
    for (let k = 0; k < 80; k++) await attempt(typeSwapped(docs, rand, ext), ext)
  })

  it.each(bases.filter((b) => b[2] === '.json'))('%s: type swaps, on two threads as on one', async (_name, text, ext) => {
    // The second thread (parallel.ts) must reject, skip and store exactly what one thread does.
    const rand = rng(text.length + 1)
    const one = withStore(t.dir, `one-${ext}.sqlite`)
    const two = withStore(t.dir, `two-${ext}.sqlite`)
    for (let k = 0; k < 30; k++) {
      const f = t.file(`swap${k}${ext}`)
      fs.writeFileSync(f, typeSwapped([JSON.parse(text)], rand, ext))
      const a = await importOne(one, f, { parallelMinBytes: Infinity })
      const b = await importOne(two, f, { parallelMinBytes: 0 })
      expect({ ...b, duration_ms: 0 }).toEqual({ ...a, duration_ms: 0 })
    }
    expect(storedRows(two)).toBe(storedRows(one))
    one.close()
    two.close()
  })

  it('random bytes, and random bytes after a valid start', async () => {
    const rand = rng(42)
    const bytes = (len: number) => Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)))
    const prefixes = ['', '[', '{"version":"2023-04-28","data":{"snapshots":[', '[{"type":2,"data":', '{"event":"$pageview","properties":', 'event,timestamp\r\n', '\u001f\u008b']
    for (const p of prefixes) for (const len of [1, 7, 100, 3000]) await attempt(Buffer.concat([Buffer.from(p, 'latin1'), bytes(len)]), '.json')
    for (let k = 0; k < 20; k++) {
      // Splice garbage into the middle of a valid file.
      const at = Math.floor(rand() * tab2.length)
      await attempt(Buffer.concat([Buffer.from(tab2.slice(0, at)), bytes(1 + Math.floor(rand() * 40)), Buffer.from(tab2.slice(at))]), '.json')
    }
  })

  it('absurdly deep nesting', async () => {
    const deep = '['.repeat(100_000) + '1' + ']'.repeat(100_000)
    const events = JSON.parse(tiny) as object[]
    const r1 = await attempt(deep, '.json')
    expect(r1.error).toMatch(/not a recording/)
    const r2 = await attempt(tiny.slice(0, -1) + `,{"type":5,"timestamp":1700000000700,"data":${deep}}]`, '.json')
    expect(r2.error).toMatch(/item\[4\].*nesting deeper than 1000 levels/)
    const r3 = await attempt(events.map((e) => JSON.stringify(e)).join('\n') + `\n{"type":5,"timestamp":1700000000700,"data":${deep}}\n`, '.jsonl')
    expect(r3.error).toMatch(/line 5: nesting deeper than 1000 levels/)
  })

  it('summary: every attempt ended cleanly', () => {
    expect(stats.files).toBeGreaterThan(700)
    expect(stats.errors).toBeGreaterThan(stats.files / 2)
    console.log(`hostile files: ${stats.files} attempts, ${stats.errors} rejected, ${stats.landed} landed whole`)
  })
})
