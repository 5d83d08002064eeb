// The renderer's one way to the core. At start it picks IPC (the desktop app's preload bridge) or
// HTTP + server-sent events (web mode); nothing else in the renderer knows which.
import type { ApiError, ApiEvents, Channel, Envelope, EventName, Req, Res } from '../../shared/api'
import type { JobInfo } from '../../shared/model'

interface Bridge {
  invoke(channel: string, req: unknown): Promise<Envelope<unknown>>
  on(event: string, cb: (data: unknown) => void): () => void
  pathForFile(file: File): string
}

declare global {
  interface Window {
    sightline?: Bridge
  }
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

interface Transport {
  invoke(channel: string, req: unknown): Promise<Envelope<unknown>>
  on(event: string, cb: (data: unknown) => void): () => void
  /** Makes a dropped or picked file readable by the core; returns its path there. */
  filePath(file: File, onProgress?: (fraction: number) => void): Promise<string>
}

function ipcTransport(bridge: Bridge): Transport {
  return { invoke: bridge.invoke, on: bridge.on, filePath: async (file) => bridge.pathForFile(file) }
}

const TOKEN_KEY = 'sightline.token'

function httpTransport(): Transport {
  // The token arrives in the URL fragment once; keep it for reloads of this tab, then hide it.
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search + '#/')
  }
  // A tab opened from a copied link has no token of its own: the server's HttpOnly cookie of this
  // launch (set when the printed URL was used in this browser) stands in for it.
  const token = sessionStorage.getItem(TOKEN_KEY) ?? ''
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  const listeners = new Map<string, Set<(data: unknown) => void>>()
  let connected = false

  // EventSource cannot send headers, so read the SSE stream with fetch; reconnect if it drops.
  async function connect(): Promise<void> {
    connected = true
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers: auth })
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`)
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buf = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buf += value
          let cut: number
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, cut)
            buf = buf.slice(cut + 2)
            const event = /^event: (.*)$/m.exec(frame)?.[1]
            const data = /^data: (.*)$/m.exec(frame)?.[1]
            if (event && data) listeners.get(event)?.forEach((cb) => cb(JSON.parse(data)))
          }
        }
      } catch {
        // fall through to the retry below
      }
      await new Promise((r) => setTimeout(r, 1000))
    }
  }

  return {
    async invoke(channel, req) {
      const res = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(req ?? {}),
      })
      if (res.status === 401) {
        // The server names what was run (npm start or sightline serve).
        const sent = (await res.json().catch(() => null)) as Envelope<unknown> | null
        if (sent && !sent.ok) return sent
        return { ok: false, error: { code: 'invalid_request', message: 'This page has no valid access token. Open the URL the server printed when it started.' } }
      }
      // Packed columns (shared/columns.ts) arrive as bytes.
      if (res.ok && res.headers.get('Content-Type') === 'application/octet-stream') return { ok: true, result: await res.arrayBuffer() }
      return (await res.json()) as Envelope<unknown>
    },
    on(event, cb) {
      if (!connected) void connect()
      const set = listeners.get(event) ?? new Set()
      set.add(cb)
      listeners.set(event, set)
      return () => set.delete(cb)
    },
    filePath(file, onProgress) {
      // XHR rather than fetch: it reports upload progress.
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest()
        xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`)
        if (auth.Authorization) xhr.setRequestHeader('Authorization', auth.Authorization)
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total)
        xhr.onload = () => {
          const body = JSON.parse(xhr.responseText) as Envelope<{ path: string }>
          if (body.ok) resolve(body.result.path)
          else reject(new ApiFailure(body.error))
        }
        xhr.onerror = () => reject(new Error(`Upload of ${file.name} failed`))
        xhr.send(file)
      })
    },
  }
}

const transport: Transport = window.sightline ? ipcTransport(window.sightline) : httpTransport()

export async function call<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  const envelope = await transport.invoke(channel, req)
  if (!envelope.ok) throw new ApiFailure(envelope.error)
  return envelope.result as Res<C>
}

export function subscribe<E extends EventName>(event: E, cb: (data: ApiEvents[E]) => void): () => void {
  return transport.on(event, cb as (data: unknown) => void)
}

export const filePath = (file: File, onProgress?: (fraction: number) => void) => transport.filePath(file, onProgress)

/**
 * Starts a job and resolves with it once it has ended (done, failed, cancelled); `onUpdate` sees its
 * progress. A job can end before its start call answers: ends seen before the id is known are kept.
 */
export function jobEnded(start: () => Promise<{ job: JobInfo }>, onUpdate?: (j: JobInfo) => void): Promise<JobInfo> {
  return new Promise((resolve, reject) => {
    let id: string | null = null
    const early = new Map<string, JobInfo>()
    const off = subscribe('job', (j) => {
      if (id === null) return void (j.state !== 'running' && early.set(j.id, j))
      if (j.id !== id) return
      if (j.state === 'running') onUpdate?.(j)
      else {
        off()
        resolve(j)
      }
    })
    start().then(
      ({ job }) => {
        id = job.id
        const ended = early.get(job.id) ?? (job.state !== 'running' ? job : undefined)
        if (ended) {
          off()
          resolve(ended)
        } else onUpdate?.(job)
      },
      (e: unknown) => {
        off()
        reject(e as Error)
      },
    )
  })
}
