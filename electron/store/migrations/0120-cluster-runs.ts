import type { Database } from 'better-sqlite3'

/**
 * Cluster runs: each run keeps its parameters, what it was run on and how long each step took;
 * a new run never replaces an old one. Per point: fine cluster, topic, plot position, HDBSCAN
 * membership strength and outlier score. Per cluster and topic: size and label (offline keywords,
 * or a model's / a person's).
 */
export default function clusterRuns(db: Database): void {
  db.exec(`
    CREATE TABLE cluster_runs (
      id TEXT PRIMARY KEY,
      created_ms INTEGER NOT NULL,
      source TEXT NOT NULL,
      params TEXT NOT NULL,
      input TEXT NOT NULL,
      timings TEXT NOT NULL,
      points INTEGER NOT NULL,
      clusters INTEGER NOT NULL,
      topics INTEGER NOT NULL,
      noise INTEGER NOT NULL
    );
    CREATE TABLE cluster_groups (
      run_id TEXT NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
      level TEXT NOT NULL CHECK (level IN ('cluster', 'topic')),
      id INTEGER NOT NULL,
      label TEXT NOT NULL,
      description TEXT,
      keywords TEXT,
      label_source TEXT NOT NULL DEFAULT 'offline',
      size INTEGER NOT NULL,
      topic INTEGER,
      PRIMARY KEY (run_id, level, id)
    );
    CREATE TABLE cluster_points (
      run_id TEXT NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      point_id TEXT NOT NULL,
      cluster INTEGER NOT NULL,
      topic INTEGER NOT NULL,
      x REAL NOT NULL,
      y REAL NOT NULL,
      membership REAL NOT NULL,
      outlier REAL NOT NULL,
      PRIMARY KEY (run_id, idx)
    );
  `)
}
