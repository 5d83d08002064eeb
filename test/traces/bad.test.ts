// Bad trace files: one clear error naming the file, the place and the problem; nothing of the
// file stored; the rest of the batch imported.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import type { Store } from '../../electron/store'
import { tempDir } from '../helpers'
import { fingerprint, importOne, tempTables, withStore } from './helpers'

const tmp = tempDir('sightline-bad-traces-')
const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures')
let store: Store
let before: string
beforeAll(async () => {
  store = withStore(tmp.dir, 'bad.db')
  // A database that already holds traces, so "unchanged" means something.
  await importOne(store, path.join(fixtures, 'posthog-small.json'))
  before = fingerprint(store)
})
afterAll(() => {
  store.close()
  tmp.cleanup()
})

const write = (name: string, content: string | Buffer) => {
  const f = path.join(tmp.dir, name)
  fs.writeFileSync(f, content)
  return f
}
const gen = (i: number) => JSON.stringify({ event: '$ai_generation', uuid: `g${i}`, timestamp: '2026-11-20T10:00:00Z', properties: { $ai_trace_id: `t${i}`, $ai_input: [{ role: 'user', content: `hi ${i}` }] } })
const otlp = fs.readFileSync(path.join(fixtures, 'otel-canonical.json'), 'utf8')

const cases: [name: string, content: () => string | Buffer, error: RegExp][] = [
  ['broken-line.jsonl', () => [gen(1), gen(2), gen(3), '{"event":"$ai_generation","properties":{', gen(5)].join('\n'), /^broken-line\.jsonl: line 4: the line ends in the middle of a JSON value/],
  ['not-json-line.jsonl', () => [gen(1), gen(2), 'oops, not json'].join('\n'), /^not-json-line\.jsonl: line 3: invalid JSON$/],
  ['stranger.jsonl', () => [gen(1), '{"hello":"world"}'].join('\n'), /^stranger\.jsonl: line 2: not an LLM trace, span or event \(found an object with keys hello\)$/],
  ['truncated.otlp.json', () => otlp.slice(0, Math.floor(otlp.length * 0.6)), /^truncated\.otlp\.json: byte \d+ \(end of file\): JSON ends unexpectedly/],
  ['truncated.otlp.json.gz', () => zlib.gzipSync(otlp).subarray(0, 300), /^truncated\.otlp\.json\.gz: byte \d+ of the gzip data: corrupt or truncated gzip data/],
  ['bad-resource.otlp.json', () => '{"resourceSpans":[{"scopeSpans":[]}, 42]}', /^bad-resource\.otlp\.json: resourceSpans\[1\] \(near byte \d+\): not an LLM trace, span or event \(found number 42\)$/],
  ['only-other-logs.otlp.jsonl', () => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'GET /' }, attributes: [] }] }] }] }), /^only-other-logs\.otlp\.jsonl: no LLM spans, events or log records to import \(skipped: 1 log record that is not GenAI message content\)$/],
]

describe('bad trace files', () => {
  it.each(cases)('%s is rejected clearly and leaves the DB unchanged', async (name, content, re) => {
    const r = await importOne(store, write(name, content()))
    expect(r.error).toMatch(re)
    expect(r).toMatchObject({ traces: 0, spans: 0, already_imported: false })
    expect(fingerprint(store)).toBe(before)
    expect(tempTables(store)).toEqual([])
  })

  it('a bad file does not stop the batch', async () => {
    const other = withStore(tmp.dir, 'batch.db')
    try {
      const rs = await importFiles(other, [write('bad-batch.jsonl', [gen(1), 'nope'].join('\n')), path.join(fixtures, 'openinference-small.json')])
      expect(rs[0]!.error).toMatch(/^bad-batch\.jsonl: line 2/)
      expect(rs[1]).toMatchObject({ error: null, traces: 1, spans: 3 })
      expect(other.traces.list({ sort: 'start_ms', dir: 'asc', limit: 10, offset: 0 }).rows.map((t) => t.id)).toEqual(['aa000000000000000000000000000001'])
    } finally {
      other.close()
    }
  })

  it('error messages never quote the content', async () => {
    const r = await importOne(store, write('secret.jsonl', [gen(1), '{"event":"$ai_generation","properties":{"$ai_input":"my password is hunter2"'].join('\n')))
    expect(r.error).not.toContain('hunter2')
  })

  it('a PostHog export that mixes LLM and product events stays a session import', async () => {
    const other = withStore(tmp.dir, 'mixed.db')
    try {
      const pageview = JSON.stringify({ event: '$pageview', uuid: 'p1', timestamp: '2026-11-20T10:00:00Z', properties: { $session_id: 's1', $current_url: 'https://x.test/' } })
      const r = await importOne(other, write('mixed.jsonl', [pageview, gen(1)].join('\n')))
      expect(r).toMatchObject({ error: null, traces: 0, events: 2 })
    } finally {
      other.close()
    }
  })

  it('re-importing the same content (another copy, gzipped) adds nothing', async () => {
    const other = withStore(tmp.dir, 'again.db')
    try {
      const src = path.join(fixtures, 'otel-canonical.json')
      const first = await importOne(other, src)
      const snapshot = fingerprint(other).replace(/^sources:.*$/m, '')
      expect(first).toMatchObject({ traces: 1, spans: 4 })
      const again = await importOne(other, src)
      expect(again).toMatchObject({ error: null, already_imported: true, traces: 0, spans: 0 })
      const copy = await importOne(other, write('copy.json.gz', zlib.gzipSync(fs.readFileSync(src))))
      // A different file (new source row), but no new trace or span.
      expect(copy).toMatchObject({ error: null, already_imported: false, traces: 0, spans: 0 })
      expect(fingerprint(other).split('\n#\n').slice(1).join()).toBe(snapshot.split('\n#\n').slice(1).join())
    } finally {
      other.close()
    }
  })
})
