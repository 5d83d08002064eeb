// The cursor arrow and click-ripple stages the encoder overlays on frames, drawn here as RGBA
// (straight alpha) at the clip's scale, so no image file ships and every size is drawn sharp.
import { RIPPLE_STAGES } from './decor'

export interface Sprite {
  width: number
  height: number
  rgba: Buffer
  /** The pixel of the sprite that sits on the point it marks (the arrow's tip, the ripple's centre). */
  hot: [number, number]
}

type Colour = [number, number, number, number] // r, g, b, alpha 0–1

/** Supersampled (4×4) rasterisation of a per-point colour function over a w×h box of `scale`d units. */
function raster(w: number, h: number, scale: number, colourAt: (x: number, y: number) => Colour | null, hot: [number, number]): Sprite {
  const width = Math.ceil(w * scale)
  const height = Math.ceil(h * scale)
  const rgba = Buffer.alloc(width * height * 4)
  const N = 4
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const c = colourAt((px + (sx + 0.5) / N) / scale, (py + (sy + 0.5) / N) / scale)
          if (!c) continue
          r += c[0] * c[3]
          g += c[1] * c[3]
          b += c[2] * c[3]
          a += c[3]
        }
      }
      const o = (py * width + px) * 4
      if (a > 0) rgba.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((a / (N * N)) * 255)], o)
    }
  }
  return { width, height, rgba, hot: [Math.round(hot[0] * scale), Math.round(hot[1] * scale)] }
}

// The arrow, in units of a 16×22 box, tip at (1, 1): black with a 1.5-unit white edge.
const ARROW: [number, number][] = [[1, 1], [1, 18], [5.5, 13.8], [8.5, 20], [11.1, 18.8], [8.1, 12.8], [14.1, 12.8]]

function inside(poly: [number, number][], x: number, y: number): boolean {
  let c = false
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!
    const [xj, yj] = poly[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c
  }
  return c
}

function edgeDistance(poly: [number, number][], x: number, y: number): number {
  let best = Infinity
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ax, ay] = poly[j]!
    const [bx, by] = poly[i]!
    const dx = bx - ax
    const dy = by - ay
    const k = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    best = Math.min(best, Math.hypot(x - ax - k * dx, y - ay - k * dy))
  }
  return best
}

export function cursorSprite(scale: number): Sprite {
  return raster(16, 22, scale, (x, y) => (edgeDistance(ARROW, x, y) <= 0.75 ? [255, 255, 255, 1] : inside(ARROW, x, y) ? [0, 0, 0, 1] : null), [1, 1])
}

/** A click ripple at stage 0…RIPPLE_STAGES−1: a red ring that grows and fades over its 300 ms. */
export function rippleSprite(scale: number, stage: number): Sprite {
  const k = stage / RIPPLE_STAGES
  const r = 20 * (0.4 + k)
  const opacity = 1 - k * 0.8
  const R = 20 * 1.4 // the largest stage's radius: every stage has the same box and centre
  return raster(2 * R, 2 * R, scale, (x, y) => {
    const d = Math.hypot(x - R, y - R)
    if (d > r) return null
    return d > r - 3 ? [229, 72, 77, opacity] : [229, 72, 77, 0.25 * opacity]
  }, [R, R])
}
