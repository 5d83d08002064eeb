import type { Database } from 'better-sqlite3'

/**
 * "Where does this trace sit" (the trace page's link to the cluster explorer) looks a trace up by
 * its id across every run's points: without an index that is a scan of all runs' points.
 */
export default function clusterPointsPoint(db: Database): void {
  db.exec(`CREATE INDEX cluster_points_point ON cluster_points(point_id);`)
}
