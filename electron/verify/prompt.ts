// The request for one flag: what the flag claims, and the clip of its moment (a video, or frames
// as images with their times). The flag's words go through redaction like every text sent; the
// pixels cannot (the estimate says so, and clips can be drawn with text masked).
import type { Message, Part } from '../llm/types'
import type { Redactor } from '../llm/redact'

export const SYSTEM = [
  'You verify issues flagged in recordings of web sessions by watching what the user saw.',
  'Events (errors, failed requests, clicks) only say that something happened; the screen shows whether it hurt the user.',
  'Judge only from what the clip shows. A clock in the corner shows the session time; the drawn pointer and its rings show where the user moved and clicked.',
  'Answer "confirmed" when the clip shows the problem reaching the user (an error shown, a button that does nothing, a page that does not load, the user giving up),',
  '"denied" when it shows the user was not hindered (nothing visible, or they went on and succeeded), and "inconclusive" when the clip cannot tell.',
].join(' ')

export interface FlagToVerify {
  title: string
  detail: string
  type: string
  label: string
  time_ms: number
}

export interface ClipToSend {
  start_ms: number
  end_ms: number
  /** The session's start, for session times (mm:ss) as the overlay shows them. */
  session_start_ms: number
  media: { kind: 'video'; path: string; fps?: number } | { kind: 'frames'; frames: { t_ms: number; jpeg: Uint8Array }[]; detail?: 'low' | 'high' | 'auto' }
}

export const sessionTime = (ms: number, start: number) => {
  const s = Math.max(0, Math.round((ms - start) / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

export function verifyMessages(flag: FlagToVerify, clip: ClipToSend, redactor: Redactor): Message[] {
  const at = (flag.time_ms - clip.start_ms) / 1000
  const length = (clip.end_ms - clip.start_ms) / 1000
  const claim = redactor.redact(
    [
      `Flagged issue (${flag.label}, ${flag.type}): ${flag.title}`,
      flag.detail ? `Details: ${flag.detail}` : '',
      `It was flagged at ${at.toFixed(1)} s into the clip (session time ${sessionTime(flag.time_ms, clip.session_start_ms)}).`,
      `The clip runs ${length.toFixed(1)} s, from session time ${sessionTime(clip.start_ms, clip.session_start_ms)} to ${sessionTime(clip.end_ms, clip.session_start_ms)}.`,
      'Did the user see this problem, and what did they do next? Give evidence times in seconds from the start of the clip.',
    ]
      .filter(Boolean)
      .join('\n'),
  ).text
  const parts: Part[] = [{ type: 'text', text: claim }]
  if (clip.media.kind === 'video') parts.push({ type: 'video', mime: 'video/webm', path: clip.media.path, ...(clip.media.fps ? { fps: clip.media.fps } : {}) })
  else
    for (const f of clip.media.frames) {
      parts.push({ type: 'text', text: `Frame at ${((f.t_ms - clip.start_ms) / 1000).toFixed(1)} s (session time ${sessionTime(f.t_ms, clip.session_start_ms)}):` })
      parts.push({ type: 'image', mime: 'image/jpeg', data: f.jpeg, ...(clip.media.detail ? { detail: clip.media.detail } : {}) })
    }
  return [
    { role: 'system', parts: [{ type: 'text', text: SYSTEM }] },
    { role: 'user', parts },
  ]
}
