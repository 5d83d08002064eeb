// A trace's spans as one tree: the explicit root (or the only parentless span) on top, orphans
// and other parentless spans under it, children ordered by start time then file order.
import type { Span, TraceDetail } from '../../shared/trace-model'

export interface TreeNode {
  span: Span
  depth: number
}

const byStart = (a: Span, b: Span) => (a.start_ms ?? Infinity) - (b.start_ms ?? Infinity)

export function spanTree(t: Pick<TraceDetail, 'id' | 'root_span_id' | 'spans'>): TreeNode[] {
  const ids = new Set(t.spans.map((s) => s.span_id))
  const root = t.root_span_id ? t.spans.find((s) => s.span_id === t.root_span_id) : undefined
  const children = new Map<string, Span[]>()
  const top: Span[] = []
  for (const s of t.spans) {
    if (s === root) continue
    const parent = s.parent_id !== null && ids.has(s.parent_id) && s.parent_id !== s.span_id ? s.parent_id : null
    if (parent === null) (root ? (children.get(root.span_id) ?? children.set(root.span_id, []).get(root.span_id)!) : top).push(s)
    else (children.get(parent) ?? children.set(parent, []).get(parent)!).push(s)
  }
  const out: TreeNode[] = []
  const seen = new Set<string>()
  const visit = (s: Span, depth: number) => {
    // Parent cycles in bad data must not loop forever.
    if (seen.has(s.span_id)) return
    seen.add(s.span_id)
    out.push({ span: s, depth })
    for (const c of [...(children.get(s.span_id) ?? [])].sort(byStart)) visit(c, depth + 1)
  }
  if (root) visit(root, 0)
  for (const s of [...top].sort(byStart)) visit(s, 0)
  // Spans only reachable through a cycle: still shown, at the top.
  for (const s of t.spans) if (!seen.has(s.span_id)) visit(s, 0)
  return out
}
