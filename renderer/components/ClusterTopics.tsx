// The topic slider: how many topics a run's fine clusters are grouped into (1 … clusters). Moving
// it re-cuts the stored run (clusters:topics, debounced); the page refreshes on 'clusters'.
import { useEffect, useRef, useState } from 'react'
import type { ClusterRunInfo } from '../../shared/cluster'
import { call } from '../lib/api'

const DEBOUNCE_MS = 300

/** Why this run's topics cannot be changed, or null. */
export function topicsBlocker(run: ClusterRunInfo): string | null {
  if (!Array.isArray(run.params.topic_merges)) return 'This run was stored without its topic merge order: run clustering again to change its topics.'
  if (run.clusters < 2) return run.clusters ? 'One cluster: one topic.' : 'No clusters: every point is an outlier.'
  return null
}

export function ClusterTopics({ run }: { run: ClusterRunInfo }) {
  const [value, setValue] = useState(run.topics)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const blocked = topicsBlocker(run)
  // The stored cut (after a re-cut or a reload) is what the slider shows.
  useEffect(() => setValue(run.topics), [run.run_id, run.topics])
  useEffect(() => () => clearTimeout(timer.current), [])

  const change = (k: number) => {
    setValue(k)
    setError(null)
    clearTimeout(timer.current)
    if (k === run.topics) return
    timer.current = setTimeout(() => {
      setBusy(true)
      call('clusters:topics', { run_id: run.run_id, topics: k })
        .catch((e: Error) => setError(e.message))
        .finally(() => setBusy(false))
    }, DEBOUNCE_MS)
  }

  return (
    <div className="topic-slider" data-testid="topic-slider" title={blocked ?? `Group the ${run.clusters} clusters into 1 … ${run.clusters} topics`}>
      <label className="inline">
        <span className="muted small">Topics</span>
        <input type="range" min={1} max={Math.max(1, run.clusters)} step={1} value={value} disabled={!!blocked} aria-label="Number of topics" aria-valuetext={`${value} of ${run.clusters} clusters`} aria-busy={busy} onChange={(e) => change(Number(e.target.value))} data-testid="topics-range" />
        <output className="small nowrap" data-testid="topics-value" aria-live="polite">
          {value}
        </output>
      </label>
      {busy && <span className="muted small" data-testid="topics-busy">Re-cutting…</span>}
      {blocked && <span className="muted small" data-testid="topics-blocked">{blocked}</span>}
      {error && <span className="error small" role="alert" data-testid="topics-error">{error}</span>}
    </div>
  )
}
