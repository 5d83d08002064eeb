// The topic slider: how many topics a run's fine clusters are grouped into (1 … clusters). Moving
// it re-cuts the stored run (clusters:topics, debounced); the page refreshes on 'clusters'.
import { useEffect, useRef, useState } from 'react'
import type { ClusterRunInfo } from '../../shared/cluster'
import { call } from '../lib/api'

const DEBOUNCE_MS = 300

/** Why this run's topics cannot be changed (a short note and the whole reason), or null. */
export function topicsBlocker(run: ClusterRunInfo): { short: string; reason: string } | null {
  if (!Array.isArray(run.params.topic_merges)) return { short: 'fixed for this run', reason: 'This run was stored without its topic merge order (made before the slider): run clustering again to change its topics.' }
  if (run.clusters < 2) return run.clusters ? { short: 'one cluster', reason: 'This run has one cluster, so one topic.' } : { short: 'no clusters', reason: 'This run has no clusters: every point is an outlier.' }
  return null
}

export function ClusterTopics({ run }: { run: ClusterRunInfo }) {
  const [value, setValue] = useState(run.topics)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const pending = useRef(0)
  const blocked = topicsBlocker(run)
  const made = typeof run.params.topics_made === 'number' ? run.params.topics_made : run.topics
  // The stored cut (after a re-cut or a reload) is what the slider shows, unless the user is still
  // moving it (an earlier cut's refresh must not pull it back).
  useEffect(() => {
    if (!pending.current) setValue(run.topics)
  }, [run.run_id, run.topics])
  useEffect(() => () => clearTimeout(timer.current), [])

  const change = (k: number) => {
    setValue(k)
    setError(null)
    if (timer.current) {
      clearTimeout(timer.current)
      pending.current--
    }
    timer.current = undefined
    if (k === run.topics) return
    pending.current++
    timer.current = setTimeout(() => {
      timer.current = undefined
      setBusy(true)
      call('clusters:topics', { run_id: run.run_id, topics: k })
        .catch((e: Error) => setError(e.message))
        .finally(() => {
          pending.current--
          setBusy(pending.current > 0)
        })
    }, DEBOUNCE_MS)
  }

  return (
    <div className="topic-slider" data-testid="topic-slider" title={blocked?.reason ?? `Group the ${run.clusters} clusters into 1 … ${run.clusters} topics (the run was made with ${made})`}>
      <label className="inline">
        <span className="muted small">Topics</span>
        <input type="range" min={1} max={Math.max(1, run.clusters)} step={1} list={`topics-made-${run.run_id}`} value={value} disabled={!!blocked} aria-label="Number of topics" aria-valuetext={`${value} of ${run.clusters} clusters`} aria-busy={busy} aria-describedby={blocked ? `topics-why-${run.run_id}` : undefined} onChange={(e) => change(Number(e.target.value))} data-testid="topics-range" />
        <datalist id={`topics-made-${run.run_id}`}>
          <option value={made} label={`made with ${made}`} />
        </datalist>
        <output className="small nowrap" data-testid="topics-value" aria-live="polite">
          {value}
        </output>
      </label>
      {busy && <span className="muted small" data-testid="topics-busy">Re-cutting…</span>}
      {blocked && (
        <span className="muted small nowrap" data-testid="topics-blocked">
          {blocked.short}
          <span id={`topics-why-${run.run_id}`} className="sr-only">
            : {blocked.reason}
          </span>
        </span>
      )}
      {error && <span className="error small" role="alert" data-testid="topics-error">{error}</span>}
    </div>
  )
}
