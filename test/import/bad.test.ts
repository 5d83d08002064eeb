// Files an importer must reject: one clear error naming the file, the place and the problem,
// the database unchanged, and the rest of the batch imported.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import type { Store } from '../../electron/store'
import { badDir, fingerprint, importOne, samplesDir, tempTables, tmp, truth, withStore } from './helpers'

const t = tmp()
let store: Store
let before: string
beforeAll(async () => {
  store = withStore(t.dir)
  // A database that already holds something, so "unchanged" means something.
  await importOne(store, path.join(samplesDir, 'S3-search-500-spa.posthog-events.jsonl'))
  before = fingerprint(store)
})
afterAll(() => {
  store.close()
  t.cleanup()
})

const expectations: Record<string, RegExp> = {
  'empty.json': /^empty\.json: empty file \(0 bytes\)$/,
  'not-a-recording.json': /^not-a-recording\.json: results\[0\].*not a recording or an events export/,
  'random-bytes.rrweb.json': /^random-bytes\.rrweb\.json: byte \d+: binary data/,
  'truncated.posthog-export.json': /^truncated\.posthog-export\.json: byte 58711 \(end of file\): JSON ends unexpectedly/,
}

describe('samples/sessions/bad', () => {
  it('covers every file in bad/', () => {
    expect(fs.readdirSync(badDir).sort()).toEqual(Object.keys(expectations).sort())
    expect(truth.bad.map((b) => path.basename(b.file)).sort()).toEqual(Object.keys(expectations).sort())
  })

  it.each(Object.entries(expectations))('%s is rejected clearly and leaves the DB unchanged', async (name, re) => {
    const r = await importOne(store, path.join(badDir, name))
    expect(r.error).toMatch(re)
    expect(r).toMatchObject({ sessions: 0, events: 0, snapshot_events: 0, already_imported: false })
    expect(fingerprint(store)).toBe(before)
    expect(tempTables(store)).toEqual([])
  })

  it('a batch goes on after bad files', async () => {
    const files = [...Object.keys(expectations).map((n) => path.join(badDir, n)), path.join(samplesDir, 'S4-two-tabs.tab2.rrweb.json')]
    const rs = await importFiles(store, files)
    expect(rs.slice(0, 4).every((r) => r.error)).toBe(true)
    expect(rs[4]).toMatchObject({ error: null, snapshot_events: 11 })
  })
})

describe('more hostile input', () => {
  const write = (name: string, data: string | Buffer) => {
    const f = t.file(name)
    fs.writeFileSync(f, data)
    return f
  }
  let base: string
  beforeAll(() => {
    base = fingerprint(store)
  })
  const rejects = async (file: string, re: RegExp) => {
    const r = await importOne(store, file)
    expect(r.error).toMatch(re)
    expect(fingerprint(store)).toBe(base)
    expect(tempTables(store)).toEqual([])
  }
  const events = () => JSON.parse(fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.tab2.rrweb.json'), 'utf8')) as Record<string, unknown>[]

  it('a zip bomb is refused by the decompressed-size cap', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 2 ** 20, 0x20))
    const f = write('bomb.json.gz', bomb)
    const r = await importOne(store, f, { maxDecompressedBytes: 8 * 2 ** 20 })
    expect(r.error).toMatch(/^bomb\.json\.gz: byte \d+ of the gzip data: decompresses to more than 8388608 bytes; refusing \(zip bomb\?\)$/)
    expect(fingerprint(store)).toBe(base)
  })

  it('a zip bomb inside posthog-js compressed events is refused too', async () => {
    const field = zlib.gzipSync(Buffer.from('[' + '0,'.repeat(4 * 2 ** 20) + '0]')).toString('latin1')
    const ev = { type: 3, timestamp: 1795447073000, cv: '2024-10', data: { source: 0, adds: field, removes: field, texts: field, attributes: field } }
    const line = JSON.stringify({ event: '$snapshot', properties: { $session_id: 's', $window_id: 'w', $snapshot_data: [ev, ev, ev] } })
    const f = write('cv-bomb.jsonl', line + '\n')
    const r = await importOne(store, f, { maxDecompressedBytes: 20 * 2 ** 20 })
    expect(r.error).toMatch(/^cv-bomb\.jsonl: line 1, \$snapshot_data\[\d\]: compressed event data decompresses to more than \d+ bytes; refusing \(zip bomb\?\)$/)
    expect(fingerprint(store)).toBe(base)
  })

  it('truncated gzip', async () => {
    const gz = fs.readFileSync(path.join(samplesDir, 'S2-checkout-typeerror-rage-leave.rrweb.json.gz'))
    await rejects(write('cut.json.gz', gz.subarray(0, gz.length / 2)), /^cut\.json\.gz: .*(corrupt or truncated gzip|ends unexpectedly)/)
  })

  it('gzip of binary', async () => {
    await rejects(write('bin.gz', zlib.gzipSync(Buffer.from([0, 1, 2, 3, 250, 251]))), /binary data/)
  })

  it('whitespace only', async () => {
    await rejects(write('ws.json', '  \n\t \r\n'), /contains only whitespace/)
  })

  it('an empty JSON array', async () => {
    await rejects(write('empty-array.json', '[]'), /empty: nothing to import/)
  })

  it('wrong types: timestamp as a string', async () => {
    const ev = events()
    ev[5]!.timestamp = String(ev[5]!.timestamp)
    await rejects(write('ts-string.json', JSON.stringify(ev)), /^ts-string\.json: item\[5\] \(bytes \d+–\d+\): rrweb event "timestamp" must be a number/)
  })

  it('garbage in the middle of a JSON document is placed within 16 KB', async () => {
    const text = fs.readFileSync(path.join(samplesDir, 'S5-pii-order-refund-chat.posthog-export.json'), 'utf8')
    const at = text.indexOf('},{', 200_000) + 1
    const r = await importOne(store, write('garbage.json', text.slice(0, at) + '@@@' + text.slice(at)))
    const m = /^garbage\.json: bytes (\d+)–(\d+): invalid JSON/.exec(r.error ?? '')
    expect(m).not.toBeNull()
    expect(Number(m![1])).toBeLessThanOrEqual(at)
    expect(Number(m![2])).toBeGreaterThanOrEqual(at)
    expect(Number(m![2]) - Number(m![1])).toBeLessThanOrEqual(16384)
    expect(fingerprint(store)).toBe(base)
  })

  it('wrong types: a number where an event should be', async () => {
    const ev: unknown[] = events()
    ev[3] = 42
    await rejects(write('num.json', JSON.stringify(ev)), /item\[3\].*not a recording event/)
  })

  it('wrong types: incremental data is a string', async () => {
    const ev = events()
    const i = ev.findIndex((e) => e.type === 3)
    ev[i]!.data = 'oops'
    await rejects(write('data-string.json', JSON.stringify(ev)), new RegExp(`item\\[${i}\\].*"data" must be an object`))
  })

  it('a recording without any full snapshot', async () => {
    // Shifted in time: a recording of its own, not a part of the tab already stored.
    const ev = events()
      .filter((e) => e.type !== 2)
      .map((e) => ({ ...e, timestamp: (e.timestamp as number) + 3_600_000 }))
    await rejects(write('no-fs.json', JSON.stringify(ev)), /^no-fs\.json: window \(unnamed\): \d+ incremental rrweb events but no full snapshot/)
  })

  it('JSON lines with a broken line name the line', async () => {
    const lines = fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.posthog-events.jsonl'), 'utf8').split('\n')
    lines[6] = lines[6]!.slice(0, 40)
    await rejects(write('broken.jsonl', lines.join('\n')), /^broken\.jsonl: line 7: /)
  })

  it('a product event without a timestamp', async () => {
    const lines = fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.posthog-events.jsonl'), 'utf8').split('\n').filter(Boolean)
    const i = lines.findIndex((l) => JSON.parse(l).event === '$pageview')
    const o = JSON.parse(lines[i]!)
    o.timestamp = 'yesterday'
    delete o.properties.$time
    lines[i] = JSON.stringify(o)
    await rejects(write('no-ts.jsonl', lines.join('\n')), new RegExp(`line ${i + 1}: event "\\$pageview" has no valid "timestamp"`))
  })

  it('CSV without event/timestamp columns', async () => {
    await rejects(write('other.csv', 'name,count\r\nPageviews,3\r\n'), /^other\.csv: line 1: not a recording, and not a PostHog events CSV/)
  })

  it('CSV with a ragged row names its line', async () => {
    await rejects(write('ragged.csv', 'event,timestamp,*.uuid\r\n$pageview,2026-11-23 15:17:53.103000+00:00,a\r\n$pageview,x\r\n'), /^ragged\.csv: line 3: invalid CSV/)
  })

  it('an unsupported export version', async () => {
    await rejects(write('v9.json', JSON.stringify({ version: '2099-01-01', data: { snapshots: events() } })), /export version "2099-01-01" is not supported/)
  })

  it('a missing file', async () => {
    const r = await importOne(store, t.file('nope.json'))
    expect(r.error).toBe('nope.json: file not found')
  })

  it('error messages never quote file content', async () => {
    const secret = 'maria.keller@example.org'
    const f = write('pii.jsonl', `{"event":"$pageview","properties":{"email":"${secret}"},"timestamp":"x${secret}"}\n{"event": "${secret}", "timestamp": ]\n`)
    const r = await importOne(store, f)
    expect(r.error).toBeTruthy()
    expect(r.error).not.toContain(secret)
    const g = write('pii2.jsonl', `{"event":"$pageview","timestamp":"2026-11-23T15:17:53Z"}\n{"event": "${secret}", "timestamp": ]\n`)
    const r2 = await importOne(store, g)
    expect(r2.error).toMatch(/line 2: invalid JSON/)
    expect(r2.error).not.toContain(secret)
  })
})
