import type { Database } from 'better-sqlite3'
import type { JobInfo, JobState } from '../../shared/model'

interface JobRow extends Omit<JobInfo, 'result'> {
  result: string | null
}

const COLUMNS = 'id, kind, title, state, progress, message, error, result, created_ms, finished_ms'

const toInfo = (r: JobRow): JobInfo => ({ ...r, result: r.result === null ? null : JSON.parse(r.result) })

export interface JobOwner {
  pid: number
  capability?: string | undefined
  input?: unknown
}

export class JobQueries {
  constructor(private readonly db: Database) {}

  insert(j: JobInfo, owner: JobOwner): void {
    this.db
      .prepare(
        `INSERT INTO jobs (${COLUMNS}, pid, capability, input)
         VALUES (@id, @kind, @title, @state, @progress, @message, @error, @result, @created_ms, @finished_ms, @pid, @capability, @input)`,
      )
      .run({
        ...j,
        result: j.result === null ? null : JSON.stringify(j.result),
        pid: owner.pid,
        capability: owner.capability ?? null,
        input: owner.input === undefined ? null : JSON.stringify(owner.input),
      })
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
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined
    return r && toInfo(r)
  }

  /** The capability and input a job was started with (null for jobs stored before they were kept). */
  record(id: string): { capability: string; input: unknown } | undefined {
    const r = this.db.prepare('SELECT capability, input FROM jobs WHERE id = ?').get(id) as { capability: string | null; input: string | null } | undefined
    return r?.capability ? { capability: r.capability, input: r.input === null ? undefined : JSON.parse(r.input) } : undefined
  }

  remove(id: string): boolean {
    return this.db.prepare(`DELETE FROM jobs WHERE id = ? AND state != 'running'`).run(id).changes > 0
  }

  recent(limit = 50): JobInfo[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY created_ms DESC LIMIT ?`).all(limit) as JobRow[]
    return rows.map(toInfo)
  }

  /**
   * Jobs left 'running' by a process that is gone (`gone(pid)`; jobs stored without a pid count as
   * gone): they did not finish, say so. Jobs of live processes are left alone.
   */
  markInterrupted(now: number, gone: (pid: number) => boolean): number {
    const state: JobState = 'interrupted'
    const rows = this.db.prepare(`SELECT id, pid FROM jobs WHERE state = 'running'`).all() as { id: string; pid: number | null }[]
    const mark = this.db.prepare(`UPDATE jobs SET state = ?, finished_ms = ?, message = 'Interrupted: the process running it stopped' WHERE id = ? AND state = 'running'`)
    let n = 0
    for (const r of rows) if (r.pid === null || gone(r.pid)) n += mark.run(state, now, r.id).changes
    return n
  }
}
