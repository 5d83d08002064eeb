// Shared by the status bar (renderer) and its test.
// What a finished job did, in a few words, and every failed file with its reason (a batch of
// imports that says "4 failed" must say why each failed, not only the first).
import type { ImportResult, JobInfo } from './model'
import type { PullSyncResult, PullTracesResult } from './pull'

export interface JobOutcome {
  text: string
  bad: boolean
  /** One line per failed file: its error, which names the file. */
  failures: string[]
}

export function jobOutcome(job: JobInfo): JobOutcome {
  if (job.state === 'failed') return { text: job.error ?? 'Failed', bad: true, failures: [] }
  if (job.state === 'cancelled') return { text: 'Cancelled — nothing was kept', bad: false, failures: [] }
  if (job.state === 'interrupted') return { text: job.message, bad: true, failures: [] }
  if ((job.kind === 'import' || job.kind === 'pull') && Array.isArray(job.result)) {
    const results = job.result as ImportResult[]
    const failed = results.filter((r) => r.error)
    const again = results.filter((r) => r.already_imported).length
    const sessions = results.reduce((n, r) => n + r.sessions, 0)
    const traces = results.reduce((n, r) => n + r.traces, 0)
    const conflicts = results.reduce((n, r) => n + (r.conflicts?.length ?? 0), 0)
    const notes = results.flatMap((r) => r.notes ?? [])
    const parts = [
      sessions && `${sessions} session${sessions > 1 ? 's' : ''}`,
      traces && `${traces} trace${traces > 1 ? 's' : ''}`,
      again && `${again} already imported`,
      conflicts && `${conflicts} span${conflicts > 1 ? 's' : ''} with taken ids kept as a separate trace`,
      failed.length === 1 ? `1 failed: ${failed[0]!.error}` : failed.length > 1 && `${failed.length} failed`,
      ...notes,
    ].filter(Boolean)
    return { text: parts.join(' · ') || 'Nothing new', bad: failed.length > 0, failures: failed.length > 1 ? failed.map((r) => r.error!) : [] }
  }
  if (job.kind === 'pull-sync' && job.result) {
    const r = job.result as PullSyncResult
    const parts = [
      `Pulled ${r.pulled} recording${r.pulled === 1 ? '' : 's'}`,
      r.late && `${r.late} listed late by PostHog`,
      r.skipped && `${r.skipped} pulled before`,
      r.failed.length === 1 ? `1 failed: ${r.failed[0]!.error}` : r.failed.length > 1 && `${r.failed.length} failed (pulling again retries them)`,
      r.more && 'more match: pull again',
    ].filter(Boolean)
    return { text: parts.join(' · '), bad: r.failed.length > 0, failures: r.failed.length > 1 ? r.failed.map((f) => `${f.session_id}: ${f.error}`) : [] }
  }
  if (job.kind === 'pull-traces' && job.result) {
    const r = job.result as PullTracesResult
    return { text: r.events ? `${r.traces} trace${r.traces === 1 ? '' : 's'} (${r.events} LLM events)` : 'Nothing new', bad: false, failures: [] }
  }
  return { text: 'Done', bad: false, failures: [] }
}
