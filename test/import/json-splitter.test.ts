// The byte splitter cuts the same items out of a document however its bytes arrive.
import { describe, expect, it } from 'vitest'
import { JsonSplitter, JsonSyntaxError } from '../../electron/import/json-splitter'
import { locateJsonError } from '../../electron/import/json-locate'

function split(text: string, cut: number[]) {
  const items: { v: unknown; path: string; i: number; start: number; end: number }[] = []
  const s = new JsonSplitter({
    mode: (p, isArray) => (isArray ? (p.length === 0 || p.join('.') === 'data.snapshots' ? 'stream' : 'capture') : p.length < 2 ? 'object' : 'capture'),
    item: (v, p, i, start, end) => items.push({ v, path: p.join('.'), i, start, end }),
  })
  const buf = Buffer.from(text)
  let at = 0
  for (const c of [...cut, buf.length]) {
    s.feed(buf.subarray(at, c))
    at = c
  }
  s.end()
  return { items, root: s.root }
}

const doc = '\uFEFF{"version":"v","data":{"id":"s1","snapshots":[ {"a":"x\\"]}","b":[1,{"c":"é"}]} , "str\\\\", 42,-1.5e3,true,null,[[]] ],"person":{"k":[1]}}}'

describe('JsonSplitter', () => {
  it('finds the same items and skeleton at every cut point', () => {
    const whole = split(doc, [])
    expect(whole.items.map((x) => x.v)).toEqual([{ a: 'x"]}', b: [1, { c: 'é' }] }, 'str\\', 42, -1500, true, null, [[]]])
    expect(whole.root).toEqual({ version: 'v', data: { id: 's1', snapshots: [], person: { k: [1] } } })
    const bytes = Buffer.from(doc)
    for (const x of whole.items) expect(JSON.parse(bytes.subarray(x.start, x.end).toString())).toEqual(x.v)
    for (let a = 0; a <= bytes.length; a++) {
      expect(split(doc, [a]).items).toEqual(whole.items)
      if (a % 7 === 0) expect(split(doc, [a, Math.min(bytes.length, a + 3), Math.min(bytes.length, a + 4)]).items).toEqual(whole.items)
    }
  })

  it('places errors at the byte', () => {
    const err = (t: string) => {
      try {
        split(t, [3])
      } catch (e) {
        return e as JsonSyntaxError
      }
      return null
    }
    expect(err('[1,]')).toMatchObject({ start: 3 })
    expect(err('[{"a":1}@]')).toMatchObject({ start: 8, why: "expected ',' or ']'" })
    expect(err('[{"a":[1}]')).toMatchObject({ start: 8 })
    expect(err('[{"a":tru}]')).toMatchObject({ start: 6 })
    expect(err('[1] x')).toMatchObject({ start: 4 })
    expect(err('[{"a":1}')).toMatchObject({ truncated: true, start: 8 })
    expect(err('')).toMatchObject({ truncated: true })
    expect(err('[1,2]')).toBeNull()
  })

  it('locates errors JSON.parse does not place', () => {
    expect(locateJsonError('{"a":[1,2,@]}')).toBe(10)
    expect(locateJsonError('{"a":"\\x"}')).toBe(6)
    expect(locateJsonError('{"a":1')).toBe(6)
    expect(locateJsonError('[' + '['.repeat(100000) + ']'.repeat(100000) + ']')).toBe(-1)
  })
})
