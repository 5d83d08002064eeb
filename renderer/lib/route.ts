import { useEffect, useState } from 'react'
import { href, parseRoute, type Route } from '../../shared/routes'

export { href, parseRoute, type Route }

export const go = (route: Route) => void (location.hash = href(route))

/** Puts the route in the address without a new history entry (a selection as it changes), and tells useRoute. */
export function replace(route: Route) {
  const next = href(route)
  if (location.hash === next) return
  history.replaceState(history.state, '', next)
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return route
}
