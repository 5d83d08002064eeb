// One clock for a session of several windows (browser tabs). Each window has its own
// PlayerController (its own Replayer and chunks, made when the window is first shown); all of them
// run on the session's range, and the one shown owns the clock. Which window is shown at t is
// shared/window-at.ts's rule (PostHog's), or the window the user pinned: a seek or playback that
// crosses into another window's segment hands the moment to that window's controller, which
// positions exactly there (the frame at t is that window's recording at t, as for one window).
// The window Auto shows next is loaded in the background, so the switch itself loads nothing.
import type { ReplayWindow } from '../../shared/model'
import { activityOf, segmentAt, windowSegments, type WindowSegment } from '../../shared/window-at'
import { PlayerController, type LoadChunks, type PlayerState } from './controller'

export interface SessionPlayerState extends PlayerState {
  /** The window shown. */
  windowId: string
  /** The window the user pinned, or null: Auto (follow the rule). */
  pinned: string | null
}

interface Slot {
  win: ReplayWindow
  mount: HTMLElement
  ctl: PlayerController
}

export class SessionPlayer {
  readonly segments: WindowSegment[]
  private slots = new Map<string, Slot>()
  private shown: Slot | null = null
  private pinned: string | null = null
  private listeners = new Set<(s: SessionPlayerState) => void>()
  private prefs: { speed: number; skipInactive: boolean }
  private destroyed = false
  state: SessionPlayerState | null = null

  constructor(
    private readonly host: HTMLElement,
    private readonly windows: ReplayWindow[],
    private readonly load: (windowId: string) => LoadChunks,
    private readonly range: { start: number; end: number },
    private readonly opts: { speed?: number; skipInactive?: boolean; inactive?: [number, number][] } = {},
  ) {
    if (windows.length === 0) throw new Error('SessionPlayer needs at least one recorded window')
    this.prefs = { speed: opts.speed ?? 1, skipInactive: opts.skipInactive ?? true }
    this.segments = windowSegments(windows, activityOf(windows), range.start, range.end)
  }

  subscribe(fn: (s: SessionPlayerState) => void): () => void {
    this.listeners.add(fn)
    if (this.state) fn(this.state)
    return () => this.listeners.delete(fn)
  }

  /** The window shown at `t`: the pinned one, else the rule's. */
  windowFor(t: number): string {
    if (this.pinned) return this.pinned
    return segmentAt(this.segments, t)?.window_id ?? this.windows[0]!.window_id
  }

  /** Moves the session clock to `abs`, in the window shown there; keeps playing if it was. */
  seek(abs: number, play?: boolean): Promise<void> {
    const t = Math.max(this.range.start, Math.min(this.range.end, abs))
    const playing = play ?? this.playing()
    return this.show(this.windowFor(t), t, playing)
  }

  /** Pins a window (null: Auto). The clock stays at the same session time. */
  pin(windowId: string | null): Promise<void> {
    if (windowId && !this.windows.some((w) => w.window_id === windowId)) throw new Error(`this session has no window ${windowId}`)
    this.pinned = windowId
    const t = this.shown ? this.now() : this.range.start
    return this.show(this.windowFor(t), t, this.playing())
  }

  play(): void {
    const t = this.now()
    void this.seek(t >= this.range.end - 50 ? this.range.start : t, true)
  }

  pause(): void {
    this.shown?.ctl.pause()
  }

  toggle(): void {
    if (this.playing()) this.pause()
    else this.play()
  }

  skip(deltaMs: number): void {
    void this.seek(this.now() + deltaMs)
  }

  setSpeed(speed: number): void {
    this.prefs.speed = speed
    for (const s of this.slots.values()) s.ctl.setSpeed(speed)
  }

  setSkipInactive(on: boolean): void {
    this.prefs.skipInactive = on
    for (const s of this.slots.values()) s.ctl.setSkipInactive(on)
  }

  destroy(): void {
    this.destroyed = true
    for (const s of this.slots.values()) s.ctl.destroy()
    this.slots.clear()
    this.listeners.clear()
    this.host.replaceChildren()
  }

  private playing(): boolean {
    return this.shown?.ctl.playing() ?? false
  }

  /** The session clock: the shown controller's playhead (or the moment it is seeking to). */
  private now(): number {
    return this.shown?.ctl.target() ?? this.range.start
  }

  /** Shows `windowId` at `t` (its controller positions exactly there); the previous one stops. */
  private show(windowId: string, t: number, play: boolean): Promise<void> {
    if (this.destroyed) return Promise.resolve()
    const next = this.slot(windowId)
    const prev = this.shown
    if (prev !== next) {
      this.shown = next
      for (const s of this.slots.values()) setShown(s.mount, s === next)
      // Hidden, it must not play on: shown again, it is always sought first.
      if (prev?.ctl.playing()) prev.ctl.pause()
    }
    const done = next.ctl.seek(t, play)
    this.emit(next.ctl.state)
    // Once this window is there, the next one Auto will switch to loads in the background.
    void done.then(() => this.prepareNext())
    return done
  }

  /** Loads the window shown after the current segment (Auto), so crossing into it does not wait. */
  private prepareNext(): void {
    if (this.destroyed || this.pinned || !this.shown) return
    const t = this.now()
    const next = this.segments.find((g) => g.start_ms > t && g.window_id !== this.shown!.win.window_id)
    if (next) this.slot(next.window_id).ctl.prefetch(next.start_ms)
  }

  private slot(windowId: string): Slot {
    const have = this.slots.get(windowId)
    if (have) return have
    const win = this.windows.find((w) => w.window_id === windowId)!
    const mount = document.createElement('div')
    mount.dataset.windowMount = windowId
    mount.style.cssText = 'position:absolute;inset:0'
    setShown(mount, false)
    this.host.appendChild(mount)
    const ctl = new PlayerController(mount, win.chunks, this.load(windowId), this.range, { ...this.prefs, inactive: this.opts.inactive })
    const slot = { win, mount, ctl }
    this.slots.set(windowId, slot)
    ctl.subscribe((s) => {
      if (this.shown === slot) this.onShownState(s)
    })
    return slot
  }

  private onShownState(s: PlayerState): void {
    this.emit(s)
    // Playback crossing into another window's segment: that window takes over at this moment.
    if (this.pinned || s.status !== 'playing' || s.pending) return
    const id = this.windowFor(s.time)
    if (id !== this.shown!.win.window_id) void this.show(id, s.time, true)
  }

  private emit(s: PlayerState): void {
    this.state = { ...s, windowId: this.shown!.win.window_id, pinned: this.pinned }
    for (const fn of this.listeners) fn(this.state)
  }
}

function setShown(mount: HTMLElement, shown: boolean): void {
  mount.style.visibility = shown ? 'visible' : 'hidden'
  if (shown) mount.setAttribute('data-shown', '')
  else mount.removeAttribute('data-shown')
}
