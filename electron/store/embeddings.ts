// Embeddings as Float32 BLOBs, one per (model, trace id), with their dimension (migration 0090).
// The clustering stage reads them through load(): one contiguous Float32Array, row-major.
import type { Database } from 'better-sqlite3'
import type { EmbeddingModelInfo } from '../../shared/trace-summary'

export interface EmbeddingRow {
  trace_id: string
  vector: Float32Array | number[]
  /** Hash of the text embedded; null for vectors brought from a file. */
  text_hash?: string | null
}

export interface LoadedEmbeddings {
  ids: string[]
  dim: number
  /** ids.length × dim values, row i = ids[i]. */
  data: Float32Array
}

export class EmbeddingQueries {
  constructor(private readonly db: Database) {}

  /** Writes rows for one model (replacing a trace's earlier vector for that model); every vector must have the model's dimension. */
  put(model: string, rows: EmbeddingRow[], now = Date.now()): void {
    if (!rows.length) return
    const dim = rows[0]!.vector.length
    const stored = this.dim(model)
    if (stored !== null && stored !== dim) throw new Error(`Embeddings of ${model} have ${stored} dimensions; these have ${dim}.`)
    const ins = this.db.prepare('INSERT OR REPLACE INTO embeddings (trace_id, model, dim, vector, text_hash, created_ms) VALUES (?, ?, ?, ?, ?, ?)')
    this.db.transaction(() => {
      for (const r of rows) {
        if (r.vector.length !== dim) throw new Error(`The vector of ${r.trace_id} has ${r.vector.length} dimensions; the others ${dim}.`)
        const f = r.vector instanceof Float32Array ? r.vector : Float32Array.from(r.vector)
        ins.run(r.trace_id, model, dim, Buffer.from(f.buffer, f.byteOffset, f.byteLength), r.text_hash ?? null, now)
      }
    })()
  }

  /** Replaces every vector of a model at once (a corpus-level embedder fitted again). */
  replace(model: string, rows: EmbeddingRow[], now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM embeddings WHERE model = ?').run(model)
      this.put(model, rows, now)
    })()
  }

  load(model: string): LoadedEmbeddings {
    const rows = this.db.prepare('SELECT trace_id, dim, vector FROM embeddings WHERE model = ? ORDER BY trace_id').all(model) as { trace_id: string; dim: number; vector: Buffer }[]
    const dim = rows[0]?.dim ?? 0
    const data = new Float32Array(rows.length * dim)
    rows.forEach((r, i) => data.set(new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)), i * dim))
    return { ids: rows.map((r) => r.trace_id), dim, data }
  }

  /** Text hash per trace id embedded with this model. */
  hashes(model: string): Map<string, string | null> {
    const rows = this.db.prepare('SELECT trace_id, text_hash FROM embeddings WHERE model = ?').all(model) as { trace_id: string; text_hash: string | null }[]
    return new Map(rows.map((r) => [r.trace_id, r.text_hash]))
  }

  dim(model: string): number | null {
    const r = this.db.prepare('SELECT dim FROM embeddings WHERE model = ? LIMIT 1').get(model) as { dim: number } | undefined
    return r?.dim ?? null
  }

  models(): EmbeddingModelInfo[] {
    return this.db
      .prepare('SELECT model, max(dim) AS dim, count(*) AS count, max(created_ms) AS created_ms FROM embeddings GROUP BY model ORDER BY created_ms DESC')
      .all() as EmbeddingModelInfo[]
  }
}
