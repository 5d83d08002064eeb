// How the CLI shows results to people (without --json): tables and one-line outcomes.
import type { ImportResult, SessionRow, TraceRow } from '../shared/model'
import type { DryRun, FlagRow, SummaryResult } from '../shared/summary'
import type { VerifyEstimate, VerifyJobResult } from '../shared/verify'

export const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}

/** A stored time as UTC; a value no date can hold (a database from before import refused them) shows as '?'. */
const iso = (ms: number | null) => (ms === null ? '' : Number.isFinite(new Date(ms).getTime()) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '?')
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`

/** One imported file in brief (a failed one goes to stderr: importFailure). */
export function importSummary(r: ImportResult): string {
  if (r.already_imported) return `= ${r.file}: already imported, nothing changed`
  const parts = [
    r.format,
    r.sessions && plural(r.sessions, 'session'),
    r.events && plural(r.events, 'event'),
    r.snapshot_events && plural(r.snapshot_events, 'snapshot event'),
    r.traces && plural(r.traces, 'trace'),
    r.spans && plural(r.spans, 'span'),
    r.log_records && `${r.log_records} log records with message content`,
    ...r.skipped.map((s) => `skipped ${s.count} (${s.reason})`),
    `${r.duration_ms} ms`,
  ].filter(Boolean)
  const byTrace = new Map<string, { stored_as: string; fields: Set<string> }>()
  for (const c of r.conflicts ?? []) {
    const t = byTrace.get(c.trace_id) ?? { stored_as: c.stored_as, fields: new Set<string>() }
    c.fields.forEach((f) => t.fields.add(f))
    byTrace.set(c.trace_id, t)
  }
  const conflicts = [...byTrace].map(([id, t]) => `\n  conflict: trace ${id} is stored with other content (${[...t.fields].join(', ')}); this file's version is kept as ${t.stored_as}`)
  return `✓ ${r.file}\n  ${parts.join(', ')}${(r.notes ?? []).map((n) => `\n  note: ${n}`).join('')}${conflicts.join('')}`
}

export const importFailure = (r: ImportResult): string => `error: ${r.file}: ${r.error}`

export const sessionsTable = (rows: SessionRow[], filtered: boolean): string =>
  rows.length === 0
    ? filtered
      ? 'No session matches.'
      : 'No sessions yet. Import some: sightline import FILE'
    : table([
        ['ID', 'START (UTC)', 'DURATION', 'ACTIVE', 'EVENTS', 'ERRORS', 'FLAGS', 'FIRST URL'],
        ...rows.map((r) => [r.id, iso(r.start_ms), secs(r.duration_ms), secs(r.active_ms), String(r.events), String(r.errors), String(r.flags), r.first_url ?? '']),
      ])

export const tracesTable = (rows: TraceRow[]): string =>
  rows.length === 0
    ? 'No traces yet. Import some: sightline import FILE'
    : table([
        ['ID', 'NAME', 'START (UTC)', 'SPANS', 'TOKENS IN/OUT', 'ERROR', 'SESSION'],
        ...rows.map((r) => [r.id, r.name ?? '', iso(r.start_ms), String(r.spans), `${r.input_tokens}/${r.output_tokens}`, r.error ? 'yes' : '', r.session_id ?? '']),
      ])

export const flagsTable = (flags: FlagRow[]): string =>
  flags.length === 0
    ? 'No flags: the heuristics found nothing.'
    : table([['ID', 'TIME (UTC)', 'TYPE', 'LABEL', 'SEVERITY', 'TITLE'], ...flags.map((f) => [String(f.id), iso(f.time_ms), f.type, f.label, f.severity, f.title])])

export function dryRunText(d: DryRun): string {
  if (d.provider === 'none') return 'Provider none: nothing is sent anywhere; the summary is made from the heuristics.'
  const lines = d.requests.flatMap((r, i) => [`──── request ${i + 1} of ${d.requests.length} to ${d.model} at ${d.base_url} ────`, '[system]', r.system, '[user]', r.user])
  const cost = d.estimated_cost_usd === null ? 'unknown (model not in the price table)' : d.cloud ? `$${d.estimated_cost_usd.toFixed(4)}` : '$0 (runs on this machine)'
  lines.push(
    '────',
    `Estimated tokens: ${d.estimated_input_tokens} in, up to ${d.estimated_output_tokens} out${d.segments > 1 ? ` over ${d.segments} sequential segments` : ''}; estimated cost ${cost}.`,
    `Redacted: ${d.redaction.map((r) => `${r.count} ${r.category}`).join(', ') || 'nothing found'}.`,
  )
  if (d.offline_refused) lines.push('Offline mode is on: this host is not on this machine, so a real run would be refused (pass --no-offline or use a local --base-url).')
  return lines.join('\n')
}

export function summaryText(r: SummaryResult): string {
  const head = r.kind === 'heuristic' ? `Offline summary from heuristics (no model), version ${r.version}` : `Summary version ${r.version}`
  const cost = r.usage.cost_usd === null ? '' : `, ~$${r.usage.cost_usd.toFixed(4)}`
  return [
    `${head} of ${r.session_id}: outcome ${r.outcome}`,
    r.kind === 'model' ? `${r.usage.calls} call(s), ${r.usage.input_tokens} tokens in, ${r.usage.output_tokens} out${cost}` : '',
    ...r.flags.map((f) => `  ${iso(f.time_ms)}  ${f.blocking ? 'BLOCKING ' : ''}${f.type} [${f.status}] (flag ${f.id})`),
  ]
    .filter(Boolean)
    .join('\n')
}

/** What a verification would send and cost (shown before a cloud call, and by --dry-run). */
export function verifyEstimateText(e: VerifyEstimate): string {
  const how = e.media.kind === 'video' ? `a ${e.media.seconds.toFixed(0)} s video at ${e.media.width}×${e.media.height}, sampled at ${e.media.fps} fps` : `${e.media.frames} frames of ${e.media.width}×${e.media.height} as images`
  const cost = e.estimated_cost_usd === null ? 'unknown (model not in the price table)' : e.cloud ? `$${e.estimated_cost_usd.toFixed(4)}` : '$0 (runs on this machine)'
  return [
    `Verify ${plural(e.flags.length, 'flag')} with ${e.model} at ${e.base_url}: per flag ${how} (~${e.media_tokens_per_flag} media tokens).`,
    `Estimated tokens: ${e.estimated_input_tokens} in, ~${e.estimated_output_tokens} out; estimated cost ${cost}.`,
    `Text in clips: ${e.mask_text ? 'masked (drawn as asterisks)' : 'shown as recorded (pass --mask-text to mask it)'}.`,
    e.cloud ? `Note: ${e.notice}` : '',
    e.offline_refused ? 'Offline mode is on: this host is not on this machine, so a real run would be refused (pass --no-offline or use a local --base-url).' : '',
  ]
    .filter(Boolean)
    .join('\n')
}

export const verifyText = (r: VerifyJobResult): string =>
  [
    ...r.flags.map((f) =>
      f.error
        ? `  flag ${f.flag_id}: not verified: ${f.error}`
        : `  flag ${f.flag_id}: ${f.status.toUpperCase()}${f.applied ? '' : ' (a person’s decision, kept)'}: ${f.explanation}${f.clip ? `\n    clip: ${f.clip.file}` : ''}`,
    ),
    r.summary_version !== null ? `Summary version ${r.summary_version} takes the verdicts into account.` : '',
    r.cost_usd !== null && r.cost_usd > 0 ? `Cost ~$${r.cost_usd.toFixed(4)}.` : '',
  ]
    .filter(Boolean)
    .join('\n')
