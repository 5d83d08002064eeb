import type { Database } from 'better-sqlite3'

export interface ClipRow {
  id: number
  session_id: string
  flag_id: number | null
  file: string
  start_ms: number
  end_ms: number
  fps: number
  width: number
  height: number
  frames: number
  bytes: number
  mask_text: boolean
  created_ms: number
}

type NewClip = Omit<ClipRow, 'id'>

/** Clip files recorded with what they show; the files live in the data folder. */
export class ClipQueries {
  constructor(private readonly db: Database) {}

  insert(c: NewClip): ClipRow {
    const r = this.db
      .prepare(
        `INSERT INTO clips (session_id, flag_id, file, start_ms, end_ms, fps, width, height, frames, bytes, mask_text, created_ms)
         VALUES (@session_id, @flag_id, @file, @start_ms, @end_ms, @fps, @width, @height, @frames, @bytes, @mask_text, @created_ms)`,
      )
      .run({ ...c, mask_text: c.mask_text ? 1 : 0 })
    return this.get(Number(r.lastInsertRowid))!
  }

  get(id: number): ClipRow | undefined {
    const r = this.db.prepare('SELECT * FROM clips WHERE id = ?').get(id) as (Omit<ClipRow, 'mask_text'> & { mask_text: number }) | undefined
    return r && { ...r, mask_text: r.mask_text === 1 }
  }

  /** The newest clip of a flag with these settings whose file still exists is reused by the caller. */
  forFlag(flagId: number): ClipRow[] {
    return (this.db.prepare('SELECT * FROM clips WHERE flag_id = ? ORDER BY id DESC').all(flagId) as (Omit<ClipRow, 'mask_text'> & { mask_text: number })[]).map((r) => ({ ...r, mask_text: r.mask_text === 1 }))
  }
}
