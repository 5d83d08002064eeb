// Hash routes, so the same build works from app:// (desktop) and http:// (web mode):
// #/library, #/traces, #/session/<id>?t=<ms>, #/trace/<id>, #/clusters?run=&point=&sel=&topic=&cluster=, #/settings
export type Route =
  | { page: 'library'; tab: 'sessions' | 'traces' }
  | { page: 'session'; id: string; t: number | null }
  | { page: 'trace'; id: string }
  /** The explorer: a run, a selected point (trace id) or selection (encodeSelection), a topic or cluster filter: a view can be linked. */
  | { page: 'clusters'; run?: string | undefined; point?: string | undefined; sel?: string | undefined; topic?: number | undefined; cluster?: number | undefined }
  | { page: 'settings' }

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?')
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  const params = new URLSearchParams(query)
  switch (parts[0]) {
    case 'session':
      if (parts[1]) {
        const t = Number(params.get('t'))
        return { page: 'session', id: parts[1], t: params.has('t') && Number.isFinite(t) ? t : null }
      }
      break
    case 'trace':
      if (parts[1]) return { page: 'trace', id: parts[1] }
      break
    case 'clusters': {
      const num = (k: string) => (params.has(k) && Number.isInteger(Number(params.get(k))) ? Number(params.get(k)) : undefined)
      return { page: 'clusters', run: params.get('run') ?? undefined, point: params.get('point') ?? undefined, sel: params.get('sel') ?? undefined, topic: num('topic'), cluster: num('cluster') }
    }
    case 'settings':
      return { page: 'settings' }
    case 'traces':
      return { page: 'library', tab: 'traces' }
  }
  return { page: 'library', tab: 'sessions' }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'library':
      return route.tab === 'traces' ? '#/traces' : '#/library'
    case 'session':
      return `#/session/${encodeURIComponent(route.id)}${route.t !== null ? `?t=${route.t}` : ''}`
    case 'trace':
      return `#/trace/${encodeURIComponent(route.id)}`
    case 'clusters': {
      const q = new URLSearchParams()
      if (route.run) q.set('run', route.run)
      if (route.point) q.set('point', route.point)
      if (route.sel) q.set('sel', route.sel)
      if (route.topic !== undefined) q.set('topic', String(route.topic))
      if (route.cluster !== undefined) q.set('cluster', String(route.cluster))
      return `#/clusters${q.size ? `?${q}` : ''}`
    }
    default:
      return `#/${route.page}`
  }
}
