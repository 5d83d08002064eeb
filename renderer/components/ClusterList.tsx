// The traces of a selection, a cluster (drill-down, with summary bullets) or the outliers, sortable
// and paged; a row opens the trace.
import { useEffect, useState } from 'react'
import { ArrowDown, ArrowUp } from 'lucide-react'
import type { ClusterTraceRow, ViewGroup } from '../../shared/cluster-view'
import { call } from '../lib/api'
import { count, dateTime } from '../lib/format'
import { go } from '../lib/route'

type Sort = 'idx' | 'title' | 'tokens' | 'cost' | 'date' | 'outlier'

interface Props {
  runId: string
  indices?: number[] | undefined
  cluster?: number | undefined
  topic?: number | undefined
  bullets?: boolean
  initialSort?: Sort
  clusters: ViewGroup[]
  label: string
}

const PAGE = 100
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

export function ClusterList({ runId, indices, cluster, topic, bullets, initialSort = 'idx', clusters, label }: Props) {
  const [sort, setSort] = useState<{ key: Sort; dir: 'asc' | 'desc' }>({ key: initialSort, dir: initialSort === 'outlier' ? 'desc' : 'asc' })
  const [limit, setLimit] = useState(PAGE)
  const [data, setData] = useState<{ rows: ClusterTraceRow[]; total: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const key = JSON.stringify({ runId, indices, cluster, topic, bullets, sort, limit })
  useEffect(() => setLimit(PAGE), [runId, indices, cluster, topic])
  useEffect(() => {
    let alive = true
    const req = JSON.parse(key) as { runId: string; indices?: number[]; cluster?: number; topic?: number; bullets?: boolean; sort: { key: Sort; dir: 'asc' | 'desc' }; limit: number }
    call('clusters:rows', { run_id: req.runId, ...(req.indices ? { indices: req.indices } : {}), ...(req.cluster !== undefined ? { cluster: req.cluster } : {}), ...(req.topic !== undefined ? { topic: req.topic } : {}), ...(req.bullets ? { bullets: true } : {}), sort: req.sort.key, dir: req.sort.dir, limit: Math.min(1000, req.limit), offset: 0 })
      .then((r) => alive && (setData(r), setError(null)))
      .catch((e: Error) => alive && setError(e.message))
    return () => {
      alive = false
    }
  }, [key])

  const label_ = (id: number) => (id < 0 ? 'Outlier' : (clusters.find((c) => c.id === id)?.label ?? String(id)))
  const th = (k: Sort, text: string, align?: 'right') => (
    <th className={align === 'right' ? 'num' : undefined} aria-sort={sort.key === k ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button className="th-sort" onClick={() => setSort((s) => ({ key: k, dir: s.key === k && s.dir === 'asc' ? 'desc' : 'asc' }))}>
        {text}
        {sort.key === k && (sort.dir === 'asc' ? <ArrowUp size={12} /> : <ArrowDown size={12} />)}
      </button>
    </th>
  )
  if (error) return <div className="banner error">{error}</div>
  return (
    <div className="cluster-list">
      <div className="muted small list-count" data-testid="list-count" data-total={data?.total ?? ''}>
        {data ? `${count(data.total)} ${data.total === 1 ? 'trace' : 'traces'}` : 'Loading…'}
      </div>
      <table className="cluster-table" aria-label={label}>
        <thead>
          <tr>
            {th('title', 'Title')}
            {th('tokens', 'Tokens', 'right')}
            {th('cost', 'Cost', 'right')}
            {th('date', 'Date')}
            {initialSort === 'outlier' && th('outlier', 'Outlier score', 'right')}
          </tr>
        </thead>
        <tbody>
          {data?.rows.map((r) => (
            <tr key={r.idx} tabIndex={0} onClick={() => go({ page: 'trace', id: r.id })} onKeyDown={(e) => e.key === 'Enter' && go({ page: 'trace', id: r.id })} className={r.error ? 'has-error' : undefined}>
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
          ))}
        </tbody>
      </table>
      {data && data.rows.length < data.total && data.rows.length < 1000 && (
        <button className="button ghost" onClick={() => setLimit((l) => l + PAGE)}>
          Show {Math.min(PAGE, data.total - data.rows.length)} more
        </button>
      )}
    </div>
  )
}
