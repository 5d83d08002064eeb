// The one transaction of a trace import: source, spans (new ones only), OTel log records,
// feedback, messages rebuilt from logs where the span has none of its own, then every touched
// trace's row recomputed. Lands whole or not at all.
import type { SpanConflict } from '../../../shared/model'
import type { Span } from '../../../shared/trace-model'
import type { Store } from '../../store'
import type { NewSpan } from '../../store/spans'
import type { TraceStaging } from '../../store/trace-staging'
import { messagesFromEvents } from './genai-events'
import { toolCallsOf } from './messages'
import { orphansOf, rollup } from './rollup'

export interface TraceCommitInput {
  file: string
  sha256: string
  format: string
  bytes: number
  gzip: boolean
  staging: TraceStaging
  skipped: Map<string, number>
}

export interface TraceCommitOutcome {
  traces: number
  spans: number
  logs: number
  feedback: number
  conflicts: SpanConflict[]
}

// What makes two versions of one span different content (not merely more or less of it): a
// value on both sides that differs. A side without a value (messages still to come from a logs
// file, tokens a format does not carry) completes, it does not conflict.
const COMPARED = ['name', 'model', 'provider', 'input', 'output', 'tool_calls', 'input_tokens', 'output_tokens', 'start_ms', 'end_ms', 'error_message'] as const

function differingFields(stored: Span, incoming: NewSpan): string[] {
  return COMPARED.filter((k) => {
    const a = stored[k]
    const b = incoming[k]
    return a !== null && b !== null && JSON.stringify(a) !== JSON.stringify(b)
  })
}

/**
 * Where a trace of this file whose spans collide with stored ones of different content goes:
 * beside the stored trace, under its id plus the file's hash (`<trace id>~<8 hex>`), so nothing
 * stored is overwritten and nothing new is dropped. The import result lists each such span.
 */
export const conflictTraceId = (traceId: string, sha256: string) => `${traceId}~${sha256.slice(0, 8)}`

/** The spans of a staged trace that collide with stored spans of different content. */
function conflictsOf(store: Store, rows: NewSpan[], storedAs: string): SpanConflict[] {
  if (!rows.length) return []
  const stored = new Map(store.spans.ofTrace(rows[0]!.trace_id).map((s) => [s.span_id, s]))
  if (!stored.size) return []
  const out: SpanConflict[] = []
  for (const r of rows) {
    const old = stored.get(r.span_id)
    const fields = old ? differingFields(old, r) : []
    if (fields.length) out.push({ trace_id: r.trace_id, span_id: r.span_id, stored_as: storedAs, fields })
  }
  return out
}

/** Null when the same file was imported meanwhile (another window or worker): nothing written. */
export function commitTraces(store: Store, input: TraceCommitInput): TraceCommitOutcome | null {
  const { staging } = input
  staging.indexForReading()
  return store.transaction(() => {
    if (store.sources.bySha(input.sha256)) return null
    const sourceId = store.sources.insert({ file: input.file, sha256: input.sha256, format: input.format, bytes: input.bytes, imported_ms: Date.now(), stats: '{}' })
    const touched = new Set<string>()
    const needContent = new Map<string, [string, string]>()
    let spans = 0
    const conflicts: SpanConflict[] = []
    for (const stagedId of staging.traceIds()) {
      // The staged column wins: a provisional id (llm-task conversations) was renamed there.
      let traceId = stagedId
      let rows = staging.spansOf(traceId).map((r) => ({ ...(JSON.parse(r.json) as NewSpan), trace_id: traceId }))
      const clash = conflictsOf(store, rows, conflictTraceId(traceId, input.sha256))
      if (clash.length) {
        conflicts.push(...clash)
        traceId = conflictTraceId(stagedId, input.sha256)
        staging.renameTrace(stagedId, traceId)
        rows = rows.map((r) => ({ ...r, trace_id: traceId }))
      }
      const fresh = store.spans.insert(rows, sourceId)
      if (fresh === 0) continue
      spans += fresh
      touched.add(traceId)
      // Content may have come earlier, from a logs file.
      for (const r of rows) if (r.content === null) needContent.set(`${r.trace_id}\u0000${r.span_id}`, [r.trace_id, r.span_id])
    }
    const { records: logs, spans: logTargets } = store.spans.insertStagedLogs(staging.name, sourceId)
    for (const t of logTargets) needContent.set(`${t.trace_id}\u0000${t.span_id}`, [t.trace_id, t.span_id])
    for (const [traceId, spanId] of needContent.values()) {
      const content = store.spans.contentOf(traceId, spanId)
      // Only spans that exist and carry no messages of their own take them from logs.
      if (content !== null && content !== 'logs') continue
      const logs = store.spans.logsOf(traceId, spanId)
      if (!logs.length) continue
      const m = messagesFromEvents(logs.map((l) => ({ event: l.event, body: JSON.parse(l.body) as unknown })))
      store.spans.setContentFromLogs(traceId, spanId, m.input, m.output, toolCallsOf(m.output))
    }
    const feedback = store.spans.insertStagedFeedback(staging.name, sourceId)
    for (const id of touched) {
      const all = store.spans.ofTrace(id)
      store.spans.setOrphans(id, orphansOf(id, all))
      store.spans.updateTrace(rollup(id, all, store.spans.hintsOf(id)))
    }
    const outcome = { traces: touched.size, spans, logs, feedback }
    store.sources.setStats(sourceId, JSON.stringify({ gzip: input.gzip, ...outcome, conflicts: conflicts.length, skipped: Object.fromEntries(input.skipped) }))
    return { ...outcome, conflicts }
  })
}
