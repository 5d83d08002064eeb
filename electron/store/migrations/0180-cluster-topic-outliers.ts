import type { Database } from 'better-sqlite3'

/**
 * What places a run's noise points in topics at any cut of the topic slider (cluster/topics.ts
 * OutlierModel, JSON): the noise points' vectors and the clusters' sums. Beside the run, not in
 * its params, which every list of runs reads: this is up to (noise points × dimensions) numbers.
 */
export default function clusterTopicOutliers(db: Database): void {
  db.exec(`
    CREATE TABLE cluster_topic_outliers (
      run_id TEXT PRIMARY KEY REFERENCES cluster_runs(id) ON DELETE CASCADE,
      model TEXT NOT NULL
    );
  `)
}
