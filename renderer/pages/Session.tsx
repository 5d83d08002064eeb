import { ArrowLeft, Copy } from 'lucide-react'
import { count, dateTime, duration } from '../lib/format'
import { useQuery } from '../lib/hooks'

export function SessionPage({ id, t }: { id: string; t: number | null }) {
  const session = useQuery('sessions:get', { id }, ['sessions'])
  const s = session.data
  const link = `#/session/${encodeURIComponent(id)}${t !== null ? `?t=${t}` : ''}`
  return (
    <section className="page">
      <header className="page-head">
        <a className="button ghost" href="#/library" title="Back to the Library">
          <ArrowLeft size={16} aria-hidden /> Library
        </a>
        <h1 className="mono ellipsis" title={id}>{id}</h1>
        <div className="spacer" />
        <button className="button" onClick={() => void navigator.clipboard?.writeText(location.origin + location.pathname + link)} title="Copy a link to this session">
          <Copy size={16} aria-hidden /> Copy link
        </button>
      </header>
      {session.error && <div className="banner error">{session.error}</div>}
      {s && (
        <dl className="facts">
          <div><dt>Started</dt><dd>{dateTime(s.start_ms)}</dd></div>
          <div><dt>Duration</dt><dd>{duration(s.duration_ms)}</dd></div>
          <div><dt>Active time</dt><dd>{duration(s.active_ms)}</dd></div>
          <div><dt>Person</dt><dd className="mono">{s.distinct_id ?? '–'}</dd></div>
          <div><dt>Product events</dt><dd>{count(s.events)}</dd></div>
          <div><dt>Recording events</dt><dd>{count(s.snapshot_events)}</dd></div>
          <div><dt>Errors</dt><dd>{count(s.errors)}</dd></div>
          <div><dt>Tabs</dt><dd>{s.windows}</dd></div>
          <div className="wide"><dt>First URL</dt><dd className="ellipsis">{s.first_url ?? '–'}</dd></div>
        </dl>
      )}
    </section>
  )
}
