import type { Database } from 'better-sqlite3'

/**
 * One flag, one id: a summary version's flag that restates an earlier one (a detected flag, or the
 * same flag in an earlier version) points at it with detected_flag_id, and status and verdict live
 * on that first row. Summaries made from verdicts name the version they were made from.
 */
export default function summaryVerdicts(db: Database): void {
  db.exec(`
    ALTER TABLE summaries ADD COLUMN verified_from INTEGER REFERENCES summaries(id) ON DELETE SET NULL;
    CREATE INDEX flags_detected ON flags(detected_flag_id);
    -- Heuristic summaries copied the detected flags under the key 'heuristic:<id>': link them.
    UPDATE flags SET detected_flag_id = CAST(substr(key, 11) AS INTEGER)
      WHERE origin = 'model' AND detected_flag_id IS NULL AND key LIKE 'heuristic:%'
        AND EXISTS (SELECT 1 FROM flags h WHERE h.id = CAST(substr(flags.key, 11) AS INTEGER) AND h.origin = 'heuristic');
  `)
}
