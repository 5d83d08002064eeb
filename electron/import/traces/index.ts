// LLM trace import: PostHog $ai_* events, PostHog-LLM llm-task events, OTLP JSON (OpenTelemetry
// GenAI, OpenInference), Phoenix's span download, PostHog's and Langfuse's trace objects. Same rules as the
// session import: streaming, staged, one transaction per file, idempotent by the file's sha256.
import type { ImportResult } from '../../../shared/model'
import { CancelledError } from '../../errors'
import type { Store } from '../../store'
import { TraceStaging } from '../../store/trace-staging'
import type { Container } from '../detect'
import { ImportError } from '../errors'
import { shape } from '../collect'
import { type OpenedSource, openSource } from '../source'
import { commitTraces } from './commit'
import { isLangfuseTrace, readLangfuseTrace } from './langfuse'
import { TASK_EVENT, TASK_FEEDBACK_EVENTS, TaskLinker } from './llm-tasks'
import { isObj } from './messages'
import { isPhoenixSpan, isResourceLogs, isResourceSpans, readPhoenixSpan, readResourceLogs, readResourceSpans } from './otlp'
import { AI_FEEDBACK_EVENTS, AI_SPAN_EVENTS, propsOf, readPosthogAiEvent, readPosthogTraceObject } from './posthog'
import { readItems } from './read-items'
import { TraceSink } from './sink'
import { type TraceFlavour, sniffTraces } from './sniff'

export { sniffTraces, type TraceFlavour }

export interface TraceImportOptions {
  signal?: AbortSignal | undefined
  maxDecompressedBytes?: number | undefined
  onBytes?: ((read: number, total: number) => void) | undefined
}

function formatName(flavour: TraceFlavour, container: Container): string {
  const suffix = container === 'jsonl' ? 'jsonl' : container === 'csv' ? 'csv' : 'json'
  if (flavour === 'otlp') return container === 'jsonl' ? 'otlp-json-lines' : 'otlp-json'
  if (flavour === 'phoenix') return `phoenix-spans-${suffix}`
  if (flavour === 'posthog-trace') return `posthog-trace-${suffix}`
  if (flavour === 'langfuse') return `langfuse-trace-${suffix}`
  return `posthog-events-${suffix}`
}

/** Routes one item of any trace flavour to its reader. */
function dispatcher(file: string, sink: TraceSink, tasks: TaskLinker) {
  const each = (list: unknown, place: string, fn: (v: Record<string, unknown>) => void) => {
    if (Array.isArray(list)) list.forEach((v) => isObj(v) && fn(v))
    else if (list !== undefined) throw new ImportError(file, place, 'expected a list of resource spans or logs')
  }
  const dispatch = (v: unknown, place: string): void => {
    if (isObj(v) && ('resourceSpans' in v || 'resourceLogs' in v || 'resource_spans' in v || 'resource_logs' in v)) {
      each(v.resourceSpans ?? v.resource_spans, place, (rs) => readResourceSpans(rs, sink))
      each(v.resourceLogs ?? v.resource_logs, place, (rl) => readResourceLogs(rl, sink))
    } else if (isResourceSpans(v)) readResourceSpans(v as Record<string, unknown>, sink)
    else if (isResourceLogs(v)) readResourceLogs(v as Record<string, unknown>, sink)
    else if (isPhoenixSpan(v)) readPhoenixSpan(v as Record<string, unknown>, sink)
    else if (isObj(v) && typeof v.event === 'string') {
      const name = v.event
      if (AI_SPAN_EVENTS.has(name) || AI_FEEDBACK_EVENTS.has(name)) readPosthogAiEvent(v, sink)
      else if (name === TASK_EVENT || TASK_FEEDBACK_EVENTS.has(name)) tasks.read(v)
      else if (name === 'survey sent' && propsOf(v).$ai_trace_id !== undefined) readPosthogAiEvent(v, sink)
      else sink.skip('event that is not an LLM event')
    } else if (isLangfuseTrace(v)) readLangfuseTrace(v as Record<string, unknown>, sink)
    else if (isObj(v) && Array.isArray(v.events) && ('traceName' in v || 'id' in v)) readPosthogTraceObject(v, sink, place)
    else if (isObj(v) && Array.isArray(v.batch)) v.batch.forEach((e, i) => dispatch(e, `${place}, batch[${i}]`))
    else throw new ImportError(file, place, `not an LLM trace, span or event (found ${shape(v)})`)
  }
  return dispatch
}

/**
 * Imports one trace file into `result` (counts set only once the transaction has committed).
 * Throws ImportError for bad input; nothing of the file is stored then.
 */
export async function importTraces(store: Store, file: string, container: Container, flavour: TraceFlavour, result: ImportResult, opts: TraceImportOptions): Promise<ImportResult> {
  let src: OpenedSource | null = null
  const staging = new TraceStaging(store.db)
  try {
    src = await openSource(file, { signal: opts.signal, maxDecompressedBytes: opts.maxDecompressedBytes, onBytes: (read) => opts.onBytes?.(read, src?.totalBytes ?? 0) })
    const sink = new TraceSink(file, staging)
    const tasks = new TaskLinker(sink)
    const dispatch = dispatcher(file, sink, tasks)
    const { items, root } = await readItems(src, container, file, dispatch, opts.signal)
    // A document that is one object (a bare ResourceSpans, a trace object) is its own item.
    if (items === 0 && root !== null && root !== undefined && !Array.isArray(root)) dispatch(root, 'the document')
    sink.flush()
    if (opts.signal?.aborted) throw new CancelledError()
    result.format = formatName(flavour, container)

    const sha = src.sha256()
    if (store.sources.bySha(sha)) {
      result.already_imported = true
      return result
    }
    for (const [pending, final] of tasks.resolve()) staging.renameTrace(pending, final)
    const lost = staging.dropFeedbackOf(TaskLinker.pendingPrefix)
    if (lost) sink.skip('feedback on an llm-task that is not in the file', lost)
    const counts = staging.counts()
    if (counts.spans + counts.logs + counts.feedback === 0) {
      const why = [...sink.skipped].map(([r, n]) => `${n} ${r}`).join('; ')
      throw new ImportError(file, null, `no LLM spans, events or log records to import${why ? ` (skipped: ${why})` : ''}`)
    }
    const out = commitTraces(store, { file, sha256: sha, format: result.format, bytes: src.totalBytes, gzip: src.gzip, staging, skipped: sink.skipped })
    if (!out) {
      result.already_imported = true
      return result
    }
    result.traces = out.traces
    result.spans = out.spans
    if (out.logs) result.log_records = out.logs
    if (out.conflicts.length) result.conflicts = out.conflicts
    result.skipped = [...sink.skipped].map(([reason, count]) => ({ reason, count }))
    return result
  } finally {
    src?.stream.destroy()
    staging.drop()
  }
}
