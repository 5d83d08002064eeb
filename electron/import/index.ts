// Import: format detection + one reader per format, streaming, one transaction per source file.
import path from 'node:path'
import type { ImportResult } from '../../shared/model'
import { CancelledError } from '../errors'
import type { Store } from '../store'
import type { StagingArea } from '../store/staging'
import { buildWindows } from './build'
import { Collector, PENDING_SESSION } from './collect'
import { commit } from './commit'
import { detectContainer } from './detect'
import { ImportError } from './errors'
import { readCsv } from './read-csv'
import { readJsonDocument } from './read-json'
import { readJsonLines } from './read-jsonl'
import { defaultMaxDecompressed, type OpenedSource, openSource } from './source'
import { importTraces, sniffTraces } from './traces'

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
}

const PROGRESS_EVERY_MS = 100

/**
 * Imports each file in its own transaction; a bad file is reported and the batch goes on.
 * Cancelling (signal) rolls back the file in progress and throws CancelledError.
 */
export async function importFiles(store: Store, files: (string | ImportInput)[], opts: ImportOptions = {}): Promise<ImportResult[]> {
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
  let staging: StagingArea | null = null
  let src: OpenedSource | null = null
  let lastReport = 0
  const progress = (read: number, total: number, force = false) => {
    const now = performance.now()
    if (!opts.onProgress || (!force && now - lastReport < PROGRESS_EVERY_MS)) return
    lastReport = now
    opts.onProgress({ file: shown, index, files, bytes_read: read, total_bytes: total })
  }
  try {
    const detected = await detectContainer(abs, opts.maxDecompressedBytes)
    const traces = await sniffTraces(abs, detected.container, opts.maxDecompressedBytes)
    if (traces) return await importTraces(store, abs, detected.container, traces, result, { ...opts, onBytes: (read, total) => progress(read, total) })
    src = await openSource(abs, {
      signal: opts.signal,
      maxDecompressedBytes: opts.maxDecompressedBytes,
      onBytes: (read) => progress(read, src?.totalBytes ?? 0),
    })
    progress(0, src.totalBytes, true)
    staging = store.staging()
    const c = new Collector(shown, staging, opts.signal, opts.maxDecompressedBytes ?? defaultMaxDecompressed(src.totalBytes))
    let format: string
    let sessionId: string | null = null
    let distinctId: string | null = null
    if (detected.container === 'json') {
      const doc = await readJsonDocument(src, c, opts.signal)
      ;({ format, sessionId, distinctId } = doc)
    } else if (detected.container === 'jsonl') format = (await readJsonLines(src, c, opts.signal)).format
    else format = (await readCsv(src, c, opts.signal)).format
    if (opts.signal?.aborted) throw new CancelledError()
    result.format = format
    progress(src.totalBytes, src.totalBytes, true)

    const sha = src.sha256()
    if (store.sources.bySha(sha)) {
      result.already_imported = true
      return result
    }
    if (c.rrwebEvents === 0 && c.productEvents === 0) {
      const why = [...c.skipped].map(([r, n]) => `${n} ${r}`).join('; ')
      throw new ImportError(shown, null, `nothing to import${why ? ` (skipped: ${why})` : ''}`)
    }
    // rrweb files carry no session id: name the session after its first event, so that another
    // copy of the same recording (gzipped, re-exported) lands in the same session.
    staging.renameSession(PENDING_SESSION, sessionId ?? givenSession ?? `rrweb-${(c.firstRrwebHash ?? 0n).toString(16).replace('-', '')}`)
    const windows = await buildWindows(staging, opts.signal)
    const skipped = new Map(c.skipped)
    for (const w of windows) for (const [r, n] of w.skipped) skipped.set(r, (skipped.get(r) ?? 0) + n)
    if (opts.signal?.aborted) throw new CancelledError()
    const out = commit(store, { file: shown, sha256: sha, format, bytes: src.totalBytes, gzip: src.gzip, staging, windows, distinctId, skipped, outOfOrder: c.outOfOrder })
    if (!out) {
      result.already_imported = true
      return result
    }
    result.sessions = out.sessions
    result.session_ids = out.sessionIds
    result.events = out.events
    result.snapshot_events = out.snapshotEvents
    result.skipped = [...skipped].map(([reason, count]) => ({ reason, count }))
  } catch (e) {
    if (e instanceof CancelledError) throw e
    if (opts.signal?.aborted) throw new CancelledError()
    result.error = e instanceof ImportError ? e.message : `${path.basename(shown)}: import failed: ${(e as Error).message ?? String(e)}`
    result.sessions = result.events = result.snapshot_events = result.traces = result.spans = 0
  } finally {
    src?.stream.destroy()
    staging?.drop()
    result.duration_ms = Math.round(performance.now() - t0)
  }
  return result
}
