// What a clip's frames show besides the page, and which frames need the page drawn again. Both come
// from the events the frame page replays (the same chunks, shared/frame-page.ts clipSeqs):
// - A frame whose stretch since the previous frame holds no event that can change the page shows
//   the previous frame's page: it is not seeked or captured again (a capture costs ~40 ms of
//   Chromium CPU at any size, bench/clip.ts; at 10 fps most frames have no event in between).
// - The cursor, click ripple and session clock are drawn onto every frame by the encoder
//   (encode.ts), so they move without a capture.
import { cursorAt, cursorTrack, RIPPLE_MS } from '../../shared/cursor'
import { clipSeqs } from '../../shared/frame-page'
import { frameTime, REPLAYER_OPTIONS } from '../../shared/replay-engine'
import { EventType, IncrementalSource, MouseInteraction } from '../../shared/rrweb'
import type { ReplayReader } from './bridge'
import type { ClipPlan } from './plan'

type Ev = { type: number; timestamp: number; data?: unknown }

/** What the encoder draws on one frame, in output pixels. */
export interface FrameDecor {
  /** The pointer's tip, or null (not seen yet). */
  cursor: [number, number] | null
  /** A click's centre and its ripple stage (0, 1, 2 as it grows and fades), or null. */
  ripple: [number, number, number] | null
  /** Session time, m:ss.s. */
  clock: string
}

export interface ClipFrames {
  /** Per frame: draw and capture the page (else the previous frame's capture is shown again). */
  capture: boolean[]
  decor: FrameDecor[]
  /** Per run: the chunks its events come from (the frame page loads the same). */
  seqs: number[][]
}

export const RIPPLE_STAGES = 3

/** Interactions rrweb applies while seeking only by hovering their target: MouseDown, MouseUp,
 * Click, TouchStart, TouchEnd (a MouseDown also dispatches a plain 'mousedown' Event: untrusted,
 * so no default action, and no script runs in the replay document to hear it). */
const HOVER_ONLY = new Set<number>([MouseInteraction.MouseDown, MouseInteraction.MouseUp, MouseInteraction.Click, MouseInteraction.TouchStart, MouseInteraction.TouchEnd])

/**
 * What an event does to the page when applied while seeking: nothing (custom events, plugin data,
 * a Focus, which rrweb applies only with `triggerFocus`), hover a node (pointer moves and clicks:
 * rrweb moves its hidden cursor and the `:hover` class to the node under the pointer, rrweb's
 * Replayer moveAndHover), or anything else ('change'). A Blur still counts: it can end a focus the
 * page had.
 */
function effect(e: Ev): 'none' | 'change' | { hover: number } {
  if (e.type === EventType.Custom || e.type === EventType.Plugin) return 'none'
  if (e.type !== EventType.IncrementalSnapshot) return 'change'
  const d = e.data as { source?: number; type?: number; id?: number; positions?: { id?: number }[] } | undefined
  if ((d?.source === IncrementalSource.MouseMove || d?.source === IncrementalSource.TouchMove || d?.source === IncrementalSource.Drag) && d.positions?.length) {
    const id = d.positions.at(-1)!.id
    return typeof id === 'number' ? { hover: id } : 'change'
  }
  if (d?.source === IncrementalSource.MouseInteraction && d.type === MouseInteraction.Focus && !REPLAYER_OPTIONS.triggerFocus) return 'none'
  if (d?.source === IncrementalSource.MouseInteraction && HOVER_ONLY.has(d.type ?? -1) && typeof d.id === 'number' && d.id !== -1) return { hover: d.id }
  return 'change'
}

/** Incremental events that can carry style sheets or rules. */
const CSS_SOURCES = new Set<number>([IncrementalSource.Mutation, IncrementalSource.StyleSheetRule, IncrementalSource.StyleDeclaration, IncrementalSource.AdoptedStyleSheet])

/**
 * Whether a hover can change what the page shows. rrweb shows hover by putting a `:hover` class on
 * the hovered node and its ancestors, and adds `.\:hover` to every selector that says `:hover`; so
 * only CSS that says `:hover`, or looks at the class attribute itself (`[class^=…]`,
 * `:not([class])`, `attr(class)`), can see it. Looks through every string of the events that can
 * carry CSS (page snapshots, DOM changes, style sheet rules and declarations; not pointer, input
 * or plugin data), counting text that merely mentions either too, to be safe.
 */
export function hoverCanShow(events: readonly Ev[]): boolean {
  const CSS = /:hover|\[[^\]]*class|attr\([^)]*class/i
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') return CSS.test(v)
    if (Array.isArray(v)) return v.some(walk)
    if (v && typeof v === 'object') return Object.values(v).some(walk)
    return false
  }
  const carriesCss = (e: Ev) => e.type === EventType.FullSnapshot || (e.type === EventType.IncrementalSnapshot && CSS_SOURCES.has((e.data as { source?: number } | undefined)?.source ?? -1))
  return events.some((e) => carriesCss(e) && walk(e.data))
}

const addsNodes = (e: Ev) => {
  const d = e.data as { source?: number; adds?: unknown[] } | undefined
  return e.type === EventType.IncrementalSnapshot && d?.source === IncrementalSource.Mutation && (d.adds?.length ?? 0) > 0
}

/**
 * Which frames show a page unlike the frame before. The page at a frame shows every event before
 * its draw time (shared/replay-engine.ts frameTime); going forward it applies the events in
 * [previous draw time, this one). Those change nothing when they are custom events, focus, or
 * pointer moves and clicks whose last one leaves the hover where it was (rrweb hovers only the last
 * pointer position of what it applies) or where no CSS can show a hover. The first frame, and any
 * frame drawn earlier than the one before, is always captured. `events` sorted by time.
 */
export function framesToCapture(events: readonly Ev[], times: readonly number[]): boolean[] {
  const hovers = hoverCanShow(events)
  let k = 0
  let hovered: number | null = null
  /** Applies the events before t; says whether the page changed. */
  const applyTo = (t: number): boolean => {
    let changed = false
    let hover: number | null = null
    for (; k < events.length && events[k]!.timestamp < t; k++) {
      const e = events[k]!
      const x = effect(e)
      if (x === 'none' || (!hovers && typeof x === 'object')) continue
      if (x === 'change') {
        changed = true
        // A new document (ids start over), or new nodes: a pointer on a node rrweb did not have yet
        // hovered nothing, so the next hover counts as a change.
        if (e.type === EventType.FullSnapshot || addsNodes(e)) hovered = hover = null
      } else hover = x.hover
    }
    if (hover !== null && hover !== hovered) {
      hovered = hover
      changed = true
    }
    return changed
  }
  let prev = -Infinity
  return times.map((at, i) => {
    const t = frameTime(events, at)
    if (t < prev) {
      // Drawn from the full snapshot again: state as of t.
      k = 0
      hovered = null
      applyTo(t)
      prev = t
      return true
    }
    prev = t
    return applyTo(t) || i === 0
  })
}

/** The recorded viewport's size after the events before t (the first Meta's before any). */
function viewportAt(events: readonly Ev[], t: number): { width: number; height: number } {
  let vp = { width: 1280, height: 800 }
  let seen = false
  for (const e of events) {
    const d = e.data as { source?: number; width?: number; height?: number } | undefined
    const sized = d && Number(d.width) > 0 && Number(d.height) > 0
    if (!sized || !(e.type === EventType.Meta || (e.type === EventType.IncrementalSnapshot && d.source === IncrementalSource.ViewportResize))) continue
    if (seen && e.timestamp >= t) break
    vp = { width: d.width!, height: d.height! }
    seen = true
  }
  return vp
}

const clock = (ms: number): string => {
  const s = Math.max(0, ms) / 1000
  const m = Math.floor(s / 60)
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`
}

/**
 * The cursor, ripple and clock of each frame at `times`, in pixels of an output of `size`, where
 * the frame page letterboxes the recorded viewport (renderer/render/main.ts fit). `events` sorted.
 */
export function frameDecor(events: readonly Ev[], times: readonly number[], size: { width: number; height: number }, sessionStart: number): FrameDecor[] {
  const track = cursorTrack(events)
  return times.map((at) => {
    const vp = viewportAt(events, frameTime(events, at))
    const s = Math.min(size.width / vp.width, size.height / vp.height)
    const ox = (size.width - vp.width * s) / 2
    const oy = (size.height - vp.height * s) / 2
    const px = (x: number, y: number): [number, number] => [Math.round(ox + x * s), Math.round(oy + y * s)]
    const c = cursorAt(track, at)
    const click = c?.click
    return {
      cursor: c ? px(c.x, c.y) : null,
      ripple: click ? [...px(click.x, click.y), Math.min(RIPPLE_STAGES - 1, Math.floor((click.age / RIPPLE_MS) * RIPPLE_STAGES))] : null,
      clock: clock(at - sessionStart),
    }
  })
}

/** The capture plan and decorations of a whole clip, run by run (a run shows one window). */
export function clipFrames(reader: ReplayReader, sessionId: string, plan: ClipPlan): ClipFrames {
  const meta = reader.meta(sessionId)
  const out: ClipFrames = { capture: [], decor: [], seqs: [] }
  for (const run of plan.runs) {
    const win = meta.windows.find((w) => w.window_id === run.window_id)
    if (!win) throw new Error(`session ${sessionId} has no window ${run.window_id}`)
    const seqs = clipSeqs(win.chunks, run.times[0]!, run.times.at(-1)!)
    const events = reader
      .chunks(sessionId, run.window_id, seqs)
      .sort((a, b) => a.seq - b.seq)
      .flatMap((c) => c.events as Ev[])
      .sort((a, b) => a.timestamp - b.timestamp)
    out.seqs.push(seqs)
    out.capture.push(...framesToCapture(events, run.times))
    out.decor.push(...frameDecor(events, run.times, plan, meta.session.start_ms))
  }
  return out
}
