// On the trace page: the trace's cluster in the newest run, linking to the explorer with this
// point selected (both directions: flag → AI call → its cluster of similar conversations).
import { Boxes } from 'lucide-react'
import { href } from '../lib/route'
import './cluster.css'
import { useQuery } from '../lib/hooks'

export function ClusterPlace({ traceId }: { traceId: string }) {
  const place = useQuery('clusters:place', { trace_id: traceId }, ['traces', 'clusters'])
  const p = place.data
  if (!p) return null
  const label = p.cluster < 0 ? 'Outlier' : (p.cluster_label ?? `Cluster ${p.cluster}`)
  return (
    <a className="cluster-place chip" data-testid="trace-cluster" href={href({ page: 'clusters', run: p.run_id, point: traceId })} title={p.topic_label ? `Topic: ${p.topic_label} — open in the cluster explorer` : 'Open in the cluster explorer'}>
      <Boxes size={13} aria-hidden /> {label}
    </a>
  )
}
