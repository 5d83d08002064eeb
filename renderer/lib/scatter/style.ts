// What each point looks like, shared by both renderers: a palette index, a size factor and a state
// per point (typed arrays, so restyling a million points is one pass and no objects).
import type { Grid } from './grid'

export const enum State {
  Hidden = 0,
  /** Filtered out, or not matching a search: drawn faint so the shape of the map stays. */
  Dim = 1,
  Normal = 2,
  /** Selected or matching: drawn last, larger, with a ring. */
  Marked = 3,
}

export interface Style {
  /** Palette index per point (0…255). */
  color: Uint8Array
  /** Size factor per point, 64 = the base size (size by tokens: 32…128). */
  size: Uint8Array
  state: Uint8Array
  /** 256 RGBA entries. */
  palette: Uint8Array
  /** Canvas background and the ring colour, RGBA. */
  background: [number, number, number, number]
  ring: [number, number, number, number]
}

export const SIZE_BASE = 64

/** The base point radius in CSS px for n points on this canvas: large when few, one pixel at a million. */
export function baseRadius(n: number, width: number, height: number): number {
  const spacing = Math.sqrt((width * height) / Math.max(n, 1))
  return Math.min(5, Math.max(0.5, spacing * 0.22))
}

export interface Renderer {
  readonly kind: 'webgl' | 'cpu'
  /** `grid`: the scatter's index over the same points (the CPU path redraws a pan's uncovered strips through it). */
  setPoints(x: Float32Array, y: Float32Array, grid?: Grid): void
  setStyle(style: Style): void
  /** Draws the points at this view; `scale`: CSS px per data unit, dpr: device pixels per CSS px. */
  draw(view: { cx: number; cy: number; scale: number }, css: { width: number; height: number }, dpr: number, radius: number): void
  destroy(): void
}
