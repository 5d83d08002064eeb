import { useState } from 'react'
import { CheckCircle2, CircleAlert, Keyboard, Loader2, X } from 'lucide-react'
import { call } from '../lib/api'
import { useJobs } from '../lib/hooks'
import { jobOutcome as outcome } from '../../shared/job-outcome'

export function StatusBar({ stage, onHelp }: { stage: string; onHelp: () => void }) {
  const jobs = useJobs()
  const [dismissed, setDismissed] = useState<string | null>(null)
  const running = jobs.filter((j) => j.state === 'running')
  // Jobs whose process stopped while they ran (the app quit, a crash): run again or forget.
  const [cleared, setCleared] = useState<string[]>([])
  const interrupted = jobs.filter((j) => j.state === 'interrupted' && !cleared.includes(j.id))
  const last = jobs.find((j) => j.state !== 'running' && j.state !== 'interrupted')
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
            {outcome(last).failures.length > 0 && (
              <details className="job-failures" data-testid="job-failures">
                <summary>Why</summary>
                <ul>
                  {outcome(last).failures.map((f, i) => (
                    <li key={i}>{f}</li>
                  ))}
                </ul>
              </details>
            )}
            <button className="icon-button" aria-label="Dismiss" onClick={() => setDismissed(last.id)}>
              <X size={14} />
            </button>
          </span>
        )}
        {interrupted.map((j) => (
          <span className="job bad" key={j.id} data-testid="job-interrupted">
            <CircleAlert size={14} aria-hidden />
            <span className="job-title">{j.title}: interrupted</span>
            <button className="link" onClick={() => void call('jobs:rerun', { id: j.id }).then(() => setCleared((c) => [...c, j.id]))} title="Run it again (files already imported are skipped)">
              Run again
            </button>
            <button className="icon-button" title="Forget it" aria-label={`Clear ${j.title}`} onClick={() => void call('jobs:clear', { id: j.id }).then(() => setCleared((c) => [...c, j.id]))}>
              <X size={14} />
            </button>
          </span>
        ))}
        {running.length === 0 && !stage && !showLast && interrupted.length === 0 && <span className="muted">Ready</span>}
      </div>
      <button className="link status-help" onClick={onHelp} title="Keyboard shortcuts (?)">
        <Keyboard size={14} aria-hidden /> Shortcuts
      </button>
    </footer>
  )
}
