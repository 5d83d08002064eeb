// The offline guard: the ONE place that decides whether a request may leave this machine. With
// offline on, only loopback hosts pass. OpenAI's SDK sends every request through `guard.fetch`;
// Gemini's SDK cannot take a fetch, so its provider checks the one base URL all its requests go
// to, through `guard.check`, before the client exists and before every call. The check runs
// before any DNS lookup or socket.
import { OfflineError } from './errors'

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', '::1', '[::1]'])

/** Literal loopback only: a name that merely resolves to 127.0.0.1 is not trusted (DNS can change). */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase()
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true
  if (/^127(?:\.\d{1,3}){3}$/.test(h)) return true
  return /^\[?::ffff:127(?:\.\d{1,3}){3}\]?$/.test(h)
}

function hostOf(url: string | URL): URL {
  try {
    return new URL(String(url))
  } catch {
    throw new OfflineError(String(url).slice(0, 80))
  }
}

export class NetworkGuard {
  constructor(readonly offline: boolean) {}

  /** Throws OfflineError when offline and the URL is not on this machine. */
  check(url: string | URL): void {
    if (!this.offline) return
    const u = hostOf(url)
    if (!isLoopback(u.hostname)) throw new OfflineError(u.host)
  }

  isCloud(url: string | URL): boolean {
    return !isLoopback(hostOf(url).hostname)
  }

  /** fetch with the check first; hand this to every SDK that accepts a fetch. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? input : input.url
    this.check(url)
    return fetch(input, init)
  }
}
