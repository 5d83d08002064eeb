// A selection in a link (#/clusters?sel=…): what goes in comes out, for a few points, a lasso-like
// set and the far end of a million-point run; text that is not a selection is refused.
import { describe, expect, it } from 'vitest'
import { decodeSelection, encodeSelection } from '../../shared/cluster-view'
import { href, parseRoute } from '../../shared/routes'

function randomSet(n: number, p: number, seed = 5): Uint32Array {
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const out: number[] = []
  for (let i = 0; i < n; i++) if (rnd() < p) out.push(i)
  return Uint32Array.from(out)
}

describe('selection links', () => {
  it('round-trips sets of any density, down to the last point of a million', () => {
    for (const set of [new Uint32Array(0), Uint32Array.of(0), Uint32Array.of(5, 6, 7, 300, 999_999), randomSet(1_000_000, 0.01), randomSet(5000, 0.9)]) {
      const text = encodeSelection(set)
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
      expect(decodeSelection(text, 1_000_000)).toEqual(set)
    }
  })

  it('is small: a 1 % lasso of a million points takes under two characters a point', () => {
    const set = randomSet(1_000_000, 0.01)
    expect(encodeSelection(set).length).toBeLessThan(set.length * 2)
  })

  it('refuses points past the run and text that is not base64url varints', () => {
    expect(decodeSelection(encodeSelection(Uint32Array.of(3, 10)), 10)).toBeNull()
    expect(decodeSelection('gA', 100)).toBeNull() // a varint that never ends
    expect(decodeSelection('!!', 100)).toBeNull()
  })

  it('travels in the clusters route next to the run and filter', () => {
    const sel = encodeSelection(Uint32Array.of(1, 2, 40))
    const route = { page: 'clusters' as const, run: 'r1', point: undefined, sel, topic: 2, cluster: undefined }
    expect(parseRoute(href(route))).toEqual(route)
  })
})
