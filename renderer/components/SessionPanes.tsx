import { useEffect, useMemo, useState } from 'react'
import type { ConsoleEntry, SessionEvent } from '../../shared/model'
import type { FlagRow } from '../../shared/summary'
import { clock } from '../lib/format'
import { useQuery } from '../lib/hooks'
import { describe, isProblem, withoutTwins } from '../player/markers'
import { SummaryPanel } from './SummaryPanel'
import { VirtualList } from './VirtualList'

type Tab = 'summary' | 'events' | 'console' | 'network' | 'noise'

interface Props {
  sessionId: string
  events: SessionEvent[]
  start: number
  time: number
  windowId: string | null
  onSeek(abs: number): void
  onFlags(flags: FlagRow[]): void
}

/** Events, console and network of the session; each row shows its time and seeks on click. */
export function SessionPanes({ sessionId, events, start, time, windowId, onSeek, onFlags }: Props) {
  const [tab, setTab] = useState<Tab>('summary')
  // Console messages of every level are read from the whole recording: only when asked for.
  const [wantConsole, setWantConsole] = useState(false)
  useEffect(() => setWantConsole((w) => w || tab === 'console'), [tab])
  const inWindow = (w: string | null) => !windowId || !w || w === windowId
  const network = useMemo(() => events.filter((e) => e.type === 'network' && inWindow(e.window_id)), [events, windowId])
  // Errors of other hosts' scripts, benign chatter and failed requests to other hosts are listed
  // apart (muted), and counted in no red badge.
  const journey = useMemo(() => withoutTwins(events).filter((e) => e.type !== 'network' && !(e.noise && isProblem(e)) && inWindow(e.window_id)), [events, windowId])
  const noise = useMemo(() => events.filter((e) => e.noise && (isProblem(e) || failedRequest(e)) && inWindow(e.window_id)), [events, windowId])
  const errors = events.filter((e) => e.type === 'console_error' && !e.noise && inWindow(e.window_id)).length
  const failed = network.filter((n) => failedRequest(n) && !n.noise).length

  return (
    <aside className="panes">
      <div className="pane-tabs" role="tablist">
        <PaneTab id="summary" tab={tab} setTab={setTab} label="Summary" />
        <PaneTab id="events" tab={tab} setTab={setTab} label="Events" count={journey.length} />
        <PaneTab id="console" tab={tab} setTab={setTab} label="Console" bad={errors} />
        <PaneTab id="network" tab={tab} setTab={setTab} label="Network" count={network.length} bad={failed} />
        {noise.length > 0 && <PaneTab id="noise" tab={tab} setTab={setTab} label="Noise" count={noise.length} />}
      </div>
      {/* Always mounted: its flags feed the timeline even while another pane is open. */}
      <div className="pane-body" hidden={tab !== 'summary'}>
        <SummaryPanel sessionId={sessionId} start={start} onSeek={onSeek} onFlags={onFlags} />
      </div>
      {tab === 'events' && <EventList events={journey} start={start} time={time} onSeek={onSeek} />}
      {wantConsole && <ConsolePane sessionId={sessionId} hidden={tab !== 'console'} inWindow={inWindow} start={start} time={time} onSeek={onSeek} />}
      {tab === 'network' && <NetworkList requests={network} start={start} time={time} onSeek={onSeek} />}
      {tab === 'noise' && (
        <>
          <p className="muted small pane-note">Errors thrown by other sites&apos; scripts (widgets, ads, analytics), benign browser messages and failed requests to other hosts: not counted as errors.</p>
          <EventList events={noise} start={start} time={time} onSeek={onSeek} muted testId="noise-list" />
        </>
      )}
    </aside>
  )
}

function ConsolePane(props: { sessionId: string; hidden: boolean; inWindow(w: string | null): boolean; start: number; time: number; onSeek(t: number): void }) {
  const console = useQuery('sessions:console', { id: props.sessionId })
  if (props.hidden) return null
  const logs = (console.data ?? []).filter((c) => props.inWindow(c.window_id))
  return <ConsoleList entries={logs} loading={console.loading} error={console.error} start={props.start} time={props.time} onSeek={props.onSeek} />
}

function PaneTab(props: { id: Tab; tab: Tab; setTab(t: Tab): void; label: string; count?: number; bad?: number }) {
  return (
    <button role="tab" aria-selected={props.tab === props.id} className={`pane-tab${props.tab === props.id ? ' active' : ''}`} onClick={() => props.setTab(props.id)}>
      {props.label} {props.count !== undefined && <span className="count">{props.count}</span>}
      {props.bad ? <span className="badge bad">{props.bad}</span> : null}
    </button>
  )
}

const KIND_CLASS: Record<string, string> = {
  console_error: 'bad',
  $exception: 'bad',
  $rageclick: 'bad',
  $dead_click: 'warn',
  navigation: 'nav',
  $pageview: 'nav',
}

const failedRequest = (e: SessionEvent) => e.type === 'network' && (e.http_status === null || e.http_status >= 400)

function EventList({ events, start, time, onSeek, muted = false, testId = 'event-list' }: { events: SessionEvent[]; start: number; time: number; onSeek(t: number): void; muted?: boolean; testId?: string }) {
  const [q, setQ] = useState('')
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase()
    return needle ? events.filter((e) => `${e.type} ${describe(e)} ${e.url ?? ''}`.toLowerCase().includes(needle)) : events
  }, [events, q])
  const times = useMemo(() => shown.map((e) => e.time_ms), [shown])
  return (
    <>
      <input className="pane-filter" placeholder="Filter events…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Filter events" />
      {shown.length === 0 ? (
        <p className="muted pane-empty">{events.length ? 'No event matches.' : 'No events in this session.'}</p>
      ) : (
        <VirtualList
          testId={testId}
          items={shown}
          times={times}
          time={time}
          rowKey={(e) => e.id}
          render={(e) => (
            <button className={muted ? 'muted' : (KIND_CLASS[e.type] ?? '')} onClick={() => onSeek(e.time_ms)} title={e.url ?? undefined}>
              <span className="pane-time mono">{clock(e.time_ms - start)}</span>
              <span className="pane-type">{e.type.replace(/^\$/, '')}</span>
              <span className="pane-text">{describe(e)}</span>
            </button>
          )}
        />
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
        <VirtualList
          testId="console-list"
          items={shown}
          times={times}
          time={props.time}
          rowKey={(e, i) => `${e.time_ms}-${i}`}
          render={(e, i) => (
            <>
              <button className={`level-${level(e.level)}`} onClick={() => (props.onSeek(e.time_ms), setOpen(open === i ? null : i))}>
                <span className="pane-time mono">{clock(e.time_ms - props.start)}</span>
                <span className="pane-text mono">{e.message}</span>
              </button>
              {open === i && e.trace.length > 0 && <pre className="stack">{e.trace.join('\n')}</pre>}
            </>
          )}
        />
      )}
    </>
  )
}

function NetworkList({ requests, start, time, onSeek }: { requests: SessionEvent[]; start: number; time: number; onSeek(t: number): void }) {
  const times = useMemo(() => requests.map((e) => e.time_ms), [requests])
  if (requests.length === 0) return <p className="muted pane-empty">No network requests recorded.</p>
  return (
    <VirtualList
      testId="network-list"
      className="network"
      items={requests}
      times={times}
      time={time}
      rowKey={(r) => r.id}
      render={(r) => (
        <button className={failedRequest(r) ? (r.noise ? 'muted' : 'bad') : ''} onClick={() => onSeek(r.time_ms)} title={r.http_url ?? undefined}>
          <span className="pane-time mono">{clock(r.time_ms - start)}</span>
          <span className="pane-type mono">{r.http_method ?? 'GET'}</span>
          <span className="pane-text mono">{(r.http_url ?? '').replace(/^https?:\/\/[^/]+/, '') || r.http_url}</span>
          <span className="pane-status mono">{r.http_status ?? 'failed'}</span>
          <span className="pane-dur mono">{r.duration_ms !== null ? `${r.duration_ms} ms` : ''}</span>
        </button>
      )}
    />
  )
}
