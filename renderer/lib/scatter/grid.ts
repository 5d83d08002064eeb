// A uniform grid over the points in data coordinates (counting sort, two passes): the nearest
// point under the cursor and the points inside a lasso are found by visiting only the cells
// that can hold them, so hover stays instant at a million points.
import type { Bounds } from './view'

export class Grid {
  readonly cols: number
  readonly rows: number
  private readonly start: Uint32Array
  private readonly order: Uint32Array
  private readonly cw: number
  private readonly ch: number

  constructor(
    private readonly x: Float32Array,
    private readonly y: Float32Array,
    readonly b: Bounds,
  ) {
    const n = x.length
    const side = Math.max(1, Math.ceil(Math.sqrt(n / 4)))
    this.cols = side
    this.rows = side
    this.cw = Math.max(b.maxX - b.minX, 1e-9) / side
    this.ch = Math.max(b.maxY - b.minY, 1e-9) / side
    const cell = new Uint32Array(n)
    const count = new Uint32Array(side * side + 1)
    for (let i = 0; i < n; i++) {
      const c = this.cellOf(x[i]!, y[i]!)
      cell[i] = c
      count[c + 1]!++
    }
    for (let c = 1; c < count.length; c++) count[c]! += count[c - 1]!
    this.start = count.slice()
    const fill = count
    this.order = new Uint32Array(n)
    for (let i = 0; i < n; i++) this.order[fill[cell[i]!]!++] = i
  }

  private col(x: number) {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.b.minX) / this.cw)))
  }
  private row(y: number) {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.b.minY) / this.ch)))
  }
  private cellOf(x: number, y: number) {
    return this.row(y) * this.cols + this.col(x)
  }

  /** Calls `visit` for every point in the cells overlapping the box (a superset of the box). */
  each(x0: number, y0: number, x1: number, y1: number, visit: (i: number) => void): void {
    const c0 = this.col(Math.min(x0, x1)), c1 = this.col(Math.max(x0, x1))
    const r0 = this.row(Math.min(y0, y1)), r1 = this.row(Math.max(y0, y1))
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c
        for (let k = this.start[cell]!; k < this.start[cell + 1]!; k++) visit(this.order[k]!)
      }
    }
  }

  /** How many points the cells overlapping the box hold (an upper bound of the points in it). */
  count(x0: number, y0: number, x1: number, y1: number): number {
    const c0 = this.col(Math.min(x0, x1)), c1 = this.col(Math.max(x0, x1))
    const r0 = this.row(Math.min(y0, y1)), r1 = this.row(Math.max(y0, y1))
    let n = 0
    for (let r = r0; r <= r1; r++) n += this.start[r * this.cols + c1 + 1]! - this.start[r * this.cols + c0]!
    return n
  }

  /** The nearest point within `radius` (data units) that `ok` accepts, or -1. */
  nearest(px: number, py: number, radius: number, ok: (i: number) => boolean): number {
    let best = -1
    let bestD = radius * radius
    this.each(px - radius, py - radius, px + radius, py + radius, (i) => {
      const dx = this.x[i]! - px, dy = this.y[i]! - py
      const d = dx * dx + dy * dy
      if (d <= bestD && ok(i)) {
        bestD = d
        best = i
      }
    })
    return best
  }

  /** Indices of the points inside the polygon (data coordinates, flat [x0, y0, x1, y1, …]) that `ok` accepts. */
  inside(poly: number[], ok: (i: number) => boolean): Uint32Array {
    if (poly.length < 6) return new Uint32Array(0)
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
    for (let k = 0; k < poly.length; k += 2) {
      x0 = Math.min(x0, poly[k]!); x1 = Math.max(x1, poly[k]!)
      y0 = Math.min(y0, poly[k + 1]!); y1 = Math.max(y1, poly[k + 1]!)
    }
    const out: number[] = []
    this.each(x0, y0, x1, y1, (i) => {
      const px = this.x[i]!, py = this.y[i]!
      if (px < x0 || px > x1 || py < y0 || py > y1 || !ok(i)) return
      if (pointInPolygon(px, py, poly)) out.push(i)
    })
    return Uint32Array.from(out.sort((a, b) => a - b))
  }
}

/** Even-odd rule. */
export function pointInPolygon(px: number, py: number, poly: number[]): boolean {
  let inside = false
  const m = poly.length / 2
  for (let a = 0, b = m - 1; a < m; b = a++) {
    const ax = poly[2 * a]!, ay = poly[2 * a + 1]!, bx = poly[2 * b]!, by = poly[2 * b + 1]!
    if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside
  }
  return inside
}
