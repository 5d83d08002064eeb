import { useEffect, useState } from 'react'
import { href, parseRoute, type Route } from '../../shared/routes'

export { href, parseRoute, type Route }

export const go = (route: Route) => void (location.hash = href(route))

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return route
}
