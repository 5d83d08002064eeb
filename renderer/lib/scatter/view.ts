// The camera of the scatter: data coordinates → CSS pixels. One transform for both renderers and
// for every interaction (hover, lasso, zoom at the cursor), so the CPU and WebGL paths agree.

export interface View {
  /** Data point at the centre of the canvas. */
  cx: number
  cy: number
  /** CSS pixels per data unit. */
  scale: number
}

export interface Size {
  width: number
  height: number
}

export const toScreenX = (v: View, s: Size, x: number) => (x - v.cx) * v.scale + s.width / 2
export const toScreenY = (v: View, s: Size, y: number) => s.height / 2 - (y - v.cy) * v.scale
export const toDataX = (v: View, s: Size, px: number) => (px - s.width / 2) / v.scale + v.cx
export const toDataY = (v: View, s: Size, py: number) => (s.height / 2 - py) / v.scale + v.cy

export interface Bounds {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

export function boundsOf(x: Float32Array, y: Float32Array, n = x.length): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  for (let i = 0; i < n; i++) {
    const a = x[i]!, b = y[i]!
    if (a < minX) minX = a
    if (a > maxX) maxX = a
    if (b < minY) minY = b
    if (b > maxY) maxY = b
  }
  if (!Number.isFinite(minX)) return { minX: -1, minY: -1, maxX: 1, maxY: 1 }
  return { minX, minY, maxX, maxY }
}

/** The view that shows all of `b` with a margin. */
export function fit(b: Bounds, s: Size, margin = 24): View {
  const w = Math.max(b.maxX - b.minX, 1e-9)
  const h = Math.max(b.maxY - b.minY, 1e-9)
  const scale = Math.min((s.width - 2 * margin) / w, (s.height - 2 * margin) / h)
  return { cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2, scale: Math.max(scale, 1e-9) }
}

/** Zooms by `factor` keeping the data point under (px, py) where it is. */
export function zoomAt(v: View, s: Size, px: number, py: number, factor: number): View {
  const dx = toDataX(v, s, px), dy = toDataY(v, s, py)
  const scale = v.scale * factor
  return { scale, cx: dx - (px - s.width / 2) / scale, cy: dy - (s.height / 2 - py) / scale }
}

export const pan = (v: View, ddx: number, ddy: number): View => ({ ...v, cx: v.cx - ddx / v.scale, cy: v.cy + ddy / v.scale })
