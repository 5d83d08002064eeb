// `sightline cluster` as text: the run, its topics with their clusters, sizes and labels.
import type { ClusterRunResult } from '../shared/cluster'

export function clusterText(run: ClusterRunResult): string {
  const t = run.timings ?? {}
  const lines = [`Run ${run.run_id}: ${run.points.length} points, ${run.clusters.filter((c) => c.id >= 0).length} clusters in ${run.topics.filter((c) => c.id >= 0).length} topics (${((t.total_ms ?? 0) / 1000).toFixed(1)} s)`]
  for (const topic of run.topics) {
    lines.push(`${topic.id < 0 ? '  -' : String(topic.id).padStart(3)}  ${String(topic.size).padStart(6)}  ${topic.label}`)
    for (const c of run.clusters.filter((c) => c.topic === topic.id && c.id >= 0)) lines.push(`       ${String(c.id).padStart(4)} ${String(c.size).padStart(6)}  ${c.label}`)
  }
  return lines.join('\n')
}
