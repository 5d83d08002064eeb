import type { Database } from 'better-sqlite3'
import type { JobInfo, JobState } from '../../shared/model'

interface JobRow extends Omit<JobInfo, 'result'> {
  result: string | null
}

const toInfo = (r: JobRow): JobInfo => ({ ...r, result: r.result === null ? null : JSON.parse(r.result) })

export class JobQueries {
  constructor(private readonly db: Database) {}

  insert(j: JobInfo): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, title, state, progress, message, error, result, created_ms, finished_ms)
         VALUES (@id, @kind, @title, @state, @progress, @message, @error, @result, @created_ms, @finished_ms)`,
      )
      .run({ ...j, result: j.result === null ? null : JSON.stringify(j.result) })
  }

  update(j: JobInfo): void {
    this.db
      .prepare(
        `UPDATE jobs SET state = @state, progress = @progress, message = @message, error = @error,
         result = @result, finished_ms = @finished_ms WHERE id = @id`,
      )
      .run({ ...j, result: j.result === null || j.result === undefined ? null : JSON.stringify(j.result) })
  }

  get(id: string): JobInfo | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    return r && toInfo(r)
  }

  recent(limit = 50): JobInfo[] {
    const rows = this.db.prepare('SELECT * FROM jobs ORDER BY created_ms DESC LIMIT ?').all(limit) as JobRow[]
    return rows.map(toInfo)
  }

  /** Jobs left 'running' by a process that died: they did not finish, say so. */
  markInterrupted(now: number): number {
    const state: JobState = 'interrupted'
    return this.db
      .prepare(`UPDATE jobs SET state = ?, finished_ms = ?, message = 'Interrupted: the app stopped while it ran' WHERE state = 'running'`)
      .run(state, now).changes
  }
}
