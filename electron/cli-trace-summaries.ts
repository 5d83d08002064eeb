// Text for people of `sightline summarize-traces` and `sightline embed` (--json prints the documents as they are).
import type { EmbedResult, SummarizeTracesResult, TraceSummaryEstimate } from '../shared/trace-summary'

const usd = (c: number | null) => (c === null ? 'cost unknown' : `$${c.toFixed(4)}`)

export function estimateText(e: TraceSummaryEstimate): string {
  if (e.provider === 'none') return `${e.to_summarize} of ${e.selected} traces to summarize offline (${e.skipped} already current); nothing is sent.`
  return (
    `${e.to_summarize} of ${e.selected} traces to summarize with ${e.model} (${e.skipped} already current): ` +
    `~${e.estimated_input_tokens.toLocaleString('en-US')} input + ~${e.estimated_output_tokens.toLocaleString('en-US')} output tokens, estimated ${usd(e.estimated_cost_usd)}` +
    `${e.cloud ? '' : ' (a model on this machine)'}${e.offline_refused ? '; offline mode refuses this host' : ''}.`
  )
}

export function summarizeTracesText(r: SummarizeTracesResult): string {
  const lines = [
    `${r.summarized} summarized, ${r.skipped} already current, ${r.failed.length} failed (of ${r.selected}; ${r.provider === 'none' ? 'offline, extractive' : `${r.model}, prompt ${r.prompt_version}`}).`,
  ]
  if (r.provider !== 'none') lines.push(`${r.usage.calls} calls, ${r.usage.input_tokens} input / ${r.usage.output_tokens} output tokens, ${usd(r.usage.cost_usd)}; ${r.dropped_refs} line refs dropped (not in the text).`)
  for (const f of r.failed) lines.push(`  failed ${f.trace_id}: ${f.error}`)
  return lines.join('\n')
}

export function embedText(r: EmbedResult): string {
  const lines = [`${r.embedded} embedded, ${r.skipped} unchanged (of ${r.total}) as ${r.model}, ${r.dim} dimensions${r.refit ? ' (fitted on the corpus)' : ''}.`]
  if (r.usage.input_tokens) lines.push(`${r.usage.input_tokens} tokens, ${usd(r.usage.cost_usd)}.`)
  if (r.unmatched?.length) lines.push(`${r.unmatched.length} ids matched no trace (first: ${r.unmatched.slice(0, 3).join(', ')}).`)
  return lines.join('\n')
}
