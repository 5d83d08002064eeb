import { useState } from 'react'
import { CheckCircle2, CircleAlert, Keyboard, Loader2, X } from 'lucide-react'
import type { ImportResult, JobInfo } from '../../shared/model'
import { call } from '../lib/api'
import { useJobs } from '../lib/hooks'

/** What a finished job did, in a few words. */
function outcome(job: JobInfo): { text: string; bad: boolean } {
  if (job.state === 'failed') return { text: job.error ?? 'Failed', bad: true }
  if (job.state === 'cancelled') return { text: 'Cancelled — nothing was kept', bad: false }
  if (job.state === 'interrupted') return { text: job.message, bad: true }
  if ((job.kind === 'import' || job.kind === 'pull') && Array.isArray(job.result)) {
    const results = job.result as ImportResult[]
    const failed = results.filter((r) => r.error)
    const again = results.filter((r) => r.already_imported).length
    const sessions = results.reduce((n, r) => n + r.sessions, 0)
    const traces = results.reduce((n, r) => n + r.traces, 0)
    const notes = results.flatMap((r) => r.notes ?? [])
    const parts = [
      sessions && `${sessions} session${sessions > 1 ? 's' : ''}`,
      traces && `${traces} trace${traces > 1 ? 's' : ''}`,
      again && `${again} already imported`,
      failed.length && `${failed.length} failed: ${failed[0]!.error}`,
      ...notes,
    ].filter(Boolean)
    return { text: parts.join(' · ') || 'Nothing new', bad: failed.length > 0 }
  }
  return { text: 'Done', bad: false }
}

export function StatusBar({ stage, onHelp }: { stage: string; onHelp: () => void }) {
  const jobs = useJobs()
  const [dismissed, setDismissed] = useState<string | null>(null)
  const running = jobs.filter((j) => j.state === 'running')
  const last = jobs.find((j) => j.state !== 'running')
  const showLast = last && last.id !== dismissed && Date.now() - (last.finished_ms ?? 0) < 10 * 60_000

  return (
    <footer className="statusbar" aria-live="polite">
      <div className="status-jobs">
        {stage && (
          <span className="job">
            <Loader2 size={14} className="spin" aria-hidden /> {stage}
          </span>
        )}
        {running.map((j) => (
          <span className="job" key={j.id} data-testid="job-running">
            <Loader2 size={14} className="spin" aria-hidden />
            <span className="job-title">{j.message || j.title}</span>
            <progress max={1} value={j.progress ?? undefined} aria-label={`${j.title} progress`} />
            {j.progress !== null && <span className="muted">{Math.round(j.progress * 100)}%</span>}
            <button className="icon-button" title="Cancel" aria-label={`Cancel ${j.title}`} onClick={() => void call('jobs:cancel', { id: j.id })}>
              <X size={14} />
            </button>
          </span>
        ))}
        {running.length === 0 && !stage && showLast && (
          <span className={`job ${outcome(last).bad ? 'bad' : 'good'}`} data-testid="job-last" title={outcome(last).text}>
            {outcome(last).bad ? <CircleAlert size={14} aria-hidden /> : <CheckCircle2 size={14} aria-hidden />}
            <span className="job-title">{last.title}:</span>
            <span className="job-outcome">{outcome(last).text}</span>
            <button className="icon-button" aria-label="Dismiss" onClick={() => setDismissed(last.id)}>
              <X size={14} />
            </button>
          </span>
        )}
        {running.length === 0 && !stage && !showLast && <span className="muted">Ready</span>}
      </div>
      <button className="link status-help" onClick={onHelp} title="Keyboard shortcuts (?)">
        <Keyboard size={14} aria-hidden /> Shortcuts
      </button>
    </footer>
  )
}
