import { useCallback, useEffect, useRef, useState } from 'react'
import { Check, CircleHelp, Eye, Loader2, Sparkles, X } from 'lucide-react'
import type { JobInfo } from '../../shared/model'
import type { DryRun, FlagRow, FlagStatus, SummaryVersion } from '../../shared/summary'
import { call, subscribe } from '../lib/api'
import { clock } from '../lib/format'
import { useQuery, useShortcut } from '../lib/hooks'
import { FlagVerdict, FlagVerify } from './FlagVerify'

let warmedAt = 0
/** On the way to Verify (pointer over it, or focus): the core opens its frame pages (~1 s each
 * here) so the clip starts on warm ones. The core keeps them two minutes unused. */
function warmClips(): void {
  if (Date.now() - warmedAt < 60_000) return
  warmedAt = Date.now()
  void call('clips:warm', {}).catch(() => {})
}

interface Props {
  sessionId: string
  start: number
  onSeek(abs: number): void
  /** Flags as the timeline should show them, whenever they change. */
  onFlags(flags: FlagRow[]): void
}

const OUTCOME: Record<string, { label: string; cls: string }> = {
  succeeded: { label: 'Succeeded', cls: 'good' },
  partly: { label: 'Partly', cls: 'warn' },
  failed: { label: 'Failed', cls: 'bad' },
  unclear: { label: 'Unclear', cls: '' },
}

/** The session's summary (latest version or a chosen one) and its flags, each one a link to its moment. */
export function SummaryPanel({ sessionId, start, onSeek, onFlags }: Props) {
  const [version, setVersion] = useState<number | undefined>()
  const summary = useQuery('summary:get', { id: sessionId, ...(version ? { version } : {}) })
  const flags = useQuery('flags:list', { id: sessionId, ...(version ? { version } : {}) })
  const settings = useQuery('settings:get', {}, ['settings'])
  const [job, setJob] = useState<JobInfo | null>(null)
  const [preview, setPreview] = useState<DryRun | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => onFlags(flags.data?.flags ?? []), [flags.data, onFlags])
  // A run without a model can finish before its start call returns: remember finished jobs so
  // the answer and the 'done' event may arrive in either order.
  const finished = useRef(new Map<string, JobInfo>())
  const pending = useRef<string | null>(null)
  const reload = useRef(() => {})
  reload.current = () => {
    setVersion(undefined)
    summary.reload()
    flags.reload()
  }
  const settle = useCallback((j: JobInfo) => {
    pending.current = null
    setJob(null)
    if (j.state === 'done') reload.current()
    else if (j.state === 'failed') setError(j.error)
  }, [])
  useEffect(
    () =>
      subscribe('job', (j) => {
        if (j.kind !== 'summarize') return
        if (j.state === 'running') return void (j.id === pending.current && setJob(j))
        finished.current.set(j.id, j)
        if (j.id === pending.current) settle(j)
      }),
    [settle],
  )

  const provider = settings.data?.provider ?? 'none'
  const run = async (confirmed: boolean) => {
    setError(null)
    try {
      // A model call shows first exactly what would be sent; the offline summary needs no preview.
      if (provider !== 'none' && !confirmed) {
        const r = await call('summary:run', { id: sessionId, dryRun: true })
        return setPreview(r.dry_run)
      }
      setPreview(null)
      const r = await call('summary:run', { id: sessionId })
      if (!r.job) return
      const done = finished.current.get(r.job.id)
      if (done) return settle(done)
      pending.current = r.job.id
      setJob(r.job)
    } catch (e) {
      setError((e as Error).message)
    }
  }

  const latest = summary.data?.latest ?? null
  return (
    <div className="summary">
      <div className="summary-head">
        {summary.data && summary.data.versions.length > 0 && (
          <select value={version ?? ''} onChange={(e) => setVersion(e.target.value ? Number(e.target.value) : undefined)} aria-label="Summary version">
            <option value="">Latest (v{summary.data.versions[0]!.version})</option>
            {summary.data.versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} · {v.kind === 'heuristic' ? 'offline' : v.model} · {new Date(v.created_ms).toLocaleString()}
              </option>
            ))}
          </select>
        )}
        <div className="spacer" />
        <button className="button primary" disabled={job !== null} onClick={() => void run(false)} title={provider === 'none' ? 'Summarize offline from the heuristics (no model)' : `Summarize with ${provider} (you see what is sent first)`}>
          {job ? <Loader2 size={14} className="spin" /> : <Sparkles size={14} />} {latest ? 'Re-run' : 'Summarize'}
        </button>
      </div>
      {error && <div className="banner error">{error}</div>}
      {preview && <DryRunPreview dry={preview} onCancel={() => setPreview(null)} onSend={() => void run(true)} />}
      {latest ? <SummaryBody s={latest} start={start} onSeek={onSeek} /> : !summary.loading && <p className="muted small">No summary yet. {provider === 'none' ? 'Without a model, Summarize writes one from the offline heuristics.' : ''}</p>}
      <h3 className="summary-h">Flags {flags.data && <span className="count">{flags.data.flags.length}</span>}</h3>
      {flags.data?.stale && <DetectAgain sessionId={sessionId} onDone={() => flags.reload()} />}
      {flags.data?.flags.length === 0 && !flags.data.stale && <p className="muted small">Nothing flagged.</p>}
      <ol className="flags">
        {flags.data?.flags.map((f) => (
          <FlagItem key={f.id} f={f} start={start} onSeek={onSeek} provider={provider} maskText={settings.data?.clip_mask_text ?? false} onChanged={() => reload.current()} />
        ))}
      </ol>
    </div>
  )
}

function SummaryBody({ s, start, onSeek }: { s: SummaryVersion; start: number; onSeek(t: number): void }) {
  const o = OUTCOME[s.outcome] ?? OUTCOME.unclear!
  return (
    <div className="summary-body">
      <div className="summary-meta muted small">
        {s.kind === 'heuristic' ? 'Offline summary from the heuristics (no model)' : `${s.provider} · ${s.model}`} · v{s.version}
        {s.usage.calls > 0 && ` · ${s.usage.input_tokens + s.usage.output_tokens} tokens${s.usage.cost_usd !== null ? ` · $${s.usage.cost_usd.toFixed(4)}` : ''}`}
      </div>
      <p className="summary-goal">
        <strong>Goal:</strong> {s.goal}
      </p>
      <p>
        <span className={`badge ${o.cls}`}>{o.label}</span> {s.outcome_reason}
      </p>
      {s.segments.length > 0 && (
        <ol className="segments">
          {s.segments.map((g, i) => (
            <li key={i}>
              <button className="link mono" onClick={() => onSeek(g.start_ms)}>
                {clock(g.start_ms - start)}–{clock(g.end_ms - start)}
              </button>{' '}
              <strong>{g.title}</strong> <span className="muted">{g.what_happened}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

/** The flags were found by an older version of the detectors (or none ran): offer to detect again. */
function DetectAgain({ sessionId, onDone }: { sessionId: string; onDone(): void }) {
  const [job, setJob] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(
    () =>
      subscribe('job', (j) => {
        if (j.id !== job || j.state === 'running') return
        setJob(null)
        if (j.state === 'done') onDone()
        else setError(j.error ?? 'Detection stopped.')
      }),
    [job, onDone],
  )
  const start = () => {
    setError(null)
    call('flags:detect', { ids: [sessionId] })
      .then((r) => setJob(r.job.id))
      .catch((e: Error) => setError(e.message))
  }
  return (
    <div className="banner" data-testid="flags-stale">
      Flags may be out of date: not looked for yet, or by an earlier version of the detectors.{' '}
      <button className="button" disabled={job !== null} onClick={start}>
        {job ? <Loader2 size={14} className="spin" /> : null} Detect again
      </button>
      {error && <span className="bad"> {error}</span>}
    </div>
  )
}

const STATUS_ICON: Record<FlagStatus, string> = { unverified: 'Unverified', confirmed: 'Confirmed', denied: 'Denied', inconclusive: 'Inconclusive' }

function FlagItem({ f, start, onSeek, provider, maskText, onChanged }: { f: FlagRow; start: number; onSeek(t: number): void; provider: 'none' | 'openai' | 'gemini'; maskText: boolean; onChanged(): void }) {
  const set = (status: FlagStatus) => void call('flags:set-status', { flag_id: f.id, status: f.status === status ? 'unverified' : status }).then(onChanged)
  const [verifying, setVerifying] = useState(false)
  return (
    <li className={`flag ${f.label} flag-${f.status}`} data-testid="flag">
      <button className="flag-main" onClick={() => onSeek(f.time_ms)} title="Show this moment">
        <span className="pane-time mono">{clock(f.time_ms - start)}</span>
        <span className={`badge ${f.blocking ? 'bad' : f.label === 'friction' ? 'warn' : ''}`}>{f.blocking ? 'blocking' : f.label}</span>
        <span className="flag-title">{f.title}</span>
      </button>
      {f.detail && <p className="flag-detail muted small">{f.detail}</p>}
      <div className="flag-actions">
        <span className={`status status-${f.status}`} data-testid="flag-status">
          {STATUS_ICON[f.status]}
          {f.status_by === 'model' ? ` by ${f.verdict?.model ?? 'a model'}` : f.status_by ? ` by ${f.status_by}` : ''}
        </span>
        <span className="muted small">{f.origin === 'heuristic' ? 'heuristic' : `model${f.confidence !== null ? ` · ${Math.round(f.confidence * 100)}%` : ''}`}</span>
        <div className="spacer" />
        <button
          className={`icon-button${verifying ? ' on' : ''}`}
          title={provider === 'none' ? 'Verify: watch the clip of this moment and decide' : 'Verify: ask the model what the user saw, or watch the clip and decide'}
          aria-label="Verify flag"
          data-testid="verify"
          onPointerEnter={warmClips}
          onFocus={warmClips}
          onClick={() => setVerifying(!verifying)}
        >
          <Eye size={14} />
        </button>
        <button className={`icon-button${f.status === 'confirmed' ? ' on' : ''}`} title="Confirm: the user really hit this" aria-label="Confirm flag" onClick={() => set('confirmed')}>
          <Check size={14} />
        </button>
        <button className={`icon-button${f.status === 'denied' ? ' on' : ''}`} title="Deny: not what happened" aria-label="Deny flag" onClick={() => set('denied')}>
          <X size={14} />
        </button>
        <button className={`icon-button${f.status === 'inconclusive' ? ' on' : ''}`} title="Can't tell" aria-label="Mark inconclusive" onClick={() => set('inconclusive')}>
          <CircleHelp size={14} />
        </button>
      </div>
      {f.status_note && <p className="flag-detail small" data-testid="flag-note">{f.status_note}</p>}
      <FlagVerdict f={f} start={start} onSeek={onSeek} />
      {verifying && (
        <FlagVerify
          f={f}
          provider={provider}
          maskText={maskText}
          sessionStart={start}
          onClose={() => setVerifying(false)}
          onDecided={() => {
            setVerifying(false)
            onChanged()
          }}
        />
      )}
    </li>
  )
}

function DryRunPreview({ dry, onCancel, onSend }: { dry: DryRun; onCancel(): void; onSend(): void }) {
  useShortcut('escape', onCancel)
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-label="What will be sent" onClick={(e) => e.stopPropagation()}>
        <h2>Send this to {dry.provider} · {dry.model}?</h2>
        <p className="muted small">
          {dry.cloud ? `Leaves this machine for ${dry.base_url ?? dry.provider}.` : 'Stays on this machine (loopback).'} About {dry.estimated_input_tokens.toLocaleString()} tokens in, {dry.estimated_output_tokens.toLocaleString()} out
          {dry.estimated_cost_usd !== null ? `, ≈ $${dry.estimated_cost_usd.toFixed(4)}` : ''} · {dry.segments} call{dry.segments > 1 ? 's' : ''}. Redacted:{' '}
          {dry.redaction.filter((r) => r.count > 0).map((r) => `${r.count} ${r.category}`).join(', ') || 'nothing found'}.
        </p>
        {dry.offline_refused && <div className="banner error">Offline mode is on: this would be refused. Turn it off in Settings to send to a cloud model.</div>}
        <pre className="dry-run">{dry.requests.map((r, i) => `── call ${i + 1}: system ──\n${r.system}\n\n── call ${i + 1}: user ──\n${r.user}`).join('\n\n')}</pre>
        <div className="modal-actions">
          <button className="button" onClick={onCancel} autoFocus>Cancel</button>
          <button className="button primary" disabled={dry.offline_refused} onClick={onSend}>Send</button>
        </div>
      </div>
    </div>
  )
}
