import { useCallback, useEffect, useMemo, useState } from 'react'
import { ArrowLeft, Copy } from 'lucide-react'
import type { ReplayMeta } from '../../shared/model'
import { ReplayPlayer } from '../components/ReplayPlayer'
import { PosthogLink } from '../components/PosthogLink'
import { SessionPanes } from '../components/SessionPanes'
import { count, dateTime, duration, shortUrl } from '../lib/format'
import { useQuery } from '../lib/hooks'
import type { PlayerState } from '../player/controller'
import { aiMarker, flagMarker, toMarkers } from '../player/markers'
import type { FlagRow } from '../../shared/summary'

/** `t` in a link is ms from the session start, or an epoch-ms moment (from a trace or a flag). */
const absolute = (t: number, start: number) => (t >= 1e12 ? t : start + t)

function windowAt(meta: ReplayMeta, t: number | null): string | null {
  if (meta.windows.length === 0) return null
  if (t !== null) {
    const abs = absolute(t, meta.session.start_ms)
    const hit = meta.windows.find((w) => abs >= w.first_ms && abs <= w.last_ms)
    if (hit) return hit.window_id
  }
  return meta.windows[0]!.window_id
}

export function SessionPage({ id, t }: { id: string; t: number | null }) {
  const meta = useQuery('replay:meta', { id }, ['sessions'])
  const events = useQuery('sessions:events', { id }, ['sessions'])
  const [windowId, setWindowId] = useState<string | null>(null)
  const [seekTo, setSeekTo] = useState<{ t: number; n: number } | null>(null)
  const [time, setTime] = useState(0)
  // Right after a switch of session the query still holds the previous one's meta.
  const m = meta.data?.session.id === id ? meta.data : undefined
  const s = m?.session

  useEffect(() => {
    if (!m) return
    setWindowId(windowAt(m, t))
    setSeekTo(t !== null ? { t: absolute(t, m.session.start_ms), n: Date.now() } : null)
  }, [m, t])

  const win = m?.windows.find((w) => w.window_id === windowId) ?? null
  const aiCalls = useQuery('sessions:ai-calls', { id }, ['traces'])
  const [flags, setFlags] = useState<FlagRow[]>([])
  const markers = useMemo(
    () => [
      ...toMarkers(events.data ?? [], windowId),
      ...flags.filter((f) => !windowId || !f.window_id || f.window_id === windowId).map(flagMarker),
      ...(aiCalls.data ?? []).filter((c) => c.start_ms !== null).map(aiMarker),
    ],
    [events.data, windowId, flags, aiCalls.data],
  )
  const onState = useCallback((st: PlayerState) => setTime(st.time), [])
  const seek = useCallback((abs: number) => setSeekTo({ t: abs, n: Date.now() }), [])
  // Links carry ms from the session start, so they survive a re-import that adds a window.
  const link = () => `${location.origin}${location.pathname}#/session/${encodeURIComponent(id)}?t=${Math.max(0, Math.round(time - (s?.start_ms ?? time)))}`

  return (
    <section className="page session-page">
      <header className="page-head">
        <a className="button ghost" href="#/library" title="Back to the Library">
          <ArrowLeft size={16} aria-hidden /> Library
        </a>
        <h1 className="mono ellipsis" title={id}>{id}</h1>
        <PosthogLink kind="session" id={id} />
        <div className="spacer" />
        <button className="button" onClick={() => void navigator.clipboard?.writeText(link())} title="Copy a link to this moment">
          <Copy size={16} aria-hidden /> Copy link
        </button>
      </header>
      {(meta.error || events.error) && <div className="banner error">{meta.error ?? events.error}</div>}
      {s && (
        <dl className="facts strip">
          <div><dt>Started</dt><dd>{dateTime(s.start_ms)}</dd></div>
          <div><dt>Duration</dt><dd>{duration(s.duration_ms)}</dd></div>
          <div><dt>Active</dt><dd>{duration(s.active_ms)}</dd></div>
          <div><dt>Person</dt><dd className="mono ellipsis">{s.distinct_id ?? '–'}</dd></div>
          <div><dt>Product events</dt><dd>{count(s.events)}</dd></div>
          <div><dt>Errors</dt><dd className={s.errors ? 'text-bad' : ''}>{count(s.errors)}</dd></div>
          <div className="wide"><dt>First URL</dt><dd className="ellipsis" title={s.first_url ?? ''}>{shortUrl(s.first_url)}</dd></div>
        </dl>
      )}
      {m && m.windows.length > 1 && (
        <div className="window-switcher" role="tablist" aria-label="Browser tabs">
          {m.windows.map((w, i) => (
            <button key={w.window_id} role="tab" aria-selected={w.window_id === windowId} className={`tab${w.window_id === windowId ? ' active' : ''}`} onClick={() => setWindowId(w.window_id)} title={w.window_id}>
              Tab {i + 1} <span className="muted small">{duration(w.last_ms - w.first_ms)}</span>
            </button>
          ))}
        </div>
      )}
      {m && (
        <div className="session-grid">
          {win ? (
            <ReplayPlayer key={`${id}/${win.window_id}`} sessionId={id} window={win} inactive={m.inactive} markers={markers} seekTo={seekTo} onState={onState} />
          ) : (
            <div className="empty">This session has no recording to replay — only its events were imported.</div>
          )}
          <SessionPanes sessionId={id} events={events.data ?? []} start={win?.first_ms ?? m.session.start_ms} time={time} windowId={windowId} onSeek={seek} onFlags={setFlags} />
        </div>
      )}
    </section>
  )
}
