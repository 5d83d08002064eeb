// The CPU renderer's pan path (the last image moved by whole pixels, only the uncovered strips
// redrawn) against the same renderer drawing everything afresh at the same view: the pixels must
// be identical, whatever the direction, states, sizes and overlaps.
import { beforeAll, describe, expect, it } from 'vitest'

// The scatter modules are typed against the DOM, which this (node) project's typecheck does not
// load: imported by a computed path so tsc does not follow them; vitest runs them as they are.
const lib = '../../renderer/lib/scatter/'
type View = { cx: number; cy: number; scale: number }
type Style = { color: Uint8Array; size: Uint8Array; state: Uint8Array; palette: Uint8Array; background: number[]; ring: number[] }
const { CpuRenderer } = (await import(lib + 'cpu')) as { CpuRenderer: new (c: unknown) => Cpu }
const { Grid } = (await import(lib + 'grid')) as { Grid: new (x: Float32Array, y: Float32Array, b: unknown) => unknown }
const { boundsOf, pan } = (await import(lib + 'view')) as { boundsOf(x: Float32Array, y: Float32Array): unknown; pan(v: View, dx: number, dy: number): View }
interface Cpu {
  counts: { shifted: number; inView: number; full: number }
  setPoints(x: Float32Array, y: Float32Array, grid?: unknown): void
  setStyle(s: Style): void
  draw(v: View, css: { width: number; height: number }, dpr: number, radius: number): void
}
// style.ts's const enum State.
const State = { Hidden: 0, Dim: 1, Normal: 2, Marked: 3 }

beforeAll(() => {
  // Node has no ImageData; the renderer only needs its width, height and pixel buffer.
  ;(globalThis as { ImageData?: unknown }).ImageData ??= class {
    readonly data: Uint8ClampedArray
    constructor(
      readonly width: number,
      readonly height: number,
    ) {
      this.data = new Uint8ClampedArray(width * height * 4)
    }
  }
})

function fakeCanvas() {
  const shown: { pixels: Uint32Array | null } = { pixels: null }
  const canvas = {
    width: 0,
    height: 0,
    getContext: () => ({ putImageData: (img: { data: Uint8ClampedArray }) => (shown.pixels = new Uint32Array(img.data.buffer).slice()) }),
  }
  return { canvas, shown }
}

function scene(n: number) {
  let seed = 11
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const x = new Float32Array(n), y = new Float32Array(n)
  const color = new Uint8Array(n), size = new Uint8Array(n), state = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    // A few dense blobs, so discs overlap and drawing order decides pixels.
    const c = i % 5
    x[i] = c * 3 + (rnd() - 0.5) * 4
    y[i] = (c % 2) * 2 + (rnd() - 0.5) * 4
    color[i] = i % 7
    size[i] = 32 + Math.floor(rnd() * 96)
    const r = rnd()
    state[i] = r < 0.1 ? State.Hidden : r < 0.4 ? State.Dim : r < 0.9 ? State.Normal : State.Marked
  }
  const palette = new Uint8Array(1024)
  for (let k = 0; k < 256; k++) palette.set([(k * 97) % 256, (k * 57) % 256, (k * 151) % 256, 255], 4 * k)
  const style: Style = { color, size, state, palette, background: [250, 250, 250, 255], ring: [20, 20, 20, 255] }
  return { x, y, style, grid: new Grid(x, y, boundsOf(x, y)) }
}

describe('CPU scatter renderer: a pan redraws only what it uncovers', () => {
  const css = { width: 160, height: 120 }
  const { x, y, style, grid } = scene(6000)
  const radius = 2.2

  const fresh = (view: View, dpr: number) => {
    const { canvas, shown } = fakeCanvas()
    const r = new CpuRenderer(canvas)
    r.setPoints(x, y, grid)
    r.setStyle(style)
    r.draw(view, css, dpr, radius)
    expect(r.counts).toEqual({ shifted: 0, inView: 0, full: 1 })
    return shown.pixels!
  }

  for (const dpr of [1, 2]) {
    it(`dpr ${dpr}: every pan frame equals a full draw at that view`, () => {
      const { canvas, shown } = fakeCanvas()
      const r = new CpuRenderer(canvas)
      r.setPoints(x, y, grid)
      r.setStyle(style)
      let view: View = { cx: 6, cy: 1, scale: 14 }
      r.draw(view, css, dpr, radius)
      // Right, left, up, down, diagonal, sub-pixel, and a jump of almost half the canvas.
      const moves = [[7, 0], [-13, 0], [0, 9], [0, -4], [5, -6], [0.4, 0.3], [-70, 50], [3, 3]] as const
      for (const [ddx, ddy] of moves) {
        view = pan(view, ddx, ddy)
        r.draw(view, css, dpr, radius)
        const want = fresh(view, dpr)
        const got = shown.pixels!
        let diff = 0
        for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) diff++
        expect(diff, `pan ${ddx},${ddy}`).toBe(0)
      }
      // The jump uncovers most of the canvas: drawn whole, cheaper than its strips.
      expect(r.counts).toEqual({ shifted: moves.length - 1, inView: 0, full: 2 })
    })
  }

  it('zoomed in, a full draw of only the points in view equals drawing them all', () => {
    for (const view of [{ cx: 3, cy: 0, scale: 60 }, { cx: 0.5, cy: 0.5, scale: 120 }]) {
      const draw = (w: number) => {
        const { canvas, shown } = fakeCanvas()
        const r = new CpuRenderer(canvas)
        // Without the grid the renderer can only walk every point.
        r.setPoints(x, y, w ? grid : undefined)
        r.setStyle(style)
        r.draw(view, css, 1, radius)
        expect(r.counts).toEqual(w ? { shifted: 0, inView: 1, full: 0 } : { shifted: 0, inView: 0, full: 1 })
        return shown.pixels!
      }
      const all = draw(0), inView = draw(1)
      let diff = 0
      for (let i = 0; i < all.length; i++) if (all[i] !== inView[i]) diff++
      expect(diff).toBe(0)
      expect(new Set(all).size).toBeGreaterThan(4)
    }
  })

  it('a zoom, a restyle or a new size draws everything again', () => {
    const { canvas } = fakeCanvas()
    const r = new CpuRenderer(canvas)
    r.setPoints(x, y, grid)
    r.setStyle(style)
    const view: View = { cx: 6, cy: 1, scale: 14 }
    r.draw(view, css, 1, radius)
    r.draw({ ...view, scale: 15 }, css, 1, radius)
    r.setStyle(style)
    r.draw({ ...view, scale: 15 }, css, 1, radius)
    r.draw({ ...view, scale: 15 }, { width: 170, height: 120 }, 1, radius)
    expect(r.counts).toEqual({ shifted: 0, inView: 0, full: 4 })
  })
})
