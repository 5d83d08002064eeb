// Traces stage: the text representation (L001: lines, downsampled under a line budget) that
// people read and the summarizer is given.
import type { Store } from '../store'
import { formatTraceText, type TextOptions, type TraceText } from './downsample'
import { renderTrace } from './render'

export { formatTraceText, type TextOptions, type TraceText } from './downsample'
export { renderTrace, type RenderedTrace } from './render'
export { spanTree } from './tree'

/** The text of one stored trace, or null when the id is unknown. */
export function traceText(store: Store, traceId: string, opts: TextOptions = {}): TraceText | null {
  const detail = store.spans.detail(traceId)
  return detail ? formatTraceText(renderTrace(detail), opts) : null
}
