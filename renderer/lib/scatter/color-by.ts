// From the explorer's state (colour by, filters, search, selection) to the per-point style arrays
// the renderers draw. One pass over the points per change.
import { NO_MODEL, type PointColumns } from '../../../shared/cluster-view'
import { SIZE_BASE, State, type Style } from './style'

export type ColorBy = 'topic' | 'cluster' | 'model' | 'error' | 'cost' | 'date'

// Categorical colours (Tableau 20 reordered so neighbours differ), then a 32-step ramp.
export const CATEGORICAL = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#86bcb6',
  '#d37295', '#8cd17d', '#499894', '#f1ce63', '#a0cbe8', '#fabfd2', '#79706e', '#d4a6c8', '#b6992d', '#ffbe7d',
]
const RAMP_AT = 64
const RAMP_STEPS = 32
export const NOISE_INDEX = 254
const ERROR_INDEX = 253
const OK_INDEX = 252
const UNKNOWN_INDEX = 251
export const NOISE_COLOR = '#a3a9b5'

const hex = (h: string): [number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]

// Viridis-like ramp endpoints, interpolated: low = dark blue, high = yellow.
const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'].map(hex)
function ramp(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1)
  const k = Math.min(RAMP.length - 2, Math.floor(x))
  const f = x - k
  return [0, 1, 2].map((c) => Math.round(RAMP[k]![c]! + (RAMP[k + 1]![c]! - RAMP[k]![c]!) * f)) as [number, number, number]
}

export function palette(): Uint8Array {
  const p = new Uint8Array(1024)
  const set = (i: number, [r, g, b]: [number, number, number]) => p.set([r, g, b, 255], 4 * i)
  for (let i = 0; i < 64; i++) set(i, hex(CATEGORICAL[i % CATEGORICAL.length]!))
  for (let s = 0; s < RAMP_STEPS; s++) set(RAMP_AT + s, ramp(s / (RAMP_STEPS - 1)))
  set(NOISE_INDEX, hex(NOISE_COLOR))
  set(ERROR_INDEX, hex('#e03b52'))
  set(OK_INDEX, hex('#7c8fb0'))
  set(UNKNOWN_INDEX, hex('#c3c7cf'))
  return p
}

export const categoryColor = (i: number) => (i < 0 ? NOISE_COLOR : CATEGORICAL[i % CATEGORICAL.length]!)
export const rampColor = (t: number) => `rgb(${ramp(t).join(',')})`

export interface ExplorerState {
  colorBy: ColorBy
  sizeByTokens: boolean
  /** Clusters switched off in the legend. */
  hidden: ReadonlySet<number>
  /** A bar or legend click: everything else is drawn faint. */
  filter: { topic?: number | undefined; cluster?: number | undefined }
  /** Search matches (sorted indices), or null when no search. */
  matches: Uint32Array | null
  selection: Uint32Array
}

/** Range of a column's finite values (cost, date) for the ramp. */
export function rangeOf(a: Float32Array | Float64Array): [number, number] {
  let lo = Infinity, hi = -Infinity
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!
    if (Number.isFinite(v)) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1]
}

export function buildStyle(c: PointColumns, s: ExplorerState, colors: { background: [number, number, number, number]; ring: [number, number, number, number] }, pal: Uint8Array): Style {
  const n = c.x.length
  const color = new Uint8Array(n)
  const size = new Uint8Array(n)
  const state = new Uint8Array(n)
  const [clo, chi] = s.colorBy === 'cost' ? rangeOf(c.cost) : s.colorBy === 'date' ? rangeOf(c.date) : [0, 1]
  // Tokens on a log scale: a 100× longer trace is about twice the size.
  const tr = s.sizeByTokens ? rangeOf(c.tokens) : ([0, 1] as const)
  const tlo = Math.log1p(Math.max(0, tr[0])), thi = Math.log1p(Math.max(0, tr[1]))
  const filtered = s.filter.topic !== undefined || s.filter.cluster !== undefined
  for (let i = 0; i < n; i++) {
    const cl = c.cluster[i]!
    switch (s.colorBy) {
      case 'cluster':
        color[i] = cl < 0 ? NOISE_INDEX : cl % 64
        break
      case 'topic':
        color[i] = cl < 0 || c.topic[i]! < 0 ? NOISE_INDEX : c.topic[i]! % 64
        break
      case 'model':
        color[i] = c.model[i] === NO_MODEL ? UNKNOWN_INDEX : c.model[i]! % 64
        break
      case 'error':
        color[i] = c.error[i] ? ERROR_INDEX : OK_INDEX
        break
      default: {
        const v = s.colorBy === 'cost' ? c.cost[i]! : c.date[i]!
        color[i] = Number.isFinite(v) ? RAMP_AT + Math.round(((v - clo) / (chi - clo || 1)) * (RAMP_STEPS - 1)) : UNKNOWN_INDEX
      }
    }
    size[i] = s.sizeByTokens ? Math.round(SIZE_BASE * (0.55 + 1.45 * ((Math.log1p(Math.max(0, c.tokens[i]!)) - tlo) / (thi - tlo || 1)))) : SIZE_BASE
    let st: number = State.Normal
    if (s.hidden.has(cl)) st = State.Hidden
    else if (filtered && ((s.filter.cluster !== undefined && cl !== s.filter.cluster) || (s.filter.topic !== undefined && c.topic[i] !== s.filter.topic))) st = State.Dim
    else if (s.matches) st = State.Dim
    state[i] = st
  }
  const mark = (list: Uint32Array) => {
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!
      if (i < n && state[i] !== State.Hidden) state[i] = s.matches === list && state[i] === State.Dim && filtered && !inFilter(c, s, i) ? State.Dim : State.Marked
    }
  }
  if (s.matches) mark(s.matches)
  mark(s.selection)
  return { color, size, state, palette: pal, ...colors }
}

function inFilter(c: PointColumns, s: ExplorerState, i: number): boolean {
  return (s.filter.cluster === undefined || c.cluster[i] === s.filter.cluster) && (s.filter.topic === undefined || c.topic[i] === s.filter.topic)
}
