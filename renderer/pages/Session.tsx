import { useCallback, useEffect, useMemo, useState } from 'react'
import { ArrowLeft, Copy } from 'lucide-react'
import { ReplayPlayer } from '../components/ReplayPlayer'
import { PosthogLink } from '../components/PosthogLink'
import { SessionPanes } from '../components/SessionPanes'
import { tabColor } from '../components/Timeline'
import { count, dateTime, duration, shortUrl } from '../lib/format'
import { useQuery } from '../lib/hooks'
import type { SessionPlayerState } from '../player/session-player'
import { aiMarker, flagMarker, toMarkers } from '../player/markers'
import type { FlagRow } from '../../shared/summary'

/** `t` in a link is ms from the session start, or an epoch-ms moment (from a trace or a flag). */
const absolute = (t: number, start: number) => (t >= 1e12 ? t : start + t)

export function SessionPage({ id, t }: { id: string; t: number | null }) {
  const meta = useQuery('replay:meta', { id }, ['sessions'])
  const events = useQuery('sessions:events', { id }, ['sessions'])
  // The window picker: null is Auto (the window the user was in, shared/window-at.ts).
  const [pinned, setPinned] = useState<string | null>(null)
  const [shown, setShown] = useState<string | null>(null)
  const [seekTo, setSeekTo] = useState<{ t: number; n: number } | null>(null)
  const [time, setTime] = useState(0)
  // Right after a switch of session the query still holds the previous one's meta.
  const m = meta.data?.session.id === id ? meta.data : undefined
  const s = m?.session

  useEffect(() => {
    if (!m) return
    setSeekTo(t !== null ? { t: absolute(t, m.session.start_ms), n: Date.now() } : null)
  }, [m, t])

  useEffect(() => setPinned(null), [id])
  // One clock over every window: the session's range, whichever tab is shown.
  const range = useMemo(
    () => (m && m.windows.length ? { start: Math.min(m.session.start_ms, ...m.windows.map((w) => w.first_ms)), end: Math.max(m.session.end_ms, ...m.windows.map((w) => w.last_ms)) } : null),
    [m],
  )
  const aiCalls = useQuery('sessions:ai-calls', { id }, ['traces'])
  const [flags, setFlags] = useState<FlagRow[]>([])
  const markers = useMemo(
    () => [
      // Markers of every window on the one timeline.
      ...toMarkers(events.data ?? [], null),
      ...flags.map(flagMarker),
      ...(aiCalls.data ?? []).filter((c) => c.start_ms !== null).map(aiMarker),
    ],
    [events.data, flags, aiCalls.data],
  )
  const onState = useCallback((st: SessionPlayerState) => {
    setTime(st.time)
    setShown(st.windowId)
  }, [])
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
        <div className="window-switcher" role="tablist" aria-label="Browser tabs" data-testid="window-picker">
          <button role="tab" aria-selected={pinned === null} className={`tab${pinned === null ? ' active' : ''}`} onClick={() => setPinned(null)} title="Show the tab the user was in at each moment">
            Auto
          </button>
          {m.windows.map((w, i) => (
            <button key={w.window_id} role="tab" aria-selected={w.window_id === pinned} data-shown={String(w.window_id === shown)} className={`tab${w.window_id === pinned ? ' active' : ''}`} onClick={() => setPinned(w.window_id)} title={`Pin this tab (${w.window_id})`}>
              <span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, marginRight: 6, background: tabColor(i), opacity: w.window_id === shown ? 1 : 0.35 }} />
              Tab {i + 1} <span className="muted small">{w.window_id === shown ? 'shown' : duration(w.last_ms - w.first_ms)}</span>
            </button>
          ))}
        </div>
      )}
      {m && (
        <div className="session-grid">
          {range ? (
            <ReplayPlayer key={id} sessionId={id} windows={m.windows} range={range} inactive={m.inactive} markers={markers} seekTo={seekTo} pinned={pinned} onState={onState} />
          ) : (
            <div className="empty">This session has no recording to replay — only its events were imported.</div>
          )}
          {/* The panes list the tab on screen: the pinned one, or in Auto the one the user was in. */}
          <SessionPanes sessionId={id} events={events.data ?? []} start={range?.start ?? m.session.start_ms} time={time} windowId={pinned ?? shown} onSeek={seek} onFlags={setFlags} />
        </div>
      )}
    </section>
  )
}
