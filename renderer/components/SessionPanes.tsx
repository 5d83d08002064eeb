import { useEffect, useMemo, useRef, useState } from 'react'
import type { ConsoleEntry, SessionEvent } from '../../shared/model'
import { clock } from '../lib/format'
import { useQuery } from '../lib/hooks'
import { describe } from '../player/markers'

type Tab = 'events' | 'console' | 'network'

interface Props {
  sessionId: string
  events: SessionEvent[]
  start: number
  time: number
  windowId: string | null
  onSeek(abs: number): void
}

/** Events, console and network of the session; each row shows its time and seeks on click. */
export function SessionPanes({ sessionId, events, start, time, windowId, onSeek }: Props) {
  const [tab, setTab] = useState<Tab>('events')
  const console = useQuery('sessions:console', { id: sessionId })
  const inWindow = (w: string | null) => !windowId || !w || w === windowId
  const network = useMemo(() => events.filter((e) => e.type === 'network' && inWindow(e.window_id)), [events, windowId])
  const journey = useMemo(() => events.filter((e) => e.type !== 'network' && inWindow(e.window_id)), [events, windowId])
  const logs = (console.data ?? []).filter((c) => inWindow(c.window_id))
  const errors = logs.filter((c) => c.level === 'error' || c.level === 'assert').length
  const failed = network.filter((n) => n.http_status === null || n.http_status >= 400).length

  return (
    <aside className="panes">
      <div className="pane-tabs" role="tablist">
        <PaneTab id="events" tab={tab} setTab={setTab} label="Events" count={journey.length} />
        <PaneTab id="console" tab={tab} setTab={setTab} label="Console" count={logs.length} bad={errors} />
        <PaneTab id="network" tab={tab} setTab={setTab} label="Network" count={network.length} bad={failed} />
      </div>
      {tab === 'events' && <EventList events={journey} start={start} time={time} onSeek={onSeek} />}
      {tab === 'console' && <ConsoleList entries={logs} loading={console.loading} error={console.error} start={start} time={time} onSeek={onSeek} />}
      {tab === 'network' && <NetworkList requests={network} start={start} time={time} onSeek={onSeek} />}
    </aside>
  )
}

function PaneTab(props: { id: Tab; tab: Tab; setTab(t: Tab): void; label: string; count: number; bad?: number }) {
  return (
    <button role="tab" aria-selected={props.tab === props.id} className={`pane-tab${props.tab === props.id ? ' active' : ''}`} onClick={() => props.setTab(props.id)}>
      {props.label} <span className="count">{props.count}</span>
      {props.bad ? <span className="badge bad">{props.bad}</span> : null}
    </button>
  )
}

/** Keeps the row at the playhead in view while playing, unless the user scrolled away. */
function useFollow(times: number[], time: number) {
  const list = useRef<HTMLOListElement>(null)
  const current = useMemo(() => {
    let i = -1
    for (let k = 0; k < times.length && times[k]! <= time; k++) i = k
    return i
  }, [times, time])
  const [follow, setFollow] = useState(true)
  useEffect(() => {
    if (!follow || current < 0) return
    ;(list.current?.children[current] as HTMLElement | undefined)?.scrollIntoView({ block: 'nearest' })
  }, [current, follow])
  return { list, current, follow, setFollow }
}

const KIND_CLASS: Record<string, string> = {
  console_error: 'bad',
  $exception: 'bad',
  $rageclick: 'bad',
  $dead_click: 'warn',
  navigation: 'nav',
  $pageview: 'nav',
}

function EventList({ events, start, time, onSeek }: { events: SessionEvent[]; start: number; time: number; onSeek(t: number): void }) {
  const [q, setQ] = useState('')
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase()
    return needle ? events.filter((e) => `${e.type} ${describe(e)} ${e.url ?? ''}`.toLowerCase().includes(needle)) : events
  }, [events, q])
  const times = useMemo(() => shown.map((e) => e.time_ms), [shown])
  const { list, current } = useFollow(times, time)
  return (
    <>
      <input className="pane-filter" placeholder="Filter events…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Filter events" />
      {shown.length === 0 ? (
        <p className="muted pane-empty">{events.length ? 'No event matches.' : 'No events in this session.'}</p>
      ) : (
        <ol className="pane-list" ref={list} data-testid="event-list">
          {shown.map((e, i) => (
            <li key={e.id} className={`${i === current ? 'current ' : ''}${i > current ? 'future ' : ''}${KIND_CLASS[e.type] ?? ''}`}>
              <button onClick={() => onSeek(e.time_ms)} title={e.url ?? undefined}>
                <span className="pane-time mono">{clock(e.time_ms - start)}</span>
                <span className="pane-type">{e.type.replace(/^\$/, '')}</span>
                <span className="pane-text">{describe(e)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

const LEVELS = ['error', 'warn', 'info', 'log', 'debug'] as const

function ConsoleList(props: { entries: ConsoleEntry[]; loading: boolean; error: string | null; start: number; time: number; onSeek(t: number): void }) {
  const [levels, setLevels] = useState<Set<string>>(new Set(LEVELS))
  const [open, setOpen] = useState<number | null>(null)
  const level = (l: string) => (l === 'assert' ? 'error' : LEVELS.includes(l as never) ? l : 'log')
  const shown = props.entries.filter((e) => levels.has(level(e.level)))
  const times = useMemo(() => shown.map((e) => e.time_ms), [shown])
  const { list, current } = useFollow(times, props.time)
  if (props.error) return <p className="pane-empty text-bad">{props.error}</p>
  return (
    <>
      <div className="pane-levels">
        {LEVELS.map((l) => (
          <label key={l} className={`level level-${l}`}>
            <input type="checkbox" checked={levels.has(l)} onChange={() => setLevels((s) => (s.has(l) ? new Set([...s].filter((x) => x !== l)) : new Set([...s, l])))} />
            {l} <span className="count">{props.entries.filter((e) => level(e.level) === l).length}</span>
          </label>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted pane-empty">{props.loading ? 'Reading the recording…' : 'No console messages recorded.'}</p>
      ) : (
        <ol className="pane-list" ref={list} data-testid="console-list">
          {shown.map((e, i) => (
            <li key={`${e.time_ms}-${i}`} className={`level-${level(e.level)}${i === current ? ' current' : ''}${i > current ? ' future' : ''}`}>
              <button onClick={() => (props.onSeek(e.time_ms), setOpen(open === i ? null : i))}>
                <span className="pane-time mono">{clock(e.time_ms - props.start)}</span>
                <span className="pane-text mono">{e.message}</span>
              </button>
              {open === i && e.trace.length > 0 && <pre className="stack">{e.trace.join('\n')}</pre>}
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

function NetworkList({ requests, start, time, onSeek }: { requests: SessionEvent[]; start: number; time: number; onSeek(t: number): void }) {
  const times = useMemo(() => requests.map((e) => e.time_ms), [requests])
  const { list, current } = useFollow(times, time)
  if (requests.length === 0) return <p className="muted pane-empty">No network requests recorded.</p>
  return (
    <ol className="pane-list network" ref={list} data-testid="network-list">
      {requests.map((r, i) => {
        const failed = r.http_status === null || r.http_status >= 400
        return (
          <li key={r.id} className={`${failed ? 'bad' : ''}${i === current ? ' current' : ''}${i > current ? ' future' : ''}`}>
            <button onClick={() => onSeek(r.time_ms)} title={r.http_url ?? undefined}>
              <span className="pane-time mono">{clock(r.time_ms - start)}</span>
              <span className="pane-type mono">{r.http_method ?? 'GET'}</span>
              <span className="pane-text mono">{(r.http_url ?? '').replace(/^https?:\/\/[^/]+/, '') || r.http_url}</span>
              <span className="pane-status mono">{r.http_status ?? 'failed'}</span>
              <span className="pane-dur mono">{r.duration_ms !== null ? `${r.duration_ms} ms` : ''}</span>
            </button>
          </li>
        )
      })}
    </ol>
  )
}
