import { useEffect, useRef, useState } from 'react'
import { Check, CircleHelp, Download, Loader2, X } from 'lucide-react'
import type { ClipJobResult } from '../../shared/clips'
import type { FlagRow, FlagStatus } from '../../shared/summary'
import { call, subscribe } from '../lib/api'
import './flag-verify.css'

/** A clip for people: 10 fps at 960×540 (bench/clip.ts), [t − 2 s, t + 8 s]. */
const PERSON = { fps: 10, width: 960, height: 540 } as const

/** "session-01a2…-at-00m12s.webm": says which session and which moment. */
export function clipFileName(f: FlagRow, sessionStart: number): string {
  const s = Math.max(0, Math.round((f.time_ms - sessionStart) / 1000))
  return `session-${f.session_id.replace(/[^\w-]+/g, '_').slice(0, 40)}-at-${String(Math.floor(s / 60)).padStart(2, '0')}m${String(s % 60).padStart(2, '0')}s.webm`
}

/**
 * Manual verification, offline: the clip of the flag's moment plays beside it, and the person
 * decides (Confirm / Deny / Unsure, with a note), stored as theirs.
 */
export function FlagVerify({ f, sessionStart, onDecided, onClose }: { f: FlagRow; sessionStart: number; onDecided(): void; onClose(): void }) {
  const [url, setUrl] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState(f.status_note ?? '')
  const pending = useRef<string | null>(null)
  const finished = useRef(new Map<string, { state: string; result: unknown; error: string | null }>())

  useEffect(() => {
    let live = true
    let objectUrl: string | null = null
    const show = async (result: ClipJobResult) => {
      const bytes = await call('clips:data', { clip_id: result.clip_id })
      if (!live) return
      objectUrl = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }))
      setUrl(objectUrl)
    }
    const settle = (j: { state: string; result: unknown; error: string | null }) => {
      pending.current = null
      if (j.state === 'done') show(j.result as ClipJobResult).catch((e: Error) => live && setError(e.message))
      else setError(j.error ?? 'The clip was not made.')
    }
    // The job can end before its start call returns: keep finished ones until the id is known.
    const off = subscribe('job', (j) => {
      if (j.kind !== 'clip' || j.state === 'running') return
      if (j.id === pending.current) settle(j)
      else finished.current.set(j.id, j)
    })
    call('clips:render', { id: f.session_id, at: f.time_ms, flag_id: f.id, ...PERSON, ...(f.window_id ? { window_id: f.window_id } : {}) })
      .then(({ job }) => {
        const done = finished.current.get(job.id)
        if (done) settle(done)
        else pending.current = job.id
      })
      .catch((e: Error) => live && setError(e.message))
    return () => {
      live = false
      off()
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [f.id, f.session_id, f.time_ms, f.window_id])

  const decide = (status: FlagStatus) =>
    void call('flags:set-status', { flag_id: f.id, status, ...(note.trim() ? { note: note.trim() } : {}) })
      .then(onDecided)
      .catch((e: Error) => setError(e.message))

  return (
    <div className="flag-verify" data-testid="flag-verify">
      {url ? (
        <video className="flag-clip" data-testid="flag-clip" src={url} controls autoPlay muted playsInline width={PERSON.width / 2} height={PERSON.height / 2} />
      ) : error ? null : (
        <div className="muted small">
          <Loader2 size={14} className="spin" /> Rendering the clip…
        </div>
      )}
      {error && <p className="bad small">{error}</p>}
      <textarea className="flag-note" placeholder="Note (optional): what the user saw" value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} aria-label="Note" />
      <div className="flag-actions">
        <button className="button" onClick={() => decide('confirmed')} aria-label="Confirm: the user really hit this" data-testid="verify-confirm">
          <Check size={14} /> Confirm
        </button>
        <button className="button" onClick={() => decide('denied')} aria-label="Deny: not what happened" data-testid="verify-deny">
          <X size={14} /> Deny
        </button>
        <button className="button" onClick={() => decide('inconclusive')} aria-label="Unsure" data-testid="verify-unsure">
          <CircleHelp size={14} /> Unsure
        </button>
        <div className="spacer" />
        {url && (
          <a className="button" href={url} download={clipFileName(f, sessionStart)} title="Save the clip as .webm" data-testid="clip-save">
            <Download size={14} /> Save .webm
          </a>
        )}
        <button className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
