// The player as an explicit state machine over rrweb's Replayer: React only sends commands and
// reads state. Chunks arrive on demand (shared/replay-plan.ts), so a 1-hour session opens as fast
// as a short one.
//
// Exactness: every seek is reconciled by one loop (latest target wins; overlapping seeks never
// interleave their loads and positionings), chunks are appended to the Replayer's event list
// synchronously before it is positioned (rrweb's addEvent applies events a microtask later, and
// while paused casts the ones before the playhead into a virtual DOM that nothing flushes: the
// stale frames of issue 13), and the Replayer runs without its virtual DOM (REPLAYER_OPTIONS).
import { Replayer } from 'rrweb'
import { isMobileSnapshot, MOBILE_RECORDING_MESSAGE } from '../../shared/mobile'
import type { ReplayChunk } from '../../shared/model'
import { positionAt, REPLAYER_OPTIONS, seekTime, skipTarget } from '../../shared/replay-engine'
import { planChunks, type Plan } from '../../shared/replay-plan'

export type Status = 'loading' | 'paused' | 'playing' | 'error'

export interface PlayerState {
  status: Status
  /** Playhead, epoch ms. */
  time: number
  speed: number
  skipInactive: boolean
  buffering: boolean
  /** A seek is still being carried out: the frame is not yet the one at `time`. */
  pending: boolean
  error: string | null
  /** Recorded viewport and how it is scaled into the view. */
  viewport: { width: number; height: number; scale: number } | null
}

export type LoadChunks = (seqs: number[]) => Promise<{ seq: number; events: unknown[] }[]>

const AHEAD_MS = 20_000
const TICK_MS = 100

type RrwebEvent = { type: number; timestamp: number; data?: unknown }
/** Where the reconcile loop must bring the Replayer; t null: wherever it is playing by then. */
type Target = { t: number | null; play: boolean }

export class PlayerController {
  private replayer: Replayer | null = null
  private segmentStart: number | null = null
  private loadedEnd: number | null = null
  private listeners = new Set<(s: PlayerState) => void>()
  private timer: number | undefined
  private want: Target | null = null
  private work: Promise<void> | null = null
  private running = false
  /** Playback's own clock: the playhead at a wall time (performance.now). rrweb's timer stops
   * advancing when it runs out of loaded events (an idle stretch, a chunk not yet loaded). */
  private anchor: { wall: number; t: number } | null = null
  private destroyed = false
  private resizeObserver: ResizeObserver
  state: PlayerState

  constructor(
    private readonly mount: HTMLElement,
    private readonly chunks: ReplayChunk[],
    private readonly load: LoadChunks,
    private readonly range: { start: number; end: number },
    opts: { speed?: number; skipInactive?: boolean; inactive?: [number, number][] } = {},
  ) {
    this.inactive = opts.inactive ?? []
    this.state = {
      status: 'loading',
      time: range.start,
      speed: opts.speed ?? 1,
      skipInactive: opts.skipInactive ?? true,
      buffering: false,
      pending: false,
      error: null,
      viewport: null,
    }
    this.resizeObserver = new ResizeObserver(() => this.fit())
    this.resizeObserver.observe(mount)
  }

  /** Idle gaps (epoch ms) that playback jumps over while skipInactive is on. */
  private readonly inactive: [number, number][]

  subscribe(fn: (s: PlayerState) => void): () => void {
    this.listeners.add(fn)
    fn(this.state)
    return () => this.listeners.delete(fn)
  }

  /**
   * Moves the playhead to `abs` (epoch ms), loading what it needs; keeps playing if it was.
   * Resolves when the frame shown is the recording at the latest target asked for.
   */
  seek(abs: number, play = this.playing()): Promise<void> {
    const t = seekTime(abs, this.range)
    this.stopTicking()
    // Stop the old position's timer now: nothing it would cast belongs to the new moment.
    if (this.state.status === 'playing') this.replayer?.pause()
    return this.reconcile({ t, play }, { time: t })
  }

  /**
   * Readies a hidden window to be shown at `abs`: loads the chunks that moment needs (and
   * positions there, paused) unless they are loaded already or the controller is busy. Showing it
   * then needs no load: the seek positions at once.
   */
  prefetch(abs: number): void {
    if (this.running || this.destroyed) return
    const t = seekTime(abs, this.range)
    const plan = planChunks({ chunks: this.chunks, segmentStart: this.segmentStart, loadedEnd: this.loadedEnd, target: t, aheadMs: AHEAD_MS })
    if (!this.replayer || plan.reason === 'seek_target') void this.reconcile({ t, play: false }, { time: t })
  }

  play(): void {
    const t = this.target()
    void this.seek(t >= this.range.end - 50 ? this.range.start : t, true)
  }

  /** Pauses exactly at the current moment (the frame becomes the recording at that ms). */
  pause(): void {
    if (this.replayer || this.want) void this.seek(this.target(), false)
  }

  toggle(): void {
    if (this.playing()) this.pause()
    else this.play()
  }

  skip(deltaMs: number): void {
    void this.seek(this.target() + deltaMs)
  }

  setSpeed(speed: number): void {
    if (this.anchor) this.anchor = { wall: performance.now(), t: this.now() }
    this.replayer?.setConfig({ speed })
    this.set({ speed })
  }

  setSkipInactive(skipInactive: boolean): void {
    this.set({ skipInactive })
  }

  destroy(): void {
    this.destroyed = true
    this.want = null
    this.stopTicking()
    this.resizeObserver.disconnect()
    this.replayer?.destroy()
    this.replayer = null
    this.listeners.clear()
  }

  /** Playing, or about to play once the pending seek is done. */
  playing(): boolean {
    return this.want ? this.want.play : this.state.status === 'playing'
  }

  /** The moment commands start from: a pending seek's target, else the playhead. */
  target(): number {
    if (this.want?.t != null) return this.want.t
    return this.state.status === 'playing' ? Math.round(this.now()) : this.state.time
  }

  private now(): number {
    if (this.state.status !== 'playing' || !this.anchor) return this.state.time
    return Math.min(this.range.end, this.anchor.t + (performance.now() - this.anchor.wall) * this.state.speed)
  }

  private reconcile(target: Target, patch: Partial<PlayerState> = {}): Promise<void> {
    this.want = target
    this.set({ ...patch, pending: true })
    // run() may finish without awaiting anything: flag it before it starts.
    if (!this.running) {
      this.running = true
      this.work = this.run()
    }
    return this.work!
  }

  /** Brings the Replayer to `want`, which may change while chunks load: the latest one wins. */
  private async run(): Promise<void> {
    try {
      while (this.want && !this.destroyed) {
        const want = this.want
        const plan = planChunks({ chunks: this.chunks, segmentStart: this.segmentStart, loadedEnd: this.loadedEnd, target: want.t ?? this.now(), aheadMs: AHEAD_MS })
        if (plan.seqs.length) {
          if (want.t !== null) this.set({ buffering: true, ...(this.replayer ? {} : { status: 'loading' as Status }) })
          const loaded = await this.load(plan.seqs)
          if (this.destroyed) return
          this.apply(plan, loaded)
          continue // plan again for the newest target: it may need more
        }
        this.want = null
        this.position(want.t ?? Math.round(this.now()), want.play)
      }
    } catch (e) {
      this.want = null
      this.stopTicking()
      this.set({ status: 'error', error: (e as Error).message })
    } finally {
      this.running = false
      if (!this.destroyed) this.set({ buffering: false, pending: false })
    }
  }

  private apply(plan: Plan, loaded: { seq: number; events: unknown[] }[]): void {
    const events = [...loaded].sort((a, b) => a.seq - b.seq).flatMap((c) => c.events as RrwebEvent[])
    if (events.some(isMobileSnapshot)) throw new Error(MOBILE_RECORDING_MESSAGE)
    if (plan.mode === 'rebuild' || !this.replayer) this.rebuild(events, plan.seqs[0]!)
    else this.append(events)
    this.loadedEnd = plan.seqs.at(-1)!
  }

  /**
   * Adds events to the Replayer's list in time order, applying none of them: the next
   * play/pause(offset) replays what lies before its offset. (Replayer.addEvent would apply them a
   * microtask later, against whatever position the Replayer has by then.)
   */
  private append(events: RrwebEvent[]): void {
    const list = this.replayer!.service.state.context.events as RrwebEvent[]
    for (const e of events) {
      let lo = 0
      let hi = list.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (list[mid]!.timestamp <= e.timestamp) lo = mid + 1
        else hi = mid
      }
      list.splice(lo, 0, e)
    }
  }

  private position(at: number, play: boolean): void {
    if (!this.replayer) throw new Error('This window has no replayable recording.')
    // One ms past the end is allowed: the frame at the end shows the last event too.
    const t = positionAt(this.replayer, at, { play, max: this.range.end + 1 })
    if (play) {
      this.anchor = { wall: performance.now(), t }
      this.set({ status: 'playing', time: t })
      this.startTicking()
    } else {
      this.anchor = null
      this.set({ status: 'paused', time: t })
    }
  }

  private rebuild(events: RrwebEvent[], from: number): void {
    this.replayer?.destroy()
    this.replayer = null
    this.mount.replaceChildren()
    if (events.length < 2) throw new Error(`This window's recording has too few events to replay (chunk ${from}).`)
    this.replayer = new Replayer(events as never, { ...REPLAYER_OPTIONS, root: this.mount, speed: this.state.speed })
    this.replayer.on('resize', (d) => {
      const { width, height } = d as { width: number; height: number }
      this.set({ viewport: { width, height, scale: 1 } })
      this.fit()
    })
    this.segmentStart = from
    this.loadedEnd = null
    const meta = (events.find((e) => e.type === 4)?.data ?? null) as { width?: number; height?: number } | null
    if (meta?.width && meta.height) this.set({ viewport: { width: meta.width, height: meta.height, scale: 1 } })
    this.fit()
  }

  /** Scales the recorded viewport to fit the mount, centred. */
  private fit(): void {
    const vp = this.state.viewport
    const wrapper = this.replayer?.wrapper
    if (!vp || !wrapper) return
    const box = this.mount.getBoundingClientRect()
    const scale = Math.min(box.width / vp.width, box.height / vp.height) || 1
    wrapper.style.transformOrigin = '0 0'
    wrapper.style.transform = `translate(${(box.width - vp.width * scale) / 2}px, ${(box.height - vp.height * scale) / 2}px) scale(${scale})`
    if (scale !== vp.scale) this.set({ viewport: { ...vp, scale } })
  }

  private startTicking(): void {
    this.stopTicking()
    this.timer = window.setInterval(() => this.tick(), TICK_MS)
  }

  private stopTicking(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer)
    this.timer = undefined
  }

  private tick(): void {
    // A seek on its way owns the clock; a read-ahead load does not stop it.
    if (this.state.status !== 'playing' || (this.want && this.want.t !== null)) return
    const t = Math.round(this.now())
    if (t >= this.range.end) return void this.seek(this.range.end, false)
    this.set({ time: t })
    // Idle time passes in one jump, whatever the speed.
    const to = this.state.skipInactive ? skipTarget(this.inactive, t) : null
    if (to !== null) return void this.seek(to, true)
    const plan = planChunks({ chunks: this.chunks, segmentStart: this.segmentStart, loadedEnd: this.loadedEnd, target: t, aheadMs: AHEAD_MS })
    if (!this.running && plan.mode === 'extend' && plan.reason === 'buffer_ahead') void this.reconcile({ t: null, play: true })
  }

  private set(patch: Partial<PlayerState>): void {
    this.state = { ...this.state, ...patch }
    for (const fn of this.listeners) fn(this.state)
  }
}
