// The one fetch every outbound request goes through. Redirects are followed here, hop by hop,
// never by the platform's fetch: each hop passes the offline check before it is connected to, so a
// loopback server cannot bounce a request (and its prompt) to another host. Credentials go only to
// the origin they were given for. `*.localhost` names are connected to 127.0.0.1 without asking
// DNS (the system resolver may forward them to the network).
import { UserError } from '../errors'
import { OfflineError } from './errors'
import { isLocalhostSubdomain, isLoopback } from './loopback'

/** The platform's fetch, taken before routeGlobalFetch (global-fetch.ts) wraps the global one. */
export const platformFetch: typeof fetch = globalThis.fetch.bind(globalThis)

export const MAX_REDIRECTS = 10
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'x-goog-api-key']

export interface GuardPolicy {
  offline: boolean
  /** What the user can do about a refusal (shown with the OfflineError). */
  actions?: string[] | undefined
}

export function parseUrl(url: string | URL): URL {
  try {
    return new URL(String(url))
  } catch {
    throw new UserError(`Not a valid URL: ${JSON.stringify(String(url).slice(0, 80))}.`)
  }
}

/** Throws OfflineError when offline and `url` is not on this machine; `from` names the hop that redirected here. */
export function checkUrl(policy: GuardPolicy, url: URL, from?: URL): void {
  if (policy.offline && !isLoopback(url.hostname)) throw new OfflineError(url.host, { redirectedFrom: from?.host, actions: policy.actions })
}

/** The URL actually connected to: `*.localhost` becomes 127.0.0.1 (the server sees Host 127.0.0.1:PORT: fetch cannot set Host). */
export function wireUrl(url: URL): URL {
  if (!isLocalhostSubdomain(url.hostname)) return url
  if (url.protocol === 'https:')
    throw new UserError(
      `${url.host}: *.localhost names are connected to 127.0.0.1 without DNS, and over https the server's certificate cannot match that. Use http://${url.host} or https://127.0.0.1${url.port ? `:${url.port}` : ''}.`,
    )
  const u = new URL(url.href)
  u.hostname = '127.0.0.1'
  return u
}

/**
 * fetch, guarded: every hop checked, redirects followed by hand (up to MAX_REDIRECTS). `redirect:
 * 'manual'` is not honoured (no caller gets a hop it could forget to check); 'error' is.
 */
export async function guardedFetch(policy: GuardPolicy, input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  let url = parseUrl(input instanceof Request ? input.url : input)
  let method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined))
  let body: RequestInit['body'] = init.body ?? (input instanceof Request && input.body ? await input.arrayBuffer() : undefined)
  let from: URL | undefined
  for (let hop = 0; ; hop++) {
    checkUrl(policy, url, from)
    const res = await platformFetch(wireUrl(url), { ...init, method, headers, body, redirect: 'manual' })
    const location = res.headers.get('location')
    if (!REDIRECTS.has(res.status) || location === null) return res
    await res.body?.cancel().catch(() => {})
    if (init.redirect === 'error') throw new TypeError(`fetch failed: ${url.host} redirected (HTTP ${res.status}) and redirects were not allowed`)
    if (hop >= MAX_REDIRECTS) throw new UserError(`${url.host} redirected more than ${MAX_REDIRECTS} times; giving up.`)
    const next = new URL(location, url)
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new UserError(`${url.host} redirected to a ${next.protocol} URL; only http and https are followed.`)
    // As the fetch standard does: 303 (and 301/302 after a POST) continue as a GET without body.
    if ((res.status === 303 && method !== 'HEAD') || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET'
      body = undefined
      for (const h of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(h)
    } else if (body instanceof ReadableStream) {
      throw new UserError(`${url.host} redirected (HTTP ${res.status}) a request whose body was a stream, which cannot be sent again.`)
    }
    if (next.origin !== url.origin) for (const h of CREDENTIALS) headers.delete(h)
    from = url
    url = next
  }
}
