// The legend: topics that expand into their clusters; a checkbox hides a cluster, a name filters to it.
import { useState } from 'react'
import { ChevronDown, ChevronRight } from 'lucide-react'
import type { ViewGroup } from '../../shared/cluster-view'
import { count } from '../lib/format'

interface Props {
  topics: ViewGroup[]
  clusters: ViewGroup[]
  hidden: ReadonlySet<number>
  filter: { topic?: number | undefined; cluster?: number | undefined }
  colorOf(g: ViewGroup, level: 'topic' | 'cluster'): string | null
  onToggle(ids: number[], hide: boolean): void
  onTopic(id: number): void
  onCluster(id: number): void
}

export function ClusterLegend({ topics, clusters, hidden, filter, colorOf, onToggle, onTopic, onCluster }: Props) {
  const [open, setOpen] = useState<Set<number>>(new Set())
  const all = [...topics.filter((t) => t.id >= 0)]
  const noise = clusters.find((c) => c.id < 0)
  return (
    <ul className="cluster-legend" data-testid="cluster-legend" aria-label="Topics and clusters">
      {all.map((t) => {
        const members = clusters.filter((c) => c.topic === t.id && c.id >= 0)
        const ids = members.map((c) => c.id)
        const allHidden = ids.length > 0 && ids.every((id) => hidden.has(id))
        const isOpen = open.has(t.id)
        const swatch = colorOf(t, 'topic')
        return (
          <li key={t.id}>
            <div className={`legend-row topic${filter.topic === t.id ? ' active' : ''}`}>
              <button className="icon-button" aria-label={isOpen ? `Collapse ${t.label}` : `Expand ${t.label}`} aria-expanded={isOpen} onClick={() => setOpen((s) => (s.has(t.id) ? (s.delete(t.id), new Set(s)) : new Set(s.add(t.id))))}>
                {isOpen ? <ChevronDown size={14} /> : <ChevronRight size={14} />}
              </button>
              <input type="checkbox" checked={!allHidden} aria-label={`Show ${t.label}`} onChange={() => onToggle(ids, !allHidden)} />
              {swatch && <span className="swatch" style={{ background: swatch }} />}
              <button className="link legend-name" onClick={() => onTopic(t.id)} title="Show only this topic">{t.label}</button>
              <span className="muted small">{count(t.size)}</span>
            </div>
            {isOpen && (
              <ul>
                {members.map((c) => (
                  <li key={c.id} className={`legend-row${filter.cluster === c.id ? ' active' : ''}`}>
                    <input type="checkbox" checked={!hidden.has(c.id)} aria-label={`Show ${c.label}`} onChange={() => onToggle([c.id], !hidden.has(c.id))} />
                    {colorOf(c, 'cluster') && <span className="swatch" style={{ background: colorOf(c, 'cluster')! }} />}
                    <button className="link legend-name" onClick={() => onCluster(c.id)} title="Show only this cluster">{c.label}</button>
                    <span className="muted small">{count(c.size)}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        )
      })}
      {noise && noise.size > 0 && (
        <li>
          <div className={`legend-row topic${filter.cluster === -1 ? ' active' : ''}`}>
            <span className="icon-button" />
            <input type="checkbox" checked={!hidden.has(-1)} aria-label="Show Outliers" onChange={() => onToggle([-1], !hidden.has(-1))} />
            <span className="swatch" style={{ background: colorOf(noise, 'cluster') ?? undefined }} />
            <button className="link legend-name" onClick={() => onCluster(-1)}>Outliers</button>
            <span className="muted small">{count(noise.size)}</span>
          </div>
        </li>
      )}
    </ul>
  )
}
