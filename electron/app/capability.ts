// What a capability is: one thing Sightline can do, declared once and used by every way in (the
// router for the app and web mode, the CLI). Its input schema is checked before anything runs;
// a job runs in the background with progress and cancel; run() calls the stages and nothing else.
import type { z } from 'zod'
import type { JobKind, ProgressFn } from '../../shared/model'
import type { SecretSource } from '../secrets'
import type { Store } from '../store'

/** What a capability's run gets: the store and where keys come from. Stages get these as arguments. */
export interface Deps {
  store: Store
  secrets: SecretSource
  /** How the caller reaches the core (app:info tells the renderer). */
  transport?: 'ipc' | 'http' | 'cli' | 'worker'
}

export interface RunContext {
  signal: AbortSignal
  progress: ProgressFn
}

export type Changed = 'sessions' | 'traces' | 'settings' | 'clusters'

interface Base<S extends z.ZodType, Out, P> {
  /** The request, validated (and defaulted) before prepare and run. */
  input: S
  /**
   * Checks and look-ups on the caller's side (settings, keys, ids), so a request that cannot work
   * fails at once rather than as a job; what it returns is what run gets (a worker gets it as data).
   */
  prepare?: (deps: Deps, input: z.output<S>) => Promise<P> | P
  run: (deps: Deps, input: P, ctx: RunContext) => Promise<Out> | Out
  /** Which lists to refresh after a run that returned `out`. */
  changes?: (out: Out) => Changed[]
}

// Capability modules load their stages inside prepare/run (await import), so that a command or
// channel loads only the code, and the SDKs, it uses.

/** Answers at once. */
export interface Query<S extends z.ZodType = z.ZodType, Out = unknown, P = z.output<S>> extends Base<S, Out, P> {
  job?: undefined
}

/** Runs in the background: progress, cancel, a record in the store; the caller gets its JobInfo. */
export interface Job<S extends z.ZodType = z.ZodType, Out = unknown, P = z.output<S>> extends Base<S, Out, P> {
  /** `worker`: in a worker thread with its own store connection (CPU-heavy work). */
  job: { kind: JobKind; title: (input: P) => string; worker?: true }
}

// Erased forms for code that handles any capability (the App, the worker): inputs were checked by the schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQuery = Query<z.ZodType, unknown, any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJob = Job<z.ZodType, unknown, any>
export type Capability = AnyQuery | AnyJob

/** Declares a capability that answers at once, with its types inferred. */
export const query = <S extends z.ZodType, Out, P = z.output<S>>(c: Base<S, Out, P>): Query<S, Out, P> => c

/** Declares a capability that runs as a job, with its types inferred. */
export const job = <S extends z.ZodType, Out, P = z.output<S>>(c: Job<S, Out, P>): Job<S, Out, P> => c

/** A context for running a capability inline (tests, a step that needs no job). */
export const inlineContext = (signal: AbortSignal = new AbortController().signal): RunContext => ({ signal, progress: () => {} })
