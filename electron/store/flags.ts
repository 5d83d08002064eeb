import type { Database } from 'better-sqlite3'
import type { FlagOrigin, FlagRow, FlagStatus } from '../../shared/summary'

/** A flag before it is stored: what the detectors or a summary produce, with the key that finds it again. */
export type NewFlag = { key: string } & Pick<
  FlagRow,
  'type' | 'label' | 'severity' | 'blocking' | 'time_ms' | 'window_id' | 'evidence' | 'confidence' | 'title' | 'detail'
>

interface Raw extends Omit<FlagRow, 'blocking' | 'evidence'> {
  blocking: number
  evidence: string
}

const SELECT = `SELECT f.id, f.session_id, f.origin, f.summary_id, s.version AS summary_version, f.type, f.label, f.severity,
  f.blocking, f.time_ms, f.window_id, f.evidence, f.confidence, f.title, f.detail, f.status, f.status_by, f.status_note, f.status_ms
  FROM flags f LEFT JOIN summaries s ON s.id = f.summary_id`

const toRow = (r: Raw): FlagRow => ({ ...r, blocking: r.blocking === 1, evidence: JSON.parse(r.evidence) as number[] })

/** Heuristic flags (recomputed, keyed so their status survives) and the flags of summary versions. */
export class FlagQueries {
  constructor(private readonly db: Database) {}

  /**
   * Stores the detectors' current flags for a session: same key → same row (status kept), new keys
   * added, keys no longer found marked stale. Returns the current flags in time order.
   */
  replaceHeuristic(sessionId: string, flags: NewFlag[]): FlagRow[] {
    const upsert = this.db.prepare(
      `INSERT INTO flags (session_id, origin, summary_id, key, type, label, severity, blocking, time_ms, window_id, evidence,
         confidence, title, detail, stale)
       VALUES (@session_id, 'heuristic', NULL, @key, @type, @label, @severity, @blocking, @time_ms, @window_id, @evidence,
         @confidence, @title, @detail, 0)
       ON CONFLICT (session_id, key) WHERE origin = 'heuristic' DO UPDATE SET type = excluded.type, label = excluded.label,
         severity = excluded.severity, blocking = excluded.blocking, time_ms = excluded.time_ms, window_id = excluded.window_id,
         evidence = excluded.evidence, confidence = excluded.confidence, title = excluded.title, detail = excluded.detail, stale = 0`,
    )
    this.db.transaction(() => {
      this.db.prepare(`UPDATE flags SET stale = 1 WHERE session_id = ? AND origin = 'heuristic'`).run(sessionId)
      for (const f of flags) upsert.run(this.params(sessionId, f))
    })()
    return this.list(sessionId, { origin: 'heuristic' })
  }

  /** Inserts the flags of one summary version (called inside the summary's transaction). */
  insertForSummary(sessionId: string, summaryId: number, flags: NewFlag[]): void {
    const ins = this.db.prepare(
      `INSERT INTO flags (session_id, origin, summary_id, key, type, label, severity, blocking, time_ms, window_id, evidence,
         confidence, title, detail)
       VALUES (@session_id, 'model', @summary_id, @key, @type, @label, @severity, @blocking, @time_ms, @window_id, @evidence,
         @confidence, @title, @detail)`,
    )
    for (const f of flags) ins.run({ ...this.params(sessionId, f), summary_id: summaryId })
  }

  list(sessionId: string, opts: { origin?: FlagOrigin; summaryId?: number } = {}): FlagRow[] {
    const rows = this.db
      .prepare(
        `${SELECT} WHERE f.session_id = @sid AND f.stale = 0 AND (@origin IS NULL OR f.origin = @origin)
         AND (@summary IS NULL OR f.summary_id = @summary) ORDER BY f.time_ms, f.id`,
      )
      .all({ sid: sessionId, origin: opts.origin ?? null, summary: opts.summaryId ?? null }) as Raw[]
    return rows.map(toRow)
  }

  get(id: number): FlagRow | undefined {
    const r = this.db.prepare(`${SELECT} WHERE f.id = ?`).get(id) as Raw | undefined
    return r && toRow(r)
  }

  setStatus(id: number, status: FlagStatus, by: 'user' | 'model', note: string | null, now: number): FlagRow | undefined {
    this.db.prepare('UPDATE flags SET status = ?, status_by = ?, status_note = ?, status_ms = ? WHERE id = ?').run(status, by, note, now, id)
    return this.get(id)
  }

  private params(sessionId: string, f: NewFlag) {
    return {
      session_id: sessionId,
      key: f.key,
      type: f.type,
      label: f.label,
      severity: f.severity,
      blocking: f.blocking ? 1 : 0,
      time_ms: Math.round(f.time_ms),
      window_id: f.window_id,
      evidence: JSON.stringify(f.evidence),
      confidence: f.confidence,
      title: f.title,
      detail: f.detail,
    }
  }
}
