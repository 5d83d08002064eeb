import type { Database } from 'better-sqlite3'

/**
 * Clips (files in the app's data folder, recorded here) and verdicts on flags: what the user saw,
 * what they did next, evidence times, the clip, who decided (model or person) and, for a model,
 * provider, model, tokens and cost. A model summary's flag that restates a detected one links to it.
 */
export default function clipsVerdicts(db: Database): void {
  db.exec(`
    CREATE TABLE clips (
      id          INTEGER PRIMARY KEY,
      session_id  TEXT NOT NULL,
      flag_id     INTEGER REFERENCES flags(id) ON DELETE SET NULL,
      file        TEXT NOT NULL,
      start_ms    INTEGER NOT NULL,
      end_ms      INTEGER NOT NULL,
      fps         REAL NOT NULL,
      width       INTEGER NOT NULL,
      height      INTEGER NOT NULL,
      frames      INTEGER NOT NULL,
      bytes       INTEGER NOT NULL,
      mask_text   INTEGER NOT NULL DEFAULT 0,
      created_ms  INTEGER NOT NULL
    );
    CREATE INDEX clips_session ON clips(session_id, start_ms);
    CREATE INDEX clips_flag ON clips(flag_id);

    ALTER TABLE flags ADD COLUMN verdict_saw TEXT;
    ALTER TABLE flags ADD COLUMN verdict_next TEXT;
    ALTER TABLE flags ADD COLUMN verdict_evidence TEXT;
    ALTER TABLE flags ADD COLUMN verdict_clip_id INTEGER REFERENCES clips(id) ON DELETE SET NULL;
    ALTER TABLE flags ADD COLUMN verdict_provider TEXT;
    ALTER TABLE flags ADD COLUMN verdict_model TEXT;
    ALTER TABLE flags ADD COLUMN verdict_tokens INTEGER;
    ALTER TABLE flags ADD COLUMN verdict_cost_usd REAL;
    ALTER TABLE flags ADD COLUMN detected_flag_id INTEGER REFERENCES flags(id) ON DELETE SET NULL;
  `)
}
