// What is embedded for a trace: its summary's title, flow, bullets and notes, without line
// numbers (they say where, not what, and would make every summary look alike to an embedder).
import type { TraceSummary } from '../../shared/trace-summary'

const LINE_NUMBER = /\bL\d{2,}(?:\s*[-–]\s*L?\d+)?:?/g

export function embeddingText(s: Pick<TraceSummary, 'title' | 'flow_diagram' | 'summary_bullets' | 'interesting_notes'>): string {
  const strip = (x: string) => x.replace(LINE_NUMBER, '').replace(/[ \t]+/g, ' ').trim()
  return [s.title, s.flow_diagram, ...s.summary_bullets.map((b) => b.text), ...s.interesting_notes.map((n) => n.text)]
    .map(strip)
    .filter(Boolean)
    .join('\n')
}
