// Outbound network access: the offline guard and the one guarded fetch (import, pull and the model
// providers all use it; nothing here knows about any of them).
export { NetworkGuard } from './guard'
export { guardedFetch, MAX_REDIRECTS, type GuardPolicy } from './fetch'
export { routeGlobalFetch } from './global-fetch'
export { isLoopback, isLocalhostSubdomain } from './loopback'
export { OfflineError, MissingKeyError } from './errors'
