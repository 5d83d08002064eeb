// The distribution: topics by size, each bar stacked by its clusters, noise as "Outliers".
// Clicking a segment filters the scatter and the list to that cluster; a topic's name, to the topic.
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { YAxisTickContentProps } from 'recharts/types/util/types'
import type { ViewGroup } from '../../shared/cluster-view'
import { categoryColor } from '../lib/scatter/color-by'

interface Props {
  topics: ViewGroup[]
  clusters: ViewGroup[]
  colorOf(cluster: ViewGroup): string
  onCluster(id: number): void
  onTopic(id: number): void
}

export function ClusterBars({ topics, clusters, colorOf, onCluster, onTopic }: Props) {
  const noise = clusters.find((c) => c.id < 0)
  const rows = topics
    .filter((t) => t.id >= 0)
    .map((t) => {
      const row: Record<string, string | number> = { name: t.label, topic: t.id }
      for (const c of clusters) if (c.topic === t.id && c.id >= 0) row[`c${c.id}`] = c.size
      return row
    })
    .sort((a, b) => total(b) - total(a))
  if (noise?.size) rows.push({ name: 'Outliers', topic: -1, noise: noise.size })
  const height = Math.max(120, rows.length * 30 + 30)
  return (
    <div className="cluster-bars" data-testid="cluster-bars" data-topics={rows.length - (noise?.size ? 1 : 0)} style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }} barCategoryGap={6}>
          <XAxis type="number" tick={{ fontSize: 11, fill: 'var(--muted)' }} stroke="var(--border)" allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="name"
            width={150}
            stroke="var(--border)"
            tick={(t: YAxisTickContentProps) => (
              // One line, cut to fit: long keyword labels wrapped over each other.
              <text x={t.x} y={t.y} dy={4} textAnchor="end" fontSize={12} fill="var(--text)" style={{ cursor: 'pointer' }} onClick={() => rows[t.index] && onTopic(Number(rows[t.index]!.topic))}>
                <title>{String(t.payload.value)}</title>
                {cut(String(t.payload.value), 24)}
              </text>
            )}
          />
          <Tooltip
            cursor={{ fill: 'var(--panel-2)' }}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
            formatter={(v, key) => [v as number, labelOf(String(key), clusters)]}
          />
          {clusters
            .filter((c) => c.id >= 0)
            .map((c) => (
              <Bar key={c.id} dataKey={`c${c.id}`} stackId="s" fill={colorOf(c)} isAnimationActive={false} cursor="pointer" onClick={() => onCluster(c.id)} name={c.label} stroke="var(--panel)" strokeWidth={1.5} />
            ))}
          <Bar dataKey="noise" stackId="s" fill={categoryColor(-1)} isAnimationActive={false} cursor="pointer" onClick={() => onCluster(-1)} name="Outliers" stroke="var(--panel)" strokeWidth={1.5} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

const total = (r: Record<string, string | number>) => Object.entries(r).reduce((a, [k, v]) => (k.startsWith('c') && typeof v === 'number' ? a + v : a), 0)
const labelOf = (key: string, clusters: ViewGroup[]) => (key === 'noise' ? 'Outliers' : (clusters.find((c) => `c${c.id}` === key)?.label ?? key))
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
