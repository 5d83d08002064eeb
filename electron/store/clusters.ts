// Cluster runs (migration 0120): a run with its parameters, input set and timings, its clusters
// and topics with labels, and one row per point. Runs are only added (and deleted by id), never
// overwritten, so the explorer can switch between them.
import type { Database } from 'better-sqlite3'
import type { ClusterGroup, ClusterPoint, ClusterRunInfo, ClusterRunResult } from '../../shared/cluster'

export interface NewClusterRun {
  id: string
  created_ms: number
  source: string
  params: Record<string, unknown>
  input: Record<string, unknown>
  timings: Record<string, number>
  topics: ClusterGroup[]
  clusters: (ClusterGroup & { topic: number })[]
  points: Required<Pick<ClusterPoint, 'id' | 'cluster' | 'topic' | 'x' | 'y' | 'membership' | 'outlier'>>[]
  /** What places noise points in topics at any cut (cluster/topics.ts OutlierModel; migration 0180). */
  topicOutliers?: unknown
}

interface RunRow {
  id: string
  created_ms: number
  source: string
  params: string
  input: string
  timings: string
  points: number
  clusters: number
  topics: number
  noise: number
}

const info = (r: RunRow): ClusterRunInfo => ({
  run_id: r.id,
  created_ms: r.created_ms,
  source: r.source,
  points: r.points,
  clusters: r.clusters,
  topics: r.topics,
  noise: r.noise,
  params: JSON.parse(r.params) as Record<string, unknown>,
  input: JSON.parse(r.input) as Record<string, unknown>,
  timings: JSON.parse(r.timings) as Record<string, number>,
})

export class ClusterQueries {
  constructor(private readonly db: Database) {}

  save(run: NewClusterRun): void {
    const noise = run.points.filter((p) => p.cluster < 0).length
    const group = this.db.prepare(
      'INSERT INTO cluster_groups (run_id, level, id, label, description, keywords, label_source, size, topic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const point = this.db.prepare('INSERT INTO cluster_points (run_id, idx, point_id, cluster, topic, x, y, membership, outlier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    this.db
      .transaction(() => {
        this.db
          .prepare('INSERT INTO cluster_runs (id, created_ms, source, params, input, timings, points, clusters, topics, noise) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(run.id, run.created_ms, run.source, JSON.stringify(run.params), JSON.stringify(run.input), JSON.stringify(run.timings), run.points.length, run.clusters.filter((c) => c.id >= 0).length, run.topics.filter((t) => t.id >= 0).length, noise)
        for (const [level, list] of [['topic', run.topics], ['cluster', run.clusters]] as const) {
          for (const g of list as (ClusterGroup & { topic?: number })[]) {
            group.run(run.id, level, g.id, g.label, g.description ?? null, g.keywords ? JSON.stringify(g.keywords) : null, g.label_source ?? 'offline', g.size, g.topic ?? null)
          }
        }
        run.points.forEach((p, i) => point.run(run.id, i, String(p.id), p.cluster, p.topic, p.x, p.y, p.membership, p.outlier))
        if (run.topicOutliers !== undefined) this.db.prepare('INSERT INTO cluster_topic_outliers (run_id, model) VALUES (?, ?)').run(run.id, JSON.stringify(run.topicOutliers))
      })
      .immediate()
  }

  /** Every run, newest first. */
  list(): ClusterRunInfo[] {
    return (this.db.prepare('SELECT * FROM cluster_runs ORDER BY created_ms DESC, id DESC').all() as RunRow[]).map(info)
  }

  info(id: string): ClusterRunInfo | null {
    const r = this.db.prepare('SELECT * FROM cluster_runs WHERE id = ?').get(id) as RunRow | undefined
    return r ? info(r) : null
  }

  /** One run in DESIGN.md's shape; `numericIds`: point ids are row numbers (a run on an .npy file). */
  get(id: string): ClusterRunResult | null {
    const run = this.info(id)
    if (!run) return null
    const numericIds = run.input.kind === 'npy'
    type G = { level: string; id: number; label: string; description: string | null; keywords: string | null; label_source: string; size: number; topic: number | null }
    const groups = this.db.prepare('SELECT level, id, label, description, keywords, label_source, size, topic FROM cluster_groups WHERE run_id = ? ORDER BY level, id').all(id) as G[]
    const shape = (g: G): ClusterGroup => ({
      id: g.id,
      label: g.label,
      size: g.size,
      keywords: g.keywords ? (JSON.parse(g.keywords) as string[]) : [],
      description: g.description,
      label_source: g.label_source,
    })
    type P = { point_id: string; cluster: number; topic: number; x: number; y: number; membership: number; outlier: number }
    const points = (this.db.prepare('SELECT point_id, cluster, topic, x, y, membership, outlier FROM cluster_points WHERE run_id = ? ORDER BY idx').all(id) as P[]).map((p) => ({
      ...p,
      id: numericIds ? Number(p.point_id) : p.point_id,
    }))
    return {
      run_id: run.run_id,
      params: run.params,
      input: run.input,
      timings: run.timings,
      topics: groups.filter((g) => g.level === 'topic').map(shape),
      clusters: groups.filter((g) => g.level === 'cluster').map((g) => ({ ...shape(g), topic: g.topic ?? -1 })),
      points,
    }
  }

  /** A run's topic outlier model (saved with it), or null for a run made before it was kept. */
  topicOutliers(runId: string): unknown {
    const r = this.db.prepare('SELECT model FROM cluster_topic_outliers WHERE run_id = ?').get(runId) as { model: string } | undefined
    return r ? (JSON.parse(r.model) as unknown) : null
  }

  /** Sets one group's label (a model's or a person's). */
  setLabel(runId: string, level: 'cluster' | 'topic', id: number, label: string, description: string | null, source: string): boolean {
    return this.db.prepare('UPDATE cluster_groups SET label = ?, description = ?, label_source = ? WHERE run_id = ? AND level = ? AND id = ?').run(label, description, source, runId, level, id).changes > 0
  }

  /**
   * A new cut of a run's topics (the topic slider): replaces its topic groups, each cluster's and
   * point's topic and its params, in one transaction. The run keeps its id, clusters and points.
   */
  /** `noiseTopics`: the topic of noise points (by point index) that a topic takes in (cluster/topics.ts outlierTopics). */
  setTopics(runId: string, params: Record<string, unknown>, topics: ClusterGroup[], topicOfCluster: ArrayLike<number>, noiseTopics: Map<number, number> = new Map()): void {
    const group = this.db.prepare("INSERT INTO cluster_groups (run_id, level, id, label, description, keywords, label_source, size, topic) VALUES (?, 'topic', ?, ?, ?, ?, ?, ?, NULL)")
    const cluster = this.db.prepare("UPDATE cluster_groups SET topic = ? WHERE run_id = ? AND level = 'cluster' AND id = ?")
    this.db
      .transaction(() => {
        this.db.prepare("DELETE FROM cluster_groups WHERE run_id = ? AND level = 'topic'").run(runId)
        for (const g of topics) group.run(runId, g.id, g.label, g.description ?? null, g.keywords ? JSON.stringify(g.keywords) : null, g.label_source ?? 'offline', g.size)
        for (let c = 0; c < topicOfCluster.length; c++) cluster.run(topicOfCluster[c]!, runId, c)
        // Each point takes its cluster's topic (one pass; noise stays −1).
        this.db
          .prepare("UPDATE cluster_points SET topic = COALESCE((SELECT g.topic FROM cluster_groups g WHERE g.run_id = cluster_points.run_id AND g.level = 'cluster' AND g.id = cluster_points.cluster AND cluster_points.cluster >= 0), -1) WHERE run_id = ?")
          .run(runId)
        const noise = this.db.prepare('UPDATE cluster_points SET topic = ? WHERE run_id = ? AND idx = ? AND cluster < 0')
        for (const [idx, t] of noiseTopics) if (t >= 0) noise.run(t, runId, idx)
        this.db.prepare('UPDATE cluster_runs SET params = ?, topics = ? WHERE id = ?').run(JSON.stringify(params), topics.filter((t) => t.id >= 0).length, runId)
      })
      .immediate()
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM cluster_runs WHERE id = ?').run(id).changes > 0
  }
}
