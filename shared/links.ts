// Deep links: sightline://session/<id>?t=<ms> (the app) and #/session/<id>?t=<ms> (any window).

/** The in-app route of a sightline:// link, or null when it is not one we understand. */
export function linkToHash(link: string): string | null {
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return null
  }
  if (url.protocol !== 'sightline:') return null
  // sightline://session/ID parses with host "session" and path "/ID".
  const parts = [url.host, ...url.pathname.split('/')].filter(Boolean).map(decodeURIComponent)
  if (parts[0] !== 'session' || !parts[1]) return null
  const t = url.searchParams.get('t')
  const tPart = t !== null && /^\d+$/.test(t) ? `?t=${t}` : ''
  return `#/session/${encodeURIComponent(parts[1])}${tPart}`
}
