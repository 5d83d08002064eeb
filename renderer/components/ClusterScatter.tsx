// The scatter of a cluster run: every point a trace at its 2-D UMAP position. Drag pans, the wheel
// zooms at the cursor, a click selects (Shift adds), Shift-drag or the lasso tool selects many,
// double-click shows everything. The tooltip names the trace under the cursor.
import { useEffect, useRef, useState } from 'react'
import type { ClusterTraceRow, PointColumns, ViewGroup } from '../../shared/cluster-view'
import { NO_MODEL } from '../../shared/cluster-view'
import { call } from '../lib/api'
import { count } from '../lib/format'
import { buildStyle, palette, type ExplorerState } from '../lib/scatter/color-by'
import { Scatter, type Mode } from '../lib/scatter/scatter'

interface Props {
  runId: string
  cols: PointColumns
  models: string[]
  groups: { topics: ViewGroup[]; clusters: ViewGroup[] }
  state: ExplorerState
  mode: Mode
  /** A point to centre on (a linked selection). */
  focus: number | null
  /** Bumped to show every point again. */
  fitTick: number
  onSelect(indices: Uint32Array, additive: boolean): void
  /** Tells the page which renderer draws, for the status line. */
  onRenderer?(kind: string, reason: string): void
}

type Rgba = [number, number, number, number]

// Theme colours as the canvas needs them (light-dark() resolved by the browser).
function themeColors(host: HTMLElement): { background: Rgba; ring: Rgba } {
  const probe = document.createElement('span')
  probe.style.cssText = 'position:absolute;visibility:hidden;background:var(--panel);color:var(--text)'
  host.append(probe)
  const cs = getComputedStyle(probe)
  const rgb = (v: string) => ((v.match(/[\d.]+/g) ?? ['255', '255', '255']).slice(0, 3).map(Number).concat(255) as Rgba)
  const out = { background: rgb(cs.backgroundColor), ring: rgb(cs.color) }
  probe.remove()
  return out
}

/** Where the tooltip goes for a cursor at client (x, y): beside it, kept inside the scatter. */
function tipPlace(host: HTMLElement, x: number, y: number) {
  const r = host.getBoundingClientRect()
  return { left: `${Math.min(x - r.left + 14, r.width - 280)}px`, top: `${Math.min(y - r.top + 14, r.height - 120)}px` }
}

function useThemeTick(): number {
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const bump = () => setTick((t) => t + 1)
    const mo = new MutationObserver(bump)
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
    const mq = matchMedia('(prefers-color-scheme: dark)')
    mq.addEventListener('change', bump)
    return () => {
      mo.disconnect()
      mq.removeEventListener('change', bump)
    }
  }, [])
  return tick
}

export function ClusterScatter({ runId, cols, models, groups, state, mode, focus, fitTick, onSelect, onRenderer }: Props) {
  const host = useRef<HTMLDivElement>(null)
  const scatter = useRef<Scatter | null>(null)
  const pal = useRef(palette())
  // React state only when the point under the cursor changes; the tooltip follows the cursor by
  // its style (a render per pointer move cost the scatter frames at a million points).
  const [hover, setHover] = useState<{ i: number } | null>(null)
  const cursor = useRef({ x: 0, y: 0 })
  const tip = useRef<HTMLDivElement>(null)
  const [titles, setTitles] = useState<Map<number, ClusterTraceRow>>(new Map())
  const themeTick = useThemeTick()
  const select = useRef(onSelect)
  select.current = onSelect

  useEffect(() => {
    const s = new Scatter(host.current!, {
      onHover: (i, x, y) => {
        cursor.current = { x, y }
        if (tip.current) Object.assign(tip.current.style, tipPlace(host.current!, x, y))
        setHover((h) => (i < 0 ? null : h?.i === i ? h : { i }))
      },
      onClick: (i, additive) => select.current(i >= 0 ? Uint32Array.of(i) : new Uint32Array(0), additive),
      onLasso: (indices, additive) => select.current(indices, additive),
    })
    scatter.current = s
    // Tests and the bench reach the instance through its host (positions of points on screen).
    ;(host.current as HTMLDivElement & { scatter?: Scatter }).scatter = s
    onRenderer?.(s.renderer.kind, s.reason)
    return () => {
      s.destroy()
      scatter.current = null
    }
  }, [])

  useEffect(() => {
    scatter.current?.setPoints(cols.x, cols.y)
    setTitles(new Map())
  }, [cols])

  useEffect(() => {
    const s = scatter.current
    if (!s) return
    s.setStyle(buildStyle(cols, state, themeColors(host.current!), pal.current))
  }, [cols, state, themeTick])

  useEffect(() => scatter.current?.setMode(mode), [mode])
  useEffect(() => {
    if (focus !== null) scatter.current?.focus(focus)
  }, [focus, cols])
  useEffect(() => {
    if (fitTick) scatter.current?.fit()
  }, [fitTick])

  // The tooltip's title comes from the store (one small query per point hovered, remembered).
  useEffect(() => {
    if (!hover || titles.has(hover.i)) return
    let alive = true
    const t = setTimeout(() => {
      call('clusters:rows', { run_id: runId, indices: [hover.i], limit: 1 })
        .then((r) => alive && r.rows[0] && setTitles((m) => new Map(m).set(hover.i, r.rows[0]!)))
        .catch(() => {})
    }, 40)
    return () => {
      alive = false
      clearTimeout(t)
    }
  }, [hover, runId, titles])

  const row = hover ? titles.get(hover.i) : undefined
  const cluster = hover ? groups.clusters.find((g) => g.id === cols.cluster[hover.i]) : undefined
  const topic = hover ? groups.topics.find((g) => g.id === cols.topic[hover.i]) : undefined
  return (
    <div className="scatter-host" ref={host} data-testid="scatter" data-mode={mode}>
      {hover && host.current && (
        <div className="scatter-tip" role="tooltip" data-testid="scatter-tip" ref={tip} style={tipPlace(host.current, cursor.current.x, cursor.current.y)}>
          <div className="tip-title">{row ? (row.title ?? row.id) : '…'}</div>
          <div className="tip-grid">
            <span className="muted">Topic</span>
            <span>{cols.topic[hover.i]! < 0 ? 'Outliers' : (topic?.label ?? cols.topic[hover.i])}</span>
            <span className="muted">Cluster</span>
            <span>{cols.cluster[hover.i]! < 0 ? 'Outlier' : (cluster?.label ?? cols.cluster[hover.i])}</span>
            <span className="muted">Model</span>
            <span>{cols.model[hover.i] === NO_MODEL ? '–' : models[cols.model[hover.i]!]}</span>
            <span className="muted">Tokens</span>
            <span>{count(cols.tokens[hover.i]!)}</span>
          </div>
        </div>
      )}
    </div>
  )
}
