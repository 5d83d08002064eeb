// How the replay engine (rrweb's Replayer) is set up and positioned, shared by the player, the clip
// renderer and the tests' reference replayer, so "the recording at t" means one thing everywhere.

/** rrweb Replayer options (all but `root`), for every Replayer the app or its tests create. */
export const REPLAYER_OPTIONS = {
  // Skipping is done by the player (jumping over idle gaps, see skipTarget): rrweb's own skip
  // speeds up only between incremental events and takes ~5 s of wall time per gap.
  skipInactive: false,
  maxSpeed: 360,
  mouseTail: false,
  showWarning: false,
  triggerFocus: false,
  // The replay iframe is sandboxed without scripts (rrweb's default), and the page's CSP gives it
  // no remote origin: a recorded page can neither run code nor fetch anything.
  UNSAFE_replayCanvas: false,
  // rrweb's virtual-DOM fast-forward (the default) loses nodes on seeks: its flush destroys the
  // virtual tree before resolving the nodes still waiting for a sibling, so they are never
  // inserted (rrweb issue 1358, PR 1806), and events cast while paused stay in a virtual tree that
  // nothing flushes. Seeks apply events to the real DOM instead: slower on very long stretches,
  // but the frame at t is the recording at t.
  useVirtualDom: false,
} as const

/** Seek targets are whole milliseconds: rrweb applies events strictly before the target, and a
 * fractional target (from a pixel on the slider) would make that boundary depend on rounding. */
export const seekTime = (t: number, range: { start: number; end: number }): number => Math.round(Math.max(range.start, Math.min(range.end, t)))

/** Where playback at t continues when idle gaps are skipped: the gap's end if t is inside one. */
export function skipTarget(gaps: readonly [number, number][], t: number): number | null {
  for (const [a, b] of gaps) if (t >= a && t < b) return b
  return null
}

/**
 * The moment a frame at `t` is drawn at. Before a page's FullSnapshot (the recording's start, or
 * between a navigation's Meta and its FullSnapshot, usually a few ms) rrweb has no page to show,
 * and disagrees with itself: a fresh Replayer shows a blank document there, one that seeks
 * forward keeps the previous page, and a new one draws its first page a moment later. Such
 * moments are drawn just after the FullSnapshot, so every path shows the new page (or, when no
 * FullSnapshot follows, just before the Meta: the last page shown).
 * `events` sorted by timestamp.
 */
export function frameTime(events: readonly { type: number; timestamp: number }[], t: number): number {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (events[mid]!.timestamp <= t) lo = mid + 1
    else hi = mid
  }
  // The last Meta or FullSnapshot at or before t; none: the page has not been opened yet.
  let j = lo - 1
  while (j >= 0 && events[j]!.type !== META && !(events[j]!.type === FULL_SNAPSHOT && events[j]!.timestamp < t)) j--
  if (j >= 0 && events[j]!.type === FULL_SNAPSHOT) return t
  for (let k = j + 1; k < events.length; k++) if (events[k]!.type === FULL_SNAPSHOT) return Math.max(t, events[k]!.timestamp + 1)
  // A page opened but never recorded (the recording ends first): the last page drawn stays.
  return j >= 0 ? events[j]!.timestamp - 1 : t
}

const FULL_SNAPSHOT = 2
const META = 4

/** What positionAt uses of rrweb's Replayer (structurally: shared/ imports no rrweb). */
export interface Positionable {
  service: { state: { context: { events: readonly { type: number; timestamp: number }[]; lastPlayedEvent: unknown } } }
  getMetaData(): { startTime: number }
  play(offset: number): void
  pause(offset: number): void
}

/**
 * Shows the recording at `at` (epoch ms; drawn at frameTime's moment, at most `max`), paused or
 * playing on from there, and returns the moment drawn. It replays from the page's last full
 * snapshot, as a fresh Replayer does: rrweb's shortcut (skip what it believes is applied already)
 * misjudges around MouseMove events, whose "played" time is their first position's, up to a
 * second earlier — events in between were applied twice (duplicated text, a basket count of 1
 * instead of 0) or, seeking back, not undone. This is rrweb's own seek-back path ('play-back'),
 * taken every time. The player and the clip renderer both position this way.
 */
export function positionAt(r: Positionable, at: number, opts: { play?: boolean; max?: number } = {}): number {
  const ctx = r.service.state.context
  const t = Math.min(opts.max ?? Infinity, frameTime(ctx.events, at))
  ctx.lastPlayedEvent = null
  ;(r as unknown as { emitter: { emit(type: 'play-back'): void } }).emitter.emit('play-back')
  const offset = Math.max(0, t - r.getMetaData().startTime)
  if (opts.play) r.play(offset)
  else r.pause(offset)
  return t
}
