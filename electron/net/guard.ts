// The offline guard: the ONE place that decides whether a request may leave this machine. With
// offline on, only loopback hosts pass. Every request goes through `guard.fetch` (guardedFetch:
// each redirect hop checked too); SDKs that take no fetch are run under routeGlobalFetch.
import { checkUrl, guardedFetch, parseUrl } from './fetch'
import { isLoopback } from './loopback'

export class NetworkGuard {
  /** `actions`: what the user can do about a refusal, in this caller's words. */
  constructor(
    readonly offline: boolean,
    private readonly actions?: string[],
  ) {}

  /** Throws OfflineError when offline and the URL is not on this machine. Before any DNS or socket. */
  check(url: string | URL): void {
    checkUrl({ offline: this.offline, actions: this.actions }, parseUrl(url))
  }

  isCloud(url: string | URL): boolean {
    return !isLoopback(parseUrl(url).hostname)
  }

  /** guardedFetch under this guard; hand this to every SDK that accepts a fetch. */
  readonly fetch: typeof fetch = (input, init) => guardedFetch({ offline: this.offline, actions: this.actions }, input, init)
}
