import { useEffect, useRef, useState } from 'react'
import { groupMarkers, MARKER_LABEL, type Marker, type MarkerGroup } from '../player/markers'
import { clock } from '../lib/format'
import type { WindowSegment } from '../../shared/window-at'

interface Props {
  start: number
  end: number
  time: number
  inactive: [number, number][]
  markers: Marker[]
  /** Which window is shown when (a session of several tabs): a band under the track. */
  segments?: readonly WindowSegment[]
  /** The session's window ids in picker order, which number the tabs ("Tab 1"...). */
  windows?: readonly string[]
  onSeek(abs: number): void
}

/** A tab's colour on the timeline: distinct hues, the same in light and dark themes. */
export const tabColor = (index: number) => `hsl(${(205 + index * 137) % 360} 70% 52%)`

/** A group is drawn as its most telling marker: anything but clicks and noise, then noise, then clicks. */
const groupKind = (g: MarkerGroup) => (g.markers.find((m) => m.kind !== 'click' && m.kind !== 'noise') ?? g.markers.find((m) => m.kind === 'noise') ?? g.markers[0]!).kind

/** The scrub bar: progress, inactive stretches, markers with tooltips; click or drag to seek. */
export function Timeline({ start, end, time, inactive, markers, segments, windows = [], onSeek }: Props) {
  const bar = useRef<HTMLDivElement>(null)
  const [hover, setHover] = useState<{ x: number; t: number } | null>(null)
  // Markers closer than a few pixels are one button with a count that opens their list.
  const [width, setWidth] = useState(0)
  const [open, setOpen] = useState<MarkerGroup | null>(null)
  useEffect(() => {
    const ro = new ResizeObserver(() => setWidth(bar.current?.getBoundingClientRect().width ?? 0))
    ro.observe(bar.current!)
    return () => ro.disconnect()
  }, [])
  const groups = groupMarkers(markers, start, end, width || 1000)
  const span = Math.max(1, end - start)
  const pct = (t: number) => `${(Math.max(0, Math.min(1, (t - start) / span)) * 100).toFixed(3)}%`
  const at = (clientX: number) => {
    const r = bar.current!.getBoundingClientRect()
    return start + Math.max(0, Math.min(1, (clientX - r.left) / r.width)) * span
  }
  return (
    <div
      className="timeline"
      ref={bar}
      role="slider"
      aria-label="Playback position"
      aria-valuemin={0}
      aria-valuemax={Math.round(span / 1000)}
      aria-valuenow={Math.round((time - start) / 1000)}
      aria-valuetext={clock(time - start)}
      onPointerDown={(e) => {
        if ((e.target as HTMLElement).closest('.marker, .marker-list')) return
        e.currentTarget.setPointerCapture(e.pointerId)
        onSeek(at(e.clientX))
      }}
      onPointerMove={(e) => {
        setHover({ x: e.clientX - bar.current!.getBoundingClientRect().left, t: at(e.clientX) })
        if (e.buttons === 1 && !(e.target as HTMLElement).closest('.marker, .marker-list')) onSeek(at(e.clientX))
      }}
      onPointerLeave={() => setHover(null)}
    >
      <div className="timeline-track">
        {inactive.map(([a, b]) => (
          <div key={a} className="timeline-inactive" style={{ left: pct(a), width: `calc(${pct(b)} - ${pct(a)})` }} title={`Inactive ${clock(b - a)}`} />
        ))}
        <div className="timeline-progress" style={{ width: pct(time) }} />
      </div>
      {segments?.map((g) => {
        const i = windows.indexOf(g.window_id)
        return (
          <div
            key={g.start_ms}
            className="timeline-window"
            data-window={g.window_id}
            style={{ position: 'absolute', top: 20, height: 3, left: pct(g.start_ms), width: `calc(${pct(g.end_ms + 1)} - ${pct(g.start_ms)})`, background: tabColor(i), pointerEvents: 'none' }}
            title={`Tab ${i + 1} ${clock(g.start_ms - start)}–${clock(g.end_ms - start)}`}
          />
        )
      })}
      {groups.map((g) =>
        g.markers.length === 1 ? (
          <button
            key={`${g.time}-1`}
            className={`marker marker-${g.markers[0]!.kind}${g.markers[0]!.status ? ` flag-${g.markers[0]!.status}` : ''}`}
            style={{ left: pct(g.time) }}
            title={`${clock(g.time - start)} · ${MARKER_LABEL[g.markers[0]!.kind]}: ${g.markers[0]!.label}`}
            aria-label={`${MARKER_LABEL[g.markers[0]!.kind]} at ${clock(g.time - start)}`}
            onClick={() => onSeek(g.time)}
          />
        ) : (
          <button
            key={`${g.time}-${g.markers.length}`}
            className={`marker marker-group marker-${groupKind(g)}`}
            style={{ left: pct(g.time) }}
            title={`${clock(g.time - start)} · ${g.markers.length} markers`}
            aria-label={`${g.markers.length} markers at ${clock(g.time - start)}`}
            aria-expanded={open?.time === g.time}
            data-testid="marker-group"
            onClick={() => setOpen(open?.time === g.time ? null : g)}
          >
            {g.markers.length}
          </button>
        ),
      )}
      {open && (
        <ul className="marker-list" style={{ left: pct(open.time) }} role="menu" onPointerDown={(e) => e.stopPropagation()}>
          {open.markers.map((m, i) => (
            <li key={i}>
              <button
                className="marker-item"
                role="menuitem"
                onClick={() => {
                  setOpen(null)
                  onSeek(m.time)
                }}
              >
                <span className={`marker-dot marker-${m.kind}`} aria-hidden />
                <span className="mono">{clock(m.time - start)}</span> {MARKER_LABEL[m.kind]}: {m.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="timeline-head" style={{ left: pct(time) }} />
      {hover && (
        <div className="timeline-hover" style={{ left: hover.x }}>
          {clock(hover.t - start)}
        </div>
      )}
    </div>
  )
}
