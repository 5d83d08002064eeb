import { useEffect, useRef, useState } from 'react'
import { FileUp, Filter, FlaskConical, Link2, Search } from 'lucide-react'
import type { SampleInfo, SessionRow, TraceRow } from '../../shared/model'
import { DataTable, type Column } from '../components/DataTable'
import { PullDialog } from '../components/PullDialog'
import { call } from '../lib/api'
import { bytes, count, dateTime, duration, shortUrl } from '../lib/format'
import { useQuery, useShortcut } from '../lib/hooks'
import { go, href } from '../lib/route'

const PAGE = 50

/** Common questions, as filters; the README documents the language. */
const PRESETS: [string, string][] = [
  ['Rage clicks', 'did $rageclick'],
  ['Error after a click', 'error within 5s after click'],
  ['Has errors', 'errors > 0'],
  ['Long (> 5 min)', 'duration > 5m'],
]

type SessionSort = 'start_ms' | 'duration_ms' | 'active_ms' | 'events' | 'errors' | 'first_url' | 'flags'
type TraceSort = 'start_ms' | 'spans' | 'name'

const SESSION_COLUMNS: Column<SessionRow, SessionSort>[] = [
  { key: 'start_ms', label: 'Started', sortable: true, width: '12.5rem', render: (r) => dateTime(r.start_ms) },
  { key: 'duration_ms', label: 'Duration', sortable: true, align: 'right', width: '6.5rem', render: (r) => duration(r.duration_ms) },
  { key: 'active_ms', label: 'Active', sortable: true, align: 'right', width: '6rem', render: (r) => duration(r.active_ms) },
  { key: 'person', label: 'Person', width: '9rem', render: (r) => <span className="mono ellipsis">{r.distinct_id ?? '–'}</span> },
  { key: 'first_url', label: 'First URL', sortable: true, render: (r) => <span className="ellipsis" title={r.first_url ?? ''}>{shortUrl(r.first_url)}</span> },
  {
    key: 'events',
    label: 'Events',
    sortable: true,
    align: 'right',
    width: '5.5rem',
    // Product events; a recording without them says so instead of a bare 0.
    render: (r) => (r.events || !r.snapshot_events ? count(r.events) : <span className="muted" title="Recording only: no product events were imported">rec.</span>),
  },
  { key: 'errors', label: 'Errors', sortable: true, align: 'right', width: '5.5rem', render: (r) => (r.errors ? <span className="badge bad">{count(r.errors)}</span> : <span className="muted">0</span>) },
  { key: 'flags', label: 'Flags', sortable: true, align: 'right', width: '5rem', render: (r) => (r.flags ? <span className="badge bad" title="Blocking issues found">{count(r.flags)}</span> : <span className="muted">–</span>) },
  { key: 'windows', label: 'Tabs', align: 'right', width: '4rem', render: (r) => r.windows },
]

const TRACE_COLUMNS: Column<TraceRow, TraceSort>[] = [
  { key: 'start_ms', label: 'Started', sortable: true, width: '12.5rem', render: (r) => dateTime(r.start_ms) },
  { key: 'name', label: 'Name', sortable: true, render: (r) => <span className="ellipsis">{r.name ?? r.id}</span> },
  { key: 'spans', label: 'Spans', sortable: true, align: 'right', width: '6rem', render: (r) => count(r.spans) },
  { key: 'tokens', label: 'Tokens in / out', align: 'right', width: '10rem', render: (r) => `${count(r.input_tokens)} / ${count(r.output_tokens)}` },
  { key: 'error', label: 'Error', width: '5rem', render: (r) => (r.error ? <span className="badge bad">error</span> : '') },
  { key: 'session', label: 'Session', width: '10rem', render: (r) => (r.session_id ? <a href={href({ page: 'session', id: r.session_id, t: null })}>{r.session_id.slice(0, 12)}…</a> : '–') },
]

export function LibraryPage({ tab, onImport }: { tab: 'sessions' | 'traces'; onImport: () => void }) {
  const [q, setQ] = useState('')
  const [pulling, setPulling] = useState(false)
  const [filterText, setFilterText] = useState('')
  const [filter, setFilter] = useState('')
  const [debounced, setDebounced] = useState('')
  const [page, setPage] = useState(0)
  const [sessionSort, setSessionSort] = useState<{ sort: SessionSort; dir: 'asc' | 'desc' }>({ sort: 'start_ms', dir: 'desc' })
  const [traceSort, setTraceSort] = useState<{ sort: TraceSort; dir: 'asc' | 'desc' }>({ sort: 'start_ms', dir: 'desc' })
  const search = useRef<HTMLInputElement>(null)
  useShortcut('/', () => search.current?.focus())

  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 200)
    return () => clearTimeout(t)
  }, [q])
  useEffect(() => setPage(0), [debounced, filter, tab, sessionSort, traceSort])

  const paging = { limit: PAGE, offset: page * PAGE, ...(debounced ? { q: debounced } : {}) }
  const sessions = useQuery('sessions:list', { ...paging, ...sessionSort, ...(filter ? { filter } : {}) }, ['sessions'])
  const traces = useQuery('traces:list', { ...paging, ...traceSort }, ['traces'])
  const active = tab === 'sessions' ? sessions : traces
  const total = active.data?.total ?? 0
  const nothingAtAll = !debounced && !filter && sessions.data?.total === 0 && traces.data?.total === 0
  const applyFilter = (text: string) => {
    setFilterText(text)
    setFilter(text.trim())
  }

  return (
    <section className="page">
      <header className="page-head">
        <h1>Library</h1>
        <div className="tabs" role="tablist">
          <a role="tab" aria-selected={tab === 'sessions'} className={`tab${tab === 'sessions' ? ' active' : ''}`} href="#/library">
            Sessions <span className="count">{sessions.data ? count(sessions.data.total) : ''}</span>
          </a>
          <a role="tab" aria-selected={tab === 'traces'} className={`tab${tab === 'traces' ? ' active' : ''}`} href="#/traces">
            Traces <span className="count">{traces.data ? count(traces.data.total) : ''}</span>
          </a>
        </div>
        <div className="spacer" />
        <label className="search">
          <Search size={14} aria-hidden />
          <input ref={search} value={q} onChange={(e) => setQ(e.target.value)} placeholder={`Search ${tab}…  /`} aria-label={`Search ${tab}`} />
        </label>
        <button className="button" onClick={() => setPulling(true)} title="Fetch recordings or LLM traces from PostHog: by a replay link, or all that match a query">
          <Link2 size={16} aria-hidden /> Pull from PostHog…
        </button>
        <button className="button primary" onClick={onImport} title="Import files (Ctrl+O), or drop them anywhere">
          <FileUp size={16} aria-hidden /> Import…
        </button>
      </header>

      {tab === 'sessions' && !nothingAtAll && (
        <form className="filter-bar" onSubmit={(e) => (e.preventDefault(), applyFilter(filterText))}>
          <Filter size={14} aria-hidden />
          <input
            className="mono"
            value={filterText}
            onChange={(e) => setFilterText(e.target.value)}
            placeholder='Filter: did $rageclick and duration > 30s   (Enter to apply)'
            aria-label="Session filter"
            spellCheck={false}
          />
          {filter && (
            <button type="button" className="link" onClick={() => applyFilter('')}>
              Clear
            </button>
          )}
          <div className="presets">
            {PRESETS.map(([label, expr]) => (
              <button type="button" key={label} className={`chip${filter === expr ? ' active' : ''}`} onClick={() => applyFilter(filter === expr ? '' : expr)} title={expr}>
                {label}
              </button>
            ))}
          </div>
        </form>
      )}
      {active.error && <pre className="banner error filter-error">{active.error}</pre>}
      {nothingAtAll ? (
        <Welcome onImport={onImport} />
      ) : total === 0 && active.data ? (
        <div className="empty">
          {debounced || filter ? `No ${tab} match.` : `No ${tab} yet. Import a file or drop it here.`}
        </div>
      ) : tab === 'sessions' ? (
        <DataTable
          label="Sessions"
          rows={sessions.data?.rows ?? []}
          columns={SESSION_COLUMNS}
          rowKey={(r) => r.id}
          sort={sessionSort.sort}
          dir={sessionSort.dir}
          onSort={(k) => setSessionSort((s) => ({ sort: k, dir: s.sort === k && s.dir === 'desc' ? 'asc' : 'desc' }))}
          onOpen={(r) => go({ page: 'session', id: r.id, t: null })}
        />
      ) : (
        <DataTable
          label="Traces"
          rows={traces.data?.rows ?? []}
          columns={TRACE_COLUMNS}
          rowKey={(r) => r.id}
          sort={traceSort.sort}
          dir={traceSort.dir}
          onSort={(k) => setTraceSort((s) => ({ sort: k, dir: s.sort === k && s.dir === 'desc' ? 'asc' : 'desc' }))}
          onOpen={(r) => go({ page: 'trace', id: r.id })}
        />
      )}
      {pulling && <PullDialog onClose={() => setPulling(false)} />}
      {total > PAGE && (
        <nav className="pager" aria-label="Pages">
          <button className="button" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>Previous</button>
          <span className="muted">
            {count(page * PAGE + 1)}–{count(Math.min(total, (page + 1) * PAGE))} of {count(total)}
          </span>
          <button className="button" disabled={(page + 1) * PAGE >= total} onClick={() => setPage((p) => p + 1)}>Next</button>
        </nav>
      )}
    </section>
  )
}

function Welcome({ onImport }: { onImport: () => void }) {
  const samples = useQuery('samples:list', {})
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = (s: SampleInfo[]) => {
    setBusy(s.map((x) => x.name).join(','))
    setError(null)
    call('samples:import', { names: s.map((x) => x.name) })
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(null))
  }
  return (
    <div className="welcome">
      <div className="welcome-card">
        <h2>Bring a session or a trace set</h2>
        <p className="muted">
          Drop files anywhere in this window, or pick them. Sightline reads rrweb recordings, PostHog recording exports, events and
          snapshots (JSON, JSON lines, CSV), and LLM traces — gzipped or not. Everything stays on this machine.
        </p>
        <button className="button primary" onClick={onImport}>
          <FileUp size={16} aria-hidden /> Choose files…
        </button>
      </div>
      <div className="welcome-card">
        <h2>
          <FlaskConical size={18} aria-hidden /> Or try the bundled samples
        </h2>
        {samples.data?.length ? (
          <>
            <ul className="samples">
              {samples.data.map((s) => (
                <li key={s.name}>
                  <div>
                    <strong>{s.title}</strong>
                    <div className="muted small">
                      {s.kind === 'session' ? 'Session recording' : 'LLM traces'} · {bytes(s.bytes)}
                    </div>
                  </div>
                  <button className="button" disabled={busy !== null} onClick={() => load([s])}>
                    Open
                  </button>
                </li>
              ))}
            </ul>
            <button className="button primary" disabled={busy !== null} onClick={() => load(samples.data!)} data-testid="load-all-samples">
              Load all samples
            </button>
          </>
        ) : (
          <p className="muted">{samples.loading ? 'Looking for samples…' : 'No samples are bundled with this build.'}</p>
        )}
        {error && <div className="banner error">{error}</div>}
      </div>
    </div>
  )
}
