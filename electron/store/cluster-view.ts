// Reads for the cluster explorer over a stored run (migration 0120's cluster_points / groups,
// joined to traces and their newest summary): the points as typed columns, rows for the tooltip
// and the lists, a title search, where a trace sits. Reads only; the runs are written by
// electron/store/clusters.ts.
import type { Database } from 'better-sqlite3'
import { NO_MODEL, type ClusterTraceRow, type PointColumns, type TracePlace, type ViewGroup } from '../../shared/cluster-view'

export interface RowQuery {
  run_id: string
  /** Only these points (a selection). */
  indices?: number[] | undefined
  cluster?: number | undefined
  topic?: number | undefined
  q?: string | undefined
  sort: 'idx' | 'title' | 'tokens' | 'cost' | 'date' | 'outlier'
  dir: 'asc' | 'desc'
  limit: number
  offset: number
  bullets?: boolean | undefined
}


// The newest summary title of a trace (trace_summaries_created covers the lookup).
const TITLE = `(SELECT s.title FROM trace_summaries s WHERE s.trace_id = p.point_id ORDER BY s.created_ms DESC LIMIT 1)`
const ROW = `p.idx, p.point_id AS id, coalesce(${TITLE}, t.name) AS title, p.cluster, p.topic, p.outlier,
  json_extract(t.models, '$[0]') AS model, coalesce(t.input_tokens, 0) + coalesce(t.output_tokens, 0) AS tokens,
  t.cost_usd, coalesce(t.error, 0) AS error, t.start_ms, t.session_id`

type RawRow = Omit<ClusterTraceRow, 'error'> & { error: number }

const SORT: Record<RowQuery['sort'], string> = {
  idx: 'p.idx',
  title: 'title COLLATE NOCASE',
  tokens: 'tokens',
  cost: 't.cost_usd',
  date: 't.start_ms',
  outlier: 'p.outlier',
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`

export class ClusterViewQueries {
  constructor(private readonly db: Database) {}

  latestRunId(): string | null {
    const r = this.db.prepare('SELECT id FROM cluster_runs ORDER BY created_ms DESC, id DESC LIMIT 1').get() as { id: string } | undefined
    return r?.id ?? null
  }

  exists(runId: string): boolean {
    return this.db.prepare('SELECT 1 FROM cluster_runs WHERE id = ?').get(runId) !== undefined
  }

  /** Every point of a run as columns, in point order (idx), with the model names the column indexes. */
  columns(runId: string): { columns: PointColumns; models: string[] } {
    const { n } = this.db.prepare('SELECT count(*) AS n FROM cluster_points WHERE run_id = ?').get(runId) as { n: number }
    const c: PointColumns = {
      x: new Float32Array(n),
      y: new Float32Array(n),
      cluster: new Int32Array(n),
      topic: new Int32Array(n),
      outlier: new Float32Array(n),
      tokens: new Float32Array(n),
      cost: new Float32Array(n),
      error: new Uint8Array(n),
      date: new Float64Array(n),
      model: new Uint16Array(n),
    }
    const models: string[] = []
    const modelIndex = new Map<string, number>()
    const firstModel = new Map<string, string | null>()
    // raw(): arrays, not an object per row — a million rows stream through without piling up.
    const rows = this.db
      .prepare(
        `SELECT p.idx, p.x, p.y, p.cluster, p.topic, p.outlier, t.input_tokens + t.output_tokens, t.cost_usd, t.error, t.start_ms, t.models
         FROM cluster_points p LEFT JOIN traces t ON t.id = p.point_id WHERE p.run_id = ? ORDER BY p.idx`,
      )
      .raw()
      .iterate(runId) as IterableIterator<[number, number, number, number, number, number, number | null, number | null, number | null, number | null, string | null, string | null]>
    let i = 0
    for (const r of rows) {
      c.x[i] = r[1]
      c.y[i] = r[2]
      c.cluster[i] = r[3]
      c.topic[i] = r[4]
      c.outlier[i] = r[5]
      c.tokens[i] = r[6] ?? 0
      c.cost[i] = r[7] ?? NaN
      c.error[i] = r[8] ? 1 : 0
      c.date[i] = r[9] ?? NaN
      // The models column is a JSON list, the same few strings over and over: parse each once.
      const raw = r[10]
      let m = raw == null ? null : firstModel.get(raw)
      if (m === undefined) {
        const list = JSON.parse(raw!) as unknown
        m = Array.isArray(list) && typeof list[0] === 'string' ? list[0] : null
        firstModel.set(raw!, m)
      }
      if (m == null) c.model[i] = NO_MODEL
      else {
        let k = modelIndex.get(m)
        if (k === undefined && models.length < NO_MODEL) {
          k = models.push(m) - 1
          modelIndex.set(m, k)
        }
        c.model[i] = k ?? NO_MODEL
      }
      i++
    }
    return { columns: c, models }
  }

  /** Rows of a run's points for lists, the tooltip and export. */
  rows(q: RowQuery): { rows: ClusterTraceRow[]; total: number } {
    const conds = ['p.run_id = @run']
    const params: Record<string, unknown> = { run: q.run_id, limit: q.limit, offset: q.offset }
    if (q.indices) {
      conds.push('p.idx IN (SELECT value FROM json_each(@indices))')
      params.indices = JSON.stringify(q.indices)
    }
    if (q.cluster !== undefined) {
      conds.push('p.cluster = @cluster')
      params.cluster = q.cluster
    }
    if (q.topic !== undefined) {
      conds.push('p.topic = @topic')
      params.topic = q.topic
    }
    if (q.q) {
      conds.push(`(p.point_id LIKE @q ESCAPE '\\' OR t.name LIKE @q ESCAPE '\\' OR ${TITLE} LIKE @q ESCAPE '\\')`)
      params.q = like(q.q)
    }
    const where = conds.join(' AND ')
    const from = 'FROM cluster_points p LEFT JOIN traces t ON t.id = p.point_id'
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC'
    const raw = this.db.prepare(`SELECT ${ROW} ${from} WHERE ${where} ORDER BY ${SORT[q.sort]} ${dir} NULLS LAST, p.idx LIMIT @limit OFFSET @offset`).all(params) as RawRow[]
    const { n } = this.db.prepare(`SELECT count(*) AS n ${from} WHERE ${where}`).get(params) as { n: number }
    const bulletsOf = q.bullets ? this.db.prepare('SELECT bullets FROM trace_summaries WHERE trace_id = ? ORDER BY created_ms DESC LIMIT 1').pluck() : null
    const rows = raw.map((r) => {
      const row: ClusterTraceRow = { ...r, error: r.error !== 0 }
      if (bulletsOf) {
        const b = bulletsOf.get(r.id) as string | undefined
        row.bullets = b ? (JSON.parse(b) as { text: string }[]).map((x) => x.text) : []
      }
      return row
    })
    return { rows, total: n }
  }

  /** The clusters and topics of a run with their labels (cluster −1 / topic −1: noise). */
  groups(runId: string): { topics: ViewGroup[]; clusters: ViewGroup[] } {
    type G = { level: string; id: number; label: string; description: string | null; keywords: string | null; label_source: string; size: number; topic: number | null }
    const all = this.db.prepare('SELECT level, id, label, description, keywords, label_source, size, topic FROM cluster_groups WHERE run_id = ? ORDER BY size DESC, id').all(runId) as G[]
    const shape = (g: G): ViewGroup => ({ id: g.id, label: g.label, description: g.description, keywords: g.keywords ? (JSON.parse(g.keywords) as string[]) : [], label_source: g.label_source, size: g.size, topic: g.topic ?? -1 })
    return { topics: all.filter((g) => g.level === 'topic').map(shape), clusters: all.filter((g) => g.level === 'cluster').map(shape) }
  }

  /** Indices of the points whose id, trace name or summary title contains `q` (case-insensitive). */
  search(runId: string, q: string): Uint32Array {
    const ids = this.db
      .prepare(`SELECT p.idx FROM cluster_points p LEFT JOIN traces t ON t.id = p.point_id WHERE p.run_id = @run AND (p.point_id LIKE @q ESCAPE '\\' OR t.name LIKE @q ESCAPE '\\' OR ${TITLE} LIKE @q ESCAPE '\\') ORDER BY p.idx`)
      .pluck()
      .all({ run: runId, q: like(q) }) as number[]
    return Uint32Array.from(ids)
  }

  /** Where a trace sits in the newest run that holds it (the trace page's link to the explorer). */
  placeOf(traceId: string): TracePlace | null {
    return (
      (this.db
        .prepare(
          `SELECT p.run_id, p.idx, p.cluster, p.topic, r.created_ms,
             (SELECT label FROM cluster_groups g WHERE g.run_id = p.run_id AND g.level = 'cluster' AND g.id = p.cluster) AS cluster_label,
             (SELECT label FROM cluster_groups g WHERE g.run_id = p.run_id AND g.level = 'topic' AND g.id = p.topic) AS topic_label
           FROM cluster_points p JOIN cluster_runs r ON r.id = p.run_id WHERE p.point_id = ? ORDER BY r.created_ms DESC, r.id DESC LIMIT 1`,
        )
        .get(traceId) as TracePlace | undefined) ?? null
    )
  }
}
