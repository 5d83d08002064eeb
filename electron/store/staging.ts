import type { Database, Statement } from 'better-sqlite3'
import type { EventColumns } from '../../shared/model'

/** An rrweb event as parsed from a file, before sorting and chunking. */
export interface StagedSnapshot {
  sid: string
  wid: string
  ts: number
  /** File order: keeps equal timestamps in the order they were recorded. */
  seq: number
  type: number
  source: number | null
  hash: bigint
  json: string
}

/** A product or derived event as stored: its hot columns plus identity and all properties. */
export interface EventRecord extends EventColumns {
  uuid: string
  session_id: string | null
  distinct_id: string | null
  properties: string
}

export interface StagedChunk {
  seq: number
  start_ms: number
  end_ms: number
  events: number
  has_full_snapshot: boolean
  full_snapshot_seq: number | null
  full_snapshot_ms: number | null
  activity: [number, number][]
  /** Times (ms after start_ms) of mutations, scrolls and page loads: see migration 0070. */
  reactions: number[]
  raw_bytes: number
  data: Buffer
}

/** What window builders produce (hashes aside), staged together in one transaction. */
export interface BuiltRows {
  chunks: { sid: string; wid: string; chunk: StagedChunk }[]
  derived: EventRecord[]
}

export interface StagedWindow {
  sid: string
  wid: string
  events: number
}

let counter = 0

/** Derived events per insert statement. */
const ROWS = 32
/** An EventRecord's fields in the staging (and events) table's column order. */
const EVENT_FIELDS = ['uuid', 'origin', 'session_id', 'window_id', 'time_ms', 'type', 'distinct_id', 'url', 'el_text', 'el_selector', 'exc_type', 'exc_message', 'http_status', 'http_method', 'http_url', 'properties'] as const satisfies readonly (keyof EventRecord)[]

/**
 * Per-import scratch tables in the connection's TEMP schema: a file is parsed into them while it
 * streams (so nothing of it sits in the JS heap), and only the final transaction copies into the
 * real tables. TEMP tables are private to this connection and vanish with it; drop() cleans up
 * at once. Writes happen in autocommit between awaits, never inside anyone's transaction,
 * because every transaction in this project is synchronous.
 */
export class StagingArea {
  readonly name: string
  private readonly sids = new Set<string>()
  private readonly insSnap
  private readonly insEvent
  private insChunk: Statement | null = null
  private insKey: Statement | null = null
  private insEventRows: Statement | null = null

  constructor(private readonly db: Database) {
    this.name = `stage_${process.pid}_${++counter}`
    const n = this.name
    db.exec(`
      CREATE TEMP TABLE ${n}_snap (sid TEXT NOT NULL, wid TEXT NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL,
        type INTEGER NOT NULL, source INTEGER, hash INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TEMP TABLE ${n}_chunk (sid TEXT NOT NULL, wid TEXT NOT NULL, seq INTEGER NOT NULL, start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL, events INTEGER NOT NULL, has_full_snapshot INTEGER NOT NULL, full_snapshot_seq INTEGER,
        full_snapshot_ms INTEGER, activity TEXT NOT NULL, reactions TEXT NOT NULL, raw_bytes INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE TEMP TABLE ${n}_key (sid TEXT NOT NULL, wid TEXT NOT NULL, hash INTEGER NOT NULL);
      CREATE TEMP TABLE ${n}_event (uuid TEXT PRIMARY KEY, origin TEXT NOT NULL, session_id TEXT, window_id TEXT,
        time_ms INTEGER NOT NULL, type TEXT NOT NULL, distinct_id TEXT, url TEXT, el_text TEXT, el_selector TEXT,
        exc_type TEXT, exc_message TEXT, http_status INTEGER, http_method TEXT, http_url TEXT, properties TEXT NOT NULL);
    `)
    this.insSnap = db.prepare(`INSERT INTO temp.${n}_snap VALUES (@sid, @wid, @ts, @seq, @type, @source, @hash, @json)`)
    this.insEvent = db.prepare(
      `INSERT OR IGNORE INTO temp.${n}_event VALUES (@uuid, @origin, @session_id, @window_id, @time_ms, @type,
        @distinct_id, @url, @el_text, @el_selector, @exc_type, @exc_message, @http_status, @http_method, @http_url, @properties)`,
    )
  }

  /** Adds a batch in one (tiny, synchronous) transaction: row-by-row autocommit would be slow. */
  addBatch(snaps: StagedSnapshot[], events: EventRecord[]): number {
    let dupEvents = 0
    this.db.transaction(() => {
      for (const s of snaps) {
        this.insSnap.run(s)
        this.sids.add(s.sid)
      }
      for (const e of events) if (this.insEvent.run(e).changes === 0) dupEvents++
    })()
    return dupEvents
  }

  /** Rows from window builders, in one transaction (one per chunk costs more than the rows). */
  addBuilt(rows: BuiltRows): void {
    this.db.transaction(() => {
      for (const c of rows.chunks) this.insertChunk(c.sid, c.wid, c.chunk)
      this.addDerived(rows.derived)
    })()
  }

  /**
   * Derived events (a 6-hour recording makes ~90k), ROWS per statement with positional values:
   * a third cheaper than a named insert per row (measured; a JSON array unpacked by SQLite was
   * twice as slow).
   */
  private addDerived(events: EventRecord[]): void {
    const row = `(${EVENT_FIELDS.map(() => '?').join(', ')})`
    const many = (this.insEventRows ??= this.db.prepare(`INSERT OR IGNORE INTO temp.${this.name}_event VALUES ${Array(ROWS).fill(row).join(', ')}`))
    let i = 0
    for (; i + ROWS <= events.length; i += ROWS) {
      const values: unknown[] = []
      for (let j = i; j < i + ROWS; j++) for (const f of EVENT_FIELDS) values.push(events[j]![f])
      many.run(values)
    }
    for (; i < events.length; i++) this.insEvent.run(events[i]!)
  }

  /** Built chunks of a window wait here for the commit (compressed, but still not in the heap). */
  addChunks(sid: string, wid: string, chunks: StagedChunk[]): void {
    this.db.transaction(() => {
      for (const c of chunks) this.insertChunk(sid, wid, c)
    })()
  }

  private insertChunk(sid: string, wid: string, c: StagedChunk): void {
    const ins = (this.insChunk ??= this.db.prepare(
      `INSERT INTO temp.${this.name}_chunk VALUES (@sid, @wid, @seq, @start_ms, @end_ms, @events, @has_full_snapshot,
        @full_snapshot_seq, @full_snapshot_ms, @activity, @reactions, @raw_bytes, @data)`,
    ))
    ins.run({ ...c, sid, wid, has_full_snapshot: c.has_full_snapshot ? 1 : 0, activity: JSON.stringify(c.activity), reactions: JSON.stringify(c.reactions) })
  }

  addKeys(sid: string, wid: string, hashes: bigint[] | BigInt64Array): void {
    // One statement per batch, SQLite unpacking the array in order (the same rows as one insert per
    // hash, at half the cost). json_each reads every int64 exactly, the smallest one included.
    const ins = (this.insKey ??= this.db.prepare(`INSERT INTO temp.${this.name}_key SELECT ?, ?, value FROM json_each(?)`))
    if (hashes.length) ins.run(sid, wid, `[${hashes.join(',')}]`)
  }

  chunksOf(sid: string, wid: string): { data: Buffer }[] {
    return this.db.prepare(`SELECT data FROM temp.${this.name}_chunk WHERE sid = ? AND wid = ? ORDER BY seq`).all(sid, wid) as { data: Buffer }[]
  }

  /** A few event hashes of a window: enough to recognise it among stored windows. */
  sampleKeys(sid: string, wid: string, limit: number): bigint[] {
    return (
      this.db
        .prepare(`SELECT hash FROM temp.${this.name}_key WHERE sid = ? AND wid = ? LIMIT ?`)
        .safeIntegers(true)
        .all(sid, wid, limit) as { hash: bigint }[]
    ).map((r) => r.hash)
  }

  /** Placeholder session ids are resolved once the file has been read to the end. */
  renameSession(from: string, to: string): void {
    if (from === to || !this.sids.has(from)) return
    this.db.prepare(`UPDATE temp.${this.name}_snap SET sid = ? WHERE sid = ?`).run(to, from)
    this.db.prepare(`UPDATE temp.${this.name}_event SET session_id = ? WHERE session_id = ?`).run(to, from)
  }

  /**
   * Names a pending session after its windows were built directly (chunks, keys and derived
   * events already staged under the placeholder). Derived event uuids carry the session id.
   */
  renameBuilt(from: string, to: string, renameUuid: (uuid: string) => string): void {
    this.db.transaction(() => {
      for (const t of ['chunk', 'key']) this.db.prepare(`UPDATE temp.${this.name}_${t} SET sid = ? WHERE sid = ?`).run(to, from)
      const rows = this.db.prepare(`SELECT rowid AS id, uuid FROM temp.${this.name}_event WHERE origin = 'rrweb' AND session_id = ?`).all(from) as { id: number; uuid: string }[]
      const upd = this.db.prepare(`UPDATE temp.${this.name}_event SET uuid = ?, session_id = ? WHERE rowid = ?`)
      for (const r of rows) upd.run(renameUuid(r.uuid), to, r.id)
      this.db.prepare(`UPDATE temp.${this.name}_event SET session_id = ? WHERE session_id = ?`).run(to, from)
    })()
  }

  /**
   * Before the commit copies chunks and hashes per window: an index gives chunks in seq order
   * without sorting their blobs, and hashes in hash order, so inserting them into the stored
   * (hash, window) key does not touch B-tree pages at random (at 500 MB that was 5 s of the commit).
   */
  indexForCommit(keysSorted: boolean): void {
    this.db.exec(`CREATE INDEX temp.${this.name}_chunk_order ON ${this.name}_chunk(sid, wid, seq)`)
    // Per-session questions (its latest distinct id) answered by a seek, not a scan of every staged
    // event: without it a file of 50k sessions took minutes (quadratic).
    this.db.exec(`CREATE INDEX temp.${this.name}_event_session ON ${this.name}_event(session_id, origin, time_ms)`)
    // Hashes staged already sorted per window (direct builds) come in order by rowid: an index on the
    // window alone finds them (one scan per window would make a file of many sessions quadratic).
    this.db.exec(`CREATE INDEX temp.${this.name}_key_order ON ${this.name}_key(sid, wid${keysSorted ? '' : ', hash'})`)
  }

  indexForReading(): void {
    this.db.exec(`CREATE INDEX temp.${this.name}_snap_order ON ${this.name}_snap(sid, wid, ts, seq)`)
  }

  windows(): StagedWindow[] {
    return this.db
      .prepare(`SELECT sid, wid, count(*) AS events FROM temp.${this.name}_snap GROUP BY sid, wid ORDER BY sid, min(ts)`)
      .all() as StagedWindow[]
  }

  /** Median timestamp of a window: the reference for spotting clock outliers. */
  medianTs(sid: string, wid: string, count: number): number {
    const r = this.db
      .prepare(`SELECT ts FROM temp.${this.name}_snap WHERE sid = ? AND wid = ? ORDER BY ts LIMIT 1 OFFSET ?`)
      .get(sid, wid, Math.floor(count / 2)) as { ts: number } | undefined
    return r?.ts ?? 0
  }

  /** One page of a window's events in (timestamp, file order); keyset paging, no open cursor. */
  page(sid: string, wid: string, after: { ts: number; seq: number } | null, limit: number): StagedSnapshot[] {
    const rows = this.db
      .prepare(
        `SELECT sid, wid, ts, seq, type, source, hash, json FROM temp.${this.name}_snap
         WHERE sid = @sid AND wid = @wid AND (ts, seq) > (@ts, @seq) ORDER BY ts, seq LIMIT @limit`,
      )
      .safeIntegers(true)
      .all({ sid, wid, ts: after?.ts ?? -9e15, seq: after?.seq ?? -1, limit }) as Record<string, unknown>[]
    return rows.map((r) => ({
      sid: r.sid as string,
      wid: r.wid as string,
      ts: Number(r.ts),
      seq: Number(r.seq),
      type: Number(r.type),
      source: r.source === null ? null : Number(r.source),
      hash: r.hash as bigint,
      json: r.json as string,
    }))
  }

  drop(): void {
    if (!this.db.open) return
    for (const t of ['snap', 'event', 'chunk', 'key']) this.db.exec(`DROP TABLE IF EXISTS temp.${this.name}_${t}`)
  }
}
