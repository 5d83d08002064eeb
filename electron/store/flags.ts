import type { Database } from 'better-sqlite3'
import type { FlagOrigin, FlagRow, FlagStatus, Verdict } from '../../shared/summary'

/** A flag before it is stored: what the detectors or a summary produce, with the key that finds it again. */
export type NewFlag = { key: string } & Pick<
  FlagRow,
  'type' | 'label' | 'severity' | 'blocking' | 'time_ms' | 'window_id' | 'evidence' | 'confidence' | 'title' | 'detail'
> & {
  /** The flag this one restates (a detected flag, or the same flag in an earlier version): it keeps that id. */
  detected_flag_id?: number | null
}

/** A verdict as stored: who decided, and for a model what it saw and what it cost. */
export type NewVerdict = Verdict & { status: FlagStatus; by: 'user' | 'model'; note: string | null }

interface Raw extends Omit<FlagRow, 'blocking' | 'evidence' | 'verdict'> {
  blocking: number
  evidence: string
  verdict_saw: string | null
  verdict_next: string | null
  verdict_evidence: string | null
  verdict_clip_id: number | null
  verdict_provider: string | null
  verdict_model: string | null
  verdict_tokens: number | null
  verdict_cost_usd: number | null
}

// A flag's id is its first row's (r): later summary versions restate it with rows of their own
// (f: the text, label and time of that version), while status and verdict stay on the first row.
const SELECT = `SELECT r.id, f.session_id, f.origin, f.summary_id, s.version AS summary_version, f.type, f.label, f.severity,
  f.blocking, f.time_ms, f.window_id, f.evidence, f.confidence, f.title, f.detail, r.status, r.status_by, r.status_note, r.status_ms,
  r.verdict_saw, r.verdict_next, r.verdict_evidence, r.verdict_clip_id, r.verdict_provider, r.verdict_model, r.verdict_tokens, r.verdict_cost_usd
  FROM flags f JOIN flags r ON r.id = coalesce(f.detected_flag_id, f.id) LEFT JOIN summaries s ON s.id = f.summary_id`

const toRow = ({ verdict_saw, verdict_next, verdict_evidence, verdict_clip_id, verdict_provider, verdict_model, verdict_tokens, verdict_cost_usd, ...r }: Raw): FlagRow => ({
  ...r,
  blocking: r.blocking === 1,
  evidence: JSON.parse(r.evidence) as number[],
  verdict:
    verdict_saw === null && verdict_next === null && verdict_clip_id === null && verdict_model === null && verdict_evidence === null
      ? null
      : {
          saw: verdict_saw,
          next: verdict_next,
          evidence_ms: verdict_evidence ? (JSON.parse(verdict_evidence) as number[]) : [],
          clip_id: verdict_clip_id,
          provider: verdict_provider,
          model: verdict_model,
          tokens: verdict_tokens,
          cost_usd: verdict_cost_usd,
        },
})

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
         confidence, title, detail, detected_flag_id)
       VALUES (@session_id, 'model', @summary_id, @key, @type, @label, @severity, @blocking, @time_ms, @window_id, @evidence,
         @confidence, @title, @detail, @detected_flag_id)`,
    )
    for (const f of flags) ins.run({ ...this.params(sessionId, f), summary_id: summaryId, detected_flag_id: f.detected_flag_id ? this.rootOf(f.detected_flag_id) : null })
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

  /** A flag by its id (a later version's row id finds the flag it restates). */
  get(id: number): FlagRow | undefined {
    const r = this.db.prepare(`${SELECT} WHERE f.id = ?`).get(this.rootOf(id)) as Raw | undefined
    return r && toRow(r)
  }

  /** A person's decision (it keeps the verdict's clip and what a model saw, if any). */
  setStatus(id: number, status: FlagStatus, by: 'user' | 'model', note: string | null, now: number): FlagRow | undefined {
    this.db.prepare('UPDATE flags SET status = ?, status_by = ?, status_note = ?, status_ms = ? WHERE id = ?').run(status, by, note, now, this.rootOf(id))
    return this.get(id)
  }

  /**
   * Stores a verdict on the flag. A model's never replaces a person's decision (a person has the
   * last word): then only its clip is kept, and `applied` is false.
   */
  setVerdict(id: number, v: NewVerdict, now: number): { flag: FlagRow; applied: boolean } | undefined {
    const root = this.rootOf(id)
    const cur = this.db.prepare('SELECT status_by FROM flags WHERE id = ?').get(root) as { status_by: string | null } | undefined
    if (!cur) return undefined
    const applied = !(v.by === 'model' && cur.status_by === 'user')
    if (applied)
      this.db
        .prepare(
          `UPDATE flags SET status = @status, status_by = @by, status_note = @note, status_ms = @now, verdict_saw = @saw, verdict_next = @next,
             verdict_evidence = @evidence, verdict_clip_id = @clip_id, verdict_provider = @provider, verdict_model = @model,
             verdict_tokens = @tokens, verdict_cost_usd = @cost_usd WHERE id = @id`,
        )
        .run({ ...v, evidence: JSON.stringify(v.evidence_ms), now, id: root })
    else if (v.clip_id !== null) this.db.prepare('UPDATE flags SET verdict_clip_id = coalesce(verdict_clip_id, ?) WHERE id = ?').run(v.clip_id, root)
    return { flag: this.get(root)!, applied }
  }

  private rootOf(id: number): number {
    const r = this.db.prepare('SELECT coalesce(detected_flag_id, id) AS root FROM flags WHERE id = ?').get(id) as { root: number } | undefined
    return r?.root ?? id
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
