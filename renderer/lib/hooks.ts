import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiEvents, Channel, Req, Res } from '../../shared/api'
import type { JobInfo } from '../../shared/model'
import { call, subscribe } from './api'

type Changed = ApiEvents['changed']['what']

export interface Query<T> {
  data: T | undefined
  error: string | null
  loading: boolean
  reload(): void
}

/** Calls a channel, keeps the last answer while a new one loads, and reloads when the store changes. */
export function useQuery<C extends Channel>(channel: C, req: Req<C>, refreshOn: Changed[] = []): Query<Res<C>> {
  const [data, setData] = useState<Res<C>>()
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const key = JSON.stringify(req)
  const latest = useRef(0)

  useEffect(() => {
    const n = ++latest.current
    setLoading(true)
    call(channel, JSON.parse(key) as Req<C>)
      .then((r) => n === latest.current && (setData(r), setError(null)))
      .catch((e: Error) => n === latest.current && setError(e.message))
      .finally(() => n === latest.current && setLoading(false))
  }, [channel, key, tick])

  const refreshKey = refreshOn.join(',')
  useEffect(() => {
    if (!refreshKey) return
    const watched = new Set(refreshKey.split(','))
    return subscribe('changed', (c) => watched.has(c.what) && setTick((t) => t + 1))
  }, [refreshKey])

  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}

/** Every job this app knows of, newest first, kept live by job events. */
export function useJobs(): JobInfo[] {
  const [jobs, setJobs] = useState<JobInfo[]>([])
  useEffect(() => {
    let alive = true
    call('jobs:list', {}).then((list) => alive && setJobs(list)).catch(() => {})
    const off = subscribe('job', (job) =>
      setJobs((prev) => [job, ...prev.filter((j) => j.id !== job.id)].sort((a, b) => b.created_ms - a.created_ms)),
    )
    return () => {
      alive = false
      off()
    }
  }, [])
  return jobs
}

/** Keyboard shortcuts while the component is mounted. Keys like "mod+o", "/", "?", "escape". */
export function useShortcuts(bindings: Record<string, (e: KeyboardEvent) => void>, enabled = true): void {
  const ref = useRef(bindings)
  ref.current = bindings
  const keys = Object.keys(bindings).join('|')
  useEffect(() => {
    if (!enabled) return
    const parsed = keys.split('|').map((key) => {
      const parts = key.toLowerCase().split('+')
      return { key, want: parts.pop()!, mod: parts.includes('mod'), shift: parts.includes('shift') }
    })
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName))
      // Shift must match for letters, digits, space and named keys; '?' and the like need it to be typed.
      const shiftOk = (p: (typeof parsed)[number]) => (p.shift ? e.shiftKey : !e.shiftKey || (p.want.length === 1 && !/[a-z0-9 ]/.test(p.want)))
      const hit = parsed.find((p) => p.want === e.key.toLowerCase() && p.mod === (e.ctrlKey || e.metaKey) && !e.altKey && shiftOk(p))
      // While typing, only modifier shortcuts and Escape apply: "/" and "?" are text there.
      if (!hit || (typing && !hit.mod && hit.want !== 'escape')) return
      e.preventDefault()
      ref.current[hit.key]?.(e)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [keys, enabled])
}

export const useShortcut = (key: string, fn: (e: KeyboardEvent) => void, enabled = true) => useShortcuts({ [key]: fn }, enabled)
