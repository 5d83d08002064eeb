// Line numbering and uniform downsampling. Under a line budget the header stays, the first and
// last message headings and the last line stay, and the rest of the body is every Nth line;
// original numbers are kept so the gaps show, and a note says how much is shown. Long lines
// are cut in the middle with a marker. Deterministic: same input, same text.
import type { RenderedTrace } from './render'

export interface TextOptions {
  /** At most this many lines of output (the sampling note included). */
  maxLines?: number | undefined
  /** Lines longer than this are cut in the middle. */
  maxLineChars?: number | undefined
}

export const DEFAULT_MAX_LINE_CHARS = 1000

export interface TraceText {
  text: string
  total_lines: number
  shown_lines: number
  sampled: boolean
}

export function truncateLine(line: string, max: number): string {
  if (line.length <= max) return line
  const keepHead = Math.ceil(max * 0.6)
  const keepTail = Math.floor(max * 0.3)
  return `${line.slice(0, keepHead)} ... (${line.length - keepHead - keepTail} chars truncated) ... ${line.slice(line.length - keepTail)}`
}

/** Body indexes to keep: the required ones, then every Nth of the rest of the budget. */
export function sampleIndexes(bodyLength: number, budget: number, required: number[]): number[] {
  if (budget >= bodyLength) return Array.from({ length: bodyLength }, (_, i) => i)
  if (budget <= 0) return []
  const keep = new Set(required.filter((i) => i >= 0 && i < bodyLength).slice(0, budget))
  const rest = budget - keep.size
  const step = bodyLength / Math.max(rest, 1)
  for (let i = 0; i < rest; i++) keep.add(Math.floor(i * step))
  // Collisions with the required lines leave room: fill it from the evenly spaced gaps.
  for (let i = 0; keep.size < budget && i < bodyLength; i++) keep.add(Math.floor((i * bodyLength) / budget + step / 2) % bodyLength)
  return [...keep].sort((a, b) => a - b)
}

export function formatTraceText(r: RenderedTrace, opts: TextOptions = {}): TraceText {
  const total = r.lines.length
  const width = Math.max(3, String(total).length)
  const maxChars = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS
  const numbered = (i: number) => `L${String(i + 1).padStart(width, '0')}: ${truncateLine(r.lines[i]!, maxChars)}`
  const max = opts.maxLines
  if (max === undefined || total <= max) return { text: r.lines.map((_, i) => numbered(i)).join('\n'), total_lines: total, shown_lines: total, sampled: false }

  // A budget smaller than the header shortens the header, never the note or the last line.
  const head = Math.min(r.headerLines, Math.max(0, max - 3))
  const bodyStart = head
  const bodyLength = total - bodyStart
  const budget = Math.max(0, max - head - 1)
  const messages = r.messageLines.filter((i) => i >= bodyStart).map((i) => i - bodyStart)
  const required = [bodyLength - 1, messages[0] ?? 0, messages.at(-1) ?? bodyLength - 1]
  const kept = sampleIndexes(bodyLength, budget, required).map((i) => i + bodyStart)
  const shown = head + kept.length
  const pct = Math.round((shown / total) * 100)
  const lines = [
    ...Array.from({ length: head }, (_, i) => numbered(i)),
    `[SAMPLED VIEW: ~${pct}% of ${total.toLocaleString('en-US')} lines shown]`,
    ...kept.map(numbered),
  ]
  return { text: lines.join('\n'), total_lines: total, shown_lines: shown, sampled: true }
}
