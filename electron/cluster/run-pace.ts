// Long loops of the clustering engine call pace() now and then: it reports progress, gives the
// event loop a turn (so a cancel message can arrive) and throws CancelledError once cancelled.
import { CancelledError } from '../errors'

export interface EngineContext {
  signal?: AbortSignal | undefined
  /** fraction 0…1 of the current step, and what the step is. */
  progress?: ((fraction: number, message: string) => void) | undefined
}

/** How often the engine yields to the event loop (ms): often enough for a prompt cancel. */
const YIELD_MS = 40

export class Pacer {
  private last = performance.now()
  constructor(private readonly ctx: EngineContext = {}) {}

  /** Call from inside a long loop; cheap when no yield is due. */
  async tick(fraction: number, message: string): Promise<void> {
    if (this.ctx.signal?.aborted) throw new CancelledError()
    const now = performance.now()
    if (now - this.last < YIELD_MS) return
    this.last = now
    this.ctx.progress?.(Math.max(0, Math.min(1, fraction)), message)
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (this.ctx.signal?.aborted) throw new CancelledError()
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same run on every machine. */
export class Rng {
  private s: number
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }
}
