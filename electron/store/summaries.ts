import type { Database } from 'better-sqlite3'
import type { KeyMoment, Outcome, SummarySegment, SummaryVersion, Usage } from '../../shared/summary'
import { FlagQueries, type NewFlag } from './flags'

export interface NewSummary {
  session_id: string
  provider: SummaryVersion['provider']
  model: string
  kind: SummaryVersion['kind']
  goal: string
  outcome: Outcome
  outcome_reason: string
  segments: SummarySegment[]
  key_moments: KeyMoment[]
  usage: Usage
  run_key: string | null
  flags: NewFlag[]
  /** The version (its id) this one was made from by applying verdicts. */
  verified_from?: number | null
}

const SELECT = 'SELECT m.*, v.version AS verified_from_version FROM summaries m LEFT JOIN summaries v ON v.id = m.verified_from'

interface Raw {
  id: number
  session_id: string
  version: number
  created_ms: number
  provider: SummaryVersion['provider']
  model: string
  kind: SummaryVersion['kind']
  goal: string
  outcome: Outcome
  outcome_reason: string
  segments: string
  key_moments: string
  usage: string
  verified_from_version: number | null
}

/** Versioned session summaries (never updated in place) and the checkpoints of summary runs. */
export class SummaryQueries {
  private readonly flags: FlagQueries

  constructor(private readonly db: Database) {
    this.flags = new FlagQueries(db)
  }

  /**
   * Adds the next version with its flags, and drops the run's checkpoints, in one transaction: a
   * run either lands whole (and a re-run starts afresh) or not at all (and a re-run resumes).
   */
  insert(s: NewSummary, now: number): SummaryVersion {
    return this.db.transaction(() => {
      const { v } = this.db.prepare('SELECT coalesce(max(version), 0) + 1 AS v FROM summaries WHERE session_id = ?').get(s.session_id) as { v: number }
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO summaries (session_id, version, created_ms, provider, model, kind, goal, outcome, outcome_reason, segments,
             key_moments, usage, run_key, verified_from)
           VALUES (@session_id, @version, @created_ms, @provider, @model, @kind, @goal, @outcome, @outcome_reason, @segments,
             @key_moments, @usage, @run_key, @verified_from)`,
        )
        .run({
          ...s,
          version: v,
          created_ms: now,
          segments: JSON.stringify(s.segments),
          key_moments: JSON.stringify(s.key_moments),
          usage: JSON.stringify(s.usage),
          verified_from: s.verified_from ?? null,
          flags: undefined,
        })
      const id = Number(lastInsertRowid)
      this.flags.insertForSummary(s.session_id, id, s.flags)
      if (s.run_key) this.db.prepare('DELETE FROM summary_checkpoints WHERE run_key = ?').run(s.run_key)
      return this.byId(id)!
    }).immediate()
  }

  latest(sessionId: string): SummaryVersion | undefined {
    const r = this.db.prepare('SELECT id FROM summaries WHERE session_id = ? ORDER BY version DESC LIMIT 1').get(sessionId) as { id: number } | undefined
    return r && this.byId(r.id)
  }

  byVersion(sessionId: string, version: number): SummaryVersion | undefined {
    const r = this.db.prepare('SELECT id FROM summaries WHERE session_id = ? AND version = ?').get(sessionId, version) as { id: number } | undefined
    return r && this.byId(r.id)
  }

  /** All versions, newest first, without their flags (for a version picker). */
  versions(sessionId: string): Omit<SummaryVersion, 'flags'>[] {
    const rows = this.db.prepare(`${SELECT} WHERE m.session_id = ? ORDER BY m.version DESC`).all(sessionId) as Raw[]
    return rows.map(parse)
  }

  byId(id: number): SummaryVersion | undefined {
    const r = this.db.prepare(`${SELECT} WHERE m.id = ?`).get(id) as Raw | undefined
    return r && { ...parse(r), flags: this.flags.list(r.session_id, { origin: 'model', summaryId: r.id }) }
  }

  checkpoints(runKey: string): { segment: number; result: unknown; usage: Usage }[] {
    const rows = this.db.prepare('SELECT segment, result, usage FROM summary_checkpoints WHERE run_key = ? ORDER BY segment').all(runKey) as {
      segment: number
      result: string
      usage: string
    }[]
    return rows.map((r) => ({ segment: r.segment, result: JSON.parse(r.result) as unknown, usage: JSON.parse(r.usage) as Usage }))
  }

  recordFailure(f: { session_id: string; run_key: string | null; segment: number | null; error: string; raw: string }, now: number): number {
    return Number(
      this.db
        .prepare('INSERT INTO summary_failures (session_id, run_key, segment, created_ms, error, raw) VALUES (@session_id, @run_key, @segment, @created_ms, @error, @raw)')
        .run({ ...f, created_ms: now }).lastInsertRowid,
    )
  }

  failures(sessionId: string, limit = 10): { id: number; created_ms: number; segment: number | null; error: string; raw: string }[] {
    return this.db
      .prepare('SELECT id, created_ms, segment, error, raw FROM summary_failures WHERE session_id = ? ORDER BY created_ms DESC, id DESC LIMIT ?')
      .all(sessionId, limit) as { id: number; created_ms: number; segment: number | null; error: string; raw: string }[]
  }

  saveCheckpoint(runKey: string, segment: number, result: unknown, usage: Usage, now: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO summary_checkpoints (run_key, segment, result, usage, created_ms) VALUES (?, ?, ?, ?, ?)')
      .run(runKey, segment, JSON.stringify(result), JSON.stringify(usage), now)
  }
}

function parse(r: Raw): Omit<SummaryVersion, 'flags'> {
  return {
    id: r.id,
    session_id: r.session_id,
    version: r.version,
    created_ms: r.created_ms,
    provider: r.provider,
    model: r.model,
    kind: r.kind,
    goal: r.goal,
    outcome: r.outcome,
    outcome_reason: r.outcome_reason,
    verified_from: r.verified_from_version,
    segments: JSON.parse(r.segments) as SummarySegment[],
    key_moments: JSON.parse(r.key_moments) as KeyMoment[],
    usage: JSON.parse(r.usage) as Usage,
  }
}
