// Import: format detection + one reader per format, streaming, one transaction per source file.
import path from 'node:path'
import type { ImportResult } from '../../shared/model'
import type { Store } from '../store'

export interface ImportProgress {
  file: string
  /** 0-based index of the file in the batch. */
  index: number
  files: number
  bytes_read: number
  total_bytes: number
}

export interface ImportOptions {
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
}

/** Imports each file in its own transaction; a bad file is reported and the batch goes on. */
export async function importFiles(store: Store, files: string[], opts: ImportOptions = {}): Promise<ImportResult[]> {
  void store
  void opts
  return files.map((file) => ({
    file: path.resolve(file),
    format: null,
    sessions: 0,
    events: 0,
    snapshot_events: 0,
    traces: 0,
    spans: 0,
    skipped: [],
    duration_ms: 0,
    already_imported: false,
    error: `${file}: unrecognised format (no importer yet)`,
  }))
}
