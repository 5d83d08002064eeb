// A trace's structured summary (title, flow, bullets and notes): each line ref is a button that
// highlights that line of the L001: text beside it and scrolls it into view.
import { useState } from 'react'
import { Sparkles } from 'lucide-react'
import type { LineRefText } from '../../shared/trace-summary'
import { call } from '../lib/api'
import { useQuery } from '../lib/hooks'
import './trace-summary.css'

export function TraceSummaryPanel({ id, onRef }: { id: string; onRef(ref: string): void }) {
  const q = useQuery('traces:summary', { id }, ['traces'])
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const s = q.data?.latest
  const summarize = () => {
    setStarting(true)
    setError(null)
    call('traces:summarize', { ids: [id], force: !!s })
      .catch((e: Error) => setError(e.message))
      .finally(() => setStarting(false))
  }
  const item = (b: LineRefText, i: number) => (
    <li key={i}>
      {b.text}
      {b.line_refs && (
        <button className="ref" onClick={() => onRef(b.line_refs)} title={`Show line ${b.line_refs}`} data-testid="line-ref">
          {b.line_refs}
        </button>
      )}
    </li>
  )
  return (
    <aside className="trace-summary" data-testid="trace-summary" aria-label="Summary">
      {(q.error || error) && <div className="banner error">{q.error ?? error}</div>}
      {s ? (
        <>
          <h3>{s.title}</h3>
          <div className="muted small">
            {s.kind === 'extractive' ? 'Extractive, made offline without a model' : `${s.model} · prompt ${s.prompt_version}`}
            {s.dropped_refs > 0 && ` · ${s.dropped_refs} line ref${s.dropped_refs > 1 ? 's' : ''} dropped (not in the text)`}
          </div>
          <h4>Flow</h4>
          <pre className="flow">{s.flow_diagram}</pre>
          <h4>Summary</h4>
          <ul>{s.summary_bullets.map(item)}</ul>
          {s.interesting_notes.length > 0 && (
            <>
              <h4>Notes</h4>
              <ul>{s.interesting_notes.map(item)}</ul>
            </>
          )}
        </>
      ) : (
        !q.loading && <p className="muted">No summary yet.</p>
      )}
      <p>
        <button className="button" onClick={summarize} disabled={starting} data-testid="summarize-trace">
          <Sparkles size={14} aria-hidden /> {s ? 'Summarize again' : 'Summarize'}
        </button>
      </p>
    </aside>
  )
}
