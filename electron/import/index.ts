// Import: format detection + one reader per format, streaming, one transaction per source file.
import path from 'node:path'
import type { ImportResult } from '../../shared/model'
import { CancelledError, capMessage } from '../errors'
import type { Store } from '../store'
import type { StagingArea } from '../store/staging'
import { buildWindows } from './build'
import { Collector, PENDING_SESSION } from './collect'
import { commit } from './commit'
import { type Container, detectContainer } from './detect'
import { NeedsStaging } from './direct-build'
import { ImportError } from './errors'
import { PARALLEL_MIN_BYTES, RemoteStage, WorkerFailed } from './parallel'
import { readCsv } from './read-csv'
import { readJsonDocument } from './read-json'
import { readJsonLines } from './read-jsonl'
import { contentHashReady } from './rrweb'
import { defaultMaxDecompressed, type OpenedSource, openSource } from './source'
import { importTraces, sniffTraces } from './traces'
import type { BuiltWindow } from './window-builder'

export interface ImportProgress {
  file: string
  /** 0-based index of the file in the batch. */
  index: number
  files: number
  bytes_read: number
  total_bytes: number
}

/** A file to import, with what the importer cannot read from its content. */
export interface ImportInput {
  file: string
  /** Session id for recording events that carry none (plain rrweb files); without it they land in `rrweb-<hash>`. */
  session_id?: string | undefined
  /** What the result, errors and the source row call this input (e.g. the URL it was pulled from); default: the absolute path. */
  label?: string | undefined
}

export interface ImportOptions {
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
  /** Cap on what a file may decompress to, gzip and compressed events alike (zip bombs). */
  maxDecompressedBytes?: number
  /** false: skip the fast path (direct-build.ts) and stage every file; for tests that compare the two. */
  directBuild?: boolean
  /** JSON documents this big (on disk) have their events parsed, normalised and hashed in a second worker thread (parallel.ts); Infinity: never. */
  parallelMinBytes?: number
}

const PROGRESS_EVERY_MS = 100

/** SIGHTLINE_IMPORT_PARALLEL_MIN_BYTES overrides the size from which a second thread helps (tests: 0). */
function parallelMinBytes(): number {
  const env = process.env.SIGHTLINE_IMPORT_PARALLEL_MIN_BYTES
  return env !== undefined && env !== '' && !Number.isNaN(Number(env)) ? Number(env) : PARALLEL_MIN_BYTES
}

/** parallel: direct, in a second worker when the file is big enough (parallel.ts); direct: in this thread. */
type ReadMode = 'parallel' | 'direct' | 'staged'

/**
 * Imports each file in its own transaction; a bad file is reported and the batch goes on.
 * Cancelling (signal) rolls back the file in progress and throws CancelledError.
 */
export async function importFiles(store: Store, files: (string | ImportInput)[], opts: ImportOptions = {}): Promise<ImportResult[]> {
  await contentHashReady
  const results: ImportResult[] = []
  for (let i = 0; i < files.length; i++) {
    if (opts.signal?.aborted) throw new CancelledError()
    results.push(await importOne(store, files[i]!, i, files.length, opts))
  }
  return results
}

async function importOne(store: Store, input: string | ImportInput, index: number, files: number, opts: ImportOptions): Promise<ImportResult> {
  const t0 = performance.now()
  const { file, session_id: givenSession, label } = typeof input === 'string' ? { file: input, session_id: undefined, label: undefined } : input
  const abs = path.resolve(file)
  /** What the user is told this input is; `abs` is only where its bytes are read. */
  const shown = label ?? abs
  const result: ImportResult = {
    file: shown,
    format: null,
    sessions: 0,
    events: 0,
    snapshot_events: 0,
    traces: 0,
    spans: 0,
    skipped: [],
    duration_ms: 0,
    already_imported: false,
    error: null,
  }
  let staging = null as StagingArea | null
  let collector = null as Collector | null
  let src = null as OpenedSource | null
  let lastReport = 0
  const progress = (read: number, total: number, force = false) => {
    const now = performance.now()
    if (!opts.onProgress || (!force && now - lastReport < PROGRESS_EVERY_MS)) return
    lastReport = now
    opts.onProgress({ file: shown, index, files, bytes_read: read, total_bytes: total })
  }
  type Read = 'already_imported' | { c: Collector; format: string; sha: string; windows: BuiltWindow[]; distinctId: string | null }
  /** Reads the file and builds its windows (directly, or staged and then built in time order). */
  const readFile = async (mode: ReadMode): Promise<Read> => {
    const direct = mode !== 'staged'
    const s = (src = await openSource(abs, {
      signal: opts.signal,
      maxDecompressedBytes: opts.maxDecompressedBytes,
      onBytes: (read) => progress(read, src?.totalBytes ?? 0),
    }))
    progress(0, s.totalBytes, true)
    const st = (staging = store.staging())
    const budget = opts.maxDecompressedBytes ?? defaultMaxDecompressed(s.totalBytes)
    const c = (collector = new Collector(shown, st, opts.signal, budget, direct))
    if (mode === 'parallel' && container === 'json' && s.totalBytes >= (opts.parallelMinBytes ?? parallelMinBytes())) {
      try {
        c.remote = new RemoteStage(c)
        c.compressElsewhere()
      } catch {
        // no worker: this thread does it all
      }
    }
    let format: string
    let sessionId: string | null = null
    let distinctId: string | null = null
    if (container === 'json') {
      const doc = await readJsonDocument(s, c, opts.signal)
      ;({ format, sessionId, distinctId } = doc)
    } else if (container === 'jsonl') format = (await readJsonLines(s, c, opts.signal)).format
    else format = (await readCsv(s, c, opts.signal)).format
    // Every element is collected: the worker's part is done.
    c.remote?.close()
    if (opts.signal?.aborted) throw new CancelledError()
    result.format = format
    progress(s.totalBytes, s.totalBytes, true)

    const sha = s.sha256()
    if (store.sources.bySha(sha)) return 'already_imported'
    if (c.rrwebEvents === 0 && c.productEvents === 0) {
      const why = [...c.skipped].map(([r, n]) => `${n} ${r}`).join('; ')
      throw new ImportError(shown, null, `nothing to import${why ? ` (skipped: ${why})` : ''}`)
    }
    // rrweb files carry no session id: name the session after its content (first full snapshot,
    // else first event), so another copy of the same recording (gzipped, re-exported, saved again
    // later) lands in the same session and two different recordings never do (collect.ts).
    const pendingTo = sessionId ?? givenSession ?? `rrweb-${(c.firstSnapshotHash ?? c.firstRrwebHash ?? 0n).toString(16).replace('-', '')}`
    let windows = await c.finishDirect(pendingTo)
    if (!windows) {
      st.renameSession(PENDING_SESSION, pendingTo)
      windows = await buildWindows(st, opts.signal)
    }
    return { c, format, sha, windows, distinctId }
  }
  let container: Container = 'json'
  try {
    const detected = await detectContainer(abs, opts.maxDecompressedBytes)
    container = detected.container
    const traces = await sniffTraces(abs, detected.container, opts.maxDecompressedBytes)
    if (traces) return await importTraces(store, abs, detected.container, traces, result, { ...opts, onBytes: (read, total) => progress(read, total) })
    // Fast path first (events built as they stream); a file it cannot take is read again, staged.
    // A worker that fails (not the file) leaves the file to this thread.
    let read: Read | null = null
    let mode: ReadMode | null = opts.directBuild === false ? 'staged' : 'parallel'
    while (mode) {
      try {
        read = await readFile(mode)
        break
      } catch (e) {
        const next: ReadMode | null = e instanceof WorkerFailed && mode === 'parallel' ? 'direct' : e instanceof NeedsStaging && mode !== 'staged' ? 'staged' : null
        if (!next || opts.signal?.aborted) throw e
        mode = next
        collector?.close()
        src?.stream.destroy()
        staging?.drop()
      }
    }
    if (read === 'already_imported') {
      result.already_imported = true
      return result
    }
    const { c, format, sha, windows } = read!
    staging!.indexForCommit(c.builtDirectly)
    const skipped = new Map(c.skipped)
    for (const w of windows) for (const [r, n] of w.skipped) skipped.set(r, (skipped.get(r) ?? 0) + n)
    if (opts.signal?.aborted) throw new CancelledError()
    const out = commit(store, { file: shown, sha256: sha, format, bytes: src!.totalBytes, gzip: src!.gzip, snappy: src!.snappy, staging: staging!, windows, distinctId: read!.distinctId, skipped, outOfOrder: c.outOfOrder })
    if (!out) {
      result.already_imported = true
      return result
    }
    result.sessions = out.sessions
    result.session_ids = out.sessionIds
    result.events = out.events
    result.snapshot_events = out.snapshotEvents
    result.skipped = [...skipped].map(([reason, count]) => ({ reason, count }))
    const mobile = windows.filter((w) => w.mobile).length
    if (mobile) result.notes = [`${mobile === 1 ? '1 window is' : `${mobile} windows are`} a PostHog mobile recording (wireframes): stored with its events, but the player shows web recordings only`]
  } catch (e) {
    if (e instanceof CancelledError) throw e
    if (opts.signal?.aborted) throw new CancelledError()
    result.error = e instanceof ImportError ? e.message : capMessage(`${path.basename(shown)}: import failed: ${(e as Error).message ?? String(e)}`)
    result.sessions = result.events = result.snapshot_events = result.traces = result.spans = 0
  } finally {
    collector?.close()
    src?.stream.destroy()
    staging?.drop()
    result.duration_ms = Math.round(performance.now() - t0)
  }
  return result
}
