// The player as an explicit state machine over rrweb's Replayer: React only sends commands and
// reads state. Chunks arrive on demand (plan.ts), so a 1-hour session opens as fast as a short one.
import { Replayer } from 'rrweb'
import { isMobileSnapshot, MOBILE_RECORDING_MESSAGE } from '../../shared/mobile'
import type { ReplayChunk } from '../../shared/model'
import { planChunks } from '../../shared/replay-plan'

export type Status = 'loading' | 'paused' | 'playing' | 'error'

export interface PlayerState {
  status: Status
  /** Playhead, epoch ms. */
  time: number
  speed: number
  skipInactive: boolean
  buffering: boolean
  error: string | null
  /** Recorded viewport and how it is scaled into the view. */
  viewport: { width: number; height: number; scale: number } | null
}

export type LoadChunks = (seqs: number[]) => Promise<{ seq: number; events: unknown[] }[]>

const AHEAD_MS = 20_000
const TICK_MS = 100

type RrwebEvent = { type: number; timestamp: number; data?: unknown }

export class PlayerController {
  private replayer: Replayer | null = null
  private segmentStart: number | null = null
  private loadedEnd: number | null = null
  private listeners = new Set<(s: PlayerState) => void>()
  private timer: number | undefined
  private loading: Promise<void> | null = null
  private destroyed = false
  private resizeObserver: ResizeObserver
  state: PlayerState

  constructor(
    private readonly mount: HTMLElement,
    private readonly chunks: ReplayChunk[],
    private readonly load: LoadChunks,
    private readonly range: { start: number; end: number },
    opts: { speed?: number; skipInactive?: boolean } = {},
  ) {
    this.state = { status: 'loading', time: range.start, speed: opts.speed ?? 1, skipInactive: opts.skipInactive ?? true, buffering: false, error: null, viewport: null }
    this.resizeObserver = new ResizeObserver(() => this.fit())
    this.resizeObserver.observe(mount)
  }

  subscribe(fn: (s: PlayerState) => void): () => void {
    this.listeners.add(fn)
    fn(this.state)
    return () => this.listeners.delete(fn)
  }

  /** Moves the playhead to `abs` (epoch ms), loading what it needs; keeps playing if it was. */
  async seek(abs: number, play = this.state.status === 'playing'): Promise<void> {
    const t = Math.max(this.range.start, Math.min(this.range.end, abs))
    this.set({ time: t })
    const plan = planChunks({ chunks: this.chunks, segmentStart: this.segmentStart, loadedEnd: this.loadedEnd, target: t, aheadMs: AHEAD_MS })
    if (plan.seqs.length) {
      this.set({ buffering: true, ...(this.replayer ? {} : { status: 'loading' as Status }) })
      try {
        const loaded = await this.load(plan.seqs)
        if (this.destroyed) return
        const events = loaded.flatMap((c) => c.events as RrwebEvent[])
        if (events.some(isMobileSnapshot)) throw new Error(MOBILE_RECORDING_MESSAGE)
        if (plan.mode === 'rebuild') this.rebuild(events, plan.seqs[0]!)
        else for (const e of events) this.replayer!.addEvent(e as never)
        this.loadedEnd = plan.seqs.at(-1)!
      } catch (e) {
        return this.set({ status: 'error', buffering: false, error: (e as Error).message })
      }
      this.set({ buffering: false })
    }
    if (!this.replayer) return this.set({ status: 'error', error: 'This window has no replayable recording.' })
    const offset = Math.max(0, t - this.replayer.getMetaData().startTime)
    if (play) {
      this.replayer.play(offset)
      this.set({ status: 'playing' })
      this.startTicking()
    } else {
      this.replayer.pause(offset)
      this.set({ status: 'paused' })
    }
  }

  play(): void {
    const atEnd = this.state.time >= this.range.end - 50
    void this.seek(atEnd ? this.range.start : this.state.time, true)
  }

  pause(): void {
    if (!this.replayer) return
    this.replayer.pause()
    this.stopTicking()
    this.set({ status: 'paused', time: this.now() })
  }

  toggle(): void {
    if (this.state.status === 'playing') this.pause()
    else this.play()
  }

  skip(deltaMs: number): void {
    void this.seek((this.replayer ? this.now() : this.state.time) + deltaMs)
  }

  setSpeed(speed: number): void {
    this.replayer?.setConfig({ speed })
    this.set({ speed })
  }

  setSkipInactive(skipInactive: boolean): void {
    this.replayer?.setConfig({ skipInactive })
    this.set({ skipInactive })
  }

  destroy(): void {
    this.destroyed = true
    this.stopTicking()
    this.resizeObserver.disconnect()
    this.replayer?.destroy()
    this.replayer = null
    this.listeners.clear()
  }

  private now(): number {
    if (!this.replayer) return this.state.time
    return this.replayer.getMetaData().startTime + this.replayer.getCurrentTime()
  }

  private rebuild(events: RrwebEvent[], from: number): void {
    this.replayer?.destroy()
    this.mount.replaceChildren()
    // The replay iframe is sandboxed without scripts (rrweb's default), and the page's CSP gives it
    // no remote origin: a recorded page can neither run code nor fetch anything.
    this.replayer = new Replayer(events as never, {
      root: this.mount,
      speed: this.state.speed,
      skipInactive: this.state.skipInactive,
      inactivePeriodThreshold: 5_000,
      maxSpeed: 360,
      mouseTail: false,
      showWarning: false,
      triggerFocus: false,
      UNSAFE_replayCanvas: false,
    })
    this.replayer.on('resize', (d) => {
      const { width, height } = d as { width: number; height: number }
      this.set({ viewport: { width, height, scale: 1 } })
      this.fit()
    })
    this.replayer.on('finish', () => {
      // rrweb finishes at the end of what it has; carry on if more chunks exist.
      if (this.loadedEnd !== null && this.loadedEnd < this.chunks.at(-1)!.seq) void this.seek(this.now() + 1, true)
      else {
        this.stopTicking()
        this.set({ status: 'paused', time: this.range.end })
      }
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
    const t = Math.min(this.now(), this.range.end)
    this.set({ time: t })
    if (this.loading) return
    const plan = planChunks({ chunks: this.chunks, segmentStart: this.segmentStart, loadedEnd: this.loadedEnd, target: t, aheadMs: AHEAD_MS })
    if (plan.mode !== 'extend' || plan.reason !== 'buffer_ahead') return
    this.loading = this.load(plan.seqs)
      .then((loaded) => {
        if (this.destroyed || !this.replayer) return
        for (const c of loaded) for (const e of c.events) this.replayer.addEvent(e as never)
        this.loadedEnd = plan.seqs.at(-1)!
      })
      .catch((e: Error) => this.set({ error: e.message }))
      .finally(() => (this.loading = null))
  }

  private set(patch: Partial<PlayerState>): void {
    this.state = { ...this.state, ...patch }
    for (const fn of this.listeners) fn(this.state)
  }
}
