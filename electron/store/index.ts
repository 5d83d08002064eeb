// The store: one SQLite file, opened the same way by the app, web mode, the CLI and workers.
// This folder holds the only SQL in the project.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { ChunkQueries } from './chunks'
import { ClipQueries } from './clips'
import { ClusterQueries } from './clusters'
import { EmbeddingQueries } from './embeddings'
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
import { SyncQueries } from './sync'
import { TraceSummaryQueries } from './trace-summaries'
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

/** How long a write waits for another connection's write lock before "database is locked" (a big import's commit takes seconds). */
const BUSY_TIMEOUT_MS = 60_000

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
  readonly clips: ClipQueries
  readonly sync: SyncQueries
  readonly traceSummaries: TraceSummaryQueries
  readonly embeddings: EmbeddingQueries
  readonly clusters: ClusterQueries

  constructor(readonly file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
    // First: another process (a second `sightline import`, the app) may hold the write lock for a
    // while, even as this one switches to WAL or migrates.
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('synchronous = NORMAL')
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
    this.clips = new ClipQueries(this.db)
    this.sync = new SyncQueries(this.db)
    this.traceSummaries = new TraceSummaryQueries(this.db)
    this.embeddings = new EmbeddingQueries(this.db)
    this.clusters = new ClusterQueries(this.db)
  }

  /** Private scratch tables for one import (see StagingArea). */
  staging(): StagingArea {
    return new StagingArea(this.db)
  }

  /**
   * Runs fn in one transaction: everything it writes lands, or nothing does. It takes the write
   * lock up front (BEGIN IMMEDIATE), so a writer in another process makes it wait (busy_timeout);
   * a deferred transaction that read first would fail "database is locked" when it came to write.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate()
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
  if (!migrations.some((m) => m.version > current)) return
  // Under the write lock, read the version again: another process may have migrated meanwhile.
  db.transaction(() => {
    const now = db.pragma('user_version', { simple: true }) as number
    for (const m of migrations.filter((m) => m.version > now)) {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }
  }).immediate()
}
