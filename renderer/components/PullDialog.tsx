import { useState } from 'react'
import { Link2 } from 'lucide-react'
import type { PullPreview, PullTracesPreview, SyncPointInfo } from '../../shared/pull'
import { call } from '../lib/api'
import { useQuery, useShortcut } from '../lib/hooks'

type Mode = 'link' | 'query' | 'traces'
type Plan = 'free' | 'paid' | 'enterprise' | 'none'

const took = (ms: number) => (ms < 60_000 ? `${Math.max(1, Math.ceil(ms / 1000))} s` : ms < 3_600_000 ? `${Math.ceil(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`)

/**
 * "Pull from PostHog…": one recording by its replay link; the recordings that match a query, or the
 * LLM traces of a date range (each with a preview of how much is new and how long PostHog's rate
 * limits make pulling it). Pulls by query keep a sync point, so pulling again fetches only what is
 * new; the sync points are listed below, each with Reset (the next pull starts over).
 */
export function PullDialog({ onClose }: { onClose(): void }) {
  const info = useQuery('app:info', {}, ['settings'])
  const settings = useQuery('settings:get', {}, ['settings'])
  const [mode, setMode] = useState<Mode>('link')
  const [url, setUrl] = useState('')
  const [project, setProject] = useState('')
  const [filter, setFilter] = useState('')
  const [since, setSince] = useState('-7d')
  const [limit, setLimit] = useState('')
  const [plan, setPlan] = useState<Plan>('free')
  const [model, setModel] = useState('')
  const [person, setPerson] = useState('')
  const [preview, setPreview] = useState<PullPreview | null>(null)
  const [tracesPreview, setTracesPreview] = useState<PullTracesPreview | null>(null)
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const hasKey = info.data?.keys.posthog ?? false
  const canStore = info.data?.transport === 'ipc'
  useShortcut('escape', onClose)

  const query = () => ({
    project: project.trim(),
    ...(filter.trim() ? { filter: filter.trim() } : {}),
    ...(since.trim() ? { since: since.trim() } : {}),
    ...(Number(limit) > 0 ? { limit: Math.floor(Number(limit)) } : {}),
    plan,
  })
  const guarded = async (fn: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      if (key.trim()) await call('keys:set', { name: 'posthog', value: key.trim() })
      await fn()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const traces = () => ({ project: project.trim(), ...(since.trim() ? { since: since.trim() } : {}), ...(model.trim() ? { model: model.trim() } : {}), ...(person.trim() ? { person: person.trim() } : {}) })
  const submit = () =>
    guarded(async () => {
      if (mode === 'link') await call('pull:start', { url: url.trim() })
      else if (mode === 'query') await call('pull:sync', query())
      else await call('pull:traces', traces())
      onClose()
    })
  const count = () => guarded(async () => (mode === 'query' ? setPreview(await call('pull:list', query())) : setTracesPreview(await call('pull:traces-preview', traces()))))
  const ready = mode === 'link' ? !!url.trim() : !!project.trim()
  const edit = <T,>(set: (v: T) => void) => (v: T) => (set(v), setPreview(null), setTracesPreview(null))

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <form className="modal" role="dialog" aria-modal="true" aria-label="Pull from PostHog" onClick={(e) => e.stopPropagation()} onSubmit={(e) => (e.preventDefault(), void submit())}>
        <h2>
          <Link2 size={18} aria-hidden /> Pull from PostHog
        </h2>
        <div className="segmented" role="tablist" aria-label="What to pull">
          {(
            [
              ['link', 'Replay link'],
              ['query', 'Recordings by query'],
              ['traces', 'LLM traces'],
            ] as const
          ).map(([m, label]) => (
            <button key={m} type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'active' : ''} onClick={() => (setMode(m), setError(null), setPreview(null), setTracesPreview(null))}>
              {label}
            </button>
          ))}
        </div>
        {mode === 'link' ? (
          <>
            <p className="muted small">
              The recording, its metadata and the session's events are fetched with PostHog's API and imported like a file. Links from PostHog Cloud (US or EU)
              and self-hosted instances work.
            </p>
            <label className="field stacked">
              <span>Replay link</span>
              <input autoFocus value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://us.posthog.com/project/12345/replay/01a2…" aria-label="Replay link" />
            </label>
          </>
        ) : (
          <>
            <p className="muted small">
              {mode === 'query'
                ? 'The recordings that match, oldest first, each imported like a file. Pulling the same query again fetches only what is new.'
                : 'The $ai_ events of a date range, through the query API, into the trace store. Pulling again fetches only what came after.'}
            </p>
            <label className="field stacked">
              <span>Project</span>
              <input autoFocus value={project} onChange={(e) => edit(setProject)(e.target.value)} placeholder="https://us.posthog.com/project/12345" aria-label="Project" />
            </label>
            {mode === 'query' && (
              <label className="field stacked">
                <span>Filter</span>
                <input value={filter} onChange={(e) => edit(setFilter)(e.target.value)} placeholder='did $exception and duration > 30s (empty: all)' aria-label="Filter" />
              </label>
            )}
            {mode === 'traces' && (
              <>
                <label className="field stacked">
                  <span>Model</span>
                  <input value={model} onChange={(e) => edit(setModel)(e.target.value)} placeholder="any (a model picks whole traces that called it)" aria-label="Model" />
                </label>
                <label className="field stacked">
                  <span>Person</span>
                  <input value={person} onChange={(e) => edit(setPerson)(e.target.value)} placeholder="any distinct id" aria-label="Person" />
                </label>
              </>
            )}
            <label className="field stacked">
              <span>Since</span>
              <input value={since} onChange={(e) => edit(setSince)(e.target.value)} placeholder="-7d or 2026-05-01" aria-label="Since" />
            </label>
            {mode === 'query' && (
              <>
                <label className="field stacked">
                  <span>At most</span>
                  <input value={limit} onChange={(e) => edit(setLimit)(e.target.value)} inputMode="numeric" placeholder="all" aria-label="At most" />
                </label>
                <label className="field stacked">
                  <span>PostHog plan (sets the snapshot rate limits)</span>
                  <select value={plan} onChange={(e) => edit(setPlan)(e.target.value as Plan)} aria-label="PostHog plan">
                    <option value="free">Free (12 a minute, 60 an hour)</option>
                    <option value="paid">Paid (60 a minute, 300 an hour)</option>
                    <option value="enterprise">Enterprise (100 a minute, 400 an hour)</option>
                    <option value="none">Self-hosted without limits</option>
                  </select>
                </label>
              </>
            )}
          </>
        )}
        <label className="field stacked">
          <span>Personal API key {hasKey ? <span className="badge good">set</span> : <span className="badge">not set</span>}</span>
          {canStore ? (
            <input type="password" value={key} onChange={(e) => setKey(e.target.value)} placeholder={hasKey ? 'Stored in the OS keychain — paste to replace' : 'phx_… (session_recording:read, query:read)'} autoComplete="off" />
          ) : (
            <span className="muted small">
              from <code>POSTHOG_API_KEY</code> in the environment that runs Sightline
            </span>
          )}
        </label>
        {settings.data?.offline && <p className="small text-warn">Offline mode is on: only a PostHog on this machine can be reached. Turn it off in Settings for PostHog Cloud.</p>}
        {preview && (
          <p className="small" role="status" aria-label="Preview">
            <strong>{preview.recordings}</strong> new recording{preview.recordings === 1 ? '' : 's'} to pull
            {preview.matching > preview.recordings ? ` (${preview.matching} match)` : ''};{' '}
            {preview.estimate_ms > 0 ? `about ${took(preview.estimate_ms)} under PostHog's limits (bound by ${preview.bound_by})` : 'no waiting under PostHog\u2019s limits'}.
          </p>
        )}
        {tracesPreview && (
          <p className="small" role="status" aria-label="Preview">
            <strong>{tracesPreview.events}</strong> new LLM event{tracesPreview.events === 1 ? '' : 's'} in {tracesPreview.traces} trace{tracesPreview.traces === 1 ? '' : 's'} to pull
            ({tracesPreview.queries} {tracesPreview.queries === 1 ? 'query' : 'queries'});{' '}
            {tracesPreview.estimate_ms > 0 ? `about ${took(tracesPreview.estimate_ms)} under PostHog's limits (bound by ${tracesPreview.bound_by})` : 'no waiting under PostHog\u2019s limits'}.
          </p>
        )}
        {mode !== 'link' && <SyncPoints onReset={() => (setPreview(null), setTracesPreview(null))} onError={setError} />}
        {error && <div className="banner error">{error}</div>}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          {mode !== 'link' && (
            <button type="button" className="button" disabled={busy || !ready} onClick={() => void count()}>
              Preview
            </button>
          )}
          <button type="submit" className="button primary" disabled={busy || !ready}>
            {mode === 'link'
              ? 'Fetch and import'
              : mode === 'query'
                ? preview
                  ? `Pull ${preview.recordings} recording${preview.recordings === 1 ? '' : 's'}`
                  : 'Pull'
                : tracesPreview
                  ? `Pull ${tracesPreview.traces} trace${tracesPreview.traces === 1 ? '' : 's'}`
                  : 'Pull traces'}
          </button>
        </div>
      </form>
    </div>
  )
}

const queryText = (q: Record<string, string>) =>
  Object.entries(q)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'everything'

/** The sync points of pulls by query, each with Reset: its next pull starts over from its since. */
function SyncPoints({ onReset, onError }: { onReset(): void; onError(message: string): void }) {
  const points = useQuery('pull:sync-points', {}, ['sessions', 'traces'])
  const rows: SyncPointInfo[] = points.data ?? []
  if (!rows.length) return null
  const reset = async (key: string) => {
    try {
      await call('pull:reset-sync', { key })
      points.reload()
      onReset()
    } catch (e) {
      onError((e as Error).message)
    }
  }
  return (
    <details className="small">
      <summary>Sync points ({rows.length})</summary>
      <ul className="sync-points" aria-label="Sync points">
        {rows.map((p) => (
          <li key={p.key}>
            <span>
              {p.kind === 'recordings' ? 'Recordings' : 'LLM traces'} of {p.project}: {queryText(p.query)}; {p.pulled} pulled
              {p.position ? `, up to ${new Date(p.position).toLocaleString()}` : ''}
            </span>{' '}
            <button type="button" className="button ghost" onClick={() => void reset(p.key)} aria-label={`Reset ${p.kind} sync point of ${p.project}: ${queryText(p.query)}`}>
              Reset
            </button>
          </li>
        ))}
      </ul>
    </details>
  )
}
