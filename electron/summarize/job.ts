// A summary run as a background job (the app and the CLI both start it this way: progress, cancel,
// a record in the jobs table), and the compact result `sightline summarize --json` prints.
import type { JobInfo } from '../../shared/model'
import type { SummaryVersion } from '../../shared/summary'
import type { Core } from '../core'
import { NotFoundError } from '../errors'
import { resolveConfig, type LlmConfig } from '../llm'
import type { RedactCategory } from '../llm/redact'
import { readSettings } from '../settings'
import { summarizeSession, type SummarizeResult } from './run'

export interface SummaryRequest {
  sessionId: string
  llm?: Partial<LlmConfig>
  redactOff?: RedactCategory[]
  maxOutputTokens?: number
}

export interface SummaryJobResult {
  session_id: string
  version: number
  kind: SummaryVersion['kind']
  outcome: SummaryVersion['outcome']
  flags: { id: number; type: string; time_ms: number; blocking: boolean; status: string }[]
  usage: SummaryVersion['usage']
}

export function compactResult(s: SummaryVersion): SummaryJobResult {
  return {
    session_id: s.session_id,
    version: s.version,
    kind: s.kind,
    outcome: s.outcome,
    flags: s.flags.map((f) => ({ id: f.id, type: f.type, time_ms: f.time_ms, blocking: f.blocking, status: f.status })),
    usage: s.usage,
  }
}

/** The settings, overridden by this request. */
export function configFor(core: Core, req: SummaryRequest): LlmConfig {
  return resolveConfig(readSettings(core.store), req.llm ?? {})
}

/** What would be sent, after redaction, with estimated tokens and cost; no request is made. */
export async function dryRunSummary(core: Core, req: SummaryRequest): Promise<NonNullable<SummarizeResult['dry_run']>> {
  if (!core.store.sessions.get(req.sessionId)) throw new NotFoundError('session', req.sessionId)
  const r = await summarizeSession(core.store, core.secrets, req.sessionId, { llm: configFor(core, req), dryRun: true, ...opts(req) })
  return r.dry_run!
}

export function startSummaryJob(core: Core, req: SummaryRequest, onDone: (r: SummaryJobResult) => void = () => {}): JobInfo {
  if (!core.store.sessions.get(req.sessionId)) throw new NotFoundError('session', req.sessionId)
  const llm = configFor(core, req)
  return core.jobs.start('summarize', `Summarize ${req.sessionId.slice(0, 13)} (${llm.provider === 'none' ? 'heuristics' : llm.model})`, async (ctx) => {
    const r = await summarizeSession(core.store, core.secrets, req.sessionId, { llm, signal: ctx.signal, progress: (f, m) => ctx.progress(f, m), ...opts(req) })
    const out = compactResult(r.summary!)
    onDone(out)
    return out
  })
}

const opts = (req: SummaryRequest) => ({
  ...(req.redactOff ? { redactOff: req.redactOff } : {}),
  ...(req.maxOutputTokens ? { maxOutputTokens: req.maxOutputTokens } : {}),
})
