import { useEffect, useState } from 'react'
import { Check, CircleHelp, Download, Loader2, Sparkles, X } from 'lucide-react'
import { PERSON_CLIP as PERSON, type ClipJobResult } from '../../shared/clips'
import type { FlagRow, FlagStatus } from '../../shared/summary'
import type { VerifyEstimate, VerifyJobResult } from '../../shared/verify'
import { call, jobEnded } from '../lib/api'
import { clock } from '../lib/format'
import './flag-verify.css'


/** "session-01a2…-at-00m12s.webm": says which session and which moment. */
export function clipFileName(f: FlagRow, sessionStart: number): string {
  const s = Math.max(0, Math.round((f.time_ms - sessionStart) / 1000))
  return `session-${f.session_id.replace(/[^\w-]+/g, '_').slice(0, 40)}-at-${String(Math.floor(s / 60)).padStart(2, '0')}m${String(s % 60).padStart(2, '0')}s.webm`
}

/** A recorded clip (by id), or one rendered for the flag now, played as a video/webm blob. */
function FlagClip({ f, clipId, sessionStart }: { f: FlagRow; clipId: number | null; sessionStart: number }) {
  const [url, setUrl] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [progress, setProgress] = useState<string>('')
  useEffect(() => {
    let live = true
    let objectUrl: string | null = null
    const show = async (id: number) => {
      const bytes = await call('clips:data', { clip_id: id })
      if (!live) return
      objectUrl = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }))
      setUrl(objectUrl)
    }
    const clip =
      clipId !== null
        ? Promise.resolve(clipId)
        : jobEnded(
            () => call('clips:render', { id: f.session_id, at: f.time_ms, flag_id: f.id, ...PERSON, ...(f.window_id ? { window_id: f.window_id } : {}) }),
            (j) => live && setProgress(j.message),
          ).then((j) => {
            if (j.state !== 'done') throw new Error(j.error ?? 'The clip was not made.')
            return (j.result as ClipJobResult).clip_id
          })
    clip.then(show).catch((e: Error) => live && setError(e.message))
    return () => {
      live = false
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [f.id, f.session_id, f.time_ms, f.window_id, clipId])
  if (error) return <p className="bad small">{error}</p>
  if (!url)
    return (
      <div className="muted small">
        <Loader2 size={14} className="spin" /> Rendering the clip… {progress}
      </div>
    )
  return (
    <>
      <video className="flag-clip" data-testid="flag-clip" src={url} controls autoPlay muted playsInline width={PERSON.width / 2} height={PERSON.height / 2} />
      <a className="button clip-save" href={url} download={clipFileName(f, sessionStart)} title="Save the clip as .webm" data-testid="clip-save">
        <Download size={14} /> Save .webm
      </a>
    </>
  )
}

/**
 * Verify a flag: ask the model set in Settings (what it would send and cost is shown first for a
 * cloud model), or watch the clip and decide (Confirm / Deny / Unsure, with a note): a person's
 * decision is stored as theirs and wins over a model's.
 */
export function FlagVerify({ f, sessionStart, provider, maskText, onDecided, onClose }: { f: FlagRow; sessionStart: number; provider: 'none' | 'openai' | 'gemini'; maskText: boolean; onDecided(): void; onClose(): void }) {
  const [watching, setWatching] = useState(provider === 'none')
  const [note, setNote] = useState(f.status_by === 'user' ? (f.status_note ?? '') : '')
  const [error, setError] = useState<string | null>(null)
  const decide = (status: FlagStatus) =>
    void call('flags:set-status', { flag_id: f.id, status, ...(note.trim() ? { note: note.trim() } : {}) })
      .then(onDecided)
      .catch((e: Error) => setError(e.message))
  return (
    <div className="flag-verify" data-testid="flag-verify">
      {provider !== 'none' && <ModelVerify f={f} maskText={maskText} onDone={onDecided} />}
      {watching ? (
        <FlagClip f={f} clipId={null} sessionStart={sessionStart} />
      ) : (
        <button className="button" onClick={() => setWatching(true)} data-testid="watch-clip">
          Watch the clip and decide yourself
        </button>
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
        <button className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}

/** Ask the model: estimate (and, for a cloud model, what pixels show) first, then the job with its progress. */
function ModelVerify({ f, maskText, onDone }: { f: FlagRow; maskText: boolean; onDone(): void }) {
  const [estimate, setEstimate] = useState<VerifyEstimate | null>(null)
  const [mask, setMask] = useState(maskText)
  const [running, setRunning] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const input = { id: f.session_id, flag_ids: [f.id], mask_text: mask }
  const send = () => {
    setEstimate(null)
    setError(null)
    setRunning('Starting…')
    jobEnded(() => call('flags:verify', input), (j) => setRunning(j.message || j.title))
      .then((j) => {
        setRunning(null)
        if (j.state !== 'done') return setError(j.error ?? `Verification ${j.state}.`)
        const r = (j.result as VerifyJobResult).flags[0]
        if (r?.error) return setError(r.error)
        onDone()
      })
      .catch((e: Error) => (setRunning(null), setError(e.message)))
  }
  const ask = () => {
    setError(null)
    call('verify:estimate', input)
      .then((e) => (e.cloud ? setEstimate(e) : send()))
      .catch((e: Error) => setError(e.message))
  }
  if (running)
    return (
      <div className="muted small" data-testid="verify-running">
        <Loader2 size={14} className="spin" /> {running}
      </div>
    )
  return (
    <>
      {!estimate && (
        <button className="button primary" onClick={ask} data-testid="verify-model">
          <Sparkles size={14} /> Ask the model what the user saw
        </button>
      )}
      {estimate && (
        <div className="verify-estimate" data-testid="verify-estimate">
          <p className="small">
            Sends {estimate.media.kind === 'video' ? `a ${estimate.media.seconds.toFixed(0)} s video` : `${estimate.media.frames} frames`} of this moment ({estimate.media.width}×{estimate.media.height}) to {estimate.model} at{' '}
            {new URL(estimate.base_url).host}: about {estimate.estimated_input_tokens.toLocaleString()} tokens
            {estimate.estimated_cost_usd !== null ? `, ≈ $${estimate.estimated_cost_usd.toFixed(4)}` : ''}.
          </p>
          <p className="small warn-text">{estimate.notice}</p>
          <label className="small">
            <input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} data-testid="verify-mask" /> Mask all text in the clip
          </label>
          {estimate.offline_refused && <div className="banner error">Offline mode is on: this would be refused. Turn it off in Settings to send to a cloud model.</div>}
          <div className="flag-actions">
            <button className="button primary" disabled={estimate.offline_refused} onClick={send} data-testid="verify-send">
              Send
            </button>
            <button className="button" onClick={() => setEstimate(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && <p className="bad small">{error}</p>}
    </>
  )
}

/** What the clip showed, by whom: the model's (or a person's) verdict on the flag, with its clip. */
export function FlagVerdict({ f, start, onSeek }: { f: FlagRow; start: number; onSeek(t: number): void }) {
  const [clip, setClip] = useState(false)
  const v = f.verdict
  if (!v || (!v.saw && !v.next && v.clip_id === null)) return null
  return (
    <div className="flag-verdict small" data-testid="flag-verdict">
      {v.saw && (
        <p>
          <strong>Saw:</strong> {v.saw}
        </p>
      )}
      {v.next && (
        <p>
          <strong>Then:</strong> {v.next}
        </p>
      )}
      <p className="muted">
        {v.evidence_ms.map((t) => (
          <button key={t} className="link mono" onClick={() => onSeek(t)} title="Show this moment">
            {clock(t - start)}
          </button>
        ))}
        {v.model && ` ${v.model}`}
        {v.tokens !== null && ` · ${v.tokens.toLocaleString()} tokens`}
        {v.cost_usd ? ` · $${v.cost_usd.toFixed(4)}` : ''}
        {v.clip_id !== null && (
          <button className="link" onClick={() => setClip(!clip)} data-testid="verdict-clip">
            {clip ? 'Hide the clip' : 'Watch the clip it saw'}
          </button>
        )}
      </p>
      {clip && v.clip_id !== null && <FlagClip f={f} clipId={v.clip_id} sessionStart={start} />}
    </div>
  )
}
