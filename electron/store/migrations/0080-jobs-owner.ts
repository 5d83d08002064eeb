import type { Database } from 'better-sqlite3'

/**
 * Jobs know which process runs them (so a new process marks as interrupted only the jobs whose
 * process is gone, never a live one's) and what they were asked to do (capability + input as
 * given, without secrets), so an interrupted job can be run again. Sessions remember which version
 * of the offline detectors found their flags (a newer version offers "detect again").
 */
export default function jobsOwner(db: Database): void {
  db.exec(`
    ALTER TABLE jobs ADD COLUMN pid INTEGER;
    ALTER TABLE jobs ADD COLUMN capability TEXT;
    ALTER TABLE jobs ADD COLUMN input TEXT;
    ALTER TABLE sessions ADD COLUMN detector_version INTEGER;
  `)
}
