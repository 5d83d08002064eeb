// For SDKs that call the global fetch and take no other (@google/genai calls `fetch(url, init)`
// with only body, headers, method and signal: no dispatcher, no redirect option). Within
// routeGlobalFetch(via, fn), every global fetch call made by fn (through any await) goes to `via`;
// outside it, the global fetch behaves as the platform's. Installed once, on first use.
import { AsyncLocalStorage } from 'node:async_hooks'
import { platformFetch } from './fetch'

const route = new AsyncLocalStorage<typeof fetch>()
let installed = false

export function routeGlobalFetch<T>(via: typeof fetch, fn: () => Promise<T>): Promise<T> {
  if (!installed) {
    globalThis.fetch = ((input, init) => (route.getStore() ?? platformFetch)(input, init)) as typeof fetch
    installed = true
  }
  return route.run(via, fn)
}
