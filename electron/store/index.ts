// The store: one SQLite file, opened the same way by the app, web mode, the CLI and workers.
// This folder holds the only SQL in the project.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { ChunkQueries } from './chunks'
import { EventQueries } from './events'
import { FlagQueries } from './flags'
import { LATEST_VERSION, migrations } from './migrations'
import { JobQueries } from './jobs'
import { ReplayQueries } from './replay'
import { SessionRollup } from './session-rollup'
import { SessionQueries } from './sessions'
import { SettingQueries } from './settings'
import { SourceQueries } from './sources'
import { SpanQueries } from './spans'
import { StagingArea } from './staging'
import { SummaryQueries } from './summaries'
import { TraceQueries } from './traces'

/** The database was written by a newer Sightline; opening it would risk the user's data. */
export class DbFromFutureError extends Error {
  constructor(file: string, version: number) {
    super(
      `${file} has schema version ${version}, newer than this Sightline understands (${LATEST_VERSION}). ` +
        'Update Sightline, or open another database with --db.',
    )
    this.name = 'DbFromFutureError'
  }
}

export class Store {
  readonly db: Database.Database
  readonly sources: SourceQueries
  readonly sessions: SessionQueries
  readonly traces: TraceQueries
  readonly spans: SpanQueries
  readonly jobs: JobQueries
  readonly settings: SettingQueries
  readonly events: EventQueries
  readonly chunks: ChunkQueries
  readonly rollup: SessionRollup
  readonly summaries: SummaryQueries
  readonly flags: FlagQueries
  readonly replay: ReplayQueries

  constructor(readonly file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('synchronous = NORMAL')
    // Another connection (a worker's import) may hold the write lock for a while.
    this.db.pragma('busy_timeout = 10000')
    migrate(this.db, file)
    this.sources = new SourceQueries(this.db)
    this.sessions = new SessionQueries(this.db)
    this.traces = new TraceQueries(this.db)
    this.spans = new SpanQueries(this.db)
    this.jobs = new JobQueries(this.db)
    this.settings = new SettingQueries(this.db)
    this.events = new EventQueries(this.db)
    this.chunks = new ChunkQueries(this.db)
    this.rollup = new SessionRollup(this.db)
    this.summaries = new SummaryQueries(this.db)
    this.flags = new FlagQueries(this.db)
    this.replay = new ReplayQueries(this.db)
  }

  /** Private scratch tables for one import (see StagingArea). */
  staging(): StagingArea {
    return new StagingArea(this.db)
  }

  /** Runs fn in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

export function openStore(file: string): Store {
  return new Store(file)
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > LATEST_VERSION) {
    db.close()
    throw new DbFromFutureError(file, current)
  }
  const pending = migrations.filter((m) => m.version > current)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const m of pending) {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
}
