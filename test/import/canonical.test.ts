// An event whose text the splitter finds plain is stored as that text, not written again: that
// must give exactly what writing it again (JSON.stringify of the canonical object) gives, for
// every way a producer may have written it, wherever the bytes are cut.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { JsonSplitter } from '../../electron/import/json-splitter'
import { canonicalText, contentHashReady, normalizeRrweb, type Normalized } from '../../electron/import/rrweb'
import { samplesDir } from './helpers'

beforeAll(() => contentHashReady)

/** Every element of the document's streamed arrays, with the text the splitter offers (if any). */
function elements(doc: string, cuts: number[] = []): { v: unknown; text: string | undefined }[] {
  const out: { v: unknown; text: string | undefined }[] = []
  const s = new JsonSplitter({
    mode: (p, isArray) => (isArray ? (p.length === 0 || p.join('.') === 'data.snapshots' ? 'stream' : 'capture') : p.length < 2 ? 'object' : 'capture'),
    item: (v, _p, _i, _s, _e, text) => out.push({ v, text }),
  })
  const buf = Buffer.from(doc)
  let at = 0
  for (const c of [...cuts, buf.length]) {
    s.feed(buf.subarray(at, c))
    at = c
  }
  s.end()
  return out
}

const json = (n: Normalized | unknown) => (n as Normalized).json

/** The same event as different producers write it. */
const writers: Record<string, (e: Record<string, unknown>) => string> = {
  compact: (e) => JSON.stringify(e),
  pretty: (e) => JSON.stringify(e, null, 2),
  'windowId last': (e) => JSON.stringify({ ...e, windowId: 'w-1' }),
  'windowId first': (e) => JSON.stringify({ windowId: 2, ...e }),
  'windowId in the middle': (e) => JSON.stringify({ type: e.type, windowId: 'w', data: e.data, timestamp: e.timestamp }),
  'other key order': (e) => JSON.stringify({ timestamp: e.timestamp, type: e.type, data: e.data }),
  'extra keys': (e) => JSON.stringify({ ...e, delay: 5, seq: 1, zz: true, aa: null }),
  'escaped slash and unicode': (e) => JSON.stringify(e).replaceAll('/', '\\/').replaceAll('é', '\\u00e9'),
  'fractions written long': (e) => JSON.stringify(e).replace(/"x":(\d+)(?=[,}])/g, '"x":$1.0'),
  exponent: (e) => JSON.stringify(e).replace(/"timestamp":(\d+)/, (_, t: string) => `"timestamp":${Number(t) / 1000}e3`),
  'upper exponent': (e) => JSON.stringify(e).replace(/"timestamp":(\d+)/, (_, t: string) => `"timestamp":${Number(t) / 1000}E3`),
  'negative zero': (e) => JSON.stringify(e).replace(/"timeOffset":0/g, '"timeOffset":-0'),
}

const events: Record<string, unknown>[] = [
  { type: 3, data: { source: 1, positions: [{ x: 10, y: 20, id: 4, timeOffset: 0 }] }, timestamp: 1767225600123 },
  { type: 3, data: { source: 0, texts: [{ id: 7, value: 'Café 🙂 a/b "quoted" \\ back' }], attributes: [{ id: 3, attributes: { href: 'https://x.test/p?q=1' } }], removes: [], adds: [] }, timestamp: 1767225600200 },
  { type: 4, data: { href: 'https://shop.example.test/', width: 1280, height: 800 }, timestamp: 1767225600000 },
  { type: 3, data: { source: 3, id: 1, x: 0.5, y: 1e-7 }, timestamp: 1767225600300 },
  { type: 5, data: { tag: '$pageview', payload: { href: 'https://x.test/é' } }, timestamp: 1767225600400 },
  { type: 6, data: { plugin: 'rrweb/console@1', payload: { level: 'error', payload: ['"Boom"'], trace: ['a\u2028b', 'tab\tnew\nline'] } }, timestamp: 1767225600500 },
]

describe('keeping plain event text', () => {
  it('gives what writing the event again gives, for every producer, at every cut', () => {
    let kept = 0
    for (const [name, write] of Object.entries(writers)) {
      const doc = `[${events.map(write).join(',\n')}]`
      const bytes = Buffer.byteLength(doc)
      for (let cut = 0; cut <= bytes; cut += name === 'compact' ? 1 : 13) {
        for (const { v, text } of elements(doc, [cut])) {
          const fast = normalizeRrweb(v, undefined, text)
          expect(json(fast), `${name}, cut at ${cut}`).toBe(json(normalizeRrweb(v)))
          if (text !== undefined && canonicalText(v as Record<string, unknown>, text) !== null) kept++
        }
      }
    }
    // The shortcut is taken (compact, windowId first or last), not just harmless.
    expect(kept).toBeGreaterThan(1000)
  })

  it('is offered only for compact text', () => {
    const offered = (name: string) => elements(`[${events.map(writers[name]!).join(',')}]`).filter((x) => x.text !== undefined).length
    expect(offered('compact')).toBe(events.length - 1) // the one with fractions is not
    for (const name of ['pretty', 'escaped slash and unicode', 'fractions written long', 'exponent', 'upper exponent', 'negative zero']) expect(offered(name), name).toBeLessThan(events.length - 1)
  })

  it('the samples: every element stored as before', () => {
    for (const f of fs.readdirSync(samplesDir).filter((n) => /\.(rrweb|posthog-export)\.json$/.test(n))) {
      const doc = fs.readFileSync(path.join(samplesDir, f), 'utf8')
      for (const { v, text } of elements(doc)) {
        if (typeof v !== 'object' || v === null || !('timestamp' in v)) continue
        expect(json(normalizeRrweb(v, undefined, text)), f).toBe(json(normalizeRrweb(v)))
      }
    }
  })
})
