import { useEffect, useRef, useState } from 'react'
import { FastForward, Maximize, Pause, Play } from 'lucide-react'
import 'rrweb/dist/style.css'
import type { ReplayWindow } from '../../shared/model'
import { call } from '../lib/api'
import { clock } from '../lib/format'
import { useShortcuts } from '../lib/hooks'
import type { Marker } from '../player/markers'
import { SessionPlayer, type SessionPlayerState } from '../player/session-player'
import { Timeline } from './Timeline'

export const SPEEDS = [1, 2, 4, 8, 16]

interface Props {
  sessionId: string
  /** Every recorded window of the session: one clock over all of them. */
  windows: ReplayWindow[]
  /** The session's range, epoch ms: the clock and the timeline span it. */
  range: { start: number; end: number }
  inactive: [number, number][]
  markers: Marker[]
  /** Where to open (epoch ms), from a deep link or a click in a pane. */
  seekTo: { t: number; n: number } | null
  /** The window pinned in the picker, or null: Auto (the window the user was in). */
  pinned: string | null
  onState(s: SessionPlayerState): void
}

export function ReplayPlayer({ sessionId, windows, range, inactive, markers, seekTo, pinned, onState }: Props) {
  const mount = useRef<HTMLDivElement>(null)
  const frame = useRef<HTMLDivElement>(null)
  const [player, setPlayer] = useState<SessionPlayer | null>(null)
  const [state, setState] = useState<SessionPlayerState | null>(null)
  const prefs = useRef({ speed: 1, skipInactive: true })
  // A refetch of the same recording keeps the player; a re-import that changed it does not.
  const shape = windows.map((w) => `${w.window_id}:${w.chunks.length}:${w.last_ms}`).join('|')

  useEffect(() => {
    const p = new SessionPlayer(mount.current!, windows, (windowId) => (seqs) => call('replay:chunks', { id: sessionId, window_id: windowId, seqs }), range, { ...prefs.current, inactive })
    setPlayer(p)
    const off = p.subscribe((s) => {
      setState(s)
      onState(s)
      prefs.current = { speed: s.speed, skipInactive: s.skipInactive }
    })
    if (pinned) void p.pin(pinned)
    void p.seek(seekTo?.t ?? range.start, false)
    return () => {
      off()
      p.destroy()
    }
    // A new session (or a re-import that changed its windows) means a new player; seekTo and
    // pinned are handled below.
  }, [sessionId, shape])

  useEffect(() => {
    if (player && seekTo) void player.seek(seekTo.t)
  }, [player, seekTo])

  useEffect(() => {
    if (player && (player.state?.pinned ?? null) !== pinned) void player.pin(pinned)
  }, [player, pinned])

  const fullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen()
    else void frame.current?.requestFullscreen()
  }

  useShortcuts(
    {
      ' ': () => player?.toggle(),
      arrowleft: () => player?.skip(-5_000),
      arrowright: () => player?.skip(5_000),
      'shift+arrowleft': () => player?.skip(-60_000),
      'shift+arrowright': () => player?.skip(60_000),
      ...Object.fromEntries(SPEEDS.map((s, i) => [String(i + 1), () => player?.setSpeed(s)])),
      i: () => player?.state && player.setSkipInactive(!player.state.skipInactive),
      f: fullscreen,
    },
    player !== null,
  )

  const s = state
  return (
    <div className="player" ref={frame}>
      <div className="player-stage">
        <div className="player-mount" ref={mount} data-testid="replay-mount" data-window={s?.windowId} data-start={range.start} data-status={s?.status} data-settled={String(s?.status === 'paused' && !s.pending)} />
        {s?.status === 'loading' && <div className="player-note">Loading recording…</div>}
        {s?.status === 'error' && <div className="player-note bad">{s.error}</div>}
        {s?.buffering && s.status !== 'loading' && <div className="player-badge">Buffering…</div>}
      </div>
      <Timeline start={range.start} end={range.end} time={s?.time ?? range.start} inactive={inactive} markers={markers} segments={windows.length > 1 ? player?.segments : undefined} windows={windows.map((w) => w.window_id)} onSeek={(t) => void player?.seek(t)} />
      <div className="player-controls">
        <button className="button icon" onClick={() => player?.toggle()} aria-label={s?.status === 'playing' ? 'Pause (space)' : 'Play (space)'} title={s?.status === 'playing' ? 'Pause (space)' : 'Play (space)'} data-testid="play">
          {s?.status === 'playing' ? <Pause size={16} /> : <Play size={16} />}
        </button>
        <span className="player-clock mono" data-testid="clock" data-ms={Math.round((s?.time ?? range.start) - range.start)}>
          {clock((s?.time ?? range.start) - range.start)} / {clock(range.end - range.start)}
        </span>
        <div className="spacer" />
        <div className="segmented" role="group" aria-label="Speed">
          {SPEEDS.map((sp, i) => (
            <button key={sp} className={s?.speed === sp ? 'active' : ''} onClick={() => player?.setSpeed(sp)} title={`${sp}× (${i + 1})`}>
              {sp}×
            </button>
          ))}
        </div>
        <label className="check" title="Skip inactivity (i)">
          <input type="checkbox" checked={s?.skipInactive ?? true} onChange={(e) => player?.setSkipInactive(e.target.checked)} />
          <FastForward size={14} aria-hidden /> Skip inactive
        </label>
        <button className="button icon" onClick={fullscreen} aria-label="Full screen (f)" title="Full screen (f)">
          <Maximize size={16} />
        </button>
      </div>
    </div>
  )
}
