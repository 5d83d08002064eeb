// Hash routes, so the same build works from app:// (desktop) and http:// (web mode):
// #/library, #/traces, #/session/<id>?t=<ms>, #/trace/<id>, #/clusters, #/settings
export type Route =
  | { page: 'library'; tab: 'sessions' | 'traces' }
  | { page: 'session'; id: string; t: number | null }
  | { page: 'trace'; id: string }
  | { page: 'clusters' }
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
    case 'clusters':
      return { page: 'clusters' }
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
    default:
      return `#/${route.page}`
  }
}
