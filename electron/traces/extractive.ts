// The offline trace summary, made without a model from the trace itself: the title from the
// first user message, the flow from the span tree, bullets from the user turns, the tool calls and
// the last answer, notes from errors and feedback — each with the real line it came from. Plain
// and deterministic; it carries what the user asked in their own words, which is what traces of
// the same intent share, so it is good enough to embed and cluster on.
import type { LineRefText } from '../../shared/trace-summary'
import type { Span, TraceDetail } from '../../shared/trace-model'
import { lineRef } from './line-refs'
import type { RenderedTrace } from './render'
import { spanTree } from './tree'
import type { TraceSummaryOut } from './summary-schema'

const MAX_BULLETS = 10
const MAX_NOTES = 6
const MAX_FLOW_TURNS = 6
const MAX_FLOW_STEPS = 6

const clip = (s: string, n: number) => {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length <= n ? t : `${t.slice(0, n - 1).trimEnd()}…`
}

function titleOf(text: string, fallback: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)
  if (!words.length) return fallback
  const t = words.slice(0, 10).join(' ')
  return words.length > 10 ? `${t.replace(/[,.;:!?]+$/, '')}…` : t
}

interface Msg {
  role: string
  /** Index of the `[n] ROLE` line. */
  at: number
  body: string[]
  /** Index of the first body line. */
  bodyAt: number
}

/** The messages of the rendered text: heading line, then the lines up to the next blank line. */
function messagesOf(r: RenderedTrace): Msg[] {
  return r.messageLines.map((at) => {
    const role = /^\[\d+\] (\S+)/.exec(r.lines[at]!)?.[1]?.toLowerCase() ?? ''
    const body: string[] = []
    for (let i = at + 1; i < r.lines.length && r.lines[i] !== ''; i++) body.push(r.lines[i]!)
    return { role, at, body, bodyAt: at + 1 }
  })
}

function stepOf(s: Span): string {
  const ok = s.error ? ' ✗' : ' ✓'
  if (s.kind === 'llm') return `LLM ${s.model ?? s.name ?? ''}`.trimEnd() + ok
  if (s.kind === 'embedding') return `Embedding ${s.model ?? ''}`.trimEnd() + ok
  if (s.kind === 'tool') return `Tool ${s.tool_calls?.[0]?.name ?? s.name ?? ''}`.trimEnd() + ok
  return `${s.name ?? s.kind}${s.error ? ' ✗' : ''}`
}

/** Top to bottom: the root, then each of its children with what ran under it as branches. */
export function flowOf(t: TraceDetail): string {
  const tree = spanTree(t)
  if (!tree.length) return '(no spans)'
  const out = [stepOf(tree[0]!.span).replace(/ ✓$/, '')]
  const turns: { span: Span; under: Span[] }[] = []
  for (const n of tree.slice(1)) {
    if (n.depth <= 1) turns.push({ span: n.span, under: [] })
    else turns.at(-1)?.under.push(n.span)
  }
  for (const turn of turns.slice(0, MAX_FLOW_TURNS)) {
    out.push('    ↓', stepOf(turn.span))
    // Repeated steps in a row (a model called again after each tool) collapse into one with a count.
    const steps: { text: string; n: number }[] = []
    for (const s of turn.under) {
      const text = stepOf(s)
      if (steps.at(-1)?.text === text) steps.at(-1)!.n++
      else steps.push({ text, n: 1 })
    }
    const shown = steps.slice(0, MAX_FLOW_STEPS)
    shown.forEach((s, i) => out.push(`    ${i === shown.length - 1 && steps.length <= MAX_FLOW_STEPS ? '└─→' : '├─→'} ${s.text}${s.n > 1 ? ` ×${s.n}` : ''}`))
    if (steps.length > MAX_FLOW_STEPS) out.push(`    └─→ … ${steps.length - MAX_FLOW_STEPS} more steps`)
  }
  if (turns.length > MAX_FLOW_TURNS) out.push('    ↓', `… ${turns.length - MAX_FLOW_TURNS} more`)
  return out.join('\n')
}

export function extractiveSummary(t: TraceDetail, r: RenderedTrace): TraceSummaryOut {
  const width = Math.max(3, String(r.lines.length).length)
  const ref = (i: number) => lineRef(i + 1, width)
  const msgs = messagesOf(r)
  // A span's bare input (OpenInference chain spans of a turn whose call failed) stands in for the
  // user when no user message was recorded; the same words twice are one turn.
  const said = (role: string) => msgs.filter((m) => m.role === role && m.body.length)
  const seen = new Set<string>()
  const users = (said('user').length ? said('user') : said('input')).filter((m) => {
    const k = m.body.join('\n')
    return !seen.has(k) && seen.add(k)
  })
  const firstUser = users[0]
  const title = firstUser ? titleOf(firstUser.body.join(' '), t.name ?? 'Trace') : titleOf(t.name ?? '', 'Trace without messages')

  const bullets: (LineRefText & { at: number; rank: number })[] = []
  for (const m of users) bullets.push({ text: `User: ${clip(m.body.join(' '), 200)}`, line_refs: ref(m.bodyAt), at: m.bodyAt, rank: 0 })
  for (const m of msgs) {
    m.body.forEach((line, k) => {
      const call = /^ {2}- (.+)$/.exec(line)
      if (call && m.body.slice(0, k).some((l) => l.startsWith('Tool calls:'))) bullets.push({ text: `Called ${clip(call[1]!, 160)}`, line_refs: ref(m.bodyAt + k), at: m.bodyAt + k, rank: 1 })
    })
  }
  const lastAnswer = [...msgs].reverse().find((m) => m.role === 'assistant' && m.body.length && !m.body[0]!.startsWith('Tool calls:'))
  if (lastAnswer) bullets.push({ text: `Assistant: ${clip(lastAnswer.body.filter((l) => !/^Tool calls:|^ {2}- /.test(l)).join(' '), 200)}`, line_refs: ref(lastAnswer.bodyAt), at: lastAnswer.bodyAt, rank: 2 })
  // Over the budget: user turns first, then the answer, then the calls; shown in text order.
  const kept = [...bullets].sort((a, b) => a.rank - b.rank || a.at - b.at).slice(0, MAX_BULLETS).sort((a, b) => a.at - b.at)

  const notes: LineRefText[] = []
  r.lines.forEach((line, i) => {
    if (/^ERROR in /.test(line)) notes.push({ text: clip(line, 220), line_refs: ref(i) })
    else if (/^(FEEDBACK|METRIC): /.test(line)) notes.push({ text: clip(line, 160), line_refs: ref(i) })
  })
  if (t.spans.some((s) => s.orphan)) notes.push({ text: 'Some spans name parents that are not in this trace.', line_refs: '' })

  return {
    title,
    flow_diagram: flowOf(t),
    summary_bullets: kept.map(({ text, line_refs }) => ({ text, line_refs })),
    interesting_notes: notes.slice(0, MAX_NOTES),
  }
}
