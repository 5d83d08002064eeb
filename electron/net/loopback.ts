// Which hosts are "this machine". Literal loopback only: a name that merely resolves to 127.0.0.1
// is not trusted (DNS can change, and asking it already leaks the name).

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', '::1', '[::1]'])

/** A `*.localhost` name (RFC 6761: always loopback), which the system resolver may still send to the network. */
export function isLocalhostSubdomain(hostname: string): boolean {
  return /^[^[]+\.localhost\.?$/i.test(hostname)
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase()
  if (LOOPBACK_NAMES.has(h) || isLocalhostSubdomain(h)) return true
  if (/^127(?:\.\d{1,3}){3}$/.test(h)) return true
  return /^\[?::ffff:127(?:\.\d{1,3}){3}\]?$/.test(h)
}
