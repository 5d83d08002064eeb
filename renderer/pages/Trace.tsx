import { useEffect, useMemo, useState } from 'react'
import { AlertTriangle, ArrowLeft, PlayCircle, Wrench } from 'lucide-react'
import type { Message, Span, TraceDetail, TreeRow } from '../../shared/trace-model'
import { TraceSummaryPanel } from '../components/TraceSummaryPanel'
import { PosthogLink } from '../components/PosthogLink'
import { count, dateTime, duration } from '../lib/format'
import { useQuery } from '../lib/hooks'
import { href } from '../lib/route'
import { ClusterPlace } from '../components/ClusterPlace'

const KIND_LABEL: Record<string, string> = { llm: 'LLM', embedding: 'Embed', tool: 'Tool', agent: 'Agent', chain: 'Chain', retriever: 'Retrieve', trace: 'Trace' }

export function TracePage({ id }: { id: string }) {
  const q = useQuery('traces:get', { id }, ['traces'])
  const [selected, setSelected] = useState<string | null>(null)
  const [tab, setTab] = useState<'messages' | 'text'>('messages')
  const t = q.data?.trace
  const spans = useMemo(() => new Map((t?.spans ?? []).map((s) => [s.span_id, s])), [t])
  const current = (selected && spans.get(selected)) || (t && firstModelCall(t, q.data!.tree)) || null
  const models = [...new Set((t?.spans ?? []).map((s) => s.model).filter(Boolean))]

  return (
    <section className="page trace-page">
      <header className="page-head">
        <a className="button ghost" href="#/traces" title="Back to the trace list">
          <ArrowLeft size={16} aria-hidden /> Traces
        </a>
        <h1 className="ellipsis" title={t?.name ?? id}>{t?.name ?? id}</h1>
        {t?.error && <span className="badge bad">error</span>}
        <PosthogLink kind="trace" id={id} />
        <div className="spacer" />
        <ClusterPlace traceId={id} />
        {t?.session_id && <OpenReplay sessionId={t.session_id} at={current?.start_ms ?? t.start_ms} />}
      </header>
      {q.error && <div className="banner error">{q.error}</div>}
      {t && (
        <>
          <dl className="facts strip">
            <div><dt>Started</dt><dd>{dateTime(t.start_ms)}</dd></div>
            <div><dt>Duration</dt><dd>{t.start_ms !== null && t.end_ms !== null ? duration(t.end_ms - t.start_ms) : '–'}</dd></div>
            <div><dt>Spans</dt><dd>{count(t.spans.length)}</dd></div>
            <div><dt>Tokens in / out</dt><dd>{count(t.input_tokens)} / {count(t.output_tokens)}</dd></div>
            <div><dt>Cost</dt><dd>{t.cost_usd !== null ? `$${t.cost_usd.toFixed(4)}` : '–'}</dd></div>
            <div><dt>Format</dt><dd>{t.format ?? '–'}</dd></div>
            <div className="wide"><dt>Models</dt><dd className="ellipsis">{models.join(', ') || '–'}</dd></div>
          </dl>
          <div className="trace-grid">
            <SpanTree trace={t} tree={q.data!.tree} spans={spans} selected={current?.span_id ?? null} onSelect={setSelected} />
            <div className="panes">
              <div className="pane-tabs" role="tablist">
                <button role="tab" aria-selected={tab === 'messages'} className={`pane-tab${tab === 'messages' ? ' active' : ''}`} onClick={() => setTab('messages')}>
                  {current ? `${KIND_LABEL[current.kind] ?? current.kind}: ${current.name ?? current.model ?? 'span'}` : 'Messages'}
                </button>
                <button role="tab" aria-selected={tab === 'text'} className={`pane-tab${tab === 'text' ? ' active' : ''}`} onClick={() => setTab('text')}>
                  Summary · Text (L001)
                </button>
              </div>
              {tab === 'messages' ? current ? <SpanMessages span={current} /> : <p className="pane-empty muted">Select a span.</p> : <SummaryAndText id={id} />}
            </div>
          </div>
        </>
      )}
    </section>
  )
}

function firstModelCall(t: TraceDetail, tree: TreeRow[]): Span | null {
  const byId = new Map(t.spans.map((s) => [s.span_id, s]))
  for (const row of tree) {
    const s = byId.get(row.span_id)
    if (s && (s.kind === 'llm' || s.kind === 'embedding')) return s
  }
  return t.spans[0] ?? null
}

/** The tree with a timing bar per span, placed on the trace's own time axis. */
function SpanTree(props: { trace: TraceDetail; tree: TreeRow[]; spans: Map<string, Span>; selected: string | null; onSelect(id: string): void }) {
  const starts = props.trace.spans.map((s) => s.start_ms).filter((x): x is number => x !== null)
  const ends = props.trace.spans.map((s) => s.end_ms ?? s.start_ms).filter((x): x is number => x !== null)
  const t0 = Math.min(...starts, props.trace.start_ms ?? Infinity)
  const t1 = Math.max(...ends, props.trace.end_ms ?? -Infinity)
  const span = Math.max(1, t1 - t0)
  return (
    <ol className="span-tree" aria-label="Spans" data-testid="span-tree">
      {props.tree.map((row) => {
        const s = props.spans.get(row.span_id)!
        const left = s.start_ms !== null && Number.isFinite(t0) ? ((s.start_ms - t0) / span) * 100 : 0
        const width = s.start_ms !== null && s.end_ms !== null ? Math.max(0.5, ((s.end_ms - s.start_ms) / span) * 100) : 0.5
        return (
          <li key={s.span_id} className={`${s.span_id === props.selected ? 'selected ' : ''}${s.error ? 'bad' : ''}`}>
            <button onClick={() => props.onSelect(s.span_id)} title={s.error_message ?? undefined}>
              <span className="span-name" style={{ paddingLeft: row.depth * 14 }}>
                <span className={`kind kind-${s.kind}`}>{KIND_LABEL[s.kind] ?? s.kind}</span> {s.name ?? s.model ?? s.span_id}
                {s.orphan && <span className="muted small"> (orphan)</span>}
                {s.error && <AlertTriangle size={12} className="text-bad" aria-label="error" />}
              </span>
              <span className="span-bar-track">
                <span className={`span-bar kind-${s.kind}`} style={{ left: `${left}%`, width: `${width}%` }} />
              </span>
              <span className="span-ms mono">{s.latency_ms !== null ? `${Math.round(s.latency_ms)} ms` : ''}</span>
            </button>
          </li>
        )
      })}
    </ol>
  )
}

function SpanMessages({ span }: { span: Span }) {
  const messages: (Message & { out?: boolean })[] = [...(span.input ?? []), ...(span.output ?? []).map((m) => ({ ...m, out: true }))]
  return (
    <div className="chat" data-testid="chat">
      <div className="chat-meta muted small">
        {[span.model, span.provider, span.input_tokens !== null && `${span.input_tokens} in`, span.output_tokens !== null && `${span.output_tokens} out`, span.latency_ms !== null && `${Math.round(span.latency_ms)} ms`].filter(Boolean).join(' · ')}
      </div>
      {span.error && <div className="banner error">{span.error_message ?? 'This span failed.'}</div>}
      {span.tools && span.tools.length > 0 && (
        <details className="tools">
          <summary>
            <Wrench size={12} aria-hidden /> {span.tools.length} tool{span.tools.length > 1 ? 's' : ''} available
          </summary>
          <ul>{span.tools.map((t) => <li key={t.name}><code>{t.name}</code> {t.description && <span className="muted">— {t.description}</span>}</li>)}</ul>
        </details>
      )}
      {messages.length === 0 && <p className="muted">No messages recorded for this span.</p>}
      {messages.map((m, i) => (
        <div key={i} className={`bubble role-${m.role}${m.out ? ' out' : ''}`}>
          <div className="bubble-role">{m.role}{m.name ? ` · ${m.name}` : ''}</div>
          {m.parts.map((p, k) => {
            switch (p.type) {
              case 'text':
                return <p key={k} className="bubble-text">{p.text}</p>
              case 'reasoning':
                return <p key={k} className="bubble-text muted">💭 {p.text}</p>
              case 'tool_call':
                return <code key={k} className="bubble-tool">→ {p.name}({typeof p.arguments === 'string' ? p.arguments : JSON.stringify(p.arguments)})</code>
              case 'tool_result':
                return <pre key={k} className="bubble-tool">← {p.name ?? 'result'}: {p.content}</pre>
              case 'media':
                return <p key={k} className="muted">[{p.kind}{p.ref ? `: ${p.ref}` : ''}]</p>
              default:
                return <pre key={k} className="bubble-tool">{JSON.stringify(p.value, null, 2)}</pre>
            }
          })}
        </div>
      ))}
    </div>
  )
}

/** The summary beside the text: a line ref clicked highlights its line and scrolls to it. */
function SummaryAndText({ id }: { id: string }) {
  const [target, setTarget] = useState<{ ref: string; n: number } | null>(null)
  return (
    <div className="trace-text-split">
      <TraceSummaryPanel id={id} onRef={(ref) => setTarget((t) => ({ ref, n: (t?.n ?? 0) + 1 }))} />
      <TraceText id={id} target={target} />
    </div>
  )
}

function TraceText({ id, target }: { id: string; target?: { ref: string; n: number } | null }) {
  const [max, setMax] = useState<number | undefined>(undefined)
  const text = useQuery('traces:text', { id, ...(max ? { max_lines: max } : {}) })
  // A ref to a line the sampled view leaves out shows the whole text first.
  useEffect(() => {
    if (!target || !text.data) return
    const el = document.getElementById(`line-${target.ref}`)
    if (el) el.scrollIntoView({ block: 'center' })
    else if (max) setMax(undefined)
  }, [target, text.data, max])
  return (
    <div className="trace-text">
      <div className="trace-text-bar muted small">
        {text.data && `${text.data.shown_lines} of ${text.data.total_lines} lines${text.data.sampled ? ' (sampled)' : ''}`}
        <div className="spacer" />
        <label>
          Line budget{' '}
          <select value={max ?? ''} onChange={(e) => setMax(e.target.value ? Number(e.target.value) : undefined)}>
            <option value="">All</option>
            {[50, 100, 200, 500].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </div>
      {text.error && <div className="banner error">{text.error}</div>}
      <div className="trace-lines mono" data-testid="trace-text">
        {text.data?.text.split('\n').map((line, i) => {
          // A gutter for the L001 numbers, so wrapped lines hang under their text (and a later
          // summary's line refs can point at a row).
          const m = /^(L\d+):\s?(.*)$/.exec(line)
          return (
            <div key={i} className={`${m ? 'tl' : 'tl note'}${m && target?.ref === m[1] ? ' hl' : ''}`} id={m ? `line-${m[1]}` : undefined}>
              <span className="ln">{m?.[1] ?? ''}</span>
              <span className="lt">{m ? m[2] : line}</span>
            </div>
          )
        })}
      </div>
    </div>
  )
}

/** The replay at this call's moment, or, when that session is not in this database, why there is none. */
function OpenReplay({ sessionId, at }: { sessionId: string; at: number | null }) {
  const session = useQuery('sessions:get', { id: sessionId }, ['sessions'])
  if (session.loading && !session.data) return null
  if (!session.data) {
    return (
      <button className="button" disabled title={`Session ${sessionId} is not imported. Import its recording (or pull it from PostHog) to replay this moment.`} data-testid="open-replay-missing">
        <PlayCircle size={16} aria-hidden /> Replay not imported
      </button>
    )
  }
  return (
    <a className="button" href={href({ page: 'session', id: sessionId, t: at })} title="Open the session's replay at the moment of this call" data-testid="open-replay">
      <PlayCircle size={16} aria-hidden /> Open replay at this moment
    </a>
  )
}
