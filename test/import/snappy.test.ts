// PostHog blob storage files (blob_v2): JSON lines `["windowId", event]` compressed as raw snappy
// blocks, either `[4-byte big-endian length][block]` records or one raw block, optionally gzipped.
// Built with snappyjs from the real samples; each must import exactly as the same lines as plain JSONL.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { compress } from 'snappyjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeSnappy, SNIFF_BYTES, sniffSnappy, SnappyReader } from '../../electron/import/snappy'
import type { Store } from '../../electron/store'
import { fingerprint, importOne, samplesDir, tempTables, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())
let dbs = 0
const fresh = () => withStore(t.dir, `snappy-${++dbs}.db`)
const write = (name: string, data: string | Buffer) => (fs.writeFileSync(t.file(name), data), t.file(name))

const WINDOW = '0193a6f1-5c2e-7d4b-9a11-3f0e8c2d4b6a'
type Ev = { timestamp: number } & Record<string, unknown>
const rrweb = (n: string) => JSON.parse(fs.readFileSync(path.join(samplesDir, n), 'utf8')) as Ev[]
/** Blob lines as PostHog's ingestion writes them: one `["windowId", event]\n` per event. */
const blobLines = (events: Ev[], windowId = WINDOW) => events.map((e) => JSON.stringify([windowId, e]) + '\n')
const S1 = blobLines(rrweb('S1-happy-browse-and-buy.rrweb.json'))
/** 24 tabs of S1, 50 minutes apart: a file big enough (~300 KB of snappy) to stream in several chunks and many records. */
const BIG = Array.from({ length: 24 }, (_, k) => blobLines(rrweb('S1-happy-browse-and-buy.rrweb.json').map((e) => ({ ...e, timestamp: e.timestamp + k * 3_000_000 })), `${WINDOW}-${k}`)).flat()

const block = (text: string | Buffer) => compress(Buffer.from(text))
const prefixed = (b: Buffer) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(b.length)
  return Buffer.concat([len, b])
}
/** Length-prefixed records of `perBlock` lines each; PostHog's blocks end with a newline, `bare` ones do not. */
function records(lines: string[], perBlock: number, bare = false): Buffer {
  const out: Buffer[] = []
  for (let i = 0; i < lines.length; i += perBlock) {
    const text = lines.slice(i, i + perBlock).join('')
    out.push(prefixed(block(bare ? text.replace(/\n$/, '') : text)))
  }
  return Buffer.concat(out)
}

/** What an import stored, leaving out where it came from (source rows and ids). */
function recording(store: Store): string {
  const rows = (table: string, order: string) => {
    const stmt = store.db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).safeIntegers(true)
    return JSON.stringify(stmt.all(), (k, v: unknown) => (k === 'source_id' ? undefined : typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v))
  }
  return [rows('sessions', 'id'), rows('session_windows', 'id'), rows('snapshot_chunks', 'id'), rows('snapshot_event_keys', 'hash, window_key'), rows('events', 'id')].join('\n')
}

async function imported(file: string) {
  const store = fresh()
  try {
    const r = await importOne(store, file)
    const sha = store.db.prepare('SELECT sha256 FROM sources').pluck().get()
    const stats = JSON.parse(store.db.prepare('SELECT stats FROM sources').pluck().get() as string) as { snappy?: string }
    const again = await importOne(store, file)
    return { r, rec: recording(store), sha, again, stats }
  } finally {
    store.close()
  }
}
const summary = (r: Awaited<ReturnType<typeof imported>>['r']) => ({
  error: r.error,
  format: r.format,
  sessions: r.sessions,
  session_ids: r.session_ids,
  events: r.events,
  snapshot_events: r.snapshot_events,
  skipped: r.skipped,
})

describe('PostHog blob files compressed with snappy', () => {
  const cases: [string, string[], (lines: string[]) => Buffer][] = [
    ['records, several blocks', S1, (l) => records(l, 17)],
    ['records whose blocks do not end with a newline', S1, (l) => records(l, 10, true)],
    ['one raw block', S1, (l) => block(l.join(''))],
    ['gzip of records', S1, (l) => zlib.gzipSync(records(l, 25))],
    ['big: records (many chunks)', BIG, (l) => records(l, 40)],
    ['big: one raw block', BIG, (l) => block(l.join(''))],
    ['big: gzip of records', BIG, (l) => zlib.gzipSync(records(l, 64))],
  ]

  it.each(cases)('%s: lands exactly as the plain JSON lines', async (name, lines, encode) => {
    const slug = name.replace(/\W+/g, '-')
    const plain = await imported(write(`${slug}.plain.jsonl`, lines.join('')))
    expect(plain.r).toMatchObject({ error: null, format: 'posthog-snapshots-jsonl' })
    expect(plain.r.snapshot_events).toBe(lines.length)

    const data = encode(lines)
    const file = write(`${slug}.bin`, data)
    const packed = await imported(file)
    expect(summary(packed.r)).toEqual(summary(plain.r))
    expect(packed.rec).toBe(plain.rec)
    // Idempotency stays the raw file's: its sha256, and a second import changes nothing.
    expect(packed.sha).toBe(createHash('sha256').update(data).digest('hex'))
    expect(packed.again).toMatchObject({ already_imported: true, error: null, snapshot_events: 0 })
    // The source row says how it was packed.
    expect(packed.stats.snappy).toBe(name.includes('raw block') ? 'block' : 'records')
    expect(plain.stats.snappy).toBeUndefined()
  })

  it('the file name plays no part', async () => {
    const a = await imported(write('blocks.json', records(S1, 30)))
    const b = await imported(write('blocks.csv.gz', records(S1, 30)))
    expect(a.r.error).toBeNull()
    expect(b.rec).toBe(a.rec)
  })
})

describe('sniffing', () => {
  it('no sample file (JSON, JSON lines, CSV; gunzipped) is taken for snappy', () => {
    const files = fs.readdirSync(samplesDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
    expect(files.length).toBeGreaterThan(20)
    for (const d of files) {
      let bytes = fs.readFileSync(path.join(d.parentPath, d.name))
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes)
      expect([d.name, sniffSnappy(bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES)]).toEqual([d.name, null])
      expect(decodeSnappy(bytes, 2 ** 30)).toBeNull()
    }
  })

  it('nor any text: tricky starts, and random printable or UTF-8 text', () => {
    const tricky = ['[ [1]\n', '[ {"a":1}]', '{"a":1}\n{"b":2}\n', '\n\n[{"a":1}]', '\uFEFF[1,2]', 'état,ville\nA,B\n', '\t \r\n', '"a","b"\n1,2\n', '\x7f\x7f[']
    let seed = 7
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31)
    const alphabet = [...'[]{}",:0123456789 \n\tabcdefxyzé€😀']
    for (let i = 0; i < 3000; i++) tricky.push(Array.from({ length: 1 + Math.floor(rnd() * 300) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''))
    for (const s of tricky) expect([s, sniffSnappy(Buffer.from(s), true)]).toEqual([s, null])
  })

  it('the shapes PostHog writes are recognised', () => {
    expect(sniffSnappy(records(S1, 10), true)).toBe('records')
    expect(sniffSnappy(block(S1.join('')), true)).toBe('block')
    expect(sniffSnappy(block(BIG.join('')).subarray(0, SNIFF_BYTES), false)).toBe('block')
    expect(decodeSnappy(records(S1, 10, true), 2 ** 30)!.toString()).toBe(S1.join('').replace(/\n$/, ''))
  })

  it('records decode as they arrive, never the whole file at once', () => {
    const data = records(BIG, 40)
    const reader = new SnappyReader(2 ** 30)
    const out: Buffer[] = []
    let firstOutAt = -1
    for (let at = 0; at < data.length; at += 4096) {
      const got = reader.write(data.subarray(at, at + 4096))
      if (got.length && firstOutAt < 0) firstOutAt = at
      out.push(...got)
    }
    out.push(...reader.end())
    expect(reader.shape).toBe('records')
    expect(firstOutAt).toBeGreaterThanOrEqual(0)
    expect(firstOutAt).toBeLessThanOrEqual(SNIFF_BYTES)
    expect(Buffer.concat(out).toString()).toBe(BIG.join(''))
  })
})

describe('broken snappy files: one clear error, nothing stored', () => {
  let store: Store
  let base: string
  beforeAll(async () => {
    store = fresh()
    await importOne(store, path.join(samplesDir, 'S3-search-500-spa.posthog-events.jsonl'))
    base = fingerprint(store)
  })
  afterAll(() => store.close())
  const rejects = async (file: string, re: RegExp, opts: { maxDecompressedBytes?: number } = {}) => {
    const r = await importOne(store, file, opts)
    expect(r.error).toMatch(re)
    // Places and problems only: nothing of the content.
    expect(r.error).not.toMatch(/window|type|0193a6f1/)
    expect(r).toMatchObject({ sessions: 0, events: 0, snapshot_events: 0, already_imported: false })
    expect(fingerprint(store)).toBe(base)
    expect(tempTables(store)).toEqual([])
    return r.error!
  }

  it('records cut in the middle of a block', async () => {
    const data = records(S1, 17)
    await rejects(write('cut.records', data.subarray(0, Math.floor(data.length * 0.6))), /^cut\.records: byte \d+ of the snappy data: corrupt or truncated snappy data \(the data ends inside a record: \d+ of its \d+ bytes\)$/)
  })

  it('records cut inside a length prefix', async () => {
    const first = records(S1.slice(0, 20), 20)
    await rejects(write('cut-prefix.records', Buffer.concat([first, Buffer.from([0, 0])])), new RegExp(`^cut-prefix\\.records: byte ${first.length} of the snappy data: corrupt or truncated snappy data \\(the data ends inside a record header\\)$`))
  })

  it('a raw block cut short', async () => {
    const data = block(S1.join(''))
    await rejects(write('cut.block', data.subarray(0, data.length - 100)), /^cut\.block: byte \d+ of the snappy data: corrupt or truncated snappy data \(a block ends before its declared length\)$/)
  })

  it('gzip of cut records names the gunzipped snappy data', async () => {
    const data = records(S1, 17)
    await rejects(write('cut.records.gz', zlib.gzipSync(data.subarray(0, data.length - 5))), /^cut\.records\.gz: byte \d+ of the gunzipped snappy data: corrupt or truncated snappy data/)
  })

  it('a copy from before the start of the block is placed at its byte', async () => {
    // header: 100 bytes; a 10-byte literal; then a copy of 4 bytes from 50 back (only 10 exist).
    const literal = Buffer.from('["w",{"a":')
    const bad = Buffer.concat([Buffer.from([100, (literal.length - 1) << 2]), literal, Buffer.from([((4 - 1) << 2) | 2, 50, 0])])
    const data = Buffer.concat([records(S1.slice(0, 30), 30), prefixed(bad)])
    const at = data.length - bad.length + 2 + literal.length
    await rejects(write('bad-copy.records', data), new RegExp(`^bad-copy\\.records: byte ${at} of the snappy data: corrupt or truncated snappy data \\(an invalid element in a block\\)$`))
  })

  it('a bomb: a block header claiming 4 GB is refused before anything is decoded', async () => {
    const claim = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]) // 2^32 - 1
    const body = Buffer.concat([claim, Buffer.from([(20 - 1) << 2]), Buffer.from('["w",{"type":3}]\n[[[')])
    await rejects(write('bomb.records', Buffer.concat([records(S1.slice(0, 5), 5), prefixed(body)])), /^bomb\.records: byte \d+ of the snappy data: decompresses to more than 268435456 bytes; refusing \(zip bomb\?\)$/)
    await rejects(write('bomb.block', Buffer.concat([body, Buffer.alloc(5000, 0x41)])), /^bomb\.block: byte 0 of the snappy data: decompresses to more than 268435456 bytes; refusing \(zip bomb\?\)$/)
  })

  it('a real bomb: highly compressible blocks beyond the cap, refused at the block that crosses it', async () => {
    const line = '["w",{"type":3,"timestamp":1700000000000,"data":{"source":1}}]\n'
    const blk = prefixed(block(line.repeat(Math.floor((2 * 2 ** 20) / line.length))))
    expect(blk.length).toBeLessThan(2 ** 20 / 4)
    const f = write('real-bomb.records', Buffer.concat([blk, blk, blk]))
    await rejects(f, new RegExp(`^real-bomb\\.records: byte ${2 * blk.length} of the snappy data: decompresses to more than 4194304 bytes; refusing \\(zip bomb\\?\\)$`), { maxDecompressedBytes: 4 * 2 ** 20 })
  })

  it('random bytes that start like a length prefix', async () => {
    let seed = 11
    const random = (n: number) => Buffer.from(Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed >>> 16) & 0xff))
    for (let i = 0; i < 20; i++) {
      const data = Buffer.concat([Buffer.from([0, 0, 0x40, 0]), random(20_000)])
      await rejects(write(`random-${i}.bin`, data), /^random-\d+\.bin: byte \d+( of the snappy data)?: (binary data|corrupt or truncated snappy data)/)
    }
    // ...and one that also has a header (16000 bytes) and a literal starting JSON: taken for snappy, then refused.
    const fake = Buffer.concat([Buffer.from([0, 0, 0x40, 0, 0x80, 0x7d, 0x24]), Buffer.from('["w",{"a":'), random(20_000)])
    await rejects(write('random-looking.bin', fake), /^random-looking\.bin: byte \d+ of the snappy data: corrupt or truncated snappy data/)
  })

  it('snappy of something that is not text', async () => {
    const bin = Buffer.concat([Buffer.from('[\n'), Buffer.from([0, 1, 2, 3, 4, 5, 250, 251])])
    await rejects(write('bin.records', prefixed(block(bin))), /^bin\.records: byte \d+: binary data \(a NUL byte; the decoded snappy content is not text\)/)
  })

  it('an empty block', async () => {
    await rejects(write('empty.records', prefixed(Buffer.from([0]))), /^empty\.records: empty snappy content \(0 bytes\)$/)
  })
})
