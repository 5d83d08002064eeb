// The frame page: draws one window of a recording at a given moment, for a frame source to capture.
// It loads only the chunks a clip needs (from the full snapshot its start depends on, through its
// end) over the core's replay channels and positions rrweb's Replayer exactly as the player does
// (shared/replay-engine.ts). It draws the bare replay: the cursor, click ripple and session clock
// are drawn onto the frames by the encoder (electron/clips/decor.ts), so a frame whose page did not
// change need not be captured again. A frame source calls `clipPage.load(...)`, then
// `clipPage.seek(t)` per frame, in increasing time order, capturing after each seek returns (never
// overlapping the two).
import { Replayer } from 'rrweb'
import 'rrweb/dist/style.css'
import { frameTime, REPLAYER_OPTIONS } from '../../shared/replay-engine'
import { maskEventsText } from '../../shared/mask-text'
import type { LoadRequest, LoadResult } from '../../shared/frame-page'

type RrwebEvent = { type: number; timestamp: number; data?: unknown }

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? ''
const stage = document.getElementById('stage')!

async function call<T>(channel: string, req: unknown): Promise<T> {
  const res = await fetch(`./api/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(req),
  })
  const env = (await res.json()) as { ok: true; result: T } | { ok: false; error: { message: string } }
  if (!env.ok) throw new Error(`${channel}: ${env.error.message}`)
  return env.result
}

let replayer: Replayer | null = null
let events: RrwebEvent[] = []
/** The time the page shows (every event before it applied), or null: nothing drawn yet. */
let drawn: number | null = null
/** Which chunks the page holds, of which window. */
let held: { key: string; seqs: Set<number>; result: LoadResult } | null = null

async function load(req: LoadRequest): Promise<LoadResult> {
  const seqs = req.seqs
  if (!seqs.length) throw new Error(`no chunks of window ${req.window_id} to load`)
  // The page already holds these events (a later clip of the same stretch): keep them and the
  // Replayer; the first seek draws from the full snapshot again if it goes back.
  const key = `${req.session_id}\n${req.window_id}\n${seqs[0]}\n${req.mask_text === true}`
  if (replayer && held?.key === key && seqs.every((q) => held!.seqs.has(q))) return held.result
  const loaded: { seq: number; events: unknown[] }[] = []
  for (let i = 0; i < seqs.length; i += 200) loaded.push(...(await call<{ seq: number; events: unknown[] }[]>('replay:chunks', { id: req.session_id, window_id: req.window_id, seqs: seqs.slice(i, i + 200) })))
  events = loaded.sort((a, b) => a.seq - b.seq).flatMap((c) => c.events as RrwebEvent[])
  if (req.mask_text) events = maskEventsText(events)
  if (events.length < 2) throw new Error(`window ${req.window_id} of session ${req.session_id} has too few events to replay`)
  replayer?.destroy()
  held = null
  drawn = null
  stage.replaceChildren()
  replayer = new Replayer(events as never, {
    ...REPLAYER_OPTIONS,
    root: stage,
    // Transitions and animations run on wall-clock time, not replay time, and the caret blinks:
    // all three would make a frame depend on when it was captured.
    insertStyleRules: ['*,*::before,*::after{transition:none!important;animation:none!important;caret-color:transparent!important}'],
  })
  const vp = (events.find((e) => e.type === 4)?.data ?? {}) as { width?: number; height?: number }
  const size = { width: vp.width ?? 1280, height: vp.height ?? 800 }
  fit(size)
  replayer.on('resize', (d) => fit(d as { width: number; height: number }))
  held = { key, seqs: new Set(seqs), result: { ...size, events: events.length } }
  return held.result
}

/** Scales the recorded viewport into the page, centred (letterboxed). */
function fit(vp: { width: number; height: number }): void {
  const wrapper = replayer?.wrapper
  if (!wrapper) return
  const scale = Math.min(innerWidth / vp.width, innerHeight / vp.height)
  wrapper.style.transformOrigin = '0 0'
  wrapper.style.transform = `translate(${(innerWidth - vp.width * scale) / 2}px, ${(innerHeight - vp.height * scale) / 2}px) scale(${scale})`
}

/** Draws the recording at `at` (epoch ms) synchronously: the capture that follows shows it. */
function seek(at: number): number {
  const r = replayer
  if (!r) throw new Error('clipPage.seek before load')
  const t = frameTime(events, at)
  const ctx = r.service.state.context
  if (drawn !== null && t >= drawn) {
    // Forward: apply only the events in [drawn, t). rrweb would judge what is applied from its last
    // played event, and misjudges after a MouseMove (its first position's time, up to a second
    // early: events in between applied twice); a marker just below `drawn` says it exactly.
    ctx.lastPlayedEvent = { type: 3, timestamp: drawn - 0.001, data: { source: -1 } } as never
  } else {
    // Backward (or first): replay from the page's last full snapshot, as a fresh Replayer does.
    ctx.lastPlayedEvent = null
    ;(r as unknown as { emitter: { emit(type: 'play-back'): void } }).emitter.emit('play-back')
  }
  r.pause(Math.max(0, t - r.getMetaData().startTime))
  drawn = t
  return t
}

declare global {
  interface Window {
    clipPage: { load: typeof load; seek: typeof seek; ready: true }
  }
}
window.clipPage = { load, seek, ready: true }
