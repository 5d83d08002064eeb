import { Boxes } from 'lucide-react'
import { useQuery } from '../lib/hooks'

export function ClustersPage() {
  const traces = useQuery('traces:list', { limit: 1, offset: 0 }, ['traces'])
  const n = traces.data?.total ?? 0
  return (
    <section className="page">
      <header className="page-head">
        <h1>Clusters</h1>
      </header>
      <div className="empty tall">
        <Boxes size={40} aria-hidden />
        <h2>No cluster runs yet</h2>
        <p className="muted">
          {n === 0
            ? 'Clusters group LLM traces by what happened in them. Import a trace set in the Library first.'
            : `${n.toLocaleString()} traces are ready. Cluster runs (summaries → embeddings → UMAP → HDBSCAN) will appear here.`}
        </p>
      </div>
    </section>
  )
}
