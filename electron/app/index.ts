// The capability layer's face: App runs any capability by name for the router (app, web mode)
// and the CLI alike — validate, prepare, then answer at once or start a job (in a worker thread
// when the capability says so) and tell listeners what changed.
import { z } from 'zod'
import type { JobInfo } from '../../shared/model'
import type { Core } from '../core'
import { CancelledError, NotFoundError, UserError } from '../errors'
import type { JobContext } from '../jobs'
import { runInWorker, type WorkerEntry } from '../jobs/run-in-worker'
import type { AnyJob, AnyQuery, Capability, Changed, Deps } from './capability'
import { capabilities, type Capabilities, type Name } from './table'
import type { WorkerInput } from './worker'

export { capabilities, type Name } from './table'
export type { Changed, Deps } from './capability'

type IsJob<N extends Name> = Capabilities[N] extends { job: object } ? true : false
/** What a capability's run returns. */
export type Output<N extends Name> = Capabilities[N] extends { run: (...args: never[]) => infer O } ? Awaited<O> : never
/** What a capability answers: its output, or the JobInfo of the job it started. */
export type Answer<N extends Name> = IsJob<N> extends true ? JobInfo : Output<N>
export type Input<N extends Name> = z.input<Capabilities[N]['input']>
export type JobName = { [N in Name]: IsJob<N> extends true ? N : never }[Name]

const WORKER: WorkerEntry = { source: new URL('./worker.ts', import.meta.url), built: 'worker.js' }

/** The request did not pass the capability's schema. */
export class InvalidInputError extends UserError {
  constructor(name: string, error: z.ZodError) {
    super(`Invalid request for ${name}: ${z.prettifyError(error)}`, 'invalid_request')
  }
}

export interface RunHooks {
  /** Every job update of the started job (progress bars). */
  onUpdate?: (job: JobInfo) => void
  /** Cancels the job when it fires (Ctrl-C). */
  signal?: AbortSignal
}

export class App {
  constructor(
    readonly core: Core,
    private readonly changed: (what: Changed) => void = () => {},
  ) {}

  get deps(): Deps {
    return { store: this.core.store, secrets: this.core.secrets, transport: this.core.transport }
  }

  /** Runs a capability: its answer, or, for a job, the JobInfo of the job now running. */
  async run<N extends Name>(name: N, raw: Input<N>): Promise<Answer<N>> {
    const cap = capabilities[name] as Capability
    const prepared = await this.prepare(name, cap, raw)
    if (cap.job) return this.startJob(name, cap as AnyJob, raw, prepared) as Answer<N>
    const out = await (cap as AnyQuery).run(this.deps, prepared as never, { signal: new AbortController().signal, progress: () => {} })
    this.tell(cap, out)
    return out as Answer<N>
  }

  /** Runs a job capability to its end: its result, or CancelledError / the job's error. */
  async complete<N extends JobName>(name: N, raw: Input<N>, hooks: RunHooks = {}): Promise<Output<N>> {
    const started = (await this.run(name, raw)) as JobInfo
    const off = hooks.onUpdate ? this.core.jobs.onJob((j) => j.id === started.id && hooks.onUpdate!(j)) : () => {}
    const cancel = () => this.core.jobs.cancel(started.id)
    hooks.signal?.addEventListener('abort', cancel)
    try {
      const done = await this.core.jobs.wait(started.id)
      if (done.state === 'cancelled') throw new CancelledError()
      if (done.state !== 'done') throw new UserError(done.error ?? `${done.title} failed`)
      return done.result as Output<N>
    } finally {
      off()
      hooks.signal?.removeEventListener('abort', cancel)
    }
  }

  /** Starts again what an interrupted (or any finished) job was asked to do. */
  async rerun(jobId: string): Promise<JobInfo> {
    const record = this.core.jobs.record(jobId)
    if (!record || !Object.hasOwn(capabilities, record.capability)) throw new NotFoundError('job that can be run again', jobId)
    const job = await this.run(record.capability as Name, record.input as never)
    this.core.jobs.clear(jobId)
    return job as unknown as JobInfo
  }

  private async prepare(name: Name, cap: Capability, raw: unknown): Promise<unknown> {
    const parsed = cap.input.safeParse(raw ?? {})
    if (!parsed.success) throw new InvalidInputError(name, parsed.error)
    return cap.prepare ? cap.prepare(this.deps, parsed.data as never) : parsed.data
  }

  private startJob(name: Name, cap: AnyJob, raw: unknown, prepared: unknown): JobInfo {
    const run = cap.job.worker
      ? (ctx: JobContext) => runInWorker(WORKER, name, { db: this.core.store.file, input: prepared } satisfies WorkerInput, ctx)
      : (ctx: JobContext) => Promise.resolve(cap.run(this.deps, prepared as never, ctx))
    return this.core.jobs.start(
      cap.job.kind,
      cap.job.title(prepared as never),
      async (ctx) => {
        const out = await run(ctx)
        this.tell(cap, out)
        return out
      },
      { capability: name, input: raw },
    )
  }

  private tell(cap: Capability, out: unknown): void {
    for (const what of cap.changes?.(out as never) ?? []) this.changed(what)
  }
}
