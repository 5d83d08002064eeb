// The cluster explorer: a run's traces as a scatter (colour, size, search, lasso), the legend and
// the distribution chart to filter it, the traces of a selection / cluster / the outliers, a run
// switcher and "Run clustering". The route carries run, point or selection, topic and cluster.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Boxes, Download, Lasso, Maximize2, Move, RotateCcw, Search, X } from 'lucide-react'
import { unpackColumns } from '../../shared/columns'
import type { ClusterRunInfo } from '../../shared/cluster'
import { decodeSelection, encodeSelection, type PointColumns, type PointsMeta, type ViewGroup } from '../../shared/cluster-view'
import type { Route } from '../../shared/routes'
import { ClusterBars } from '../components/ClusterBars'
import { ClusterLegend } from '../components/ClusterLegend'
import { ClusterList } from '../components/ClusterList'
import { ClusterRunForm } from '../components/ClusterRunForm'
import { ClusterScatter } from '../components/ClusterScatter'
import { ClusterTopics } from '../components/ClusterTopics'
import '../components/cluster.css'
import { call } from '../lib/api'
import { count, dateTime } from '../lib/format'
import { useQuery } from '../lib/hooks'
import { go, parseRoute, replace } from '../lib/route'
import { categoryColor, CATEGORICAL, rampColor, type ColorBy, type ExplorerState } from '../lib/scatter/color-by'
import type { Mode } from '../lib/scatter/scatter'

type ClustersRoute = Extract<Route, { page: 'clusters' }>
type Tab = 'legend' | 'traces' | 'outliers'

const EMPTY = new Uint32Array(0)

function runLabel(r: ClusterRunInfo): string {
  const mcs = r.params.minClusterSize ?? r.params.min_cluster_size
  return `${dateTime(r.created_ms)} · ${count(r.points)} points · ${r.clusters} clusters${mcs !== undefined ? ` · min ${String(mcs)}` : ''}`
}

export function ClustersPage({ route }: { route: ClustersRoute }) {
  const runs = useQuery('clusters:runs', {}, ['traces', 'clusters'])
  const [rerun, setRerun] = useState(false)
  const list = runs.data?.runs ?? []
  const run = list.find((r) => r.run_id === route.run) ?? list[0]
  // A finished "Run clustering" adds a run: show it.
  const newest = list[0]?.run_id
  useEffect(() => setRerun(false), [newest])

  return (
    <section className="page clusters-page">
      <header className="page-head">
        <h1>Clusters</h1>
        {list.length > 0 && run && (
          <select aria-label="Cluster run" data-testid="run-switcher" value={run.run_id} onChange={(e) => go({ page: 'clusters', run: e.target.value })}>
            {list.map((r) => (
              <option key={r.run_id} value={r.run_id}>
                {runLabel(r)}
              </option>
            ))}
          </select>
        )}
        {run && <ClusterTopics run={run} />}
        <span className="spacer" />
        {list.length > 0 && !rerun && (
          <button className="button" onClick={() => setRerun(true)}>
            <RotateCcw size={14} aria-hidden /> Re-run with…
          </button>
        )}
      </header>
      {runs.error && <div className="banner error">{runs.error}</div>}
      {rerun && run && (
        <ClusterRunForm
          traces={runs.data?.traces ?? 0}
          initial={{ min_cluster_size: Number(run.params.minClusterSize ?? run.params.min_cluster_size) || undefined, sample: Number(run.input.sample) || undefined }}
          onCancel={() => setRerun(false)}
        />
      )}
      {runs.data && list.length === 0 && <FirstRun traces={runs.data.traces} />}
      {run && <Explorer key={run.run_id} run={run} route={route} />}
    </section>
  )
}

function FirstRun({ traces }: { traces: number }) {
  return (
    <div className="empty tall first-run">
      <Boxes size={40} aria-hidden />
      <h2>No cluster runs yet</h2>
      <p className="muted">
        {traces < 3
          ? 'Clusters group LLM traces by what happened in them. Import a trace set in the Library first (at least 3 traces).'
          : `${count(traces)} traces are ready. Clustering summarizes each trace, embeds the summaries and groups them (UMAP + HDBSCAN) — offline on this machine unless you choose a cloud model.`}
      </p>
      {traces >= 3 && <ClusterRunForm traces={traces} />}
    </div>
  )
}

function Explorer({ run, route }: { run: ClusterRunInfo; route: ClustersRoute }) {
  const [points, setPoints] = useState<{ cols: PointColumns; meta: PointsMeta } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const groups = useQuery('clusters:groups', { run_id: run.run_id }, ['clusters'])
  const [colorBy, setColorBy] = useState<ColorBy>('topic')
  const [sizeByTokens, setSizeByTokens] = useState(false)
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set())
  const [selection, setSelection] = useState<Uint32Array>(EMPTY)
  const [q, setQ] = useState('')
  const [matches, setMatches] = useState<Uint32Array | null>(null)
  const [mode, setMode] = useState<Mode>('pan')
  const [tab, setTab] = useState<Tab>(route.cluster !== undefined || route.topic !== undefined || route.point ? 'traces' : 'legend')
  const [focus, setFocus] = useState<number | null>(null)
  const [renderer, setRenderer] = useState('')
  const [fitTick, setFitTick] = useState(0)

  useEffect(() => {
    let alive = true
    const t0 = performance.now()
    call('clusters:points', { run_id: run.run_id })
      .then((buf) => {
        if (!alive) return
        const { columns, meta } = unpackColumns<PointColumns, PointsMeta>(buf)
        setPoints({ cols: columns, meta })
        document.documentElement.dataset.scatterLoadMs = String(Math.round(performance.now() - t0))
      })
      .catch((e: Error) => alive && setError(e.message))
    return () => {
      alive = false
    }
    // A re-cut of the topics (the slider) changes the points' topic column: read them again.
  }, [run.run_id, run.topics, run.params.topics_cut])
  // Hidden topics of the previous cut mean nothing in a new one, nor does a filter on a topic it no longer has.
  useEffect(() => setHidden(new Set()), [run.topics])
  useEffect(() => {
    const now = parseRoute(location.hash)
    if (now.page === 'clusters' && now.topic !== undefined && now.topic >= run.topics) replace({ ...now, topic: undefined })
  }, [run.topics, route.topic])

  // A linked point (#/clusters?point=<trace id>): find its index and select it.
  useEffect(() => {
    if (!route.point || !points) return
    let alive = true
    call('clusters:rows', { run_id: run.run_id, q: route.point, limit: 50 })
      .then((r) => {
        const hit = r.rows.find((row) => row.id === route.point)
        if (alive && hit) {
          setSelection(Uint32Array.of(hit.idx))
          setFocus(hit.idx)
          setTab('traces')
        }
      })
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [route.point, points, run.run_id])

  // A linked selection (#/clusters?sel=…): select those points, unless they are what is selected.
  const selNow = useRef(selection)
  selNow.current = selection
  useEffect(() => {
    if (!route.sel || !points || route.sel === encodeSelection(selNow.current)) return
    const linked = decodeSelection(route.sel, points.meta.n)
    if (!linked) return
    setSelection(linked)
    if (linked.length === 1) setFocus(linked[0]!)
    if (linked.length) setTab('traces')
  }, [route.sel, points])

  useEffect(() => {
    const text = q.trim()
    if (!text) return setMatches(null)
    let alive = true
    const t = setTimeout(() => {
      call('clusters:search', { run_id: run.run_id, q: text })
        .then((buf) => alive && setMatches(unpackColumns<{ idx: Uint32Array }, { total: number }>(buf).columns.idx))
        .catch(() => {})
    }, 200)
    return () => {
      alive = false
      clearTimeout(t)
    }
  }, [q, run.run_id])

  const filter = useMemo(() => ({ topic: route.topic, cluster: route.cluster }), [route.topic, route.cluster])
  const state: ExplorerState = useMemo(() => ({ colorBy, sizeByTokens, hidden, filter, matches, selection }), [colorBy, sizeByTokens, hidden, filter, matches, selection])
  const setRoute = (patch: Partial<ClustersRoute>) => go({ page: 'clusters', run: run.run_id, point: route.point, sel: route.sel, topic: route.topic, cluster: route.cluster, ...patch })

  // A selection made here goes into the address as it changes (no history entry each time), so the view can be linked.
  const select = useCallback((next: Uint32Array) => {
    setSelection(next)
    const now = parseRoute(location.hash)
    if (now.page === 'clusters') replace({ ...now, run: now.run ?? run.run_id, point: undefined, sel: next.length ? encodeSelection(next) : undefined })
  }, [run.run_id])
  const onSelect = useCallback(
    (indices: Uint32Array, additive: boolean) => {
      select(additive ? Uint32Array.from(new Set([...selNow.current, ...indices])).sort() : indices)
      if (indices.length) setTab('traces')
    },
    [select],
  )

  const g = groups.data ?? { topics: [], clusters: [] }
  const colorOf = (grp: ViewGroup, level: 'topic' | 'cluster'): string | null => {
    if (grp.id < 0) return categoryColor(-1)
    if (colorBy === 'cluster' && level === 'cluster') return CATEGORICAL[grp.id % CATEGORICAL.length]!
    if (colorBy === 'topic') return CATEGORICAL[(level === 'topic' ? grp.id : grp.topic) % CATEGORICAL.length]!
    return null
  }
  const barColor = (c: ViewGroup) => CATEGORICAL[(colorBy === 'cluster' ? c.id : c.topic) % CATEGORICAL.length]!
  const filterLabel =
    route.cluster !== undefined ? (route.cluster < 0 ? 'Outliers' : (g.clusters.find((c) => c.id === route.cluster)?.label ?? `cluster ${route.cluster}`)) : route.topic !== undefined ? (g.topics.find((t) => t.id === route.topic)?.label ?? `topic ${route.topic}`) : null
  const drill = route.cluster !== undefined && route.cluster >= 0 ? g.clusters.find((c) => c.id === route.cluster) : undefined

  const exportAs = async (format: 'csv' | 'json') => {
    const r = await call('clusters:export', { run_id: run.run_id, indices: [...selection], format })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(new Blob([r.content], { type: r.mime }))
    a.download = r.filename
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
  }

  if (error) return <div className="banner error">{error}</div>
  return (
    <>
      <div className="explorer-toolbar">
        <label className="search">
          <Search size={14} aria-hidden />
          <input type="search" placeholder="Search titles" aria-label="Search points" value={q} onChange={(e) => setQ(e.target.value)} data-testid="point-search" />
          {matches && <span className="muted small nowrap" data-testid="match-count">{count(matches.length)} found</span>}
        </label>
        <label className="inline">
          <span className="muted small">Colour</span>
          <select value={colorBy} onChange={(e) => setColorBy(e.target.value as ColorBy)} aria-label="Colour by">
            <option value="topic">Topic</option>
            <option value="cluster">Cluster</option>
            <option value="model">Model</option>
            <option value="error">Error</option>
            <option value="cost">Cost</option>
            <option value="date">Date</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={sizeByTokens} onChange={(e) => setSizeByTokens(e.target.checked)} /> <span className="small">Size by tokens</span>
        </label>
        <div className="segmented" role="group" aria-label="Drag tool">
          <button className={mode === 'pan' ? 'active' : undefined} aria-pressed={mode === 'pan'} onClick={() => setMode('pan')} title="Drag to pan (Shift-drag: lasso)">
            <Move size={14} aria-hidden /> Pan
          </button>
          <button className={mode === 'lasso' ? 'active' : undefined} aria-pressed={mode === 'lasso'} onClick={() => setMode('lasso')} title="Drag to select a region">
            <Lasso size={14} aria-hidden /> Lasso
          </button>
        </div>
        <span className="spacer" />
        {filterLabel && (
          <span className="chip active" data-testid="filter-chip">
            {filterLabel}
            <button className="icon-button" aria-label="Clear filter" onClick={() => setRoute({ topic: undefined, cluster: undefined })}>
              <X size={12} />
            </button>
          </span>
        )}
        {selection.length > 0 && (
          <span className="selection-box">
            <span data-testid="selection-count">{count(selection.length)} selected</span>
            <button className="button ghost" onClick={() => exportAs('csv')} title="Ids, titles and clusters as CSV">
              <Download size={14} aria-hidden /> CSV
            </button>
            <button className="button ghost" onClick={() => exportAs('json')}>JSON</button>
            <button className="icon-button" aria-label="Clear selection" onClick={() => select(EMPTY)}>
              <X size={14} />
            </button>
          </span>
        )}
      </div>
      <div className="explorer">
        <div className="scatter-panel">
          {points ? (
            <ClusterScatter runId={run.run_id} cols={points.cols} models={points.meta.models} groups={g} state={state} mode={mode} focus={focus} fitTick={fitTick} onSelect={onSelect} onRenderer={(k, why) => setRenderer(k === 'cpu' ? `CPU renderer (${why})` : `WebGL (${why})`)} />
          ) : (
            <div className="scatter-loading muted">Loading {count(run.points)} points…</div>
          )}
          <ColorKey colorBy={colorBy} models={points?.meta.models ?? []} />
          <button className="icon-button fit" title="Show everything (double-click)" aria-label="Show everything" onClick={() => setFitTick((t) => t + 1)}>
            <Maximize2 size={14} />
          </button>
          <span className="renderer-note muted" title={renderer}>{renderer.split(' (')[0]}</span>
        </div>
        <aside className="side-panel">
          <div className="tabs" role="tablist">
            {(['legend', 'traces', 'outliers'] as const).map((t) => (
              <button key={t} role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
                {t === 'legend' ? 'Topics' : t === 'traces' ? 'Traces' : 'Outliers'}
              </button>
            ))}
          </div>
          <div className="side-body">
            {tab === 'legend' && (
              <ClusterLegend
                topics={g.topics}
                clusters={g.clusters}
                hidden={hidden}
                filter={filter}
                colorOf={colorOf}
                onToggle={(ids, hide) => setHidden((h) => { const n = new Set(h); ids.forEach((id) => (hide ? n.add(id) : n.delete(id))); return n })}
                onTopic={(id) => (setRoute({ topic: id, cluster: undefined }), setTab('traces'))}
                onCluster={(id) => (setRoute({ cluster: id, topic: undefined }), setTab('traces'))}
              />
            )}
            {tab === 'traces' && (
              <>
                {selection.length > 0 ? (
                  <p className="side-note">Selected points</p>
                ) : drill ? (
                  <div className="drill" data-testid="drill-down">
                    <h2>{drill.label}</h2>
                    {drill.description && <p>{drill.description}</p>}
                    {drill.keywords.length > 0 && <p className="muted small">{drill.keywords.slice(0, 8).join(' · ')}</p>}
                  </div>
                ) : (
                  <p className="side-note">{filterLabel ? `Traces in ${filterLabel}` : 'All traces — click a point, lasso a region or a bar to narrow down'}</p>
                )}
                <ClusterList
                  runId={run.run_id}
                  label="Traces"
                  clusters={g.clusters}
                  bullets={!!drill && selection.length === 0}
                  indices={selection.length ? selection : undefined}
                  cluster={selection.length ? undefined : route.cluster}
                  topic={selection.length ? undefined : route.topic}
                />
              </>
            )}
            {tab === 'outliers' && (
              <>
                <p className="side-note">Traces no cluster took, most unusual first</p>
                <ClusterList runId={run.run_id} label="Outliers" clusters={g.clusters} cluster={-1} initialSort="outlier" />
              </>
            )}
          </div>
        </aside>
      </div>
      <section className="distribution">
        <h2>Topics by size</h2>
        <ClusterBars
          topics={g.topics}
          clusters={g.clusters}
          colorOf={barColor}
          onCluster={(id) => (setSelection(EMPTY), setRoute({ cluster: id, topic: undefined, point: undefined, sel: undefined }), setTab('traces'))}
          onTopic={(id) => (setSelection(EMPTY), setRoute(id < 0 ? { cluster: -1, topic: undefined, point: undefined, sel: undefined } : { topic: id, cluster: undefined, point: undefined, sel: undefined }), setTab('traces'))}
        />
      </section>
    </>
  )
}

function ColorKey({ colorBy, models }: { colorBy: ColorBy; models: string[] }) {
  if (colorBy === 'cost' || colorBy === 'date')
    return (
      <div className="color-key">
        <span>{colorBy === 'cost' ? 'cheap' : 'older'}</span>
        <span className="ramp" style={{ background: `linear-gradient(90deg, ${[0, 0.25, 0.5, 0.75, 1].map(rampColor).join(',')})` }} />
        <span>{colorBy === 'cost' ? 'costly' : 'newer'}</span>
      </div>
    )
  if (colorBy === 'error')
    return (
      <div className="color-key">
        <span className="swatch" style={{ background: '#e03b52' }} /> error <span className="swatch" style={{ background: '#7c8fb0' }} /> ok
      </div>
    )
  if (colorBy === 'model')
    return (
      <div className="color-key">
        {models.slice(0, 6).map((m, i) => (
          <span key={m}>
            <span className="swatch" style={{ background: categoryColor(i) }} /> {m}
          </span>
        ))}
      </div>
    )
  return null
}
