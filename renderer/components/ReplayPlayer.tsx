import { useEffect, useRef, useState } from 'react'
import { FastForward, Maximize, Pause, Play } from 'lucide-react'
import 'rrweb/dist/style.css'
import type { ReplayWindow } from '../../shared/model'
import { call } from '../lib/api'
import { clock } from '../lib/format'
import { useShortcuts } from '../lib/hooks'
import { PlayerController, type PlayerState } from '../player/controller'
import type { Marker } from '../player/markers'
import { Timeline } from './Timeline'

export const SPEEDS = [1, 2, 4, 8, 16]

interface Props {
  sessionId: string
  window: ReplayWindow
  inactive: [number, number][]
  markers: Marker[]
  /** Where to open (epoch ms), from a deep link or a click in a pane. */
  seekTo: { t: number; n: number } | null
  onState(s: PlayerState): void
}

export function ReplayPlayer({ sessionId, window: win, inactive, markers, seekTo, onState }: Props) {
  const mount = useRef<HTMLDivElement>(null)
  const frame = useRef<HTMLDivElement>(null)
  const [player, setPlayer] = useState<PlayerController | null>(null)
  const [state, setState] = useState<PlayerState | null>(null)
  const prefs = useRef({ speed: 1, skipInactive: true })
  const range = { start: win.first_ms, end: win.last_ms }

  useEffect(() => {
    const p = new PlayerController(
      mount.current!,
      win.chunks,
      (seqs) => call('replay:chunks', { id: sessionId, window_id: win.window_id, seqs }),
      { start: win.first_ms, end: win.last_ms },
      { ...prefs.current, inactive },
    )
    setPlayer(p)
    const off = p.subscribe((s) => {
      setState(s)
      onState(s)
      prefs.current = { speed: s.speed, skipInactive: s.skipInactive }
    })
    void p.seek(seekTo?.t ?? win.first_ms, false)
    return () => {
      off()
      p.destroy()
    }
    // A new window or session means a new player; seekTo is handled below.
  }, [sessionId, win.window_id])

  useEffect(() => {
    if (player && seekTo) void player.seek(seekTo.t)
  }, [player, seekTo])

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
      i: () => player?.setSkipInactive(!player.state.skipInactive),
      f: fullscreen,
    },
    player !== null,
  )

  const s = state
  return (
    <div className="player" ref={frame}>
      <div className="player-stage">
        <div className="player-mount" ref={mount} data-testid="replay-mount" data-window={win.window_id} data-start={range.start} data-status={s?.status} data-settled={String(s?.status === 'paused' && !s.pending)} />
        {s?.status === 'loading' && <div className="player-note">Loading recording…</div>}
        {s?.status === 'error' && <div className="player-note bad">{s.error}</div>}
        {s?.buffering && s.status !== 'loading' && <div className="player-badge">Buffering…</div>}
      </div>
      <Timeline start={range.start} end={range.end} time={s?.time ?? range.start} inactive={inactive} markers={markers} onSeek={(t) => void player?.seek(t)} />
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
