// The CPU path: points written straight into an ImageData (one Uint32 per pixel) and put on a 2-D
// canvas. Where WebGL is only software (SwiftShader, llvmpipe) this holds a frame well under 50 ms
// at a million points, where software WebGL pans at about 1 fps.
import { SIZE_BASE, State, type Renderer, type Style } from './style'

// Disc stamps by integer radius: offsets of the pixels within r of the centre.
const stamps: Int16Array[] = []
function stamp(r: number): Int16Array {
  let s = stamps[r]
  if (!s) {
    const out: number[] = []
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r + r * 0.8) out.push(dx, dy)
    stamps[r] = s = Int16Array.from(out)
  }
  return s
}

const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
const pack = (r: number, g: number, b: number, a = 255) => (little ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0)

export class CpuRenderer implements Renderer {
  readonly kind = 'cpu' as const
  private readonly ctx: CanvasRenderingContext2D
  private x: Float32Array = new Float32Array(0)
  private y: Float32Array = new Float32Array(0)
  private style: Style | null = null
  private image: ImageData | null = null
  private normal = new Uint32Array(256)
  private faint = new Uint32Array(256)
  private bg = 0
  private ring = 0

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false })
    if (!ctx) throw new Error('scatter: this browser gives no 2-D canvas')
    this.ctx = ctx
  }

  setPoints(x: Float32Array, y: Float32Array) {
    this.x = x
    this.y = y
  }

  setStyle(style: Style) {
    this.style = style
    const [br, bg, bb] = style.background
    for (let i = 0; i < 256; i++) {
      const r = style.palette[4 * i]!, g = style.palette[4 * i + 1]!, b = style.palette[4 * i + 2]!
      this.normal[i] = pack(r, g, b)
      // Faint: 25 % of the colour over the background.
      this.faint[i] = pack(Math.round(br + (r - br) * 0.25), Math.round(bg + (g - bg) * 0.25), Math.round(bb + (b - bb) * 0.25))
    }
    this.bg = pack(br, bg, bb)
    this.ring = pack(style.ring[0], style.ring[1], style.ring[2])
    // The points of each state in drawing order, listed once per restyle so a pan only draws.
    const count = [0, 0, 0, 0]
    for (let i = 0; i < style.state.length; i++) count[style.state[i]!]!++
    this.lists = count.map((c) => new Uint32Array(c))
    const at = [0, 0, 0, 0]
    for (let i = 0; i < style.state.length; i++) {
      const st = style.state[i]!
      this.lists[st]![at[st]!++] = i
    }
  }

  private lists: Uint32Array[] = []

  draw(view: { cx: number; cy: number; scale: number }, css: { width: number; height: number }, dpr: number, radius: number) {
    const W = Math.max(1, Math.round(css.width * dpr)), H = Math.max(1, Math.round(css.height * dpr))
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W
      this.canvas.height = H
    }
    if (!this.image || this.image.width !== W || this.image.height !== H) this.image = new ImageData(W, H)
    const px = new Uint32Array(this.image.data.buffer)
    px.fill(this.bg)
    const s = this.style
    if (s) {
      const k = view.scale * dpr
      const ox = W / 2 - view.cx * k + 0.5
      const oy = H / 2 + view.cy * k + 0.5
      // Disc radius (device px) by size factor, for this zoom.
      const lut = new Uint8Array(256)
      // A radius under ~0.7 px is one pixel: at a million points that is most of them, and one write each.
      for (let f = 0; f < 256; f++) lut[f] = Math.min(12, Math.floor((radius * dpr * f) / SIZE_BASE + 0.3))
      this.pass(px, W, H, k, ox, oy, lut, this.lists[State.Dim], this.faint, 0, s)
      this.pass(px, W, H, k, ox, oy, lut, this.lists[State.Normal], this.normal, 0, s)
      this.pass(px, W, H, k, ox, oy, lut, this.lists[State.Marked], this.normal, Math.max(1, Math.round(dpr)), s)
    }
    this.ctx.putImageData(this.image, 0, 0)
  }

  private pass(px: Uint32Array, W: number, H: number, k: number, ox: number, oy: number, lut: Uint8Array, list: Uint32Array | undefined, colors: Uint32Array, ring: number, s: Style) {
    if (!list) return
    const { x, y } = this
    const { color, size } = s
    const n = list.length
    // Every point in this state (the usual case): walk the columns in order, no indirection.
    const all = n === x.length
    for (let j = 0; j < n; j++) {
      const i = all ? j : list[j]!
      const sx = Math.floor(x[i]! * k + ox)
      const sy = Math.floor(oy - y[i]! * k)
      const R = lut[size[i]!]!
      if (R === 0 && ring === 0) {
        if (sx >= 0 && sy >= 0 && sx < W && sy < H) px[sy * W + sx] = colors[color[i]!]!
        continue
      }
      const E = R + ring
      if (sx < -E || sy < -E || sx >= W + E || sy >= H + E) continue
      if (ring) this.disc(px, W, H, sx, sy, E, this.ring)
      this.disc(px, W, H, sx, sy, R, colors[color[i]!]!)
    }
  }

  private disc(px: Uint32Array, W: number, H: number, sx: number, sy: number, R: number, c: number) {
    if (R === 1 && sx > 0 && sy > 0 && sx < W - 1 && sy < H - 1) {
      const o = sy * W + sx
      px[o] = px[o - 1] = px[o + 1] = px[o - W] = px[o + W] = c
      return
    }
    const st = stamp(R)
    for (let j = 0; j < st.length; j += 2) {
      const X = sx + st[j]!, Y = sy + st[j + 1]!
      if (X >= 0 && Y >= 0 && X < W && Y < H) px[Y * W + X] = c
    }
  }

  destroy() {}
}
