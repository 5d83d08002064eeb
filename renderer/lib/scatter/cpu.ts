// The CPU path: points written straight into an ImageData (one Uint32 per pixel) and put on a 2-D
// canvas. Where WebGL is only software (SwiftShader, llvmpipe) this holds a frame well under 50 ms
// at a million points, where software WebGL pans at about 1 fps.
// A pan at the same zoom moves the last image by whole pixels and draws only the strips it
// uncovers (the points there found through the grid, drawn in the full draw's order), so a pan
// frame costs a fraction of a full draw: at a million points the full draw is ~14 ms of CPU,
// which on a busy machine stretched into 50–200 ms frames while the thread waited for a core.
import type { Grid } from './grid'
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
  private grid: Grid | null = null
  /** What the image in `this.image` was drawn with: a pan of it only shifts (null: draw all). */
  private last: { W: number; H: number; k: number; radius: number; ox: number; oy: number } | null = null
  /** Off: every frame a full draw (bench/scatter compares the two on one run). */
  shiftPans = true
  /** Pan frames that shifted / frames drawn whole, from the points in view or from all (the bench and tests read them). */
  readonly counts = { shifted: 0, inView: 0, full: 0 }

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false })
    if (!ctx) throw new Error('scatter: this browser gives no 2-D canvas')
    this.ctx = ctx
  }

  setPoints(x: Float32Array, y: Float32Array, grid?: Grid) {
    this.x = x
    this.y = y
    this.grid = grid ?? null
    this.last = null
  }

  setStyle(style: Style) {
    this.style = style
    this.last = null
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
    if (!this.image || this.image.width !== W || this.image.height !== H) {
      this.image = new ImageData(W, H)
      this.last = null
    }
    const px = new Uint32Array(this.image.data.buffer)
    const s = this.style
    const k = view.scale * dpr
    // Whole device pixels (a shift of at most half a pixel), so a pan moves the image exactly.
    const ox = Math.round(W / 2 - view.cx * k + 0.5)
    const oy = Math.round(H / 2 + view.cy * k + 0.5)
    const l = this.last
    const dx = l ? ox - l.ox : 0, dy = l ? oy - l.oy : 0
    if (this.shiftPans && s && this.grid && l && l.W === W && l.H === H && l.k === k && l.radius === radius && Math.abs(dx) < W / 2 && Math.abs(dy) < H / 2 && this.smallPan(W, H, k, ox, oy, dx, dy)) {
      this.shift(px, W, H, dx, dy, k, ox, oy, this.lut(radius, dpr), s, dpr)
      this.counts.shifted++
    } else if (s && this.grid && this.zoomedIn(W, H, k, ox, oy)) {
      // Zoomed in: only the points in view, found through the grid (the same pixels as all of them).
      this.strip(px, W, H, 0, 0, W, H, k, ox, oy, this.lut(radius, dpr), s, Math.max(1, Math.round(dpr)))
      this.counts.inView++
    } else {
      px.fill(this.bg)
      if (s) {
        const lut = this.lut(radius, dpr)
        this.pass(px, W, H, k, ox, oy, lut, this.lists[State.Dim], this.faint, 0, s)
        this.pass(px, W, H, k, ox, oy, lut, this.lists[State.Normal], this.normal, 0, s)
        this.pass(px, W, H, k, ox, oy, lut, this.lists[State.Marked], this.normal, Math.max(1, Math.round(dpr)), s)
      }
      this.counts.full++
    }
    this.last = s ? { W, H, k, radius, ox, oy } : null
    this.ctx.putImageData(this.image, 0, 0)
  }

  /** About how many points the view holds (through the grid's cells). */
  private inView(W: number, H: number, k: number, ox: number, oy: number): number {
    return this.grid!.count(-ox / k, (oy - H) / k, (W - ox) / k, oy / k)
  }

  // Gathering and ordering a tenth of the points costs about what walking all of them does.
  private zoomedIn(W: number, H: number, k: number, ox: number, oy: number): boolean {
    return this.inView(W, H, k, ox, oy) < this.x.length / 10
  }

  /** A pan small enough that its uncovered strips hold under a tenth of the points. */
  private smallPan(W: number, H: number, k: number, ox: number, oy: number, dx: number, dy: number): boolean {
    return this.inView(W, H, k, ox, oy) * ((Math.abs(dx) * H + Math.abs(dy) * W) / (W * H)) < this.x.length / 10
  }

  private readonly lutBuf = new Uint8Array(256)
  private lutKey = NaN

  /** Disc radius (device px) by size factor, for this zoom. */
  private lut(radius: number, dpr: number): Uint8Array {
    const key = radius * dpr
    if (key !== this.lutKey) {
      // A radius under ~0.7 px is one pixel: at a million points that is most of them, and one write each.
      for (let f = 0; f < 256; f++) this.lutBuf[f] = Math.min(12, Math.floor((key * f) / SIZE_BASE + 0.3))
      this.lutKey = key
    }
    return this.lutBuf
  }

  /** Moves the image by (dx, dy) device px and redraws the strips it uncovers. */
  private shift(px: Uint32Array, W: number, H: number, dx: number, dy: number, k: number, ox: number, oy: number, lut: Uint8Array, s: Style, dpr: number) {
    if (!dx && !dy) return
    // One move of the whole buffer: what wraps from one row's end into the next lands in the
    // uncovered columns, which are redrawn below.
    const by = dy * W + dx
    if (by > 0) px.copyWithin(by, 0, px.length - by)
    else px.copyWithin(0, -by)
    const ring = Math.max(1, Math.round(dpr))
    if (dx) this.strip(px, W, H, dx > 0 ? 0 : W + dx, 0, dx > 0 ? dx : W, H, k, ox, oy, lut, s, ring)
    if (dy) this.strip(px, W, H, 0, dy > 0 ? 0 : H + dy, W, dy > 0 ? dy : H, k, ox, oy, lut, s, ring)
  }

  // Scratch for a strip's points, kept between frames (no allocation per pan frame).
  private keys = new Float64Array(1024)

  /** Redraws the rectangle [x0, x1) × [y0, y1) exactly as a full draw would: every point whose disc reaches it, in the full draw's order. */
  private strip(px: Uint32Array, W: number, H: number, x0: number, y0: number, x1: number, y1: number, k: number, ox: number, oy: number, lut: Uint8Array, s: Style, ring: number) {
    for (let r = y0; r < y1; r++) px.fill(this.bg, r * W + x0, r * W + x1)
    const reach = (lut[255]! + ring + 2) / k
    const { x, y } = this
    const { state } = s
    let m = 0
    // Sort key: pass (faint, normal, marked) then index, the order the full draw writes in.
    this.grid!.each((x0 - ox) / k - reach, (oy - y1) / k - reach, (x1 - ox) / k + reach, (oy - y0) / k + reach, (i) => {
      const st = state[i]!
      if (st === State.Hidden) return
      if (m === this.keys.length) {
        const grown = new Float64Array(m * 2)
        grown.set(this.keys)
        this.keys = grown
      }
      this.keys[m++] = (st - State.Dim) * 4294967296 + i
    })
    const keys = this.keys.subarray(0, m).sort()
    const { color, size } = s
    for (let j = 0; j < m; j++) {
      const i = keys[j]! % 4294967296
      const st = state[i]!
      const sx = Math.floor(x[i]! * k + ox)
      const sy = Math.floor(oy - y[i]! * k)
      const R = lut[size[i]!]!
      const c = (st === State.Dim ? this.faint : this.normal)[color[i]!]!
      if (st === State.Marked) this.clipped(px, W, x0, y0, x1, y1, sx, sy, R + ring, this.ring)
      this.clipped(px, W, x0, y0, x1, y1, sx, sy, R, c)
    }
  }

  private clipped(px: Uint32Array, W: number, x0: number, y0: number, x1: number, y1: number, sx: number, sy: number, R: number, c: number) {
    if (R === 0) {
      if (sx >= x0 && sy >= y0 && sx < x1 && sy < y1) px[sy * W + sx] = c
      return
    }
    // stamp(1) is the plus shape disc() writes for radius 1.
    const st = stamp(R)
    for (let j = 0; j < st.length; j += 2) {
      const X = sx + st[j]!, Y = sy + st[j + 1]!
      if (X >= x0 && Y >= y0 && X < x1 && Y < y1) px[Y * W + X] = c
    }
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
