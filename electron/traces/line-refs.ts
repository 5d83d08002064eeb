// Line references of a summary checked against the text the summarizer saw: a ref must name a line
// that text shows (a downsampled view shows only some). Refs are normalised to the text's own
// padding ("L45" → "L045"); a ref that names no shown line is dropped (set to '') and counted.
import type { LineRefText } from '../../shared/trace-summary'

export interface ShownLines {
  /** Line numbers (1-based) the text shows. */
  numbers: Set<number>
  /** Digits of the numbers in the text (L001: → 3). */
  width: number
}

export function shownLines(text: string): ShownLines {
  const numbers = new Set<number>()
  let width = 3
  for (const m of text.matchAll(/^L(\d+):/gm)) {
    numbers.add(Number(m[1]))
    width = m[1]!.length
  }
  return { numbers, width }
}

export const lineRef = (n: number, width: number) => `L${String(n).padStart(width, '0')}`

/** The first reference in `ref` that names a shown line, in the text's form; '' if none does. */
export function normaliseRef(ref: string, shown: ShownLines): string {
  for (const m of ref.matchAll(/L?\s*(\d+)/gi)) {
    const n = Number(m[1])
    if (shown.numbers.has(n)) return lineRef(n, shown.width)
  }
  return ''
}

/** Items with their refs checked; `dropped` counts non-empty refs that named no shown line. */
export function checkRefs(items: LineRefText[], shown: ShownLines): { items: LineRefText[]; dropped: number } {
  let dropped = 0
  const out = items.map((it) => {
    const ref = it.line_refs.trim()
    if (!ref) return { text: it.text, line_refs: '' }
    const ok = normaliseRef(ref, shown)
    if (!ok) dropped++
    return { text: it.text, line_refs: ok }
  })
  return { items: out, dropped }
}
