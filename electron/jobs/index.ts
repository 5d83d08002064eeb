// Background jobs: long work with progress, cancel and a record in the store. The UI (over IPC or
// SSE) and the CLI (a progress bar) both watch the same 'job' events. This module knows no stage:
// the capability layer (electron/app) says what a job runs.
import { EventEmitter } from 'node:events'
import { randomUUID } from 'node:crypto'
import type { JobInfo, JobKind, ProgressFn } from '../../shared/model'
import { CancelledError, capMessage, toApiError } from '../errors'
import type { Store } from '../store'
import { alive } from '../processes'

export interface JobContext {
  signal: AbortSignal
  progress: ProgressFn
}

export type JobRun<T> = (ctx: JobContext) => Promise<T>

/** What the job was asked to do, kept with it so an interrupted job can be run again. */
export interface JobRecord {
  capability: string
  /** The input as given (never secrets: those are looked up again when it runs). */
  input: unknown
}

interface Running {
  info: JobInfo
  controller: AbortController
  done: Promise<JobInfo>
}

// Progress can arrive thousands of times a second; listeners get at most one update per interval.
const PROGRESS_INTERVAL_MS = 100

export class JobManager {
  private readonly emitter = new EventEmitter()
  private readonly running = new Map<string, Running>()

  /** `scrub` removes secrets from error text before it is stored or shown. */
  constructor(
    private readonly store: Store,
    private readonly scrub: (text: string) => string = (t) => t,
  ) {
    // A job still 'running' in the store whose process is gone was interrupted; jobs of other live
    // processes (a CLI import beside the app) are theirs.
    store.jobs.markInterrupted(Date.now(), (pid) => pid !== process.pid && !alive(pid))
  }

  onJob(listener: (job: JobInfo) => void): () => void {
    this.emitter.on('job', listener)
    return () => this.emitter.off('job', listener)
  }

  start<T>(kind: JobKind, title: string, run: JobRun<T>, record?: JobRecord): JobInfo {
    const info: JobInfo = {
      id: randomUUID(),
      kind,
      title,
      state: 'running',
      progress: null,
      message: '',
      error: null,
      result: null,
      created_ms: Date.now(),
      finished_ms: null,
    }
    this.store.jobs.insert(info, { pid: process.pid, ...record })
    const controller = new AbortController()
    let lastEmit = 0
    const ctx: JobContext = {
      signal: controller.signal,
      progress: ({ fraction, message }) => {
        info.progress = fraction === null ? null : Math.max(0, Math.min(1, fraction))
        if (message !== undefined) info.message = message
        const now = Date.now()
        if (now - lastEmit >= PROGRESS_INTERVAL_MS) {
          lastEmit = now
          this.emit(info)
        }
      },
    }
    const done = (async () => {
      try {
        const result = await run(ctx)
        if (controller.signal.aborted) throw new CancelledError()
        Object.assign(info, { state: 'done', progress: 1, result })
      } catch (e) {
        if (e instanceof CancelledError || controller.signal.aborted) Object.assign(info, { state: 'cancelled', message: 'Cancelled' })
        else Object.assign(info, { state: 'failed', error: capMessage(this.scrub(toApiError(e).message)) })
      }
      info.finished_ms = Date.now()
      this.running.delete(info.id)
      if (this.store.db.open) this.store.jobs.update(info)
      this.emit(info)
      return { ...info }
    })()
    this.running.set(info.id, { info, controller, done })
    this.emit(info)
    return { ...info }
  }

  /** Resolves when the job has finished, whatever its outcome. */
  async wait(id: string): Promise<JobInfo> {
    const r = this.running.get(id)
    if (r) return r.done
    const stored = this.store.jobs.get(id)
    if (!stored) throw new Error(`No job ${id}`)
    return stored
  }

  cancel(id: string): boolean {
    const r = this.running.get(id)
    if (!r) return false
    r.controller.abort()
    return true
  }

  list(): JobInfo[] {
    const live = new Map([...this.running.values()].map((r) => [r.info.id, { ...r.info }]))
    return this.store.jobs.recent().map((j) => live.get(j.id) ?? j)
  }

  /** What an interrupted (or finished) job was asked to do, to run it again. */
  record(id: string): JobRecord | undefined {
    return this.store.jobs.record(id)
  }

  /** Forgets a job that is not running (e.g. an interrupted one the user has dealt with). */
  clear(id: string): boolean {
    if (this.running.has(id)) return false
    return this.store.jobs.remove(id)
  }

  /** Cancels everything still running and waits for it to wind down. */
  async shutdown(): Promise<void> {
    const all = [...this.running.values()]
    for (const r of all) r.controller.abort()
    await Promise.allSettled(all.map((r) => r.done))
  }

  private emit(info: JobInfo): void {
    this.emitter.emit('job', { ...info })
  }
}
