import { ExternalLink } from 'lucide-react'
import { useQuery } from '../lib/hooks'

/** "Open in PostHog": a small link to the page a pulled session or trace came from; nothing for the rest. */
export function PosthogLink({ kind, id }: { kind: 'session' | 'trace'; id: string }) {
  const link = useQuery('pull:link', { kind, id }, [kind === 'session' ? 'sessions' : 'traces'])
  const url = link.data?.url
  if (!url) return null
  return (
    <a className="small" href={url} target="_blank" rel="noreferrer noopener" title={url}>
      <ExternalLink size={12} aria-hidden /> Open in PostHog
    </a>
  )
}
