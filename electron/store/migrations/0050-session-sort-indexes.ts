import type { Database } from 'better-sqlite3'

/** The Library sorts 100k sessions by any column; an index per sortable column keeps pages instant. */
export default function sessionSortIndexes(db: Database): void {
  db.exec(`
    CREATE INDEX sessions_duration ON sessions((end_ms - start_ms));
    CREATE INDEX sessions_active ON sessions(active_ms);
    CREATE INDEX sessions_events ON sessions(events);
    CREATE INDEX sessions_errors ON sessions(errors);
    CREATE INDEX sessions_first_url ON sessions(first_url);
  `)
}
