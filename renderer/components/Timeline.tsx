import { useRef, useState } from 'react'
import { MARKER_LABEL, type Marker } from '../player/markers'
import { clock } from '../lib/format'

interface Props {
  start: number
  end: number
  time: number
  inactive: [number, number][]
  markers: Marker[]
  onSeek(abs: number): void
}

/** The scrub bar: progress, inactive stretches, markers with tooltips; click or drag to seek. */
export function Timeline({ start, end, time, inactive, markers, onSeek }: Props) {
  const bar = useRef<HTMLDivElement>(null)
  const [hover, setHover] = useState<{ x: number; t: number } | null>(null)
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
        if ((e.target as HTMLElement).closest('.marker')) return
        e.currentTarget.setPointerCapture(e.pointerId)
        onSeek(at(e.clientX))
      }}
      onPointerMove={(e) => {
        setHover({ x: e.clientX - bar.current!.getBoundingClientRect().left, t: at(e.clientX) })
        if (e.buttons === 1 && !(e.target as HTMLElement).closest('.marker')) onSeek(at(e.clientX))
      }}
      onPointerLeave={() => setHover(null)}
    >
      <div className="timeline-track">
        {inactive.map(([a, b]) => (
          <div key={a} className="timeline-inactive" style={{ left: pct(a), width: `calc(${pct(b)} - ${pct(a)})` }} title={`Inactive ${clock(b - a)}`} />
        ))}
        <div className="timeline-progress" style={{ width: pct(time) }} />
      </div>
      {markers.map((m, i) => (
        <button
          key={`${m.time}-${i}`}
          className={`marker marker-${m.kind}`}
          style={{ left: pct(m.time) }}
          title={`${clock(m.time - start)} · ${MARKER_LABEL[m.kind]}: ${m.label}`}
          aria-label={`${MARKER_LABEL[m.kind]} at ${clock(m.time - start)}`}
          onClick={() => onSeek(m.time)}
        />
      ))}
      <div className="timeline-head" style={{ left: pct(time) }} />
      {hover && (
        <div className="timeline-hover" style={{ left: hover.x }}>
          {clock(hover.t - start)}
        </div>
      )}
    </div>
  )
}
