// The traces of a selection, a cluster (drill-down, with summary bullets) or the outliers, sortable.
// Every row of a selection is reachable: the table renders only the rows in view (the side panel
// scrolls it) and reads them from the store a page at a time as they come into view.
import { useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDown, ArrowUp } from 'lucide-react'
import type { ClusterTraceRow, ViewGroup } from '../../shared/cluster-view'
import { call } from '../lib/api'
import { count, dateTime } from '../lib/format'
import { go } from '../lib/route'

type Sort = 'idx' | 'title' | 'tokens' | 'cost' | 'date' | 'outlier'

interface Props {
  runId: string
  /** A selection: point indices, ascending. */
  indices?: Uint32Array | undefined
  cluster?: number | undefined
  topic?: number | undefined
  bullets?: boolean
  initialSort?: Sort
  clusters: ViewGroup[]
  label: string
}

const PAGE = 100
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

/** The request for rows [offset, offset + PAGE) of the list. */
function pageRequest(p: { runId: string; indices?: Uint32Array | undefined; cluster?: number | undefined; topic?: number | undefined; bullets?: boolean | undefined; sort: Sort; dir: 'asc' | 'desc' }, offset: number) {
  const base = { run_id: p.runId, ...(p.bullets ? { bullets: true } : {}), sort: p.sort, dir: p.dir, limit: PAGE }
  const sel = p.indices
  if (!sel) return { ...base, ...(p.cluster !== undefined ? { cluster: p.cluster } : {}), ...(p.topic !== undefined ? { topic: p.topic } : {}), offset }
  // In point order the page's points are known here: send only those (a large selection is
  // otherwise sent whole with every page, for the store to order).
  if (p.sort === 'idx') {
    const from = p.dir === 'asc' ? offset : Math.max(0, sel.length - offset - PAGE)
    const to = p.dir === 'asc' ? offset + PAGE : sel.length - offset
    return { ...base, indices: Array.from(sel.subarray(from, Math.max(from, to))), offset: 0 }
  }
  return { ...base, indices: Array.from(sel), offset }
}

export function ClusterList({ runId, indices, cluster, topic, bullets, initialSort = 'idx', clusters, label }: Props) {
  const [sort, setSort] = useState<{ key: Sort; dir: 'asc' | 'desc' }>({ key: initialSort, dir: initialSort === 'outlier' ? 'desc' : 'asc' })
  const [total, setTotal] = useState<number | null>(null)
  const [pages, setPages] = useState<Map<number, ClusterTraceRow[]>>(new Map())
  const [error, setError] = useState<string | null>(null)
  const asked = useRef(new Set<number>())
  const query = useMemo(() => ({ runId, indices, cluster, topic, bullets, sort: sort.key, dir: sort.dir }), [runId, indices, cluster, topic, bullets, sort])
  const current = useRef(query)
  current.current = query
  const self = useRef<HTMLDivElement>(null)
  const body = useRef<HTMLTableSectionElement>(null)
  const [scroller, setScroller] = useState<HTMLElement | null>(null)
  const [margin, setMargin] = useState(0)

  // A new list: forget the pages read for the last one, and read the first.
  useEffect(() => {
    asked.current = new Set([0])
    setPages(new Map())
    setTotal(null)
    let alive = true
    call('clusters:rows', pageRequest(query, 0))
      .then((r) => {
        if (!alive) return
        setTotal(query.indices && query.sort === 'idx' ? query.indices.length : r.total)
        setPages(new Map([[0, r.rows]]))
        setError(null)
      })
      .catch((e: Error) => alive && setError(e.message))
    return () => {
      alive = false
    }
  }, [query])

  // The side panel scrolls the list (with the note above it): rows are placed from the table's top.
  useEffect(() => {
    const el = self.current?.closest<HTMLElement>('.side-body') ?? null
    setScroller(el)
    if (el && body.current) setMargin(body.current.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop)
  }, [total])

  // A short list (a cluster's outliers, a few picked points) is rendered whole.
  const virtual = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller, estimateSize: () => (bullets ? 96 : 44), overscan: total !== null && total <= 200 ? total : 10, scrollMargin: margin })
  const items = virtual.getVirtualItems()

  // Read the pages the rows in view fall on.
  const first = items[0]?.index ?? 0, last = items.at(-1)?.index ?? 0
  useEffect(() => {
    if (total === null) return
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
      if (asked.current.has(p)) continue
      asked.current.add(p)
      call('clusters:rows', pageRequest(query, p * PAGE))
        .then((r) => query === current.current && setPages((m) => new Map(m).set(p, r.rows)))
        .catch((e: Error) => query === current.current && setError(e.message))
    }
  }, [first, last, total, query])

  const label_ = (id: number) => (id < 0 ? 'Outlier' : (clusters.find((c) => c.id === id)?.label ?? String(id)))
  const th = (k: Sort, text: string, align?: 'right') => (
    <th className={align === 'right' ? 'num' : undefined} aria-sort={sort.key === k ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button className="th-sort" onClick={() => setSort((s) => ({ key: k, dir: s.key === k && s.dir === 'asc' ? 'desc' : 'asc' }))}>
        {text}
        {sort.key === k && (sort.dir === 'asc' ? <ArrowUp size={12} /> : <ArrowDown size={12} />)}
      </button>
    </th>
  )
  const rowAt = (i: number): ClusterTraceRow | undefined => {
    return pages.get(Math.floor(i / PAGE))?.[i % PAGE]
  }
  const cols = initialSort === 'outlier' ? 5 : 4
  const top = items.length ? items[0]!.start - margin : 0
  const bottom = items.length ? virtual.getTotalSize() - (items.at(-1)!.end - margin) : 0
  if (error) return <div className="banner error">{error}</div>
  return (
    <div className="cluster-list" ref={self}>
      <div className="muted small list-count" data-testid="list-count" data-total={total ?? ''}>
        {total !== null ? `${count(total)} ${total === 1 ? 'trace' : 'traces'}` : 'Loading…'}
      </div>
      <table className="cluster-table" aria-label={label} aria-rowcount={total ?? undefined}>
        <thead>
          <tr>
            {th('title', 'Title')}
            {th('tokens', 'Tokens', 'right')}
            {th('cost', 'Cost', 'right')}
            {th('date', 'Date')}
            {initialSort === 'outlier' && th('outlier', 'Outlier score', 'right')}
          </tr>
        </thead>
        <tbody ref={body}>
          {top > 0 && <tr aria-hidden style={{ height: top }} />}
          {items.map((v) => {
            const r = rowAt(v.index)
            if (!r)
              return (
                <tr key={`wait-${v.index}`} data-index={v.index} ref={virtual.measureElement} className="row-wait">
                  <td colSpan={cols} className="muted">…</td>
                </tr>
              )
            const open = () => go({ page: 'trace', id: r.id })
            return (
              <tr key={r.idx} data-index={v.index} ref={virtual.measureElement} aria-rowindex={v.index + 1} tabIndex={0} onClick={open} onKeyDown={(e) => e.key === 'Enter' && open()} className={r.error ? 'has-error' : undefined}>
                <td className="title-cell">
                  <span className="ellipsis" title={r.title ?? r.id}>{r.title ?? r.id}</span>
                  <span className="sub muted">
                    {label_(r.cluster)}
                    {r.model && ` · ${r.model}`}
                    {r.error && <span className="badge bad">error</span>}
                  </span>
                  {r.bullets && r.bullets.length > 0 && (
                    <ul className="bullets">
                      {r.bullets.slice(0, 3).map((b, k) => (
                        <li key={k}>{b}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="num">{count(r.tokens)}</td>
                <td className="num">{r.cost_usd === null ? '–' : `$${r.cost_usd.toFixed(3)}`}</td>
                <td className="muted nowrap" title={dateTime(r.start_ms)}>{r.start_ms === null ? '–' : shortDate.format(new Date(r.start_ms))}</td>
                {initialSort === 'outlier' && <td className="num">{r.outlier.toFixed(2)}</td>}
              </tr>
            )
          })}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  )
}
