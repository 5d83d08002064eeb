// "Run clustering": summaries → embeddings → clusters as one job. Offline by default; a cloud
// summarizer shows its cost estimate before anything is sent.
import { useState } from 'react'
import { Play } from 'lucide-react'
import type { Req, Res } from '../../shared/api'
import { call } from '../lib/api'
import { count } from '../lib/format'
import { useJobs } from '../lib/hooks'

interface Props {
  /** Values to start from (a run's parameters, for "Re-run with…"). */
  initial?: { min_cluster_size?: number | undefined; sample?: number | undefined }
  traces: number
  onCancel?(): void
}

export function ClusterRunForm({ initial, traces, onCancel }: Props) {
  const [provider, setProvider] = useState<'none' | 'openai' | 'gemini'>('none')
  const [model, setModel] = useState('')
  const [embeddingModel, setEmbeddingModel] = useState('')
  const [sample, setSample] = useState(initial?.sample ? String(initial.sample) : '')
  const [minSize, setMinSize] = useState(initial?.min_cluster_size ? String(initial.min_cluster_size) : '')
  const [estimate, setEstimate] = useState<Res<'clusters:pipeline-estimate'> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const running = useJobs().find((j) => j.kind === 'cluster-pipeline' && j.state === 'running')

  const req = (): Req<'clusters:pipeline'> => ({
    provider,
    ...(model.trim() ? { model: model.trim() } : {}),
    ...(embeddingModel.trim() ? { embedding_model: embeddingModel.trim() } : {}),
    ...(Number(sample) >= 3 ? { sample: Math.floor(Number(sample)) } : {}),
    ...(Number(minSize) >= 2 ? { min_cluster_size: Math.floor(Number(minSize)) } : {}),
  })
  const cloud = provider !== 'none'
  const act = async (fn: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  if (running) {
    return (
      <div className="run-form running" data-testid="pipeline-progress">
        <div className="progress-line">
          <strong>Clustering…</strong>
          <span className="muted">{running.message ?? 'Starting'}</span>
        </div>
        <div className="progress"><div style={{ width: `${Math.round((running.progress ?? 0) * 100)}%` }} /></div>
        <ol className="stages">
          {['Summaries', 'Embeddings', 'Clusters'].map((s, k) => {
            const at = Number(/^(\d)\/3/.exec(running.message ?? '')?.[1] ?? 1) - 1
            return <li key={s} className={k < at ? 'done' : k === at ? 'now' : undefined}>{s}</li>
          })}
        </ol>
      </div>
    )
  }

  return (
    <form className="run-form" data-testid="run-form" onSubmit={(e) => e.preventDefault()}>
      <div className="form-grid">
        <label>
          <span>Summaries by</span>
          <select value={provider} onChange={(e) => (setProvider(e.target.value as typeof provider), setEstimate(null))}>
            <option value="none">Offline (on this machine)</option>
            <option value="openai">OpenAI</option>
            <option value="gemini">Gemini</option>
          </select>
        </label>
        {cloud && (
          <label>
            <span>Model</span>
            <input value={model} placeholder="from Settings" onChange={(e) => (setModel(e.target.value), setEstimate(null))} />
          </label>
        )}
        {cloud && (
          <label>
            <span>Embedding model</span>
            <input value={embeddingModel} placeholder="from Settings" onChange={(e) => setEmbeddingModel(e.target.value)} />
          </label>
        )}
        <label>
          <span>Sample size</span>
          <input type="number" min={3} value={sample} placeholder={`all ${count(traces)}`} onChange={(e) => (setSample(e.target.value), setEstimate(null))} />
        </label>
        <label>
          <span>Min cluster size</span>
          <input type="number" min={2} value={minSize} placeholder="1 % of traces, ≥ 5" onChange={(e) => setMinSize(e.target.value)} />
        </label>
      </div>
      {estimate && (
        <p className="estimate" data-testid="estimate">
          {estimate.offline_refused
            ? 'Offline mode is on: turn it off in Settings to use a cloud model.'
            : `${count(estimate.to_summarize)} traces to summarize (${count(estimate.skipped)} already done): about ${count(estimate.estimated_input_tokens)} input and ${count(estimate.estimated_output_tokens)} output tokens${estimate.estimated_cost_usd !== null ? `, ≈ $${estimate.estimated_cost_usd.toFixed(2)}` : ''}.`}
        </p>
      )}
      {error && <div className="banner error" role="alert">{error}</div>}
      <div className="form-actions">
        {onCancel && <button type="button" className="button ghost" onClick={onCancel}>Cancel</button>}
        {cloud && !estimate ? (
          <button type="button" className="button primary" disabled={busy} onClick={() => act(async () => setEstimate(await call('clusters:pipeline-estimate', req())))}>
            Estimate cost
          </button>
        ) : (
          <button type="button" className="button primary" data-testid="run-clustering" disabled={busy || traces < 3 || estimate?.offline_refused} onClick={() => act(async () => void (await call('clusters:pipeline', req())))}>
            <Play size={14} aria-hidden /> Run clustering
          </button>
        )}
      </div>
    </form>
  )
}
