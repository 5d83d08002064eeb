// Receives normalised spans, OTel log records and feedback from the format readers and stages
// them in batches, numbering spans in file order. Counts what it drops, by reason.
import { createHash } from 'node:crypto'
import type { NewSpan } from '../../store/spans'
import type { StagedFeedbackRow, StagedLogRow, StagedSpanRow, TraceStaging } from '../../store/trace-staging'

const BATCH_ROWS = 500
const BATCH_BYTES = 16 * 2 ** 20

/** A span before the sink numbers it. */
export type SpanIn = Omit<NewSpan, 'seq'>

export interface LogIn {
  trace_id: string
  span_id: string
  time_ns: string
  event: string
  body: unknown
}

export type FeedbackIn = StagedFeedbackRow

export const hashOf = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 24)

export class TraceSink {
  private spans: StagedSpanRow[] = []
  private logs: StagedLogRow[] = []
  private feedbacks: StagedFeedbackRow[] = []
  private bytes = 0
  private seq = 0
  private occurrences = new Map<string, number>()
  readonly skipped = new Map<string, number>()
  spanCount = 0
  logCount = 0
  feedbackCount = 0

  constructor(
    readonly file: string,
    private readonly staging: TraceStaging,
  ) {}

  span(s: SpanIn): void {
    const json = JSON.stringify({ ...s, seq: this.seq })
    this.spans.push({ trace_id: s.trace_id, seq: this.seq++, json })
    this.spanCount++
    this.bytes += json.length
    this.maybeFlush()
  }

  log(l: LogIn): void {
    const body = JSON.stringify(l.body ?? null)
    // Content-addressed, so a second copy of the export is not stored twice; the occurrence
    // number keeps a message that really is repeated in one request (same time and text).
    const base = hashOf(`${l.trace_id}\u0000${l.span_id}\u0000${l.time_ns}\u0000${l.event}\u0000${body}`)
    const k = this.occurrences.get(base) ?? 0
    this.occurrences.set(base, k + 1)
    const hash = k === 0 ? base : `${base}#${k}`
    this.logs.push({ trace_id: l.trace_id, span_id: l.span_id, hash, time_ns: l.time_ns, seq: this.seq++, event: l.event, body })
    this.logCount++
    this.bytes += body.length
    this.maybeFlush()
  }

  feedback(f: FeedbackIn): void {
    this.feedbacks.push(f)
    this.feedbackCount++
    this.maybeFlush()
  }

  skip(reason: string, count = 1): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + count)
  }

  flush(): void {
    const dups = this.staging.addBatch(this.spans, this.logs, this.feedbacks)
    if (dups) this.skip('duplicate log record or feedback in the file', dups)
    this.spans = []
    this.logs = []
    this.feedbacks = []
    this.bytes = 0
  }

  private maybeFlush(): void {
    if (this.spans.length + this.logs.length + this.feedbacks.length >= BATCH_ROWS || this.bytes >= BATCH_BYTES) this.flush()
  }
}
