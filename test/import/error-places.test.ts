// Errors say where: NUL bytes and invalid UTF-8 at their real offset, nesting too deep for the
// stack at its item and depth, UTF-16 text as UTF-16 (not "corrupt snappy data"); and no error is
// huge (a 30 MB one-line file once made a 31 MB message, printed and stored in the jobs table).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_ERROR_CHARS } from '../../electron/errors'
import type { Store } from '../../electron/store'
import { fingerprint, importOne, samplesDir, tmp, withStore } from './helpers'

const t = tmp()
let store: Store
let before: string
beforeAll(async () => {
  store = withStore(t.dir)
  await importOne(store, path.join(samplesDir, 'S3-search-500-spa.posthog-events.jsonl'))
  before = fingerprint(store)
})
afterAll(() => {
  store.close()
  t.cleanup()
})

const write = (name: string, data: string | Buffer) => {
  const f = t.file(name)
  fs.writeFileSync(f, data)
  return f
}
const rejected = async (name: string, data: string | Buffer) => {
  const r = await importOne(store, write(name, data))
  expect(fingerprint(store)).toBe(before)
  return r.error ?? ''
}
const recording = () => fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.tab2.rrweb.json'))
const eventLines = () => fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.posthog-events.jsonl'))
const splice = (buf: Buffer, at: number, bytes: number[]) => Buffer.concat([buf.subarray(0, at), Buffer.from(bytes), buf.subarray(at)])

describe('binary bytes at their offset', () => {
  it.each([
    ['nul.json', recording, 5000, [0], 'a NUL byte'],
    ['nul.jsonl', eventLines, 3000, [0], 'a NUL byte'],
    ['bad-utf8.json', recording, 5000, [0xff, 0xfe], 'invalid UTF-8'],
    ['bad-utf8.jsonl', eventLines, 3000, [0xc3, 0x28], 'invalid UTF-8'],
    ['late-bad-utf8.jsonl', eventLines, 70_000, [0xed, 0xa0, 0x80], 'invalid UTF-8'],
  ] as const)('%s: the byte is named', async (name, base, at, bytes, why) => {
    const buf = base()
    expect(buf.length).toBeGreaterThan(at)
    // Not inside a multi-byte character of the sample.
    let cut = at
    while ((buf[cut]! & 0xc0) === 0x80) cut++
    const err = await rejected(name, splice(buf, cut, [...bytes]))
    expect(err).toBe(`${name}: byte ${cut}: binary data (${why}; not gzip or snappy, and not text): not a recording or an events export`)
  })
})

describe('UTF-16 text', () => {
  const text = eventLines().toString('utf8')
  it.each([
    ['le-bom.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'UTF-16LE text (with a byte-order mark)'],
    ['be-bom.jsonl', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'UTF-16BE text (with a byte-order mark)'],
    ['le.json', Buffer.from(recording().toString('utf8'), 'utf16le'), 'UTF-16LE text'],
  ])('%s is named as UTF-16', async (name, data, what) => {
    expect(await rejected(name, data)).toBe(`${name}: byte 0: ${what}, not UTF-8: save it as UTF-8 and import it again`)
  })
})

describe('nesting too deep for the stack', () => {
  const deep = (n: number, open: string, inner: string, close: string) => open.repeat(n) + inner + close.repeat(n)
  it('a 100k-deep $ai_input names the line and the column where it passes 1000 levels', async () => {
    // Two levels are the event and its properties: the 999th bracket is level 1001.
    const head = JSON.stringify({ event: '$ai_generation', uuid: 'g1', timestamp: '2026-11-20T10:00:00Z', properties: { $ai_trace_id: 't1', $ai_input: '@' } })
    const line = head.replace('"@"', deep(100_000, '[', '', ']'))
    const err = await rejected('deep-input.jsonl', line + '\n')
    expect(err).toBe(`deep-input.jsonl: line 1: nesting deeper than 1000 levels at column ${head.indexOf('"@"') + 999}`)
  })

  it('a 10k-deep OTLP attribute names its item', async () => {
    const span = `{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"chat","startTimeUnixNano":"1795370000000000000","attributes":[{"key":"deep","value":${deep(10_000, '{"arrayValue":{"values":[', '{"stringValue":"x"}', ']}}')}}]}`
    const err = await rejected('deep.otlp.json', `{"resourceSpans":[{"scopeSpans":[{"spans":[${span}]}]}]}`)
    expect(err).toMatch(/^deep\.otlp\.json: resourceSpans\[0\] \(near byte \d+\): nesting deeper than 1000 levels$/)
  })

  it('a 100k-deep rrweb event data names its item', async () => {
    const ev = JSON.stringify({ type: 3, timestamp: 1795447073000, data: { source: 0, adds: '@' } }).replace('"@"', deep(100_000, '[', '', ']'))
    const err = await rejected('deep.rrweb.json', `[${ev}]`)
    expect(err).toMatch(/^deep\.rrweb\.json: item\[0\] \(bytes \d+–\d+\): nesting deeper than 1000 levels$/)
  })
})

describe('error size', () => {
  const big = 'x'.repeat(16 * 2 ** 20)
  it.each([
    ['one-line.csv', big],
    ['long-key.json', `{"${big}": 1}`],
    ['long-header.csv', `${big},timestamp\n1,2\n`],
  ])('%s (16 MB, one line): the error stays short and quotes none of it', async (name, data) => {
    const err = await rejected(name, data)
    expect(err.startsWith(`${name}: `)).toBe(true)
    expect(err.length).toBeLessThanOrEqual(MAX_ERROR_CHARS)
    expect(err).not.toContain('x'.repeat(100))
  })
})
